"""Catalogue pages: the merged edition with its holdings and reasons; a library's intake."""

import re

import pytest
from django.test import Client

from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.models import Edition, SourceRecord
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM

from tests.support.uploads import run_uploads

from .items import loc_items, retyped

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(demo_network):
    items = loc_items(5)
    for code, batch_items in (("UNPATTI", items), ("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(items)])):
        batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code))
        ingest(batch=batch, items=batch_items)
    return SourceRecord.objects.get(source_id=items[0].source_id).edition


def login(username, passwords):
    c = Client()
    assert c.login(username=username, password=passwords[username])
    return c


def test_edition_page_shows_holdings_and_why(merged):
    page = Client().get(f"/catalogue/{merged.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert merged.title.split(" :")[0][:20] in page
    assert "Universitas Pattimura" in page and "Universitas Hasanuddin" in page
    assert "Compare field by field" in page and "Not the same edition" not in page  # anonymous: no corrections
    assert f'href="/catalogue/{merged.pk}/why/"' in page


@pytest.mark.parametrize("lang", ["en", "id"])
def test_why_page_sets_the_two_records_side_by_side_in_words(merged, lang):
    from html import unescape

    from django.utils import translation

    from jaringan.catalog.labels import field_label, verdict_label

    response = Client().get(f"/catalogue/{merged.pk}/why/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    joined = merged.records.get(library__code="UNHAS")
    link = joined.link
    assert link.decided == "matched" and len(link.comparisons) == 1
    section = page.split(f'id="record-{joined.pk}"', 1)[1].split("</section>", 1)[0]
    rows = [row.split("</tr>", 1)[0] for row in section.split('<th scope="row">')[1:]]
    with translation.override(lang):
        title_row = next(row for row in rows if row.startswith(field_label("title") + "</th>"))
        cells = re.findall(r"<td[^>]*>(.*?)</td>", title_row, re.S)
        assert verdict_label("match") in cells[2]
    assert cells[0] == cells[1] == joined.data["title"]  # the two records' values, side by side
    assert 'class="agree"' in section
    total = re.search(r'<tfoot>.*?<td class="num"[^>]*>(-?\d+)</td>', section, re.S).group(1)
    assert int(total) == link.score == link.comparisons[0]["score"]  # the score matches its table
    assert "match</td>" not in section and "missing</td>" not in section  # words, not codes
    if lang == "id":
        assert "Why these records" not in page and "points" not in section


def test_why_page_of_a_missing_edition_is_404(demo_network):
    assert Client().get("/catalogue/987654/why/").status_code == 404


def test_reader_sees_distances_from_their_library(merged, passwords):
    page = login("pembaca", passwords).get(f"/catalogue/{merged.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Distance from UNPATTI" in page and " km" in page


def test_staff_split_from_the_page(merged, passwords):
    c = login("staf.unpatti", passwords)
    record = merged.records.get(library__code="UNPATTI")
    assert "Not the same edition" in c.get(f"/catalogue/{merged.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    r = c.post(f"/manage/records/{record.pk}/split/")
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.edition_id != merged.pk and Edition.objects.filter(pk=merged.pk).exists()
    # and merge it back by edition number
    r = c.post(f"/manage/records/{record.pk}/merge/", {"edition": merged.pk})
    record.refresh_from_db()
    assert record.edition_id == merged.pk


def test_other_staff_cannot_correct(merged, passwords):
    record = merged.records.get(library__code="UNPATTI")
    c = login("staf.itb", passwords)
    c.post(f"/manage/records/{record.pk}/split/")
    record.refresh_from_db()
    assert record.edition_id == merged.pk


def test_intake_page_is_the_librarys_own(merged, passwords):
    assert login("staf.unpatti", passwords).get("/manage/libraries/UNPATTI/records/").status_code == 200
    assert login("staf.itb", passwords).get("/manage/libraries/UNPATTI/records/").status_code == 403
    assert login("koordinator", passwords).get("/manage/libraries/UNPATTI/records/").status_code == 200  # JPIT


def test_catalogue_list(merged):
    page = Client().get("/catalogue/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/catalogue/{merged.pk}/" in page


def test_upload_report_quarantine_download_and_retry(demo_network, passwords):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jaringan.catalog.models import Quarantine
    from tests.paths import FIXTURES

    good = (FIXTURES / "traject" / "test_data.utf8.mrc").read_bytes()
    broken = (FIXTURES / "openlibrary_marc_tests" / "bin_input" / "talis_no_title.mrc").read_bytes()
    c = login("staf.unpatti", passwords)
    r = c.post("/manage/libraries/UNPATTI/records/",
               {"file": SimpleUploadedFile("koleksi.mrc", good + broken), "format": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302 and r.url.startswith("/manage/batches/")  # read in the background
    [batch] = run_uploads()
    page = c.get(r.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="batch-report"' in page and batch.status == "done"
    assert (batch.read, batch.created, batch.updated, batch.unchanged, batch.withdrawn, batch.quarantined) == (
        31, 29, 0, 0, 1, 1)
    q = Quarantine.objects.get(library__code="UNPATTI")
    assert "title" in q.reason
    download = c.get(f"/manage/quarantine/{q.pk}/")
    assert download.status_code == 200 and download.content == broken
    c.post(f"/manage/quarantine/{q.pk}/retry/")
    q.refresh_from_db()
    assert not q.resolved  # still no title: it stays, with its reason
    assert login("staf.itb", passwords).get(f"/manage/quarantine/{q.pk}/").status_code == 403


def test_upload_of_an_unreadable_file_names_the_problem(demo_network, passwords):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login("staf.unpatti", passwords)
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><collection>&lol2;</collection>'
    r = c.post("/manage/libraries/UNPATTI/records/", {"file": SimpleUploadedFile("bom.xml", bomb), "format": ""},
               HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and "could not be read" in r.content.decode()  # of no known format: at once
    assert not run_uploads()


def test_api_upload_batches_quarantine_and_edition(demo_network, user):
    from jaringan.network.services import token_create
    from tests.paths import FIXTURES

    token = token_create(user=user("staf.unpatti"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    data = (FIXTURES / "traject" / "test_data.utf8.mrc").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile("k.mrc", data)}, **auth)
    assert r.status_code == 202, r.content
    assert r.json()["status"] == "running" and r["Location"] == r.json()["url"] == f"/api/batches/{r.json()['id']}"
    run_uploads()
    body = Client().get(r.json()["url"], **auth).json()
    assert body["read"] == 30 and body["created"] == 29 and body["status"] == "done"
    assert len(Client().get("/api/libraries/UNPATTI/batches", **auth).json()) == 1
    assert Client().get("/api/libraries/UNPATTI/quarantine", **auth).json() == []
    other = token_create(user=user("staf.itb"))
    denied = Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile("k.mrc", data)},
                           HTTP_AUTHORIZATION=f"Bearer {other}")
    assert denied.status_code == 403
    assert Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile("k.mrc", data)}).status_code == 401
    edition = SourceRecord.objects.filter(library__code="UNPATTI", withdrawn=False).first().edition
    e = Client().get(f"/api/editions/{edition.pk}").json()
    assert e["holdings"][0]["library"] == "UNPATTI" and e["record"]["title"]
    bomb = b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><collection/>"
    bad = Client().post("/api/libraries/UNPATTI/records",
                        {"file": SimpleUploadedFile("x.xml", bomb), "format": "marcxml"}, HTTP_ACCEPT_LANGUAGE="en",
                        **auth)
    run_uploads()
    failed = Client().get(bad.json()["url"], HTTP_ACCEPT_LANGUAGE="en", **auth).json()
    assert failed["status"] == "failed" and ("DOCTYPE" in failed["message"] or "DTD" in failed["message"])


@pytest.mark.parametrize("lang", ["en", "id"])
def test_subjects_and_authors_link_to_their_search_without_isbd_punctuation(demo_network, lang):
    """Headings as a catalogue may leave them (" /", " :", a final period) show bare, each a link to the search
    for it in its field; the link finds the edition."""
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    from jaringan.discovery import services as discovery

    item = loc_items(1)[0]
    typed = retyped(item, source_id="UNPATTI-isbd", authors=("Kotler, Philip, /", "Kartajaya, Hermawan."),
                    subjects=("Industrial management -- Asia.", "Asia -- Economic conditions -- 1945- :"))
    ingest(batch=batch_start(actor=SYSTEM, library=Library.objects.get(code="UNPATTI")), items=[typed])
    edition = SourceRecord.objects.get(source_id="UNPATTI-isbd").edition
    discovery.reindex()
    page = unescape(Client().get(f"/catalogue/{edition.pk}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode())
    for dd, field, shown in (("authors", "author", ["Kotler, Philip", "Kartajaya, Hermawan"]),
                             ("subjects", "subject", ["Industrial management -- Asia",
                                                      "Asia -- Economic conditions -- 1945-"])):
        section = page.split(f'<dd id="{dd}">', 1)[1].split("</dd>", 1)[0]
        links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)
        assert [text for _href, text in links] == shown
        for href, text in links:
            assert urlsplit(href).path == "/search/"
            assert parse_qs(urlsplit(href).query)["q"] == [f'{field}:"{text}"']  # the search's own syntax
            found = unescape(Client().get(href, HTTP_ACCEPT_LANGUAGE=lang).content.decode())
            assert f'/catalogue/{edition.pk}/' in found, href
