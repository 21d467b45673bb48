"""Search over an index built from records imported into the catalogue, checked against the database."""

from __future__ import annotations

from collections import Counter

import pytest

from jaringan.catalog.models import Edition, SourceRecord
from jaringan.core.catalog import codec
from jaringan.core.catalog.text import analyse, fold, tokenise
from jaringan.core.search import QueryError
from jaringan.discovery import selectors, services
from jaringan.discovery.documents import Libraries
from jaringan.network.models import Membership

from .conftest import ingest
from tests.catalog.items import retyped

pytestmark = pytest.mark.django_db


def found(query, **kwargs) -> set[int]:
    first = selectors.edition_search(query=query, limit=1, **kwargs)
    page = selectors.edition_search(query=query, limit=max(first.total, 1), **kwargs)
    assert len(page.hits) == page.total <= 1000
    return {h.edition.pk for h in page.hits}


def records_by_edition() -> dict[int, list]:
    out: dict[int, list] = {}
    for edition_id, data in SourceRecord.objects.filter(withdrawn=False).values_list("edition_id", "data"):
        out.setdefault(edition_id, []).append(codec.from_data(data))
    return out


def editions_where(predicate) -> set[int]:
    return {e for e, records in records_by_edition().items() if any(predicate(r) for r in records)}


def title_terms(r) -> set[str]:
    return set(analyse(r.full_title))


def test_fielded_title_matches_only_titles(catalogue):
    expected = editions_where(lambda r: "sejarah" in title_terms(r))
    assert expected and found("title:sejarah") == expected


def test_fielded_author(catalogue):
    authors = Counter(a for records in records_by_edition().values() for a in records[0].authors)
    author = next(a for a, _n in authors.most_common() if len(tokenise(a)) >= 2)
    surname = tokenise(author)[0]
    expected = editions_where(lambda r: any(surname in tokenise(a) for a in r.authors))
    assert expected and found(f"author:{surname}") == expected


def test_words_are_anded_by_default(catalogue):
    both = found("sejarah indonesia")
    assert both == found("sejarah") & found("indonesia")
    assert both < found("sejarah")
    assert found("sejarah OR indonesia") == found("sejarah") | found("indonesia")
    assert found("sejarah NOT indonesia") == found("sejarah") - found("indonesia")


def _texts(r) -> list[str]:
    return [r.full_title, *r.subjects, *(s.title for s in r.series), *r.authors, r.publisher or "",
            r.responsibility or "", r.edition or "", r.place or ""]


def test_phrase_is_narrower_than_its_words(catalogue):
    bigrams = Counter(pair for records in records_by_edition().values()
                      for pair in zip(analyse(records[0].full_title), analyse(records[0].full_title)[1:]))
    (first, second), _n = bigrams.most_common(1)[0]
    phrase = found(f'"{first} {second}"')
    words = found(f"{first} {second}")
    assert phrase and phrase <= words
    assert editions_where(lambda r: f"{first} {second}" in " ".join(analyse(r.full_title))) <= phrase
    for edition_id in phrase:
        texts = [" ".join(analyse(t)) for r in records_by_edition()[edition_id] for t in _texts(r)]
        assert any(f"{first} {second}" in t for t in texts)
    apart = words - phrase  # both words, not side by side
    for edition_id in apart:
        texts = [" ".join(analyse(t)) for r in records_by_edition()[edition_id] for t in _texts(r)]
        assert not any(f"{first} {second}" in t for t in texts)


def test_prefix(catalogue):
    expected = editions_where(lambda r: any(w.startswith("perpus") for w in tokenise(r.full_title)))
    assert expected and expected <= found("perpus*")
    assert found("title:perpus*") == expected


def test_indonesian_stemming_perpustakaan_finds_pustaka(catalogue):
    hits = found("perpustakaan")
    titles = [fold(e.title).split() for e in Edition.objects.filter(pk__in=hits)]
    assert any("perpustakaan" in t for t in titles)
    assert any("pustaka" in t and "perpustakaan" not in t for t in titles)
    assert found("title:perpustakaan") == found("title:pustaka")


