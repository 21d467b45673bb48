"""The kinds of difference citation databases (Google Scholar and the like) put between two citations of
one paper, each pinned on both sides of its rule: garbled author names, a preamble before the title, an
acronym against a name cut short, a venue cell without a venue, mojibake, and short titles with nobody named.
"""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import MATCH_THRESHOLD, blocking_keys, match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.names import SAME_NAME, citation_name_similarity, name_similarity
from jaringan.core.catalog.matching.titles import after_preamble
from jaringan.core.catalog.matching.venues import venue_uncertain, venue_verdict
from jaringan.core.catalog.record import CanonicalRecord
from jaringan.core.catalog.text import normalise_for_match, repair_mojibake

PAPER = CanonicalRecord(
    title="Object fusion in mediator systems",
    authors=("Y. Papakonstantinou", "S. Abiteboul", "H. Garcia-Molina"),
    year=1996,
    format="article",
    container="VLDB",
)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("ikc faloutsos", "c faloutsos", True),  # initials run together with a neighbour's
    ("csjj clifford", "j clifford", True),
    ("lv lakshamanan", "l lakshmanan", True),  # and a typo in the surname
    ("p esther", "e pacitti", True),  # given name and surname crossed
    ("s sunita", "s sarawagi", True),
    ("oj mbali", "m okafor", True),  # crossed, a middle initial run in
    ("oj mbali", "m nkosi", False),
    ("oj mbali", "k okafor", False),
    ("w kieпling", "w kiessling", True),  # letters lost to a wrong encoding stand for one or two
    ("m жzsu", "m tamer ozsu", True),
    ("ж ulusoy", "o ulusoy", True),  # the initial lost
    ("w kieпling", "w kiesinger", False),
    ("k faloutsos", "c faloutsos", False),  # one initial each, different: another person
    ("ab faloutsos", "c faloutsos", False),
    ("p esther", "e smith", False),
    ("ikc faloutsos", "c fallows", False),
    ("esther pacitti", "eric simon", False),
])
def test_citation_names(a, b, same):
    assert (citation_name_similarity(a, b) >= SAME_NAME) is same
    assert citation_name_similarity(b, a) == citation_name_similarity(a, b)


def test_catalogue_headings_are_not_read_as_garbled():
    assert name_similarity("Esther, P.", "Pacitti, E.") < SAME_NAME
    books = [CanonicalRecord(title="T", authors=(n,)) for n in ("Esther, P.", "Pacitti, E.")]
    assert c.compare_authors(*books).verdict == c.MISMATCH
    articles = [replace(b, format="article") for b in books]
    assert c.compare_authors(*articles).verdict == c.MATCH


@pytest.mark.parametrize(("authors", "authors_points", "first_points"), [
    (("acms anthology",), c.AUTHORS_NONE_LONG_TITLE, 0),  # none in common: counted once, by the authors
    (("S. Abiteboul", "Y. Papakonstantinou"), c.AUTHORS_ALL, c.FIRST_AUTHOR_DIFFERENT),  # order changed
])
def test_first_author_is_not_counted_twice(authors, authors_points, first_points):
    other = replace(PAPER, authors=authors)
    assert c.compare_authors(PAPER, other).points == authors_points
    assert c.compare_first_author(PAPER, other).points == first_points


@pytest.mark.parametrize(("text", "words"), [
    ("s. abiteboul . and h. garcia-molina . object fusion in mediator systems",
     ("object", "fusion", "in", "mediator", "systems")),
    ("panga ( 1998 ) exploratory mining and pruning optimizations", ("exploratory", "mining", "and", "pruning", "optimizations")),
    ("xtrie : efficient filtering of xml documents", ("efficient", "filtering", "of", "xml", "documents")),
    ("l. wong . comprehension syntax", None),  # too few words left to be sure
    ("erratum : a database model for object dynamics", None),  # a notice about the paper
    ("object fusion in mediator systems", None),
])
def test_after_preamble(text, words):
    assert after_preamble(text, c.ARTICLE_LONG_TITLE_WORDS) == words


@pytest.mark.parametrize(("title", "verdict"), [
    ("s. abiteboul . and h. garcia-molina . object fusion in mediator systems", c.SIMILAR),
    ("object fusion in mediator systems", c.MATCH),
    ("erratum : object fusion in mediator systems", c.WEAK),
    ("an overview of object fusion in mediator systems", c.WEAK),  # real words before it: another paper
])
def test_title_after_a_preamble(title, verdict):
    assert c.compare_title(PAPER, replace(PAPER, title=title)).verdict == verdict


