"""Search over an index built from real LoC records (see conftest)."""

from __future__ import annotations

from collections import Counter

import pytest

from jaringan.core.catalog.record import CanonicalRecord
from jaringan.core.catalog.text import analyse, fold
from jaringan.core.search import QueryError, SearchIndex, document_from_records, search


def _all_ids(index, query, **kwargs) -> list[str]:
    first = search(index, query, limit=1, **kwargs)
    return [e for e, _ in search(index, query, limit=max(first.total, 1), **kwargs).hits]


def _terms(doc) -> set[str]:
    texts = [doc.title, doc.subtitle, *doc.variant_titles, *doc.authors, *doc.subjects, *doc.series,
             doc.publisher, doc.place, *doc.notes]
    return {t for text in texts for t in analyse(text)}


def _brute(documents, *words) -> set[str]:
    wanted = {t for w in words for t in analyse(w)}
    return {i for i, d in documents.items() if wanted <= _terms(d)}


def _title_text(doc) -> str:
    return fold(" ".join(filter(None, [doc.title, doc.subtitle])))


# --- analysis on both sides -------------------------------------------------


def test_perpustakaan_finds_pustaka_stemmed_words(catalogue):
    index, documents = catalogue
    ids = _all_ids(index, "perpustakaan")
    assert set(ids) == _brute(documents, "perpustakaan")
    titles = [_title_text(documents[i]) for i in ids]
    assert any("perpustakaan" in t.split() for t in titles)
    assert any("pustaka" in t.split() and "perpustakaan" not in t.split() for t in titles)


def test_english_plural_finds_singular(catalogue):
    index, documents = catalogue
    ids = _all_ids(index, "libraries")
    assert any("library" in _title_text(documents[i]).split() for i in ids)
    assert set(ids) == _brute(documents, "library")


def test_folded_query_finds_accented_title(catalogue):
    index, _ = catalogue
    assert search(index, "umit").hits[0][0] == "umit"
    assert search(index, "ÜMİT").hits[0][0] == "umit"
    assert search(index, "author:yilmaz").hits[0][0] == "umit"


def test_plain_words_are_anded(catalogue):
    index, documents = catalogue
    ids = set(_all_ids(index, "sejarah indonesia"))
    assert ids == _brute(documents, "sejarah", "indonesia")
    assert ids < set(_all_ids(index, "sejarah"))


# --- the query language -----------------------------------------------------


def test_fielded_title_and_author(catalogue):
    index, documents = catalogue
    ids = _all_ids(index, "title:sejarah")
    assert ids and all("sejarah" in analyse(documents[i].title + " " + (documents[i].subtitle or "")) for i in ids)
    assert _all_ids(index, "author:sulistyo-basuki") == ["rare"]
    assert "rare" in _all_ids(index, 'series:"pustaka nusantara"')


def test_or_not_and_minus(catalogue):
    index, _ = catalogue
    jawa, bali = set(_all_ids(index, "title:jawa")), set(_all_ids(index, "title:bali"))
    assert jawa and bali
    assert set(_all_ids(index, "title:jawa OR title:bali")) == jawa | bali
    assert set(_all_ids(index, "title:jawa AND title:bali")) == jawa & bali
    sejarah = set(_all_ids(index, "sejarah"))
    assert set(_all_ids(index, "sejarah NOT title:jawa")) == sejarah - jawa
    assert set(_all_ids(index, "sejarah -title:jawa")) == sejarah - jawa
    everything = set(_all_ids(index, ""))
    assert set(_all_ids(index, "NOT sejarah")) == everything - sejarah


def test_or_binds_tighter_than_and_and_parentheses_group(catalogue):
    index, _ = catalogue
    sejarah = set(_all_ids(index, "sejarah"))
    either = set(_all_ids(index, "jawa OR bali"))
    assert set(_all_ids(index, "sejarah jawa OR bali")) == sejarah & either
    assert set(_all_ids(index, "sejarah (jawa OR bali)")) == sejarah & either