def test_english_libraries_finds_library(catalogue):
    expected = editions_where(lambda r: "librari" in title_terms(r))
    assert expected and found("title:libraries") == expected == found("title:library")
    words = {w for e in Edition.objects.filter(pk__in=expected) for w in tokenise(e.title)}
    assert "library" in words or "libraries" in words


def test_accents_fold_both_ways(loc, index_dir):
    item = retyped(loc[0], source_id="ACCENT-1", title="Pengantar ilmu perpustakaan Ümit", authors=("Çelik, Ayşe",))
    ingest("UNPATTI", [item])
    services.outbox_drain()
    edition = SourceRecord.objects.get(source_id="ACCENT-1").edition_id
    assert found("umit") == {edition} == found("ÜMİT")
    assert found("author:celik") == {edition} == found("author:Çelik")


def test_isbn_and_call_number(catalogue):
    record = next(r for records in records_by_edition().values() for r in records if r.isbns)
    expected = editions_where(lambda r: record.isbns[0] in r.isbns)
    assert found(f"isbn:{record.isbns[0]}") == expected
    assert found(record.isbns[0]) >= expected  # a bare ISBN finds it too
    classified = next(r for records in records_by_edition().values() for r in records if r.classifications)
    number = classified.classifications[0].number  # the LoC records carry no 852: their class numbers count
    expected = editions_where(lambda r: any(c.number == number for c in r.classifications))
    assert expected and found(f'callnumber:"{number}"') == expected


def test_facet_counts_equal_the_database(catalogue):
    page = selectors.edition_search(query=None, facets=selectors.FACETS)
    facets = {name: dict(values) for name, values in page.facets.items()}
    held: dict[str, set[int]] = {}
    for edition_id, code in SourceRecord.objects.filter(withdrawn=False).values_list("edition_id", "library__code"):
        held.setdefault(code, set()).add(edition_id)
    assert facets["library"] == {code: len(ids) for code, ids in held.items()}
    networks: dict[str, set[int]] = {}
    for code, network in Membership.objects.filter(state="admitted").values_list("library__code", "network__code"):
        networks.setdefault(network, set()).update(held.get(code, set()))
    assert facets["network"] == {n: len(ids) for n, ids in networks.items() if ids}
    assert facets["language"] == dict(Counter(e.language for e in Edition.objects.all() if e.language))
    assert facets["format"] == dict(Counter(Edition.objects.values_list("format", flat=True)))
    lenders = {f.code for f in Libraries.load().by_id.values() if f.lends}
    available = {e for code, ids in held.items() if code in lenders for e in ids}
    assert facets["available"] == {"true": len(available), "false": Edition.objects.count() - len(available)}
    assert "USU" not in lenders and {"UNPATTI", "UNHAS", "PNRI"} <= lenders


def test_facets_are_counted_within_the_result(catalogue):
    page = selectors.edition_search(query="sejarah", facets=["library", "year"])
    assert dict(page.facets["library"])["UNPATTI"] == page.total
    assert sum(c for _y, c in page.facets["year"]) <= page.total


def test_filters_narrow_and_network_scope(catalogue):
    pnri = set(SourceRecord.objects.filter(library__code="PNRI", withdrawn=False).values_list("edition_id", flat=True))
    assert found(None, filters={"network": ["JLPN"]}) == pnri  # PNRI is JLPN's only holding member here
    assert found("sejarah", filters={"network": ["JLPN"]}) == found("sejarah") & pnri
    usu = set(SourceRecord.objects.filter(library__code="USU").values_list("edition_id", flat=True))
    assert found(None, filters={"available": ["false"]}) == usu
    assert found(None, filters={"library": ["USU", "PNRI"]}) == usu | pnri


