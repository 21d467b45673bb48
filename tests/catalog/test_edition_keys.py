"""Each edition's block keys (`EditionKey`) stay those of its live records, whatever changes them
(SQLite and PostgreSQL)."""

from dataclasses import replace

import pytest

from jaringan.catalog import bulk
from jaringan.catalog.models import BlockKey, Edition, EditionKey, SourceRecord
from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.corrections import record_split, records_merge
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.services.placement import candidate_editions
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM

from .items import loc_items, retyped

pytestmark = pytest.mark.django_db

N = 30


def run(library_code, items, chunk=10):
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=library_code), name="test.mrc",
                        format="marc21")
    return ingest(batch=batch, items=items, chunk=chunk)


def kept() -> set[tuple[int, int]]:
    return set(EditionKey.objects.values_list("key", "edition_id"))


def expected() -> set[tuple[int, int]]:
    """The (key, edition) pairs of the live records, read from the records' own keys."""
    return set(BlockKey.objects.filter(record__withdrawn=False, record__edition__isnull=False)
               .values_list("key", "record__edition_id"))


@pytest.fixture
def two_libraries(demo_network):
    loc = loc_items(N)
    run("UNPATTI", loc)
    run("UNHAS", [retyped(i, source_id=f"UNHAS-{n}", title=i.record.title.upper()) for n, i in enumerate(loc)])
    return loc


def test_new_records_give_their_editions_their_keys(two_libraries):
    assert kept() == expected() and len(kept()) > N
    assert EditionKey.objects.values("edition").distinct().count() == Edition.objects.count()


def test_an_update_a_withdrawal_a_merge_and_a_split_keep_the_keys_true(two_libraries, principal):
    loc = two_libraries
    staff = principal("staf.unpatti")
    run("UNPATTI", [retyped(loc[0], source_id=loc[0].source_id, title="Another title altogether")])
    assert kept() == expected()
    run("UNPATTI", [replace(loc[1], deleted=True, record=None)])
    assert kept() == expected()
    record = SourceRecord.objects.get(library__code="UNPATTI", source_id=loc[2].source_id)
    split = record_split(actor=staff, record=record)
    assert kept() == expected() and EditionKey.objects.filter(edition=split).exists()
    records_merge(actor=staff, record=SourceRecord.objects.get(pk=record.pk),
                  into=SourceRecord.objects.get(library__code="UNHAS", source_id="UNHAS-2"))
    assert kept() == expected()
    assert not EditionKey.objects.filter(edition_id=split.pk).exists()  # the emptied edition is gone


def test_candidates_leave_out_editions_holding_a_record_of_the_library(two_libraries):
    record = SourceRecord.objects.filter(library__code="UNPATTI").order_by("pk").first()
    keys = list(BlockKey.objects.filter(record=record).values_list("key", flat=True))
    unhas = Library.objects.get(code="UNHAS")
    others = Library.objects.exclude(code__in=["UNHAS", "UNPATTI"]).first()
    assert record.edition_id in candidate_editions([keys], library_id=others.pk)[0]
    assert record.edition_id not in candidate_editions([keys], library_id=unhas.pk)[0]
    # The record being placed again does not shut its own edition out.
    assert record.edition_id in candidate_editions([keys], library_id=record.library_id, placing=record.pk)[0]


def test_a_rebuild_gives_the_same_keys(two_libraries):
    before = kept()
    EditionKey.objects.all().delete()
    bulk.edition_keys_rebuild(Edition.objects.values_list("pk", flat=True))
    assert kept() == before == expected()
