"""The outbox of changed editions, tombstones of retired ones, and ids allocated up front."""

import io

import pytest
from django.test import Client

from jaringan.catalog import bulk
from jaringan.catalog.pipeline import ImportPipeline, import_file
from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.corrections import records_merge
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.services.placement import record_withdraw
from jaringan.catalog.models import Edition, EditionChange, RetiredEdition, SourceRecord, Work
from jaringan.catalog.signals import editions_changed
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from tests.paths import LOC_INDONESIA

from .items import loc_items, retyped

pytestmark = pytest.mark.django_db


def run(code, items):
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code))
    return ingest(batch=batch, items=items, chunk=7)


def test_every_touched_edition_goes_to_the_outbox_and_the_signal(demo_network):
    seen = []

    def receiver(sender, edition_ids, **kwargs):
        seen.extend(edition_ids)

    editions_changed.connect(receiver)
    try:
        items = loc_items(10)
        run("UNPATTI", items)
        run("UNHAS", [retyped(i, source_id=f"H-{n}") for n, i in enumerate(items)])
    finally:
        editions_changed.disconnect(receiver)
    editions = set(Edition.objects.values_list("id", flat=True))
    assert set(EditionChange.objects.values_list("edition_id", flat=True)) == editions
    assert set(seen) == editions
    assert EditionChange.objects.count() == 20  # each edition changed once per library's import


def test_a_withdrawn_last_holding_retires_the_edition_and_its_page_says_gone(demo_network):
    items = loc_items(3)
    run("UNPATTI", items)
    record = SourceRecord.objects.get(source_id=items[0].source_id)
    edition_id, title = record.edition_id, record.edition.title
    record_withdraw(record=record)
    assert not Edition.objects.filter(pk=edition_id).exists()
    retired = RetiredEdition.objects.get(edition_id=edition_id)
    assert retired.title == title and retired.successor_id is None
    assert EditionChange.objects.filter(edition_id=edition_id).count() == 2  # created, then retired
    page = Client().get(f"/catalogue/{edition_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 410 and "no member library holds it" in page.content.decode()
    assert Client().get("/catalogue/999999/").status_code == 404


def test_an_edition_emptied_by_a_staff_merge_points_to_the_survivor(demo_network, principal):
    items = loc_items(2)
    run("UNPATTI", items[:1])
    run("UNHAS", [retyped(items[1], source_id="H-1")])
    record = SourceRecord.objects.get(source_id="H-1")
    into = SourceRecord.objects.get(source_id=items[0].source_id)
    emptied = record.edition_id
    records_merge(actor=principal("staf.unpatti"), record=record, into=into)
    retired = RetiredEdition.objects.get(edition_id=emptied)
    assert retired.successor_id == into.edition_id
    page = Client().get(f"/catalogue/{emptied}/")
    assert page.status_code == 301 and page["Location"].endswith(f"/catalogue/{into.edition_id}/")


def test_allocated_ids_are_never_handed_out_twice(demo_network):
    run("UNPATTI", loc_items(3))
    first = bulk.allocate_ids(Work, 3)
    second = bulk.allocate_ids(Work, 2)
    assert len(set(first + second)) == 5
    assert min(first) > max(Work.objects.values_list("id", flat=True))
    bulk.insert_rows(Work, ["id", "key", "title"], [(pk, f"k{pk}", "t") for pk in first])
    made = Work.objects.create(key="orm", title="after")  # the ORM continues after the allocated ids
    assert made.pk > max(second)


def test_parallel_decoding_gives_the_same_catalogue(demo_network, tmp_path):
    path = LOC_INDONESIA
    data = path.read_bytes()
    one = import_file(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"), stream=io.BytesIO(data),
                      name=path.name, format="marc21", workers=1)
    two = import_file(actor=SYSTEM, library=Library.objects.get(code="UNHAS"), stream=io.BytesIO(data),
                      name=path.name, format="marc21", workers=2)
    assert (one.read, one.created, one.quarantined) == (two.read, two.created, two.quarantined)
    for code in ("UNPATTI", "UNHAS"):
        assert SourceRecord.objects.filter(library__code=code).count() == one.created
    # The second library's copies of the same records all merged into the first's editions.
    assert Edition.objects.count() == one.created
    # Stored alike, whether the importer or a reading process made the data and its description number.
    stored = {code: {r.source_id: (r.data, r.description) for r in SourceRecord.objects.filter(library__code=code)}
              for code in ("UNPATTI", "UNHAS")}
    assert stored["UNPATTI"] == stored["UNHAS"]


def test_decoding_processes_kept_for_file_after_file_give_the_same_catalogue(demo_network):
    data = LOC_INDONESIA.read_bytes()
    alone = import_file(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"), stream=io.BytesIO(data),
                        name="loc.mrc", format="marc21", workers=1)
    with ImportPipeline(workers=2, follow_index=False).workers_kept() as pipeline:
        batches = [pipeline.import_file(actor=SYSTEM, library=Library.objects.get(code=code), name="loc.mrc",
                                        stream=io.BytesIO(data), format="marc21") for code in ("UNHAS", "UNUD")]
        assert pipeline.pool._pool is not None  # started by the first file, still there for the second
    for batch in batches:
        assert (batch.read, batch.created, batch.quarantined) == (alone.read, alone.created, alone.quarantined)
    assert Edition.objects.count() == alone.created
    stored = {code: {r.source_id: (r.data, r.description) for r in SourceRecord.objects.filter(library__code=code)}
              for code in ("UNPATTI", "UNHAS", "UNUD")}
    assert stored["UNPATTI"] == stored["UNHAS"] == stored["UNUD"]
