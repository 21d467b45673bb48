"""Hostile and broken files sent to a library's catalogue: a clear answer and a truthful batch, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jaringan.catalog.models import ImportBatch, Quarantine, SourceRecord
from tests.support.uploads import run_uploads

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(demo_network, user):
    from jaringan.network.services import token_create

    token = token_create(user=user("staf.unpatti"))

    def post(name: str, data: bytes, format: str = ""):
        """The file sent, read to its end (in the background: here, in the test's thread); the batch's answer."""
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}
        sent = Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile(name, data),
                                                                "format": format}, **headers)
        assert sent.status_code == 202, sent.content[:500]
        run_uploads()
        return Client().get(sent.json()["url"], **headers)

    return post


def _reconciles(batch: dict) -> bool:
    return batch["read"] == (batch["created"] + batch["updated"] + batch["unchanged"] + batch["withdrawn"]
                             + batch["quarantined"])


def test_a_csv_field_over_the_limit_quarantines_its_row_and_the_rest_is_stored(send):
    csv = ("id,title,subjects,call_number\n"
           "B1,Laskar pelangi,Novel,899 HIR l\n"
           f"B2,Bumi manusia,{'x' * 140_000},899 TOE b\n"
           "B3,Pengantar ilmu perpustakaan,Perpustakaan,020 SUL p\n").encode()
    response = send("koleksi.csv", csv, "csv")
    assert response.status_code == 200, response.content[:500]
    batch = response.json()
    assert (batch["status"], batch["read"], batch["created"], batch["quarantined"]) == ("done", 3, 2, 1)
    assert _reconciles(batch)
    kept = Quarantine.objects.get(batch_id=batch["id"])
    assert kept.reason.startswith("line 3: the column 'subjects' holds about 140,000 characters")
    assert set(SourceRecord.objects.filter(library__code="UNPATTI").values_list("source_id", flat=True)) == {"B1", "B3"}


def test_a_binary_file_sent_as_csv_is_refused_with_the_reason(send):
    response = send("besar.csv", b"\x1d\x00\xff" * 1_000_000, "csv")
    assert response.json()["status"] == "failed" and "'title'" in response.json()["message"]
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
    assert not SourceRecord.objects.exists()


def test_record_terminators_alone_make_a_capped_quarantine_and_truthful_counts(send):
    """10 KB of 0x1D: 10,240 "records", each unreadable; 1,000 kept one by one, the rest summed up."""
    response = send("kosong.mrc", b"\x1d" * 10_240, "marc21")
    assert response.status_code == 200, response.content[:500]
    batch = response.json()
    assert (batch["read"], batch["quarantined"], batch["created"]) == (10_240, 10_240, 0) and _reconciles(batch)
    assert Quarantine.objects.filter(batch_id=batch["id"]).count() == 1000
    assert "And 9,240 more records like these could not be read: only the first 1,000 are kept" in batch["message"]


def test_the_quarantine_cap_is_a_setting(send, settings):
    settings.QUARANTINE_ROWS_PER_BATCH = 3
    batch = send("kosong.mrc", b"\x1d" * 10, "marc21").json()
    assert (batch["read"], batch["quarantined"]) == (10, 10)
    assert Quarantine.objects.filter(batch_id=batch["id"]).count() == 3
    assert "And 7 more records like these" in batch["message"]
    few = send("sedikit.mrc", b"\x1d" * 2, "marc21").json()
    assert Quarantine.objects.filter(batch_id=few["id"]).count() == 2 and "more records" not in few["message"]
