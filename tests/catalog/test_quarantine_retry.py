"""Trying a quarantined record again: the same row while it stays broken, gone once taken in,
and no new batch: the record's own batch counts it as what it became."""

import pymarc
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jaringan.catalog.models import ImportBatch, Quarantine, SourceRecord
from tests.support.uploads import run_uploads

pytestmark = pytest.mark.django_db


def _marc(control: str, title: str | None) -> bytes:
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field(tag="001", data=control))
    record.add_field(pymarc.Field(tag="008", data="160101s2015    io            000 0 ind d"))
    if title:
        record.add_field(pymarc.Field(tag="245", indicators=["1", "0"],
                                      subfields=[pymarc.Subfield("a", title)]))
    return record.as_marc()


@pytest.fixture
def staff(passwords, demo_network):
    c = Client()
    assert c.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    return c


def test_retry_updates_its_row_or_removes_it_and_never_adds_a_batch(staff):
    first = _marc("Q-1", "Sejarah Maluku")
    no_title = _marc("Q-2", None)
    repeat = _marc("Q-1", "Sejarah Maluku: edisi kedua")  # the same identifier twice in one file
    staff.post("/manage/libraries/UNPATTI/records/",
               {"file": SimpleUploadedFile("koleksi.mrc", first + no_title + repeat), "format": ""})
    run_uploads()  # read in the background: here, in the test's thread
    batch = ImportBatch.objects.get(library__code="UNPATTI")
    assert (batch.read, batch.created, batch.quarantined) == (3, 1, 2)
    broken = Quarantine.objects.get(library__code="UNPATTI", source_id="Q-2")
    repeated = Quarantine.objects.get(library__code="UNPATTI", position=3)

    for _ in range(2):
        staff.post(f"/manage/quarantine/{broken.pk}/retry/")
    rows = Quarantine.objects.filter(library__code="UNPATTI", source_id="Q-2")
    assert [(q.pk, q.position, q.batch_id, q.attempts) for q in rows] == [(broken.pk, 2, batch.pk, 3)]
    assert "title" in rows[0].reason and rows[0].last_tried is not None
    assert ImportBatch.objects.filter(library__code="UNPATTI").count() == 1
    intake = staff.get("/manage/libraries/UNPATTI/records/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "dicoba 3 kali" in intake

    page = staff.post(f"/manage/quarantine/{repeated.pk}/retry/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "The record was taken in." in page.content.decode()
    assert not Quarantine.objects.filter(pk=repeated.pk).exists()
    assert bytes(SourceRecord.objects.get(library__code="UNPATTI", source_id="Q-1").raw) == repeat
    batch.refresh_from_db()
    assert ImportBatch.objects.filter(library__code="UNPATTI").count() == 1
    assert (batch.read, batch.created, batch.updated, batch.quarantined) == (3, 1, 1, 1)

    gone = staff.post(f"/manage/quarantine/{repeated.pk}/retry/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert gone.status_code == 404  # a second click finds nothing to take in twice
    batch.refresh_from_db()
    assert (batch.updated, batch.quarantined) == (1, 1)


def test_another_library_cannot_retry(staff, passwords):
    staff.post("/manage/libraries/UNPATTI/records/",
               {"file": SimpleUploadedFile("k.mrc", _marc("Q-9", None)), "format": ""})
    run_uploads()  # read in the background: here, in the test's thread
    q = Quarantine.objects.get(library__code="UNPATTI")
    other = Client()
    assert other.login(username="staf.itb", password=passwords["staf.itb"])
    other.post(f"/manage/quarantine/{q.pk}/retry/")
    q.refresh_from_db()
    assert q.attempts == 1