def test_phrase_is_stricter_than_words(catalogue):
    index, documents = catalogue
    phrase = set(_all_ids(index, '"indonesia politics"'))
    words = set(_all_ids(index, "indonesia politics"))
    assert phrase and phrase < words
    for i in phrase:
        texts = [documents[i].title + " " + (documents[i].subtitle or ""), *documents[i].subjects,
                 *documents[i].series, *documents[i].notes, *documents[i].authors, documents[i].publisher or ""]
        assert any("indonesia polit" in " ".join(analyse(t)) for t in texts)


def test_prefix_matches_unstemmed_and_stemmed_words(catalogue):
    index, documents = catalogue
    ids = set(_all_ids(index, "perpus*"))
    expected = {i for i, d in documents.items()
                if any(w.startswith("perpus") for w in fold(" ".join(filter(None, [
                    d.title, d.subtitle, *d.authors, *d.subjects, *d.series, d.publisher, d.place, *d.notes]))).split())}
    assert expected and expected <= ids
    assert "rare" in _all_ids(index, "title:katalog*")


def test_year_range(catalogue):
    index, documents = catalogue
    ids = set(_all_ids(index, "year:1990-1995"))
    assert ids == {i for i, d in documents.items() if d.year is not None and 1990 <= d.year <= 1995}
    assert set(_all_ids(index, "year:1995")) == {i for i, d in documents.items() if d.year == 1995}
    assert set(_all_ids(index, "year:-1980")) == {i for i, d in documents.items() if d.year is not None and d.year <= 1980}
    assert set(_all_ids(index, "sejarah year:1999-")) == (
        set(_all_ids(index, "sejarah")) & {i for i, d in documents.items() if d.year and d.year >= 1999})


@pytest.mark.parametrize("query", ["isbn:9789793062792", "isbn:978-979-3062-79-2", "isbn:979-3062-79-7",
                                   "isbn:9793062797", "978-979-3062-79-2", "9789793062792"])
def test_isbn_with_or_without_hyphens(catalogue, query):
    index, _ = catalogue
    assert search(index, query).hits[0][0] == "umit"


def test_isbn_of_a_real_record(catalogue):
    index, documents = catalogue
    edition_id, doc = next((i, d) for i, d in documents.items() if d.isbns and i.isdigit())
    isbn = doc.isbns[0]
    hyphenated = f"{isbn[:3]}-{isbn[3:6]}-{isbn[6:12]}-{isbn[12]}"
    assert edition_id in _all_ids(index, f"isbn:{hyphenated}")


def test_call_number_ignores_spaces_and_case(catalogue):
    index, _ = catalogue
    assert _all_ids(index, 'callnumber:"894.351 yil u"') == ["umit"]
    assert _all_ids(index, "callnumber:894.351YILU") == ["umit"]
    assert "rare" in _all_ids(index, "callnumber:025.3*")


# --- ranking ----------------------------------------------------------------


def test_rare_title_match_beats_widely_held_note_match(catalogue):
    index, documents = catalogue
    assert len(documents["popular"].libraries) == 25
    hits = [e for e, _ in search(index, "katalogisasi").hits]
    assert hits.index("rare") < hits.index("popular")


def test_exact_title_phrase_ranks_first(catalogue):
    index, documents = catalogue
    target = next(i for i, d in documents.items() if len(analyse(d.title)) >= 3 and i.isdigit())
    hits = search(index, documents[target].title, limit=5).hits
    assert hits[0][0] == target or hits[0][1] == pytest.approx(hits[[e for e, _ in hits].index(target)][1])


# --- filters, facets, sorting, pages ----------------------------------------


