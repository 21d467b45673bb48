"""Articles and papers: DOI, venue (full, abbreviated, acronym), volume/issue/pages, first author, CSV columns.

Each comparison is pinned on both sides of its threshold, and the decision
for article pairs on both sides of ``MATCH_THRESHOLD``.
"""

import io
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaringan.core.catalog import codec
from jaringan.core.catalog.matching import MATCH_THRESHOLD, blocking_keys, match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching import parts
from jaringan.core.catalog.matching.names import INITIALS_MATCH, name_similarity
from jaringan.core.catalog.matching.venues import venue_verdict, venue_words
from jaringan.core.catalog.readers import read
from jaringan.core.catalog.readers.csvfile import COLUMNS
from jaringan.core.catalog.record import CanonicalRecord, normalise_doi

ARTICLE = CanonicalRecord(
    title="Peran perpustakaan desa dalam literasi masyarakat",
    authors=("Sutarno NS", "Hirata, Andrea"),
    year=2018,
    format="article",
    container="Jurnal Pustakawan Indonesia",
    volume="17",
    issue="1",
    extent="1-10",
    doi="10.29244/jpi.17.1.1-10",
    language="ind",
)
BOOK = CanonicalRecord(title="Pengantar ilmu perpustakaan", authors=("Basuki, Sulistyo",), year=1991,
                       publisher="Gramedia", pages=345)


# ------------------------------------------------------------------ DOI
@pytest.mark.parametrize(("raw", "doi"), [
    ("10.1108/JD-05-2019-0081", "10.1108/jd-05-2019-0081"),
    ("https://doi.org/10.1108/JD-05-2019-0081", "10.1108/jd-05-2019-0081"),
    ("http://dx.doi.org/10.1002%2Fasi.21234", "10.1002/asi.21234"),
    ("doi:10.1108/jd-05-2019-0081.", "10.1108/jd-05-2019-0081"),
    ("DOI 10.1000/182", "10.1000/182"),
    ("10.12/too-short-a-prefix", None),
    ("https://doi.org/", None),
    ("ISBN 979-3062-79-7", None),
    ("", None),
])
def test_doi_normalisation(raw, doi):
    assert normalise_doi(raw) == doi


def test_doi_comparison_both_sides():
    other = replace(ARTICLE, doi="10.29244/jpi.17.1.11-20")
    assert (c.compare_doi(ARTICLE, ARTICLE).verdict, c.compare_doi(ARTICLE, ARTICLE).points) == (c.MATCH, c.DOI_SAME)
    assert c.compare_doi(ARTICLE, other).points == c.DOI_DIFFERENT
    assert c.compare_doi(ARTICLE, replace(ARTICLE, doi=None)).verdict == c.MISSING
    # A shared DOI on another title or year is a typing error, not the same article.
    wrong = replace(ARTICLE, title="Kebijakan pengembangan koleksi", year=2019)
    assert (c.compare_doi(ARTICLE, wrong).verdict, c.compare_doi(ARTICLE, wrong).points) == (
        c.CONTRADICTED, c.DOI_SHARED_CONTRADICTED)
    assert "doi:10.29244/jpi.17.1.1-10" in blocking_keys(ARTICLE)


