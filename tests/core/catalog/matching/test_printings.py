"""Kinds of difference between catalogue records of one printed book that are not another edition: a
part or series name on one side only, impressions numbered as editions, and a text coded as another kind
of text.  Each rule is pinned on both sides: what still tells editions, volumes and carriers apart."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching import parts
from jaringan.core.catalog.matching.comparison import MISMATCH, ONE_SIDED, WEAK
from jaringan.core.catalog.record import CanonicalRecord

OLD = CanonicalRecord(title="Notes on the birds of the lower river valley", authors=("Whitcombe, Harold J.",),
                      publisher="Dunmore & Sons", year=1904, pages=212, format="book", carrier="text")


@pytest.mark.parametrize("part", ["Part 1", "First series", "Pellworth collection of county pamphlets",
                                  "Museum papers, zoology, v. 3, no. 2"])
def test_a_part_on_one_side_of_one_year_and_page_count_is_weak(part):
    one, other = replace(OLD, part=part), OLD
    assert (c.compare_part(one, other).verdict, c.compare_part(one, other).points) == (
        WEAK, parts.PART_ONE_SIDED_SAME_EXTENT)
    assert c.compare_part(other, one).verdict == WEAK
    assert match(one, other).same


@pytest.mark.parametrize("other", [
    dict(pages=None),  # a set's record: "2 v.", no page count of its own
    dict(pages=148),  # another volume's page count
    dict(year=1906),  # another year
])
def test_a_volume_against_a_set_or_another_record_stays_apart(other):
    volume = replace(OLD, part="v. 2")
    assert c.compare_part(volume, replace(OLD, **other)).verdict == ONE_SIDED
    assert not match(volume, replace(OLD, **other)).same


def test_with_isbns_a_one_sided_volume_number_still_vetoes():
    modern = replace(OLD, year=1994, isbns=("9780306406157",))
    assert c.compare_part(replace(modern, part="Jilid 2"), modern).verdict == ONE_SIDED


@pytest.mark.parametrize(("a", "b"), [("4th impression", "5th impression"), ("First edition", "3rd ed."),
                                      ("6th ed.", "[7th ed.]")])
def test_editions_numbered_apart_in_one_year_and_page_count_are_printings(a, b):
    one, other = replace(OLD, edition=a), replace(OLD, edition=b)
    found = c.compare_edition(one, other)
    assert (found.verdict, found.points) == (WEAK, c.EDITION_SAME_PRINTING)
    assert match(one, other).same


@pytest.mark.parametrize("other", [
    dict(year=1911),  # a new edition's year
    dict(pages=264),  # a revision's page count
    dict(isbns=("9780306406157",)),  # with ISBNs, a new number is a new edition or printing
])
def test_editions_numbered_apart_otherwise_stay_apart(other):
    one, two = replace(OLD, edition="2nd ed."), replace(OLD, edition="3rd ed.", **other)
    if "isbns" in other:
        one = replace(one, isbns=other["isbns"])
    assert c.compare_edition(one, two).verdict == MISMATCH
    assert not match(one, two).same


@pytest.mark.parametrize("kind", ["serial", "article", "thesis"])  # a thesis: a printed dissertation's 502 note
def test_one_title_coded_as_another_kind_of_text_is_weak(kind):
    coded = replace(OLD, format=kind)
    found = c.compare_format(OLD, coded)
    assert (found.verdict, found.points) == (WEAK, c.FORMAT_TEXT_KIND_DIFFERENT)
    assert match(OLD, coded).same


@pytest.mark.parametrize("other", [
    dict(format="serial", title="Notes on the mammals of the lower river valley"),  # another title
    dict(format="thesis", title="Notes on the birds of the river valley"),  # a thesis and the book made of it
    dict(carrier="map"),  # another carrier
    dict(format="video"),
])
def test_other_kinds_and_carriers_stay_apart(other):
    assert c.compare_format(OLD, replace(OLD, **other)).verdict == MISMATCH
    assert not match(OLD, replace(OLD, **other)).same