@pytest.mark.parametrize("query", ["", "sejarah", "year:1990-2000"])
def test_facet_counts_equal_brute_force(catalogue, query):
    index, documents = catalogue
    names = ["library", "network", "kind", "format", "language", "subject", "year"]
    result = search(index, query, facets=names, facet_size=10_000)
    ids = _all_ids(index, query)
    assert result.total == len(ids)
    expected = {
        "library": Counter(v for i in ids for v in documents[i].libraries),
        "network": Counter(v for i in ids for v in documents[i].networks),
        "kind": Counter(v for i in ids for v in documents[i].library_kinds),
        "format": Counter(documents[i].format for i in ids if documents[i].format),
        "language": Counter(documents[i].language for i in ids if documents[i].language),
        "subject": Counter(v for i in ids for v in documents[i].subjects),
        "year": Counter(str(documents[i].year) for i in ids if documents[i].year is not None),
    }
    for name in names:
        assert dict(result.facets[name]) == dict(expected[name]), name
        counts = [c for _, c in result.facets[name]]
        assert counts == sorted(counts, reverse=True)


def test_filters_restrict_and_do_not_change_scores(catalogue):
    index, documents = catalogue
    plain = search(index, "sejarah", limit=1000)
    filtered = search(index, "sejarah", filters={"library": ["LIB9"], "language": ["ind", "may"]}, limit=1000)
    expected = [(e, s) for e, s in plain.hits
                if "LIB9" in documents[e].libraries and documents[e].language in ("ind", "may")]
    assert filtered.total == len(expected) > 0
    assert filtered.hits == expected
    assert search(index, "", filters={"year": ["1990-1995"]}).total == len(_all_ids(index, "year:1990-1995"))


def test_deep_pagination_is_stable(catalogue):
    index, _ = catalogue
    whole = search(index, "", limit=400, offset=0).hits
    assert len(whole) == 400
    pages = [h for offset in range(0, 400, 50) for h in search(index, "", limit=50, offset=offset).hits]
    assert pages == whole
    assert search(index, "", limit=20, offset=200).hits == whole[200:220]
    ranked = search(index, "indonesia", limit=300).hits
    assert search(index, "indonesia", limit=20, offset=200).hits == ranked[200:220]
    assert search(index, "sejarah", offset=100_000 - 1).hits == []


def test_sort_by_year_and_title(catalogue):
    index, documents = catalogue
    up = [e for e, s in search(index, "sejarah", sort="year", limit=1000).hits]
    years = [documents[e].year for e in up if documents[e].year is not None]
    assert years == sorted(years) and len(up) == search(index, "sejarah").total
    down = [documents[e].year for e, _ in search(index, "sejarah", sort="-year", limit=1000).hits]
    down = [y for y in down if y is not None]
    assert down == sorted(down, reverse=True)
    titled = [e for e, s in search(index, "indonesia", sort="title", limit=50).hits]
    keys = [" ".join(fold(documents[e].title + " : " + (documents[e].subtitle or "")).split()) for e in titled]
    assert len(titled) == 50
    assert [k[:1] for k in keys] == sorted(k[:1] for k in keys)


def test_limit_zero_counts_without_hits(catalogue):
    index, _ = catalogue
    result = search(index, "sejarah", limit=0, facets=["language"])
    assert result.hits == [] and result.total > 0 and result.facets["language"]


@pytest.mark.parametrize("kwargs", [{"sort": "popularity"}, {"offset": -1}, {"limit": 5000},
                                    {"facets": ["colour"]}, {"filters": {"colour": ["red"]}},
                                    {"filters": {"year": ["soon"]}}])
def test_bad_arguments_raise_value_error(catalogue, kwargs):
    index, _ = catalogue
    with pytest.raises(ValueError):
        search(index, "sejarah", **kwargs)


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize("query", ['"sejarah indonesia', "sejarah)", "((sejarah", "sejarah OR", "AND sejarah",
                                   "sejarah NOT", "sejarah -", "Indonesia: sejarah", "foo:sejarah", "title:",
                                   "sejarah\x00\u200b\ud800", "ṣejarah", "🙂 sejarah", "sejarah ||| &&",
                                   "-(-(-sejarah))", "title:(sejarah OR", "+sejarah", "isbn:"])
def test_sloppy_queries_degrade_gracefully(catalogue, query):
    index, _ = catalogue
    result = search(index, query)
    assert result.total >= 0


