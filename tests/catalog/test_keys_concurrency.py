"""Two writers at once: the editions' keys stay exact, and two imports of one book make one edition.

A pair (key, edition) goes when the last live record of the edition having the key leaves; whether
another record still has it is read inside the leaving transaction, which cannot see what another
transaction has not committed yet. Each case below runs two transactions on connections of their own,
the second starting while the first is still open, and checks the pairs once both have committed.
On SQLite the second waits for the first (one writer at a time); on PostgreSQL the triggers make it
wait for the edition (migration 0011), and a transaction placing records for the one placing before it
(`bulk.placing_alone`).
"""

import threading
import time
from dataclasses import replace

import pytest
from django.db import connection, transaction

from jaringan.catalog.models import Edition, EditionKey, SourceRecord

from .items import loc_items, retyped
from .test_ingest import keys_follow_records, run

pytestmark = pytest.mark.django_db(transaction=True)

#: How long the first transaction stays open after its change, while the second starts.
HELD_OPEN = 0.5


def _two_at_once(first, second) -> None:
    """``first`` in a transaction kept open a while, ``second`` started meanwhile in a transaction of its
    own, each on a connection of its own; both must commit."""
    done_first = threading.Event()
    failures: list[BaseException] = []

    def run_first() -> None:
        try:
            with transaction.atomic():
                first()
                done_first.set()
                time.sleep(HELD_OPEN)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            failures.append(exc)
        finally:
            done_first.set()
            connection.close()

    def run_second() -> None:
        try:
            done_first.wait(timeout=30)
            with transaction.atomic():
                second()
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures


@pytest.fixture
def one_book_two_libraries(demo_network):
    """One book held by UNPATTI and UNHAS, one edition: (UNPATTI's record, UNHAS's record)."""
    item = loc_items(1)[0]
    run("UNPATTI", [item])
    run("UNHAS", [retyped(item, source_id="UNHAS-0")])
    ours = SourceRecord.objects.get(library__code="UNPATTI")
    theirs = SourceRecord.objects.get(library__code="UNHAS")
    assert ours.edition_id == theirs.edition_id
    keys_follow_records()
    return ours, theirs


def _withdraw(record: SourceRecord):
    return lambda: SourceRecord.objects.filter(pk=record.pk).update(withdrawn=True)


def _move(record: SourceRecord, edition_id: int):
    return lambda: SourceRecord.objects.filter(pk=record.pk).update(edition_id=edition_id)


def test_a_record_joining_as_the_last_holder_leaves_keeps_the_keys(one_book_two_libraries):
    ours, theirs = one_book_two_libraries
    edition = ours.edition_id
    elsewhere = Edition.objects.create(title="Elsewhere")
    SourceRecord.objects.filter(pk=theirs.pk).update(edition=elsewhere)  # UNHAS's record leaves for a while
    keys_follow_records()
    # UNHAS's record comes back (not committed yet) while UNPATTI withdraws the last record holding the keys.
    _two_at_once(_move(theirs, edition), _withdraw(ours))
    assert SourceRecord.objects.get(pk=theirs.pk).edition_id == edition
    keys_follow_records()


def test_the_last_holder_leaving_as_a_record_joins_keeps_the_keys(one_book_two_libraries):
    ours, theirs = one_book_two_libraries
    edition = ours.edition_id
    elsewhere = Edition.objects.create(title="Elsewhere")
    SourceRecord.objects.filter(pk=theirs.pk).update(edition=elsewhere)
    _two_at_once(_withdraw(ours), _move(theirs, edition))
    keys_follow_records()


def test_the_two_last_holders_leaving_at_once_take_the_keys_along(one_book_two_libraries):
    ours, theirs = one_book_two_libraries
    _two_at_once(_withdraw(ours), _withdraw(theirs))
    keys_follow_records()
    assert not EditionKey.objects.filter(edition_id=ours.edition_id).exists()


def test_two_libraries_importing_one_book_at_once_make_one_edition(demo_network):
    """Each import reads the candidates, then writes: the second must read what the first wrote."""
    item = loc_items(1)[0]
    _two_at_once(lambda: run("UNPATTI", [item]), lambda: run("UNHAS", [retyped(item, source_id="UNHAS-0")]))
    editions = set(SourceRecord.objects.values_list("edition_id", flat=True))
    assert SourceRecord.objects.count() == 2 and len(editions) == 1, editions
    keys_follow_records()


def test_a_withdrawal_beside_an_import_leaves_the_edition_whole(one_book_two_libraries):
    """UNPATTI withdraws its record while a third library's copy joins: the edition keeps a live preferred record."""
    ours, theirs = one_book_two_libraries
    item = loc_items(1)[0]
    deleted = replace(item, deleted=True, record=None, keys=None, stored=None, work=None)  # as a file says it
    _two_at_once(lambda: run("UNPATTI", [deleted]), lambda: run("UNCEN", [retyped(item, source_id="UNCEN-0")]))
    assert SourceRecord.objects.get(pk=ours.pk).withdrawn
    edition = Edition.objects.get(pk=theirs.edition_id)
    live = set(SourceRecord.objects.filter(edition=edition, withdrawn=False).values_list("pk", flat=True))
    assert len(live) == 2 and edition.preferred_id in live
    keys_follow_records()
