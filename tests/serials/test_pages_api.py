"""The serial's page, the upload page, the API, the edition page's link, the command line, and
interlibrary loan's rota for a copy of an article, over the demo's serials."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def serials(demo_network):
    from jaringan.demo.serials import load_serials
    from jaringan.serials.models import Serial

    load_serials()
    return {s.issn_l or s.title: s for s in Serial.objects.all()}


def login(username, passwords):
    c = Client()
    assert c.login(username=username, password=passwords[username])
    return c


def test_serial_page_answers_who_holds_and_draws_the_timeline(serials):
    mji = serials["0853-1773"]
    page = Client().get(f"/serials/{mji.pk}/?volume=7", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    holders = page.split('id="holders"')[1].split("</div>")[0]
    assert "Perpustakaan Nasional Republik Indonesia" in holders and "Gadjah Mada" in holders
    assert "Universitas Indonesia" not in holders  # UI lacks v.7
    assert page.count('class="member-coverage"') == 5
    assert "<svg" in page and "As written: v.10 no.2 missing; v.5-15 (1996-2006)" in page
    ikl = serials["0853-7291"]
    page = Client().get(f"/serials/{ikl.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Tahun" in page or "tahun" in page
    bio = serials["1412-033X"]
    page = Client().get(f"/serials/{bio.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "bound volumes in the reading room" in page  # a line that reads as no range is shown as written
    listing = Client().get("/serials/?q=biodiversitas", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Biodiversitas" in listing and "Medical Journal" not in listing


def test_timeline_shows_a_gap(serials):
    from django.utils import timezone

    from jaringan.serials.selectors import serial_detail

    detail = serial_detail(serials["0853-7291"], this_year=timezone.localdate().year)
    assert detail["timeline"].gaps == ()  # IPB's gap 2005-2007 is covered by UNHAS and BRIN
    makara = serial_detail(serials["1693-6671"], this_year=2026)
    assert makara["earlier"] == [serials["Makara"]]


def test_edition_page_links_to_the_serial(serials):
    from jaringan.serials.models import SerialEdition

    link = SerialEdition.objects.filter(serial=serials["1412-033X"]).first()
    page = Client().get(f"/catalogue/{link.edition_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/serials/{serials["1412-033X"].pk}/"' in page


def test_api(serials, user):
    from jaringan.network.services import token_create

    r = Client().get("/api/serials/holders", {"issn": "0853-1773", "volume": 7})
    assert r.status_code == 200
    assert [h["library"] for h in r.json()["holders"]] == ["PNRI", "UGM"]
    assert Client().get("/api/serials/holders", {"issn": "9999-9999"}).status_code == 404
    assert Client().get("/api/serials/holders", {"issn": "0853-1773", "year": 99}).status_code == 422
    detail = Client().get(f"/api/serials/{serials['0853-1773'].pk}").json()
    assert detail["issns"] == ["0853-1773", "2252-8083"] and len(detail["holdings"]) == 5
    assert any(s["title"] == "Biodiversitas" for s in Client().get("/api/serials").json())

    token = token_create(user=user("staf.itb"))
    upload = {"file": SimpleUploadedFile("h.csv", b"title,issn,holdings\nBiodiversitas,1412-033X,2001-2003\n,,x\n")}
    r = Client().post("/api/libraries/ITB/holdings", upload, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201, r.content
    assert (r.json()["stored"], r.json()["refused"], r.json()["problems"][0]["line"]) == (1, 1, 3)
    upload = {"file": SimpleUploadedFile("h.csv", b"title,issn,holdings\nBiodiversitas,1412-033X,2001\n")}
    assert Client().post("/api/libraries/UNHAS/holdings", upload,
                         HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
    assert Client().post("/api/libraries/ITB/holdings", upload).status_code == 401


def test_upload_page_is_the_librarys_own(serials, passwords):
    c = login("staf.itb", passwords)
    r = c.post("/manage/libraries/ITB/holdings/",
               {"file": SimpleUploadedFile("pegangan.csv", b"judul,issn,kepemilikan\nBiodiversitas,1412-033X,"
                                                           b"\"Vol. 1 (2000) - vol. 5 (2004)\"\nAnother,,\n")},
               HTTP_ACCEPT_LANGUAGE="en")
    page = r.content.decode()
    assert r.status_code == 200 and "Read 2: 2 holdings stored, 0 lines refused." in page
    assert c.get("/manage/libraries/UNHAS/holdings/").status_code == 403
    assert Client().get("/manage/libraries/ITB/holdings/").status_code == 302
    page = c.get("/manage/libraries/ITB/holdings/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "pegangan.csv" in page


def test_copy_of_an_article_goes_only_to_members_whose_holdings_cover_it(serials):
    from jaringan.ill.models import IllRequest
    from jaringan.ill.rota import candidates
    from jaringan.network.models import Library

    requester = Library.objects.get(code="UNPATTI")
    article = {"title": "An article", "container": "Medical Journal of Indonesia", "issn": "0853-1773",
               "volume": "7", "year": "1998", "state": "Validated", "requester": requester}
    found, libraries = candidates(IllRequest(service="copy", **article))
    assert sorted(libraries[c.library_id].code for c in found) == ["PNRI", "UGM"]
    found, libraries = candidates(IllRequest(service="copy", **{**article, "volume": "", "year": "2012"}))
    assert sorted(libraries[c.library_id].code for c in found) == ["PNRI", "UI", "UNUD"]
    found, _ = candidates(IllRequest(service="loan", **article))
    assert found == []  # a loan is asked of the holders of the edition, as before
    unknown = {**article, "issn": "2085-4722", "container": "Some other journal"}
    found, _ = candidates(IllRequest(service="copy", **{**unknown, "issn": "1979-7788"}))
    assert found == []  # a serial nobody states holdings of: the catalogue's holdings decide, as before


def test_command_line(serials, tmp_path, capsys, monkeypatch):
    from jaringan.cli import main

    monkeypatch.setenv("LANGUAGE", "en")

    path = tmp_path / "holdings.csv"
    path.write_text("title,issn,holdings\nBiodiversitas,1412-033X,1999-2001\n,,v.1\n", encoding="utf-8")
    assert main(["holdings", "import", "--library", "UNCEN", str(path)]) == 0
    out = capsys.readouterr()
    assert "read 2 = 1 holdings stored + 1 lines refused" in out.out
    assert "line 3: no title and no ISSN" in out.err
    assert main(["holdings", "import", "--library", "NOPE", str(path)]) == 66  # EX_NOINPUT: no such library
    assert main(["holdings", "refresh"]) == 0


def test_a_staff_copy_request_is_routed_by_holdings(serials, principal, settings):
    """End to end: Pattimura's staff ask for a copy of an article; under the eastern network's agreements
    Hasanuddin and Udayana may supply it, and only those whose holdings cover the volume and year are asked."""
    from jaringan.ill import services as ill

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    desk = principal("staf.unpatti")
    article = {"title": "Sebuah artikel", "container": "Medical Journal of Indonesia", "issn": "0853-1773",
               "pages_requested": "1-4"}
    both = ill.illrequest_create(actor=desk, service="copy", citation={**article, "volume": "16", "year": "2007"},
                                 reader_name="Dosen")
    assert {e.library.code for e in both.rota.all()} == {"UNHAS", "UNUD"}  # UNHAS: 2000-2010; UNUD: v.15-
    later = ill.illrequest_create(actor=desk, service="copy", citation={**article, "volume": "21", "year": "2012"},
                                  reader_name="Dosen")
    assert {e.library.code for e in later.rota.all()} == {"UNUD"}  # Hasanuddin's run ends in 2010