# ------------------------------------------------------------------ venues
@pytest.mark.parametrize(("a", "b", "verdict"), [
    ("Jurnal Pustakawan Indonesia", "JURNAL PUSTAKAWAN INDONESIA.", c.MATCH),
    ("Birds & blooms", "Birds blooms", c.MATCH),  # MARC 210 of concerto's serial
    ("Journal of Documentation", "J. Doc.", c.SIMILAR),
    ("Journal of Documentation", "J Doc", c.SIMILAR),
    ("National geographic (Print)", "Natl. geogr. (Print)", c.SIMILAR),  # contraction "Natl"
    ("The Entomologist's monthly magazine", "Entomol. mon. mag.", c.SIMILAR),
    ("Wall Street journal (Central ed.)", "Wall Street j. (Cent. ed.)", c.SIMILAR),
    ("The New York times", "N.Y. times", c.SIMILAR),
    ("Publishers weekly", "Publ. wkly.", c.SIMILAR),
    ("Journal of the American Society for Information Science and Technology", "JASIST", c.SIMILAR),
    ("Information Processing & Management", "IP&M", c.SIMILAR),
    ("Reader's digest (U.S. edition)", "RD", c.SIMILAR),  # acronym without the qualifier
    ("Jurnal Pustakawan Indonesia", "J. Pustak. Indones.", c.SIMILAR),
    ("Journal of Information Science", "J. Inf. Sci.", c.SIMILAR),
    ("Journal of Informetrics", "J. Inf. Sci.", c.MISMATCH),  # one word fewer
    # A name standing whole, in order, in a longer one: a truncated form, or another venue; weak either way.
    ("Journal of Documentation", "Journal of Documentation and Information Science", c.WEAK),
    ("VLDB J.", "The VLDB Journal: the international journal on very large &hellip;", c.WEAK),
    ("vldb", "proceedings of the 23th vldb", c.MATCH),  # the kind of venue and ordinals left out
    ("sigmod record", "acm sigmod record", c.MATCH),  # the publisher left out
    ("acm trans. database syst.", "transactions on database systems", c.SIMILAR),
    ("vldb", "proceedings of conference on very large databases (vldb) to", c.SIMILAR),  # "databases": d, b
    ("Journal of Social History", "J. Sci. Hist.", c.MISMATCH),  # "Sci." cannot stand for "Social"
    ("Acta amazonica", "Acta biol. parana.", c.MISMATCH),
    ("Library Trends", "Library Hi Tech", c.MISMATCH),
    ("Jurnal Pustakawan Indonesia", "JPIX", c.MISMATCH),
])
def test_venue_verdicts(a, b, verdict):
    assert venue_verdict(a, b) == verdict
    assert venue_verdict(b, a) == verdict


def test_venue_words_drop_small_words_and_numbers():
    assert venue_words("Journal of the Documentation, vol. 75") == ("journal", "documentation", "vol")


@pytest.mark.parametrize(("venue", "verdict", "points"), [
    ("Jurnal Pustakawan Indonesia", c.MATCH, c.CONTAINER_SAME),
    ("J. Pustak. Indones.", c.SIMILAR, c.CONTAINER_ABBREVIATED),
    ("Jurnal Perpustakaan Pertanian", c.MISMATCH, c.CONTAINER_DIFFERENT),
    (None, c.MISSING, 0),
])
def test_container_points(venue, verdict, points):
    result = c.compare_container(ARTICLE, replace(ARTICLE, container=venue))
    assert (result.verdict, result.points) == (verdict, points)


# ------------------------------------------------------------------ volume, issue, pages; first author
@pytest.mark.parametrize(("changes", "verdict", "points"), [
    ({}, c.MATCH, parts.ISSUE_SAME),
    ({"volume": "Vol. 17", "issue": "No. 1", "extent": "pp. 1-10"}, c.MATCH, parts.ISSUE_SAME),
    ({"volume": None, "issue": None, "extent": None}, c.MISSING, 0),
    ({"issue": "2"}, c.MISMATCH, parts.ISSUE_DIFFERENT),
    ({"volume": "18"}, c.MISMATCH, parts.ISSUE_DIFFERENT),
    ({"extent": "11-20"}, c.MISMATCH, parts.ISSUE_DIFFERENT),
    ({"format": "book"}, c.MISSING, 0),  # only articles have issues
])
def test_issue_points(changes, verdict, points):
    result = c.compare_issue(ARTICLE, replace(ARTICLE, **changes))
    assert (result.verdict, result.points) == (verdict, points)


