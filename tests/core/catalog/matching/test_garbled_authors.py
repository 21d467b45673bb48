"""A kind of difference between two citations of one paper: an author cell garbled beyond recognition
(OCR damage, words of a page's header taken for names) under one long title, word for word."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching.citations import surnames_shared
from jaringan.core.catalog.record import CanonicalRecord

PAPER = CanonicalRecord(title="cost models for approximate joins over compressed column stores", format="article",
                        authors=("r vandermolen", "s achterberg"), container="sigmod conference", year=2006)


@pytest.mark.parametrize("authors", [("rv andcrrnolen",), ("digital library", "p edition")])
def test_garbled_authors_under_one_long_title(authors):
    scraped = replace(PAPER, authors=authors, year=None, container=None)
    found = c.compare_authors(PAPER, scraped)
    assert (found.verdict, found.points) == (c.WEAK, c.AUTHORS_NONE_LONG_TITLE)
    assert match(PAPER, scraped).same


@pytest.mark.parametrize("other", [
    dict(title="cost models for approximate joins"),  # a short title: the authors count in full
    dict(title="cost models for approximate joins over compressed row stores"),  # another title
    dict(year=2009),  # another year
])
def test_other_authors_still_count_against_otherwise(other):
    someone = replace(PAPER, authors=("k lindqvist",), **other)
    assert c.compare_authors(PAPER, someone).points == c.AUTHORS_NONE_ARTICLES or not match(PAPER, someone).same
    assert not match(PAPER, someone).same


def test_books_are_not_citations():
    book = replace(PAPER, format="book", container=None)
    other = replace(book, authors=("Lindqvist, Karin",))
    assert c.compare_authors(book, other).points == c.AUTHORS_NONE


def test_initials_moved_to_the_next_name_keep_the_surnames():
    """A citation database moves each author's initials to the next name, or reads one initial wrong: the
    surnames, two of them at least, still say who wrote it."""
    shifted = ("s vandermolen", "k achterberg")
    assert surnames_shared(PAPER.authors, shifted) == 1.0
    scraped = replace(PAPER, authors=shifted, year=None, container=None, title=PAPER.title + " systems")
    assert c.compare_authors(PAPER, scraped) == c.Comparison("authors", c.SIMILAR, c.AUTHORS_SOME)
    assert c.compare_authors(PAPER, replace(scraped, authors=("k vandermolen", "t achterberg"))).verdict == c.SIMILAR


@pytest.mark.parametrize("authors", [
    ("k vandermolen",),  # one surname alone is anybody's
    ("k vandermolen", "l lindqvist", "m okafor"),  # one of three
])
def test_one_surname_in_common_is_not_the_same_authors(authors):
    assert surnames_shared(PAPER.authors, authors) == 0.0
    assert c.compare_authors(PAPER, replace(PAPER, authors=authors, title="other words")).verdict == c.MISMATCH


def test_books_do_not_compare_surnames_alone():
    book = replace(PAPER, format="book", container=None, authors=("Vandermolen, R.", "Achterberg, S."))
    other = replace(book, authors=("Vandermolen, K.", "Achterberg, T."))
    assert c.compare_authors(book, other).verdict == c.MISMATCH
