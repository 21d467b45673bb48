"""The search pages and the JSON API, in both languages, with bad input."""

from __future__ import annotations

import html as htmllib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from jaringan.catalog.models import Edition, SourceRecord

pytestmark = pytest.mark.django_db


def get(client, url, lang="en", **params):
    client.cookies["django_language"] = lang
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=lang)


def result_ids(html: str) -> list[int]:
    if '<ol class="results"' not in html:
        return []
    section = html.split('<ol class="results"', 1)[1].split("</ol>", 1)[0]
    return [int(i) for i in re.findall(r'href="/catalogue/(\d+)/"', section)]


def links(html: str, text_pattern: str) -> list[str]:
    """Hrefs of links whose text matches (HTML entities decoded)."""
    return [htmllib.unescape(href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)</a>', html)
            if re.search(text_pattern, htmllib.unescape(text))]


def total(html: str) -> int:
    found = re.search(r"of ([\d,.]+) edition", html) or re.search(r"dari ([\d,.]+) edisi", html)
    return int(re.sub(r"\D", "", found.group(1))) if found else 0


def test_simple_search_lists_editions_with_facets(client, catalogue):
    response = get(client, "/search/", q="indonesia")
    assert response.status_code == 200
    html = response.content.decode()
    ids = result_ids(html)
    assert len(ids) == 20 and total(html) > 20
    assert set(ids) <= set(Edition.objects.values_list("pk", flat=True))
    for title in ("Network", "Library", "Kind of library", "Format", "Language", "Year", "Availability"):
        assert f"<h2>{title}</h2>" in html
    assert "Universitas Pattimura" in html


def test_a_facet_link_adds_the_filter_and_its_chip_removes_it(client, catalogue):
    html = get(client, "/search/", q="indonesia").content.decode()
    everything = total(html)
    href = links(html, r"^Perpustakaan Nasional Republik")[0]
    assert parse_qs(urlsplit(href).query)["library"] == ["PNRI"]
    narrowed = get(client, "/search/" + href).content.decode()
    pnri = set(SourceRecord.objects.filter(library__code="PNRI").values_list("edition_id", flat=True))
    assert 0 < total(narrowed) < everything and set(result_ids(narrowed)) <= pnri
    remove = links(narrowed, "✕")[0]
    assert "library" not in parse_qs(urlsplit(remove).query)
    assert total(get(client, "/search/" + remove).content.decode()) == everything


def test_network_search_shows_only_its_members_holdings(client, catalogue):
    response = get(client, "/networks/JLPN/search/", q="indonesia")
    assert response.status_code == 200
    ids = set(result_ids(response.content.decode()))
    pnri = set(SourceRecord.objects.filter(library__code="PNRI").values_list("edition_id", flat=True))
    assert ids and ids <= pnri
    assert get(client, "/networks/NOPE/search/", q="x").status_code == 404
    page = get(client, "/networks/JLPN/").content.decode()
    assert 'action="/networks/JLPN/search/"' in page


def test_the_header_has_a_search_box(client, demo_network, index_dir):
    assert 'action="/search/"' in get(client, "/").content.decode()
    landing = get(client, "/search/")
    assert landing.status_code == 200 and result_ids(landing.content.decode()) == []


def test_advanced_form_compiles_into_a_query(client, catalogue):
    response = get(client, "/search/", advanced="1", title="sejarah", op_subject="NOT", subject="pustaka",
                   year_from="2000", year_to="1990", format="book")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["q"] == ["title:(sejarah) NOT subject:(pustaka) year:1990-2000"]
    assert query["format"] == ["book"]
    html = get(client, response["Location"]).content.decode()
    for edition in Edition.objects.filter(pk__in=result_ids(html)):
        assert 1990 <= edition.year <= 2000 and "sejarah" in edition.title.lower()
    either = get(client, "/search/", advanced="1", title="sejarah", op_author="OR", author="indonesia")
    assert parse_qs(urlsplit(either["Location"]).query)["q"] == ["(title:(sejarah)) OR author:(indonesia)"]
    isbn = get(client, "/search/", advanced="1", isbn="0378-5955")
    assert parse_qs(urlsplit(isbn["Location"]).query)["q"] == ["issn:(0378-5955)"]
    invalid = get(client, "/search/", advanced="1", year_from="abc")
    assert invalid.status_code == 200 and "errorlist" in invalid.content.decode()


def test_advanced_form_picks_libraries_networks_and_kinds_from_lists(client, catalogue):
    from jaringan.network import services
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    page = get(client, "/search/").content.decode()
    form = page.split('class="advanced"', 1)[1].split("</form>", 1)[0]
    assert "library code" not in form and 'type="text" name="library"' not in form
    assert '<option value="PNRI">Perpustakaan Nasional Republik Indonesia (Jakarta' in form
    assert '<option value="JPIT">' in form and '<option value="academic">Academic library</option>' in form
    assert '<option value="ind">Indonesian</option>' in form
    response = get(client, "/search/", advanced="1", title="sejarah", library="UNHAS", network="JPIT", kind="academic")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert (query["library"], query["network"], query["kind"]) == (["UNHAS"], ["JPIT"], ["academic"])
    html = get(client, response["Location"]).content.decode()
    assert result_ids(html)
    assert all(SourceRecord.objects.filter(edition_id=pk, library__code="UNHAS").exists() for pk in result_ids(html))
    unknown = get(client, "/search/", advanced="1", title="sejarah", library="NOPE")
    assert unknown.status_code == 200
    assert "errorlist" in unknown.content.decode().split('<select name="library"', 1)[1].split("</tr>", 1)[0]
    services.library_update(actor=SYSTEM, library=Library.objects.get(code="UNHAS"),
                            data={"name": "Perpustakaan Pusat Universitas Hasanuddin"})
    assert '<option value="UNHAS">Perpustakaan Pusat Universitas Hasanuddin' in get(client, "/search/").content.decode()