@pytest.mark.parametrize(("authors", "verdict", "points"), [
    (("Sutarno NS",), c.MATCH, 0),
    (("Sutarno, N. S.",), c.MATCH, 0),
    (("Hirata, Andrea", "Sutarno NS"), c.MISMATCH, c.FIRST_AUTHOR_DIFFERENT),
    ((), c.MISSING, 0),
])
def test_first_author(authors, verdict, points):
    result = c.compare_first_author(ARTICLE, replace(ARTICLE, authors=authors))
    assert (result.verdict, result.points) == (verdict, points)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Hancock, Nannie P.", "Hancock, N. P.", True),  # as many tokens on each side, initials on one
    ("Hancock, Nannie P.", "Hancock, M. P.", False),
    ("Smith, J. P.", "Smith, John Paul", True),
])
def test_initials_with_as_many_name_parts(a, b, same):
    assert (name_similarity(a, b) >= INITIALS_MATCH) is same


# ------------------------------------------------------------------ decisions around the threshold
def _article(**changes):
    return replace(ARTICLE, **changes)


@pytest.mark.parametrize(("other", "same"), [
    # The same article as another library typed it.
    (_article(container="J. Pustak. Indones.", authors=("Sutarno, N. S.",), doi=None), True),
    (_article(title="PERAN PERPUSTAKAAN DESA DALAM LITERASI MASYARAKAT.", volume=None, issue=None, extent=None), True),
    (_article(title="Peran perpustakan desa dalam literasi masyarakat", doi=None, year=None), True),
    (_article(container="JPI", doi=None), True),  # acronym
    # Another publication, another year, other authors, another issue: never one.
    (_article(container="Jurnal Perpustakaan Pertanian", volume="3", doi=None), False),
    (_article(year=2019, volume="18", doi=None), False),
    (_article(authors=("Lestari, Dewi",), issue="2", extent="11-20", doi=None), False),
    (_article(issue="2", extent="11-20", doi=None), False),
    (_article(doi="10.29244/jpi.17.2.11-20", issue=None, extent=None), False),  # another DOI
    (_article(format="book", container=None, doi=None), False),
])
def test_article_decisions(other, same):
    decision = match(ARTICLE, other)
    assert decision.same is same, decision.explain()


def test_article_decision_on_both_sides_of_the_threshold():
    """A short title one word longer (0) + authors (20) + year (15): the venue decides, full (15) or abbreviated (10)."""
    base = _article(title="Perpustakaan desa dan literasi", doi=None, volume=None, issue=None, extent=None,
                    authors=("Sutarno NS",))
    longer = replace(base, title=base.title + " pedesaan")
    at = match(base, longer)
    below = match(base, replace(longer, container="J. Pustak. Indones."))
    assert (at.score, at.same) == (MATCH_THRESHOLD, True), at.explain()
    assert (below.score, below.same) == (MATCH_THRESHOLD - 5, False), below.explain()


def test_generic_titles_in_two_issues_stay_apart():
    one = _article(title="Editorial", authors=("Sutarno NS",), doi=None, issue="1", extent="i-ii")
    two = replace(one, issue="2")
    assert not match(one, two).same and match(one, replace(one)).same


def test_books_are_compared_as_before():
    decision = match(BOOK, replace(BOOK, title="PENGANTAR ILMU PERPUSTAKAAN"))
    assert decision.same and {x.field for x in decision.comparisons}.isdisjoint(
        {"doi", "container", "issue", "first author"})


# ------------------------------------------------------------------ blocking
@pytest.mark.parametrize("variant", [
    _article(authors=("Sutarno, N. S.", "Hirata, A."), doi=None),
    _article(authors=("Sutarno NS",), title="Peran perpustakan desa", year=2018, doi=None),
    _article(title="Peran perpustkaan desa dalam literasi masyarakat", authors=("Sutarno NS",), doi=None),
])
def test_blocking_keys_bring_variants_together(variant):
    assert blocking_keys(ARTICLE) & blocking_keys(variant)


def test_first_author_surname_joins_initials_and_et_al():
    full = replace(ARTICLE, title="The British press", authors=("Temple, Michael", "Adams, Zoe"), doi=None)
    short = replace(full, title="The Britihs press", authors=("Temple, M.",))
    assert blocking_keys(full) & blocking_keys(short)


# ------------------------------------------------------------------ record and CSV
def test_codec_round_trip_keeps_article_fields():
    data = codec.to_data(ARTICLE)
    assert {"container", "volume", "issue", "doi"} <= set(data)
    assert codec.from_data(data) == ARTICLE
    assert "container" not in codec.to_data(BOOK)


