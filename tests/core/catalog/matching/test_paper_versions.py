"""Kinds of difference between two citations of one paper: the versions it was cited by (a report or
preprint, the conference paper, the journal paper grown from it) dated years apart under one long title
by the same authors; and a title cited with words of its middle left out.  Pinned on both sides: a
column that recurs every year, a paper by other people, and another paper by the same people whose
title goes on before or after the other's, or puts other words in, stay apart."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching.citations import words_left_out
from jaringan.core.catalog.record import CanonicalRecord

PAPER = CanonicalRecord(title="incremental maintenance of sampled views over partitioned sensor archives",
                        format="article", authors=("m okafor", "j lindqvist"), container="vldb", year=1998)


@pytest.mark.parametrize("years", [1, 2, c.ARTICLE_VERSIONS_YEARS])
def test_a_papers_versions_years_apart_are_one_paper(years):
    journal = replace(PAPER, container="acm transactions on database systems", year=PAPER.year + years)
    report = replace(PAPER, container=None, year=PAPER.year - years, authors=("mk okafor", "j lindqvist"))
    for other in (journal, report):
        assert c.compare_year(PAPER, other) == c.Comparison("year", c.WEAK, c.YEAR_ARTICLE_VERSIONS)
    assert match(PAPER, report).same
    assert match(PAPER, replace(journal, container=None)).same


def test_versions_further_apart_are_other_papers():
    later = replace(PAPER, year=PAPER.year + c.ARTICLE_VERSIONS_YEARS + 1)
    assert c.compare_year(PAPER, later).points == c.YEAR_DIFFERENT
    assert not match(PAPER, later).same


@pytest.mark.parametrize("other", [
    dict(authors=("m okafor", "r castellano")),  # not the same authors: a paper of another group
    dict(title="sampling sensor archives"),  # a short title: no telling
    dict(title="incremental refresh of sampled views over partitioned sensor streams"),  # other words
])
def test_a_year_apart_still_counts_in_full_otherwise(other):
    one = replace(PAPER, title=other["title"]) if other.get("title") == "sampling sensor archives" else PAPER
    assert c.compare_year(one, replace(PAPER, year=PAPER.year + 1, **other)).points == c.YEAR_DIFFERENT


def test_a_column_that_recurs_every_year_is_not_one_paper():
    column = CanonicalRecord(title="book review column", format="article", authors=("k aberer",),
                             container="sigmod record", year=2002)
    assert c.compare_year(column, replace(column, year=2003)).points == c.YEAR_DIFFERENT
    assert not match(column, replace(column, year=2003)).same


def test_books_keep_their_year():
    book = replace(PAPER, format="book", container=None)
    assert c.compare_year(book, replace(book, year=PAPER.year + 2)).points == c.YEAR_DIFFERENT


@pytest.mark.parametrize("title, left_out", [
    ("incremental maintenance of sampled views over partitioned sensor archives", 0),
    ("incremental maintenance of views over partitioned sensor archives", 1),
    ("incremental maintenance of sampled views over sensor archives", 1),
    ("incremental maintenance of views over archives", 3),
    ("incremental maintenance for sampled views over partitioned sensor archives", 0),  # other small words
    ("incrementl maintenance of sampled views over partitioned sensor archives", 0),  # a typo
])
def test_words_left_out_of_the_middle(title, left_out):
    assert words_left_out(PAPER.title, title) == left_out
    assert words_left_out(title, PAPER.title) == left_out


def test_a_title_with_words_of_its_middle_left_out_is_the_paper():
    scraped = replace(PAPER, title="incremental maintenance of views over sensor archives", year=None,
                      container=None)
    assert c.compare_title(PAPER, scraped) == c.Comparison("title", c.SIMILAR, c.ARTICLE_ONE_WORD_OTHER)
    assert match(PAPER, scraped).same


@pytest.mark.parametrize("title", [
    "maintenance of sampled views over partitioned sensor archives",  # its first word left out
    "a cost model for incremental maintenance of sampled views over partitioned sensor archives",  # words before
    "incremental maintenance of sampled views over partitioned sensor archives and their costs",  # words after
])
def test_a_title_that_begins_or_ends_otherwise_is_not_words_left_out(title):
    assert words_left_out(PAPER.title, title) is None
    if not title.startswith(PAPER.title):  # one that goes on after the other's end is a title cut short
        assert not match(PAPER, replace(PAPER, title=title, year=None, container=None)).same


def test_words_left_out_of_a_short_title_are_not_enough():
    paper = replace(PAPER, title="mining generalised association rules")
    other = replace(paper, title="mining association rules", year=None, container=None)
    assert words_left_out(paper.title, other.title) == 1
    assert words_left_out(paper.title, other.title, c.ARTICLE_LONG_TITLE_WORDS) is None
    assert c.compare_title(paper, other).points < c.ARTICLE_ONE_WORD_OTHER
    assert not match(paper, other).same


def test_words_left_out_by_other_people_are_another_paper():
    other = replace(PAPER, title="incremental maintenance of views over sensor archives", year=None,
                    container=None, authors=("r castellano",))
    assert not match(PAPER, other).same