def test_sort_and_pagination(client, catalogue):
    first = get(client, "/search/", q="indonesia").content.decode()
    second = get(client, "/search/", q="indonesia", page="2").content.decode()
    assert result_ids(first) and result_ids(second) and not set(result_ids(first)) & set(result_ids(second))
    assert links(first, r"^2$") and links(first, "next")
    newest = get(client, "/search/", q="indonesia", sort="-year").content.decode()
    years = [Edition.objects.get(pk=pk).year for pk in result_ids(newest)]
    years = [y for y in years if y]
    assert years == sorted(years, reverse=True)
    past_end = get(client, "/search/", q="indonesia", page="40").content.decode()
    assert "not that many results" in past_end and result_ids(past_end)
    deep = get(client, "/search/", q="indonesia", page="100000").content.decode()
    assert "Only the first 50 pages" in deep
    odd = get(client, "/search/", q="indonesia", page="abc").content.decode()
    assert "not understood" in odd and result_ids(odd) == result_ids(first)


def test_did_you_mean(client, catalogue):
    html = get(client, "/search/", q="perpustakan").content.decode()
    assert "Nothing was found" in html and "Did you mean" in html
    suggestion = links(html, "perpustakaan")
    assert suggestion and result_ids(get(client, "/search/" + suggestion[0]).content.decode())


def test_pages_in_both_languages(client, catalogue):
    english = get(client, "/search/", "en", q="indonesia").content.decode()
    indonesian = get(client, "/search/", "id", q="indonesia").content.decode()
    assert '<html lang="en">' in english and '<html lang="id">' in indonesian
    assert result_ids(english) == result_ids(indonesian)


BAD_QUERIES = [
    "", " ", '"', "(((", ")", "title:", "year:abc", "year:99999-", "*", "a*", "NOT", "OR OR AND", "-", "!",
    "isbn:", "isbn:*", "callnumber:*", "\u200b", "\ufeff", "ÜMİT 😀", "x" * 5000, "a:b:c:d", "title:(", '"unbalanced',
    "\\", "/", "[]{}^~", "+-&&||", "%00", "perp?st*", "ﷺ", "𝔭𝔢𝔯𝔭𝔲𝔰", "\u0301", "the and of",
]


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_bad_input_is_never_a_server_error(client, catalogue, q):
    page = get(client, "/search/", q=q)
    assert page.status_code == 200
    api = client.get("/api/search", {"q": q})
    assert api.status_code in (200, 400)
    if api.status_code == 400:
        assert api.json()["detail"]


PATHOLOGICAL_QUERIES = [
    "(" * 300 + "sejarah" + ")" * 300, "NOT " * 240 + "sejarah", "-(" * 300 + "sejarah", "title:(" * 140 + "x",
    "(" * 999,
]


@pytest.mark.parametrize("q", PATHOLOGICAL_QUERIES)
def test_deeply_nested_query_is_too_complex_not_a_server_error(client, catalogue, q):
    page = get(client, "/search/", "en", q=q)
    assert page.status_code == 200 and "The query is too complex" in page.content.decode()
    client.cookies["django_language"] = "id"
    api = client.get("/api/search", {"q": q})
    assert api.status_code == 400 and api.json()["errors"]["q"] == [
        "Kueri terlalu rumit: tanda kurung, NOT, atau kolom bersarang lebih dari 32 tingkat."]
    assert client.get("/search/", {"q": "(" * 32 + "sejarah" + ")" * 32}).status_code == 200


@pytest.mark.parametrize("params", [
    {"q": "sejarah", "page": "-5"}, {"q": "sejarah", "page": "1e9"}, {"q": "sejarah", "sort": "bogus"},
    {"q": "sejarah", "year": "abc"}, {"q": "sejarah", "available": "maybe"}, {"q": "sejarah", "library": "<b>x</b>"},
    {"q": "sejarah", "kind": "\x00"}, {"q": "sejarah", "language": "x" * 5000}, {"advanced": "1", "year_to": "-1"},
    {"advanced": "1", "title": "((("}, {"q": "sejarah", "subject": ["a"] * 100},
])
def test_bad_parameters_are_never_a_server_error(client, catalogue, params):
    assert client.get("/search/", params).status_code in (200, 302)


def test_json_api(client, catalogue):
    response = client.get("/api/search", {"q": "indonesia", "facets": ["library", "available"], "limit": 5,
                                          "library": "PNRI"})
    assert response.status_code == 200
    body = response.json()
    pnri = set(SourceRecord.objects.filter(library__code="PNRI").values_list("edition_id", flat=True))
    assert body["total"] > 0 and len(body["hits"]) <= 5 and {h["id"] for h in body["hits"]} <= pnri
    assert dict((f["value"], f["count"]) for f in body["facets"]["library"])["PNRI"] == body["total"]
    assert all("PNRI" in h["libraries"] and h["url"] == f"/catalogue/{h['id']}/" for h in body["hits"])
    bad = client.get("/api/search", {"q": "year:abc"})
    assert bad.status_code == 400 and "year" in bad.json()["detail"]
    assert client.get("/api/search", {"q": "x", "limit": 5000}).status_code == 400
    assert client.get("/api/search", {"q": "x", "facets": "nope"}).status_code == 400
    assert "/api/search" in client.get("/api/openapi.json").json()["paths"]
