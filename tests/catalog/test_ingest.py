"""Taking members' records into the union catalogue (SQLite and PostgreSQL)."""

import json
from dataclasses import replace

import pytest
from django.db import models

from jaringan.catalog import selectors
from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.corrections import record_split, records_merge
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.models import BlockKey, Edition, EditionKey, MatchLink, Quarantine, SourceRecord
from jaringan.core.catalog.matching import key_numbers, match
from jaringan.core.errors import Forbidden, Invalid
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM

from .items import loc_items, retyped

pytestmark = pytest.mark.django_db

N = 60


def run(library_code, items, actor=SYSTEM, chunk=25):
    batch = batch_start(actor=actor, library=Library.objects.get(code=library_code), name="test.mrc",
                        format="marc21")
    return ingest(batch=batch, items=items, chunk=chunk)


@pytest.fixture
def loc(demo_network):
    return loc_items(N)


def keys_follow_records() -> None:
    """Every block key carries its record's library and, while the record is live, its edition."""
    keys = list(BlockKey.objects.values_list("record_id", "edition_id", "library_id"))
    records = {pk: (None if withdrawn else edition, library) for pk, edition, library, withdrawn in
               SourceRecord.objects.values_list("pk", "edition_id", "library_id", "withdrawn")}
    assert keys, "no block keys to compare"
    assert [(pk, edition, library) for pk, edition, library in keys if records[pk] != (edition, library)] == []
    # Each edition's keys are exactly those of its live records, each pair once.
    live = set(BlockKey.objects.filter(edition_id__isnull=False).values_list("key", "edition_id"))
    assert set(EditionKey.objects.values_list("key", "edition_id")) == live


def test_first_import_creates_one_edition_per_record(loc):
    batch = run("UNPATTI", loc)
    assert (batch.read, batch.created, batch.quarantined, batch.status) == (N, N, 0, "done")
    assert SourceRecord.objects.count() == N
    assert Edition.objects.count() <= N  # a library's own duplicates never merge, so == N unless none


def test_same_books_from_another_library_merge_into_the_same_editions(loc):
    run("UNPATTI", loc)
    others = [retyped(i, source_id=f"UNHAS-{n}", title=i.record.title.upper()) for n, i in enumerate(loc)]
    batch = run("UNHAS", others)
    assert batch.created == N
    editions = Edition.objects.count()
    assert editions == SourceRecord.objects.filter(library__code="UNPATTI").values("edition").distinct().count()
    two = [e for e in Edition.objects.all() if e.records.count() == 2]
    assert len(two) >= N * 0.95  # the case change alone must not split them
    link = MatchLink.objects.filter(decided="matched").first()
    assert link.comparisons and {"with", "score", "comparisons"} <= set(link.comparisons[0])


def test_records_written_in_bulk_are_kept_exactly(loc):
    """Raw bytes byte for byte and the canonical form as encoded, whatever the bytes hold (written by
    COPY on PostgreSQL: backslashes, tabs, line ends and NUL must survive its escaping)."""
    from jaringan.core.catalog import codec

    odd = replace(loc[0], source_id="ODD-1", raw=loc[0].raw + b"\\N\t\n\r\x00\\\xff",
                  record=replace(loc[0].record, title="Tab\there\\ and \\N, new\nline: Jalan \u00b7 \"Ümit\""))
    items = [*loc[1:], odd]
    run("UNPATTI", items)
    for item in items:
        stored = SourceRecord.objects.get(library__code="UNPATTI", source_id=item.source_id)
        assert bytes(stored.raw) == item.raw
        assert stored.data == json.loads(json.dumps(codec.to_data(item.record)))


def test_reimport_is_idempotent_and_updates_in_place(loc):
    run("UNPATTI", loc)
    again = run("UNPATTI", loc)
    assert (again.read, again.unchanged, again.created) == (N, N, 0)
    changed = [replace(loc[0], raw=loc[0].raw + b" ", record=replace(loc[0].record, edition="Cet. 2"))] + loc[1:]
    third = run("UNPATTI", changed)
    assert (third.updated, third.unchanged) == (1, N - 1)
    assert SourceRecord.objects.count() == N
    assert SourceRecord.objects.get(source_id=loc[0].source_id).data["edition"] == "Cet. 2"
    keys_follow_records()


