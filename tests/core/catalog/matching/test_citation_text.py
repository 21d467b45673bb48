"""Kinds of difference between two citations of one paper that citation databases make of its title: words
run together, the authors and year typed before it, the venue or a note after it.  Pinned on both sides:
another paper whose title merely contains the other's stays apart."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import blocking_keys, match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.titles import segment_letters_agree
from jaringan.core.catalog.record import CanonicalRecord

PAPER = CanonicalRecord(title="incremental repair of spatial indexes", format="article",
                        authors=("t okonkwo", "l brandvold"), container="vldb", year=2004)
SCRAPED = replace(PAPER, year=None, container=None)


@pytest.mark.parametrize("title", [
    "incrementalrepairof spatialindexes",  # words run together
    "l. brandvold . incremental repair of spatial indexes",  # an author typed before it
    "t okonkwo , l brandvold ( 2004 ) . incrementalrepair of spatial indexes",
    "incremental repair of spatial indexes . in : proc . of the 30th int . conf . on very large",  # the venue after
    "incremental repair of spatial indexes [ j ]",
])
def test_the_title_in_a_citations_text_is_the_title(title):
    other = replace(SCRAPED, title=title)
    assert segment_letters_agree(PAPER.title, other.title)
    found = c.compare_title(PAPER, other)
    # At least similar; the same title after a preamble of names only is the same title (test_citation_damage).
    assert found.points >= c.TITLE_SIMILAR + c.ARTICLE_LONG_TITLE
    assert match(PAPER, other).same
    assert blocking_keys(PAPER) & blocking_keys(other)


@pytest.mark.parametrize("title", [
    "a survey of incremental repair of spatial indexes",  # another paper about it: real words before
    "incremental repair of spatial and temporal indexes",
    "repair of spatial indexes",
])
def test_another_papers_title_is_not_the_title(title):
    other = replace(SCRAPED, title=title)
    assert not segment_letters_agree(PAPER.title, other.title)
    assert not match(PAPER, other).same


def test_a_short_title_says_little_by_its_letters():
    """Under ``SEGMENT_MIN_LETTERS`` letters a title standing in the other's text is left to the words."""
    short = replace(PAPER, title="tree joins")
    assert not segment_letters_agree(short.title, "r. ortiz . tree joins . acm")


def test_a_notice_about_the_paper_is_not_the_paper():
    assert not segment_letters_agree(PAPER.title, "erratum : incremental repair of spatial indexes")


def test_the_same_letters_with_words_run_together_are_the_same_title():
    """A citation database runs words together; letter for letter it is the title, short or long."""
    short = replace(PAPER, title="on spatial joins")
    assert c.compare_title(short, replace(SCRAPED, title="onspatial joins")).verdict == c.MATCH
    assert c.compare_title(PAPER, replace(SCRAPED, title="incremental repair of spatialindexes")) \
        == c.Comparison("title", c.MATCH, c.TITLE_EXACT)  # four words left: not long by its words
    # A letter other as well: similar, not the same.
    assert c.compare_title(PAPER, replace(SCRAPED, title="incrementalrepairs ofspatial indexes")).verdict \
        == c.SIMILAR
    assert c.compare_title(short, replace(SCRAPED, title="onspatial join")).verdict != c.MATCH
