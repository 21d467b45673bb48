"""Members send RIS and BibTeX files (page, API, command line): articles with journals, pages, DOIs and
abstracts in both languages, shown on their edition's page; broken entries quarantined with their lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jaringan.catalog.models import Quarantine, SourceRecord
from tests.support.uploads import run_uploads
from jaringan.cli import build_parser

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "core" / "catalog" / "readers" / "data"


def login(username, passwords):
    c = Client()
    assert c.login(username=username, password=passwords[username])
    return c


def test_a_ris_file_uploaded_on_the_records_page_is_recognised_by_its_content(demo_network, passwords):
    c = login("staf.unpatti", passwords)
    data = (DATA / "mixed_export.ris").read_bytes()
    r = c.post("/manage/libraries/UNPATTI/records/",
               {"file": SimpleUploadedFile("ekspor-garuda.txt", data), "format": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302
    [batch] = run_uploads()
    assert (batch.read, batch.created, batch.updated, batch.unchanged, batch.withdrawn, batch.quarantined) == (
        7, 3, 0, 0, 0, 4)
    reasons = sorted(Quarantine.objects.filter(library__code="UNPATTI").values_list("reason", flat=True))
    assert reasons[0].startswith("line 51: text outside a record")
    assert "lines 35–38: no title (no TI or T1 line)" in reasons
    article = SourceRecord.objects.get(library__code="UNPATTI", source_id="bip-33837")
    assert article.data["container"] == "Berkala Ilmu Perpustakaan dan Informasi"
    assert article.data["abstracts"][0][0] == "ind" and article.data["keywords"] == [
        "literasi informasi", "mahasiswa", "skripsi"]
    assert article.edition.format == "article"
    # The quarantine lists the reasons in the reader's language.
    listing = c.get("/manage/libraries/UNPATTI/records/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "tidak ada baris TI atau T1" in listing


def test_a_bibtex_file_through_the_api(demo_network, user):
    from jaringan.network.services import token_create

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user('staf.unpatti'))}"}
    data = (DATA / "zotero_export.bib").read_bytes()
    r = Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile("daftar.bib", data)}, **auth)
    assert r.status_code == 202, r.content
    run_uploads()
    body = Client().get(r.json()["url"], **auth).json()
    assert (body["read"], body["created"], body["quarantined"], body["format"]) == (5, 3, 2, "")
    quarantine = Client().get("/api/libraries/UNPATTI/quarantine", **auth).json()
    assert sorted(q["reason"][:8] for q in quarantine) == ["line 29:", "line 42:"]
    record = SourceRecord.objects.get(library__code="UNPATTI", source_id="rahmawati_literasi_2018")
    edition = Client().get(f"/api/editions/{record.edition_id}").json()
    assert edition["record"]["abstracts"] == [
        ["ind", "Penelitian ini mengkaji literasi informasi mahasiswa tingkat akhir."],
        ["eng", "This study examines the information literacy of final-year students."]]


def test_the_article_page_shows_journal_numbering_doi_and_both_abstracts(demo_network, user):
    from jaringan.network.services import token_create

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user('staf.unpatti'))}"}
    data = (DATA / "zotero_export.bib").read_bytes()
    Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile("daftar.bib", data)}, **auth)
    run_uploads()
    record = SourceRecord.objects.get(library__code="UNPATTI", source_id="rahmawati_literasi_2018")
    for language, words in (("en", ("Journal", "Volume", "Issue", "Pages", "Abstract (Indonesian)",
                                    "Abstract (English)", "Keywords")),
                            ("id", ("Jurnal", "Volume", "Nomor", "Halaman", "Abstrak (Indonesia)",
                                    "Abstrak (Inggris)", "Kata kunci"))):
        page = Client().get(f"/catalogue/{record.edition_id}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for word in words:
            assert f"{word}</" in page or f"{word} " in page, (language, word)
        assert '<dd id="journal">Berkala Ilmu Perpustakaan dan Informasi</dd>' in page
        assert '<a href="https://doi.org/10.22146/bip.33837" rel="noopener">10.22146/bip.33837</a>' in page
        assert "<dd>1-12</dd>" in page
        assert '<p class="abstract" lang="id">Penelitian ini mengkaji' in page
        assert '<p class="abstract" lang="en">This study examines' in page


@pytest.mark.parametrize("fmt", ["ris", "bibtex"])
def test_jaringan_import_takes_the_formats(fmt):
    args = build_parser().parse_args(["import", "file", "--library", "UNPATTI", "--format", fmt])
    assert args.format == fmt