def test_broken_records_are_quarantined_and_the_batch_goes_on(loc):
    broken = replace(loc[5], record=None, error="record 6: leader length 00999 does not match the record's 812 bytes")
    items = loc[:5] + [broken] + loc[6:]
    batch = run("UNPATTI", items)
    assert (batch.read, batch.created, batch.quarantined) == (N, N - 1, 1)
    q = Quarantine.objects.get()
    assert q.position == loc[5].position and "leader length" in q.reason and bytes(q.raw) == loc[5].raw
    assert batch.read == batch.created + batch.updated + batch.unchanged + batch.withdrawn + batch.quarantined


def test_withdrawn_record_removes_only_that_holding(loc):
    run("UNPATTI", loc[:3])
    run("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(loc[:3])])
    edition = SourceRecord.objects.get(source_id=loc[0].source_id).edition
    assert edition.records.count() == 2
    batch = run("UNPATTI", [replace(loc[0], deleted=True, record=None)])
    assert batch.withdrawn == 1
    edition.refresh_from_db()
    assert [r.library.code for r in edition.records.all()] == ["UNHAS"]
    assert SourceRecord.objects.get(source_id=loc[0].source_id).withdrawn  # kept, marked
    keys_follow_records()
    assert not BlockKey.objects.filter(record__source_id=loc[0].source_id, edition_id__isnull=False).exists()
    # Sent again, the record comes back into the catalogue, and its keys with it.
    back = run("UNPATTI", [replace(loc[0], raw=loc[0].raw + b" ")])
    assert back.updated == 1
    assert SourceRecord.objects.get(source_id=loc[0].source_id).edition_id == edition.pk
    keys_follow_records()


def test_staff_split_and_merge_survive_reimport(loc, principal):
    run("UNPATTI", loc[:2])
    run("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(loc[:2])])
    ours = SourceRecord.objects.get(library__code="UNHAS", source_id="UNHAS-0")
    staff = principal("staf.unpatti")
    with pytest.raises(Forbidden):  # UNPATTI's staff cannot split UNHAS's record... unless it is theirs
        record_split(actor=principal("pembaca"), record=ours)
    theirs = SourceRecord.objects.get(source_id=loc[0].source_id)
    record_split(actor=staff, record=theirs, note="Cetakan berbeda")
    assert theirs.__class__.objects.get(pk=theirs.pk).edition_id != ours.edition_id
    # Re-import with changed bytes makes the catalogue match again: the split holds.
    run("UNPATTI", [replace(loc[0], raw=loc[0].raw + b"x")])
    assert SourceRecord.objects.get(pk=theirs.pk).edition_id != SourceRecord.objects.get(pk=ours.pk).edition_id
    # And a merge by hand holds too.
    records_merge(actor=staff, record=SourceRecord.objects.get(pk=theirs.pk), into=ours)
    run("UNPATTI", [replace(loc[0], raw=loc[0].raw + b"xy")])
    assert SourceRecord.objects.get(pk=theirs.pk).edition_id == SourceRecord.objects.get(pk=ours.pk).edition_id
    keys_follow_records()


def test_block_keys_follow_their_record_whatever_moves_it(loc):
    """The database keeps the keys' copies (triggers), so that no path can leave them stale: an update
    made without the services, a record's edition deleted under it."""
    run("UNPATTI", loc[:3])
    run("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(loc[:3])])
    record = SourceRecord.objects.get(source_id=loc[0].source_id)
    other = Edition.objects.create(title="Elsewhere")
    SourceRecord.objects.filter(pk=record.pk).update(edition=other)
    assert set(BlockKey.objects.filter(record=record).values_list("edition_id", flat=True)) == {other.pk}
    keys_follow_records()  # the edition it left keeps the keys UNHAS's copy has; the other gains them
    assert EditionKey.objects.filter(edition_id=other.pk).count() == len(set(key_numbers(loc[0].record)))
    other.delete()  # its records set free (SET_NULL)
    assert set(BlockKey.objects.filter(record=record).values_list("edition_id", flat=True)) == {None}
    assert not EditionKey.objects.filter(edition_id=other.pk).exists()
    keys_follow_records()
    SourceRecord.objects.filter(pk=record.pk).update(withdrawn=True)
    keys_follow_records()
    # A record deleted, or a key written over, takes its pairs along unless a record of its edition
    # still has them.
    copy = SourceRecord.objects.get(library__code="UNHAS", source_id="UNHAS-1")
    SourceRecord.objects.filter(pk=copy.pk).delete()
    keys_follow_records()
    alone = SourceRecord.objects.get(library__code="UNHAS", source_id="UNHAS-2")
    BlockKey.objects.filter(record=alone).update(key=models.F("key") + 1)
    keys_follow_records()
    # Unchanged columns written again leave the keys alone; the other records' keys were never touched.
    SourceRecord.objects.filter(library__code="UNHAS").update(withdrawn=False)
    keys_follow_records()


def test_one_library_never_twice_in_an_edition(loc, principal):
    run("UNPATTI", loc[:2])
    a, b = SourceRecord.objects.filter(library__code="UNPATTI")[:2]
    with pytest.raises(Invalid):
        records_merge(actor=principal("staf.unpatti"), record=a, into=b)


def test_only_a_librarys_staff_or_coordinator_imports_for_it(demo_network, principal):
    with pytest.raises(Forbidden):
        batch_start(actor=principal("staf.itb"), library=Library.objects.get(code="UNPATTI"))
    batch_start(actor=principal("koordinator"), library=Library.objects.get(code="UNPATTI"))


def test_export_editions_as_json_lines(loc):
    run("UNPATTI", loc[:5])
    lines = [json.loads(line) for line in selectors.export_editions()]
    assert len(lines) == Edition.objects.count()
    assert lines[0]["records"][0]["library"] == "UNPATTI" and lines[0]["records"][0]["source_id"]
    assert {line["work"] for line in lines} == set(Edition.objects.values_list("work_id", flat=True))
    assert all(line["work"] is not None for line in lines)


def test_edition_detail(loc):
    run("UNPATTI", loc[:3])
    run("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(loc[:3])])
    edition = SourceRecord.objects.get(source_id=loc[0].source_id).edition
    detail = selectors.edition_detail(edition)
    assert detail["record"].title and len(detail["holdings"]) == 2


def test_a_librarys_own_duplicates_stay_apart_even_in_one_chunk(loc):
    twin = retyped(loc[0], source_id="UNPATTI-twin")
    batch = run("UNPATTI", [loc[0], twin], chunk=50)
    assert batch.created == 2
    editions = set(SourceRecord.objects.values_list("edition_id", flat=True))
    assert len(editions) == 2  # one record per library per edition
    run("UNHAS", [retyped(loc[0], source_id="UNHAS-0")])
    unhas = SourceRecord.objects.get(source_id="UNHAS-0")
    assert unhas.edition_id in editions and unhas.link.decided == "matched"


def test_demo_sized_import_merges_across_libraries(loc):
    # The same 60 books from three libraries, in chunks of 7: 60 editions of three holdings.
    for code in ("UNPATTI", "UNHAS", "UNCEN"):
        run(code, [retyped(i, source_id=f"{code}-{n}") for n, i in enumerate(loc)], chunk=7)
    sizes = sorted(e.records.count() for e in Edition.objects.all())
    assert sizes.count(3) >= N * 0.95 and sum(sizes) == 3 * N


def test_copies_of_one_record_are_read_once_and_each_is_compared(loc):
    # Copy cataloguing: three libraries hold the same record (own ids, own call numbers); a fourth
    # library's copy, typed again, must agree with every one of them and say so for each.
    book = loc[:1]
    for code in ("UNPATTI", "UNHAS", "UNCEN"):
        run(code, [retyped(book[0], source_id=f"{code}-0")])
    held = list(SourceRecord.objects.order_by("pk"))
    assert len({r.edition_id for r in held}) == 1
    assert len({r.description for r in held}) == 1 and held[0].description is not None
    run("UGM", [retyped(book[0], source_id="UGM-0", title=book[0].record.title.upper())])
    joined = SourceRecord.objects.get(source_id="UGM-0")
    assert joined.edition_id == held[0].edition_id
    assert joined.description != held[0].description
    assert sorted(c["with"] for c in joined.link.comparisons) == [r.pk for r in held]


def test_a_records_description_number_follows_its_data(loc):
    run("UNPATTI", loc[:1])
    record = SourceRecord.objects.get()
    first = record.description
    record.data = {**record.data, "holdings": [{"call_number": "NEW 001", "items": 2}]}
    record.save()
    assert SourceRecord.objects.get().description == first
    record.data = {**record.data, "title": "Another title"}
    record.save(update_fields=["data"])
    assert SourceRecord.objects.get().description != first


def test_a_copy_found_apart_from_an_edition_before_is_not_compared_with_it_again(loc, monkeypatch):
    # Three editions of one book; each library's copy of the first meets all three as candidates. The
    # first copy is compared with each edition's preferred record; a later library's copy (the same
    # description) only with the edition it joins: the other two were found apart for the first copy.
    from jaringan.catalog.services import new_records

    new_records._APART.clear()
    asked, decide = [], new_records.match_unless_vetoed

    def counted(a, b, **kw):
        asked.append(b)
        return decide(a, b, **kw)

    monkeypatch.setattr(new_records, "match_unless_vetoed", counted)
    book = loc[0]
    run("UNPATTI", [retyped(book, source_id=f"UNPATTI-{n}", edition=f"{n}. ed.") for n in (2, 3, 4)])
    placed = []
    for code in ("UNHAS", "UNCEN", "UGM"):
        asked.clear()
        run(code, [retyped(book, source_id=f"{code}-0", edition="2. ed.")])
        placed.append((len(asked), SourceRecord.objects.get(source_id=f"{code}-0").edition_id))
    first = SourceRecord.objects.get(source_id="UNPATTI-2").edition_id
    assert placed == [(3, first), (1, first), (1, first)]
    assert Edition.objects.count() == 3


def test_editions_sharing_few_of_the_best_candidates_keys_are_not_candidates(loc):
    # Another work met through one key (a common title-word pair with the year) is not compared when
    # an edition shares many more of the record's keys; when the best shares few, all stay.
    from jaringan.catalog.services.placement import CANDIDATE_SHARE_OF_BEST, candidate_editions
    from jaringan.core.catalog.matching import key_numbers

    run("UNPATTI", loc[:6])
    edition_of = {r.source_id: r.edition_id for r in SourceRecord.objects.all()}
    book, other = loc[0], loc[5]
    keys, other_key = key_numbers(book.record), sorted(set(key_numbers(other.record)) - set(key_numbers(book.record)))[0]
    assert len(keys) * CANDIDATE_SHARE_OF_BEST > 1
    [many] = candidate_editions([[*keys, other_key]])
    assert many[0] == edition_of[book.source_id] and edition_of[other.source_id] not in many
    [few] = candidate_editions([[*keys[:1], other_key]])
    assert set(few) >= {edition_of[book.source_id], edition_of[other.source_id]}


def _three_ways(item):
    """One book as three libraries typed it: the authors without the imprint, the imprint without the
    authors (those two agree on the title alone), and both (it agrees with each)."""
    bare = dict(isbns=(), lccn=None, oclc_numbers=(), subtitle=None, edition=None, pages=None)
    by_author = retyped(item, source_id="A-1", publisher=None, year=None, **bare)
    by_imprint = retyped(item, source_id="B-1", authors=(), publisher="Gramedia", year=1991, **bare)
    both = retyped(item, source_id="C-1", publisher="Gramedia", year=1991, **bare)
    assert not match(by_author.record, by_imprint.record).same
    assert match(both.record, by_author.record).same and match(both.record, by_imprint.record).same
    return by_author, by_imprint, both


def _editions(*source_ids):
    return [SourceRecord.objects.get(source_id=s).edition_id for s in source_ids]


def test_a_corrected_record_lands_where_a_new_one_would(loc):
    """A record alone in its edition, corrected by its library, joins the edition it now agrees with, even
    one sharing few of its keys (a brief record of the title and imprint): its own edition does not count
    the record's keys among its own while it is placed."""
    _by_author, by_imprint, both = _three_ways(loc[0])
    run("UNHAS", [by_imprint])
    run("UI", [replace(both, record=replace(both.record, title="Katalog induk nasional"))])  # mistyped
    assert len(set(_editions("B-1", "C-1"))) == 2
    run("UI", [replace(both, raw=both.raw + b" ")])  # corrected: a new record like it would join B-1's
    assert len(set(_editions("B-1", "C-1"))) == 1
    keys_follow_records()