@pytest.mark.parametrize(("a", "b", "verdict"), [
    ("vldb", "proceedings of the international conference on very large data bases", c.SIMILAR),
    ("vldb", "proceedings of the international conference on very large", c.WEAK),  # cut short
    ("JPIX", "Jurnal Pustakawan Indonesia", c.MISMATCH),  # a short name is not cut
    ("vldb", "acm transactions on database systems", c.MISMATCH),
    ("sigmod record", "vldb", c.MISMATCH),
    ("vldb", "proceedings of the 23rd international conference on very", c.WEAK),  # one initial left
    ("vldb", "proceedings of the 28 thvldb", c.MATCH),  # an ordinal run into the name
    ("vldb", "proc26th int conf on very large data bases", c.SIMILAR),
    ("sigmod record", "sigmodrecord", c.MATCH),  # words run together
    ("acm trans . database syst .", "acm transactions on database", c.WEAK),  # cut short of the abbreviation
    ("J. Inf. Sci.", "Journal of Informetrics", c.MISMATCH),  # a short name is not cut
    ("RD", "Reader's digest (U.S. edition)", c.SIMILAR),
])
def test_lower_case_acronyms(a, b, verdict):
    assert venue_verdict(a, b) == verdict == venue_verdict(b, a)


@pytest.mark.parametrize(("venue", "uncertain"), [
    ("proc . of the", True),
    ("acm", True),
    ("stanford . edu/pub/papers / , le query-cap-ext .", True),
    ("sigmod record", False),
    ("proc . of the 28th international conf . on very large", False),
])
def test_venue_cells_without_a_venue(venue, uncertain):
    assert venue_uncertain(venue) is uncertain


@pytest.mark.parametrize(("raw", "repaired"), [
    ("Pedro JosÃ© MarrÃ³n", "Pedro José Marrón"),
    ("donâ€™t scrap it", "don’t scrap it"),
    ("São Paulo", "São Paulo"),  # a real ã
    ("pâte", "pâte"),
])
def test_repair_mojibake(raw, repaired):
    assert repair_mojibake(raw) == repaired


def test_lost_mojibake_is_left_out_of_matching():
    assert normalise_for_match("xwrap : â ?? an xml-based wrapper extractionâ ??") == "xwrap an xml based wrapper extraction"
    assert normalise_for_match("hernã ¡ andez") == "hern andez"


def test_short_titles_with_nobody_named_say_less():
    notes = replace(PAPER, title="Editor's notes", container=None, authors=())
    other = replace(notes, authors=("L. Liu",), container="Sigmod Record")
    assert c.compare_title(notes, other).points == c.TITLE_EXACT + c.ARTICLE_SHORT_TITLE
    assert not match(notes, other).same  # 25 + year 15
    named = replace(notes, authors=("L. Liu",))
    assert c.compare_title(named, other).points == c.TITLE_EXACT
    assert match(named, other).same  # 40 + authors 20 + year 15


def test_garbled_authors_against_a_long_title_on_both_sides_of_the_threshold():
    """Long title (55) + authors none in common under it (-5): the same paper, with or without year and
    venue; another year (-80) rules it out, and so does a short title's authors none in common (-30)."""
    scholar = replace(PAPER, authors=("acms anthology",))
    bare = replace(scholar, container=None, year=None)
    assert (match(PAPER, bare).score, match(PAPER, bare).same) == (MATCH_THRESHOLD, True), match(PAPER, bare).explain()
    assert not match(PAPER, replace(scholar, year=1999)).same
    short = replace(PAPER, title="Object fusion")
    assert not match(short, replace(short, authors=("acms anthology",), container=None, year=None)).same


@pytest.mark.parametrize(("title", "other"), [
    ("the need for distributed asynchronous transactions", "the need for asynchronous distributed transactions"),
    ("apex : an adaptive path index for xml data", "apex : an adaptative path index for xml data"),
    ("semantic data caching and replacement", "ds , and m. tan . semantic data caching and replacement"),
])
def test_citations_without_year_or_authors_in_common_share_a_key(title, other):
    one = replace(PAPER, title=title, authors=("c chung",), year=2002)
    two = replace(PAPER, title=other, authors=("r chun",), year=None)
    assert blocking_keys(one) & blocking_keys(two)


def test_other_papers_share_no_key():
    one = replace(PAPER, title="the need for distributed asynchronous transactions", authors=("c chung",))
    two = replace(PAPER, title="distributed transactions in mobile networks", authors=("r chun",), year=None)
    assert not blocking_keys(one) & blocking_keys(two)
