"""Who holds an article's volume and year, in search: a facet and a filter (page and JSON API), a line on each
article's and serial's result linking to the serial's answer, and the index following holdings as they change."""

from __future__ import annotations

import io
import re

import pytest

ARTICLES = """title,authors,venue,issn,volume,issue,pages,year,language
Kadar hemoglobin ibu hamil di Jakarta,Sari R.,Medical Journal of Indonesia,0853-1773,7,2,80-85,1998,ind
Tuberkulosis paru pada anak sekolah,Hadi T.,Medical Journal of Indonesia,0853-1773,16,1,10-16,2007,ind
Terumbu karang di Teluk Ambon,Latuconsina H.,"Ilmu Kelautan: Indonesian Journal of Marine Sciences",,13,3,120-128,2008,ind
"""


@pytest.fixture
def articles(demo_network, index_dir, django_capture_on_commit_callbacks):
    from jaringan.catalog.pipeline import import_file
    from jaringan.demo.serials import load_serials
    from jaringan.discovery import services as discovery
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    with django_capture_on_commit_callbacks(execute=True):
        load_serials()
        import_file(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"),
                    stream=io.BytesIO(ARTICLES.encode()), name="artikel.csv", format="csv")
    discovery.outbox_drain()


def _facet(page: str, title: str) -> str:
    facets = page.split('<aside class="facets"', 1)[1].split("</aside>", 1)[0]
    return facets.split(f"<h2>{title}</h2>", 1)[1].split("</ul>", 1)[0]


def _titles(page: str) -> list[str]:
    return re.findall(r'<a class="title" href="/catalogue/\d+/">(.*?)</a>', page)


def test_facet_names_the_members_holding_each_articles_volume(client, articles):
    page = client.get("/search/", {"format": "article"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    held = _facet(page, "Journal volume held at")
    counts = dict(re.findall(r'holds=(\w+)"[^>]*>[^<]*</a> <span class="count">(\d+)', held))
    # MJI v.7 (1998): PNRI and UGM (UI lacks v.7); v.16 (2007): PNRI, UI, UNHAS, UNUD; Ilmu Kelautan 13 (2008):
    # IPB (2008-), BRIN (v.1-20), UNPATTI (2010-: not 2008), UNHAS (v.3-12: not 13).
    assert counts == {"PNRI": "2", "UGM": "1", "UI": "1", "UNHAS": "1", "UNUD": "1", "IPB": "1", "BRIN": "1"}
    assert "Perpustakaan Nasional Republik Indonesia" in held  # libraries by name, codes only in links
    link = re.search(r'href="(\?format=article&amp;holds=UGM)"', held).group(1).replace("&amp;", "&")
    chosen = client.get("/search/" + link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _titles(chosen) == ["Kadar hemoglobin ibu hamil di Jakarta"]
    in_id = client.get("/search/", {"format": "article"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "<h2>Volume jurnal tersedia di</h2>" in in_id


def test_each_result_says_who_holds_its_volume_and_links_to_the_serial(client, articles):
    from jaringan.serials.models import Serial

    mji = Serial.objects.get(issn_l="0853-1773")
    page = client.get("/search/", {"q": "hemoglobin"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    line = page.split('class="meta journal-held">', 1)[1].split("</div>", 1)[0]
    assert line.startswith("This volume of the journal is held at: Perpustakaan Nasional Republik Indonesia, "
                           "Perpustakaan Universitas Gadjah Mada ·")
    assert f'href="/serials/{mji.pk}/?volume=7&amp;year=1998"' in line
    answer = client.get(f"/serials/{mji.pk}/", {"volume": 7, "year": 1998}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Gadjah Mada" in answer.split('id="holders"')[1].split("</div>")[0]
    serial = client.get("/search/", {"q": "Medical Journal of Indonesia", "format": "serial"},
                        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Holdings of this journal stated by:" in serial and f'href="/serials/{mji.pk}/"' in serial
    books = client.get("/search/", {"format": "book"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "journal-held" not in books


def test_the_json_api_filters_and_counts_by_holder(client, articles):
    from jaringan.serials.models import Serial

    body = client.get("/api/search", {"format": "article", "holds": "UNUD", "facets": "holds"}).json()
    assert [h["title"] for h in body["hits"]] == ["Tuberkulosis paru pada anak sekolah"]
    hit = body["hits"][0]
    assert hit["held_at"] == ["PNRI", "UI", "UNHAS", "UNUD"]
    assert hit["serial"] == Serial.objects.get(issn_l="0853-1773").pk
    assert dict((v["value"], v["count"]) for v in body["facets"]["holds"]) == {
        "PNRI": 1, "UI": 1, "UNHAS": 1, "UNUD": 1}
    kelautan = client.get("/api/search", {"q": "terumbu"}).json()["hits"][0]
    assert kelautan["held_at"] == ["BRIN", "IPB"]  # linked by its journal's title: it names no ISSN


def test_the_index_follows_holdings_as_they_change(client, articles, principal, django_capture_on_commit_callbacks):
    from jaringan.discovery import services as discovery
    from jaringan.network.models import Library
    from jaringan.serials import services

    def holders(q):
        return client.get("/api/search", {"q": q, "facets": "holds"}).json()["hits"][0]["held_at"]

    assert holders("terumbu") == ["BRIN", "IPB"]
    with django_capture_on_commit_callbacks(execute=True):
        services.holdings_import(actor=principal("staf.unpatti"), library=Library.objects.get(code="UNPATTI"),
                                 data=b"title,issn,holdings\nIlmu Kelautan : Indonesian Journal of Marine Sciences,"
                                      b"0853-7291,2005-\n", name="kelautan.csv")
    discovery.outbox_drain()
    assert holders("terumbu") == ["BRIN", "IPB", "UNPATTI"]
    facet = client.get("/api/search", {"holds": "UNPATTI", "format": "article"}).json()
    assert [h["title"] for h in facet["hits"]] == ["Terumbu karang di Teluk Ambon"]