_text = st.none() | st.text(min_size=1, max_size=30)


@given(container=_text, volume=_text, issue=_text, extent=_text,
       doi=st.none() | st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.()-]{1,20}", fullmatch=True))
def test_codec_round_trip_any_article(container, volume, issue, extent, doi):
    record = replace(ARTICLE, container=container, volume=volume, issue=issue, extent=extent, doi=doi)
    assert codec.from_data(codec.to_data(record)) == replace(
        record, **{k: v or None for k, v in (("container", container), ("volume", volume), ("issue", issue),
                                              ("extent", extent))})


@given(st.from_regex(r"10\.[0-9]{4,9}/[A-Za-z0-9._;()/:-]{0,29}[A-Za-z0-9]", fullmatch=True))
def test_doi_normalisation_is_idempotent_and_link_blind(doi):
    bare = normalise_doi(doi)
    assert bare is not None and normalise_doi(bare) == bare
    assert normalise_doi("https://doi.org/" + doi) == bare == normalise_doi("doi:" + doi.upper())


CITATIONS = """No,Title,Authors,Journal,Year,Volume,Issue,Pages,DOI,Type
1,Peran perpustakaan desa dalam literasi masyarakat,"Sutarno NS; Hirata, Andrea",Jurnal Pustakawan Indonesia,2018,17,1,1-10,https://doi.org/10.29244/JPI.17.1.1-10,
2,Kebijakan pengembangan koleksi,"Lestari, Dewi et al.",J. Pustak. Indones.,2019,18,2,pp. 11-20,,
3,Laskar pelangi,Andrea Hirata,,2005,2,,529,,buku
"""


def test_csv_articles_columns():
    items = list(read(io.BytesIO(CITATIONS.encode()), format="csv"))
    first, second, book = (i.record for i in items)
    assert (first.format, first.container, first.volume, first.issue, first.extent, first.pages) == (
        "article", "Jurnal Pustakawan Indonesia", "17", "1", "1-10", None)
    assert first.doi == "10.29244/jpi.17.1.1-10"
    assert (second.authors, second.extent, second.doi) == (("Lestari, Dewi",), "pp. 11-20", None)
    assert (book.format, book.container, book.part, book.pages, book.volume) == ("book", None, "2", 529, None)
    assert {"venue", "volume", "issue", "doi"} <= set(COLUMNS)


def test_csv_container_and_venue_columns_are_one():
    text = "title,venue,container\nA paper,,Proceedings of the ACM/IEEE Joint Conference on Digital Libraries\n"
    (item,) = read(io.BytesIO(text.encode()), format="csv")
    assert item.record.container.startswith("Proceedings") and item.record.format == "article"


@pytest.mark.parametrize(("venue", "uncertain"), [
    ("technical report 00-11-006, advanced information technology", True),
    ("university of california at berkeley, proceedings of the &hellip;", True),
    ("the vldb journal the international journal on very large &hellip;", True),
    ("Jurnal Pustakawan Indonesia", False),
    ("sigmod conference", False),
])
def test_a_venue_cell_holding_something_else_is_no_contradiction(venue, uncertain):
    from jaringan.core.catalog.matching.venues import venue_uncertain

    assert venue_uncertain(venue) is uncertain
    verdict = c.compare_container(ARTICLE, replace(ARTICLE, container=venue)).verdict
    assert (verdict == c.WEAK) is uncertain


@pytest.mark.parametrize(("other", "similar"), [
    ("Peran perpustakaan desa dalam literasi masyarakat. Dalam: prosiding seminar", True),  # run on
    ("Juni 2018, Sutarno: peran perpustakaan desa dalam literasi masyarakat", True),  # a date and a name before
    ("Evaluasi peran perpustakaan desa dalam literasi masyarakat", False),  # another paper about it
])
def test_a_long_article_title_cut_short_or_run_on_is_similar(other, similar):
    verdict = c.compare_title(ARTICLE, replace(ARTICLE, title=other)).verdict
    assert (verdict == c.SIMILAR) is similar, verdict
