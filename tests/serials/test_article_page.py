"""An article's page names its journal, linked to the serial's page asking its volume and year, with the
members whose holdings cover them; a reader's "request a copy" from it goes to those members only."""

import io
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ARTICLES = """id,title,authors,venue,issn,volume,issue,pages,year
a1,Kadar hemoglobin ibu hamil di Jakarta,Sari R.,Medical Journal of Indonesia,0853-1773,16,2,80-85,2007
a2,Gizi balita di Maluku,Hadi T.,Medical Journal of Indonesia,,21,1,10-16,2012
a3,Laporan kasus langka,Putra A.,Medical Journal of Indonesia,0853-1773,7,1,1-4,1998
a4,Sebuah artikel lain,Putra A.,Jurnal Yang Tak Dikenal,1979-7788,3,1,1-4,2015
"""


@pytest.fixture
def articles(demo_network, passwords):
    from jaringan.catalog.pipeline import import_file
    from jaringan.catalog.models import SourceRecord
    from jaringan.demo.serials import load_serials
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    load_serials()
    import_file(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"),
                stream=io.BytesIO(ARTICLES.encode()), name="artikel.csv", format="csv")
    return {r.source_id: r.edition_id for r in SourceRecord.objects.filter(library__code="UNPATTI",
                                                                            source_id__startswith="a")}


def _signed_in(username, passwords) -> Client:
    client = Client()
    assert client.login(username=username, password=passwords[username])
    return client


def test_the_page_links_to_the_journal_and_names_who_holds_the_volume(articles):
    from jaringan.serials.models import Serial

    mji = Serial.objects.get(issn_l="0853-1773")
    page = Client().get(f"/catalogue/{articles['a1']}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = page.split('id="journal-holdings"', 1)[1].split("</section>", 1)[0]
    assert f'href="/serials/{mji.pk}/?volume=16&amp;year=2007">Medical Journal of Indonesia</a> — vol. 16 (2007)' \
        in section
    holders = section.split('id="volume-holders"', 1)[1].split("</ul>", 1)[0]
    assert [code for code in ("PNRI", "UI", "UNHAS", "UNUD", "UGM") if f"/libraries/{code}/" in holders] == [
        "PNRI", "UI", "UNHAS", "UNUD"]  # UGM's run ends in 2006
    assert "Th. 2000 - 2010" not in holders and "2000-2010" in holders  # the statement, as compressed
    by_title = Client().get(f"/catalogue/{articles['a2']}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert f'href="/serials/{mji.pk}/?volume=21&amp;year=2012"' in by_title  # no ISSN: found by its journal's title
    assert "Siapa memiliki volume jurnal ini" in by_title
    unknown = Client().get(f"/catalogue/{articles['a4']}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="journal-holdings"' not in unknown


def test_a_readers_copy_request_goes_only_to_the_holders_of_the_volume(articles, passwords):
    from jaringan.ill.models import IllRequest

    reader = _signed_in("pembaca", passwords)
    page = reader.get(f"/catalogue/{articles['a1']}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/ill/new/?edition={articles["a1"]}&amp;service=copy">Request a copy of this article</a>' in page
    form = reader.get(f"/ill/new/?edition={articles['a1']}&service=copy").content.decode()
    assert re.search(r'name="service" value="copy"[^>]*checked', form)  # the copy already chosen
    r = reader.post("/ill/new/", {"edition": articles["a1"], "service": "copy", "accepts_digital": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    req = IllRequest.objects.get(reader__username="pembaca")
    assert (req.container, req.volume, req.issue, req.pages_requested, req.issn) == (
        "Medical Journal of Indonesia", "16", "2", "80-85", "0853-1773")
    desk = _signed_in("staf.unpatti", passwords)
    desk.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "approve", "expected_version": req.version})
    # Under the eastern network's agreements Hasanuddin and Udayana may supply; both hold vol. 16 (2007).
    assert {e.library.code for e in req.rota.all()} == {"UNHAS", "UNUD"}
    later = reader.post("/ill/new/", {"edition": articles["a2"], "service": "copy", "accepts_digital": "on"})
    assert later.status_code == 302
    req = IllRequest.objects.filter(reader__username="pembaca").latest("pk")
    desk.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "approve", "expected_version": req.version})
    assert {e.library.code for e in req.rota.all()} == {"UNUD"}  # Hasanuddin's run ends in 2010
