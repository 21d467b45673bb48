"""Articles' abstracts and keywords are searched in both languages' word forms; a result shows a snippet
of its abstract with the words found marked; journal and year are facets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
FILES = {
    "UNPATTI": TESTS / "harvesting" / "data" / "ojs_oai_dc.xml",
    "UNHAS": TESTS / "core" / "catalog" / "readers" / "data" / "zotero_export.bib",
    "USU": TESTS / "core" / "catalog" / "readers" / "data" / "mixed_export.ris",
}


@pytest.fixture
def articles(demo_network, index_dir, django_capture_on_commit_callbacks):
    from jaringan.catalog.pipeline import import_file
    from jaringan.discovery import services as discovery
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    with django_capture_on_commit_callbacks(execute=True):
        for code, path in FILES.items():
            with path.open("rb") as stream:
                import_file(actor=SYSTEM, library=Library.objects.get(code=code), stream=stream,
                            name=path.name)
    discovery.outbox_drain()


def _results(page: str) -> list[str]:
    return re.findall(r'<li>\s*<a class="title" href="/catalogue/\d+/">(.*?)</a>(.*?)</li>', page, re.S)


def test_a_word_of_an_abstract_finds_the_article_and_is_marked(client, articles):
    # "peminjaman" is only in an abstract; the search stems it ("pinjam") as the index did.
    page = client.get("/search/", {"q": "pinjam"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    [(title, rest)] = _results(page)
    assert title == "Sistem informasi perpustakaan sekolah berbasis web"
    assert '<p class="snippet">' in rest and "<mark>peminjaman</mark> buku" in rest
    assert "Journal of Telematics and Informatics 6(4): 210-219" in rest


def test_the_snippet_is_in_the_readers_language_when_both_abstracts_match(client, articles):
    english = client.get("/search/", {"q": "karimunjawa"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    indonesian = client.get("/search/", {"q": "karimunjawa"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "<mark>Karimunjawa</mark> Islands" in english and "Kepulauan <mark>Karimunjawa</mark>" in indonesian


def test_english_word_forms_of_an_abstract(client, articles):
    page = client.get("/search/", {"q": "fermenting cyanide"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    [(title, rest)] = _results(page)
    assert title.startswith("Pengaruh fermentasi")
    assert "<mark>Fermenting</mark> for 48 hours lowered the <mark>cyanide</mark>" in rest


def test_keywords_are_searched_as_subjects(client, articles):
    page = client.get("/search/", {"q": "subject:skripsi"}).content.decode()
    # The BibTeX and the RIS copies of one article merged into one edition.
    assert [t.lower() for t, _ in _results(page)] == ["literasi informasi mahasiswa tingkat akhir dalam menulis skripsi"]


def test_abstract_text_is_escaped(client, articles, django_capture_on_commit_callbacks):
    from jaringan.catalog.pipeline import import_file
    from jaringan.discovery import services as discovery
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    ris = (b"TY  - JOUR\r\nTI  - Uji markah\r\nJO  - Jurnal Uji\r\n"
           b"AB  - Tanda <script>alert(1)</script> & kurung siku dalam abstrak.\r\nER  - \r\n")
    with django_capture_on_commit_callbacks(execute=True):
        import_file(actor=SYSTEM, library=Library.objects.get(code="ITB"), stream=__import__("io").BytesIO(ris),
                    name="uji.ris")
    discovery.outbox_drain()
    page = client.get("/search/", {"q": "kurung"}).content.decode()
    [(_title, rest)] = _results(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>kurung</mark>" in rest and "<script>alert" not in rest


def test_journal_and_year_facets(client, articles):
    page = client.get("/search/", {"format": "article"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    facets = page.split('<aside class="facets"', 1)[1].split("</aside>", 1)[0]
    assert "<h2>Journal</h2>" in facets
    assert "Berkala Ilmu Perpustakaan dan Informasi</a> <span class=\"count\">1" in facets
    link = re.search(r'href="(\?format=article&amp;journal=Jurnal\+Teknologi[^"]*)"', facets).group(1)
    chosen = client.get("/search/" + link.replace("&amp;", "&"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert [t for t, _ in _results(chosen)] == ["Pengaruh fermentasi terhadap mutu tepung singkong termodifikasi"]
    # The articles all lie within one decade: single years, latest first, each adding itself.
    years = facets.split("<h2>Year</h2>", 1)[1]
    assert re.findall(r"\?format=article&amp;year=(\d{4})\"", years)[:4] == ["2019", "2018", "2017", "2016"]
    # Within a chosen range of years, a year takes the range's place (not ORed with it).
    ranged = client.get("/search/", {"format": "article", "year": "2016-2018"}, HTTP_ACCEPT_LANGUAGE="en")
    years = ranged.content.decode().split("<h2>Year</h2>", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"\?format=article&amp;year=(\d{4})\"", years) == ["2018", "2017", "2016"]


def test_the_json_api_filters_by_journal(client, articles):
    body = client.get("/api/search", {"facets": "journal", "journal": "Jurnal Teknologi dan Industri Pangan"}).json()
    assert body["total"] == 1 and body["facets"]["journal"] == [
        {"value": "Jurnal Teknologi dan Industri Pangan", "count": 1}]