def test_sorts_and_pages(catalogue):
    newest = selectors.edition_search(query="indonesia", sort="-year", limit=50)
    years = [h.edition.year for h in newest.hits if h.edition.year is not None]
    assert years == sorted(years, reverse=True)
    by_title = selectors.edition_search(query="indonesia", sort="title", limit=50)
    keys = [" ".join(tokenise(h.edition.title)) for h in by_title.hits]
    assert keys == sorted(keys)
    everything = [h.edition.pk for h in selectors.edition_search(query="indonesia", limit=60).hits]
    pages = [h.edition.pk for offset in (0, 20, 40)
             for h in selectors.edition_search(query="indonesia", offset=offset, limit=20).hits]
    assert pages == everything


def test_search_page_loads_editions_in_two_queries(catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        page = selectors.edition_search(query="indonesia", limit=50)
        assert [h.holding_count for h in page.hits] and all(h.libraries for h in page.hits)


def test_documents_are_built_set_wise(catalogue, django_assert_num_queries):
    ids = list(Edition.objects.order_by("pk").values_list("pk", flat=True))
    with django_assert_num_queries(6) as few:
        few_docs = selectors.documents_for(ids[:5])
    with django_assert_num_queries(len(few.captured_queries)):
        many_docs = selectors.documents_for(ids)
    assert len(few_docs) == 5 and len(many_docs) == len(ids)
    doc = next(d for d in many_docs if "UNHAS" in d.libraries)
    assert {"FPPTI", "JPIT"} <= set(doc.networks) and "academic" in doc.library_kinds and doc.available


@pytest.mark.parametrize("bad", ["year:abc", "a*", "the", "(", "NOT", "isbn:-"])
def test_a_bad_query_raises_query_error(catalogue, bad):
    with pytest.raises(QueryError):
        selectors.edition_search(query=bad)


def test_a_bad_filter_raises_value_error(catalogue):
    with pytest.raises(ValueError):
        selectors.edition_search(query="sejarah", filters={"year": ["abc"]})


def test_facets_of_a_large_result_are_estimated_from_a_sample(tmp_path, monkeypatch):
    """Beyond the exact limit, counts come from one nested sample level, scaled up: close, and flagged."""
    from jaringan.core.search import EditionDocument, SearchIndex, search
    from jaringan.core.search import service

    index = SearchIndex(tmp_path / "big")
    with index.writer() as writer:
        for n in range(2400):
            writer.add(EditionDocument(edition_id=str(n), title=f"Sejarah kota {n}", language="eng" if n % 4 == 0 else "ind",
                                       libraries=("A", "B") if n % 2 else ("A",), year=1950 + n % 50,
                                       subjects=("Sejarah",) if n % 8 == 0 else ()))
    assert service.FACET_EXACT_LIMIT >= 2400
    exact = search(index, "sejarah", facets=["language", "library", "subject"])
    assert not exact.facets_estimated
    assert dict(exact.facets["language"]) == {"ind": 1800, "eng": 600}
    assert dict(exact.facets["subject"]) == {"Sejarah": 300}
    monkeypatch.setattr(service, "FACET_EXACT_LIMIT", 1000)
    monkeypatch.setattr(service, "FACET_SAMPLE_TARGET", 500)
    sampled = search(index, "sejarah", facets=["language", "library", "subject"])
    assert sampled.facets_estimated and sampled.total == 2400
    language, library = dict(sampled.facets["language"]), dict(sampled.facets["library"])
    assert abs(language["ind"] - 1800) < 250 and abs(language["eng"] - 600) < 250
    assert library["A"] == 2400 and abs(library["B"] - 1200) < 250  # "A": every edition, capped at the total
    assert abs(dict(sampled.facets["subject"])["Sejarah"] - 300) < 150
    small = search(index, "year:1950", facets=["language"])
    assert small.total == 48 and not small.facets_estimated