@pytest.mark.parametrize("query", ["the", "dan yang", "🙂", "year:soon", "year:1990-abc", "a*", '"""',
                                   "x" * 2000, " ".join(["kata"] * 100), "\u200b\u200b"])
def test_unsearchable_queries_raise_query_error(catalogue, query):
    index, _ = catalogue
    with pytest.raises(QueryError) as caught:
        search(index, query)
    assert str(caught.value)


def test_blank_query_browses_everything(catalogue):
    index, documents = catalogue
    assert search(index, "   ").total == len(documents)


# --- writing ----------------------------------------------------------------


def test_delete_and_replace_round_trip(tmp_path):
    index = SearchIndex(tmp_path / "ix")
    first = document_from_records("e1", [CanonicalRecord(title="Sejarah kota Medan", year=1980)], [])
    other = document_from_records("e2", [CanonicalRecord(title="Sejarah kota Padang", year=1981)], [])
    with index.writer() as writer:
        writer.add(first)
        writer.add(other)
    assert sorted(_all_ids(index, "sejarah")) == ["e1", "e2"]

    with index.writer() as writer:
        writer.replace(document_from_records("e1", [CanonicalRecord(title="Sejarah kota Makassar", year=1982)], []))
    assert search(index, "medan").total == 0
    assert _all_ids(index, "makassar") == ["e1"]
    assert index.num_docs == 2

    with index.writer() as writer:
        writer.delete("e2")
    assert _all_ids(index, "sejarah") == ["e1"]

    with pytest.raises(RuntimeError), index.writer() as writer:
        writer.delete("e1")
        raise RuntimeError("boom")
    assert _all_ids(index, "sejarah") == ["e1"]  # rolled back

    reopened = SearchIndex(tmp_path / "ix")
    assert _all_ids(reopened, "makassar") == ["e1"]


def test_only_one_writer_at_a_time(tmp_path):
    index = SearchIndex(tmp_path / "ix")
    with index.writer(), pytest.raises(RuntimeError), index.writer():
        pass


def test_document_from_records_merges_records_and_holdings():
    records = [
        CanonicalRecord(title="Laskar pelangi", authors=("Hirata, Andrea",), isbns=("9789793062792",), library="A"),
        CanonicalRecord(title="Laskar Pelangi", subtitle="novel", authors=("Hirata, Andrea", "Editor, X"),
                        year=2005, language="ind", library="B"),
    ]
    holdings = [
        {"library": "A", "network_codes": ["JAWA"], "library_kind": "public", "call_numbers": ["899.221 3 HIR l"]},
        {"library": "B", "network_codes": ["JAWA", "NASIONAL"], "library_kind": "school", "call_numbers": [],
         "available": False},
    ]
    doc = document_from_records(7, records, holdings)
    assert doc.edition_id == "7" and doc.title == "Laskar pelangi" and doc.subtitle == "novel"
    assert doc.authors == ("Hirata, Andrea", "Editor, X") and doc.year == 2005 and doc.language == "ind"
    assert doc.libraries == ("A", "B") and doc.networks == ("JAWA", "NASIONAL")
    assert doc.library_kinds == ("public", "school") and doc.call_numbers == ("899.221 3 HIR l",)
    assert doc.available is True
    with pytest.raises(ValueError):
        document_from_records(8, [], [])


def test_a_heading_becomes_a_phrase_in_its_field():
    from jaringan.core.search.syntax import Phrase, field_phrase, parse

    query = field_phrase("subject", 'Asia -- "Economic" conditions -- 1945-')
    assert query == 'subject:"Asia -- Economic conditions -- 1945-"'
    assert parse(query) == Phrase(text="Asia -- Economic conditions -- 1945-", field="subject")
    assert parse(field_phrase("author", "Toer, Pramoedya Ananta")) == Phrase(text="Toer, Pramoedya Ananta",
                                                                             field="author")
    with pytest.raises(ValueError):
        field_phrase("year", "1990")
