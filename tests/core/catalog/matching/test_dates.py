"""Dates of older books as catalogues give them: a year the date statement corrects or gives apart from
the fixed field, and a year the cataloguer guessed ("[18--?]", "[189-?]").  Each is one edition's year
however written; a copyright date, the end of a set's span and a year outside a guess still tell
printings apart."""

from dataclasses import replace

import pymarc
import pytest
from pymarc import Field, Indicators, Subfield

from jaringan.core.catalog import codec
from jaringan.core.catalog.marc import record_from_marc
from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MATCH, MISMATCH, SIMILAR, WEAK
from jaringan.core.catalog.record import CanonicalRecord


def _marc(fixed_dates: str, statement: str | None) -> CanonicalRecord:
    """A made-up book whose 008 positions 06-14 are ``fixed_dates`` and whose 260 $c is ``statement``."""
    record = pymarc.Record(leader="00000nam a2200000 a 4500")
    record.add_field(Field(tag="008", data=f"800101{fixed_dates}xxu           000 0 eng  "))
    record.add_field(Field(tag="245", indicators=Indicators("1", "0"), subfields=[Subfield("a", "Lanterns of the marsh")]))
    publication = [Subfield("a", "Boston :"), Subfield("b", "Carrow & Finch,")]
    if statement is not None:
        publication.append(Subfield("c", statement))
    record.add_field(Field(tag="260", indicators=Indicators(" ", " "), subfields=publication))
    return record_from_marc(record)


@pytest.mark.parametrize(("fixed_dates", "statement", "year", "other_years"), [
    ("s1965    ", "[1963]", 1965, (1963,)),  # the fixed field and the statement disagree: one is a slip
    ("r19611932", "1932 i.e. 1961.", 1961, (1932,)),  # a corrected year
    ("s1943    ", "Sept. 1942 [i.e. 1943]", 1943, (1942,)),
    ("c19471943", "1947, c1943.", 1947, ()),  # a copyright date is not the printing's year
    ("c19061899", "1906 [©1899]", 1906, ()),
    ("m18921901", "1892-1901.", 1892, ()),  # the end of a set's span is not its year
    ("s1911    ", "1911.", 1911, ()),
])
def test_the_years_a_date_statement_names(fixed_dates, statement, year, other_years):
    record = _marc(fixed_dates, statement)
    assert (record.year, record.other_years) == (year, other_years)


@pytest.mark.parametrize(("fixed_dates", "statement", "year", "until"), [
    ("s1890    ", "[189-?]", 1890, 1899),
    ("q18001899", "[18--?]", 1800, 1899),
    ("q19009999", "[n.d.]", 1900, 1999),  # an open end: at most a century
    ("q19501959", None, 1950, 1959),
    ("s1911    ", "1911.", 1911, None),  # a year stated, not guessed
    ("s1910    ", "[1910?]", 1910, None),  # a year with a query: still that year
])
def test_a_guessed_year_spans_what_it_may_mean(fixed_dates, statement, year, until):
    record = _marc(fixed_dates, statement)
    assert (record.year, record.year_until) == (year, until)


def test_records_without_these_dates_are_stored_as_before():
    plain = _marc("s1911    ", "1911.")
    assert "other_years" not in codec.to_data(plain) and "year_until" not in codec.to_data(plain)
    stated = _marc("s1965    ", "[1963]")
    assert codec.from_data(codec.to_data(stated)) == stated


BOOK = CanonicalRecord(title="Lanterns of the marsh", authors=("Pell, Augustin",), publisher="Carrow & Finch",
                       year=1965, pages=166, format="book", carrier="text", language="eng")


def test_a_year_the_other_statement_names_is_the_same_year():
    one, other = replace(BOOK, other_years=(1963,)), replace(BOOK, year=1963)
    for x, y in ((one, other), (other, one)):
        assert c.compare_year(x, y) == c.Comparison("year", SIMILAR, c.YEAR_STATED)
    assert match(one, other).same
    assert not match(BOOK, replace(BOOK, year=1963)).same  # without the statement: two years apart


def test_a_guessed_year_holds_the_years_it_spans():
    guessed = replace(BOOK, year=1800, year_until=1899)
    for year in (1800, 1872, 1899):
        assert c.compare_year(guessed, replace(BOOK, year=year)).verdict in (WEAK, MATCH)
        assert c.compare_year(replace(BOOK, year=year), guessed).verdict in (WEAK, MATCH)
    assert match(guessed, replace(BOOK, year=1872)).same
    # Outside the guess, a year is another printing.
    assert c.compare_year(guessed, replace(BOOK, year=1905)).verdict == MISMATCH
    assert not match(guessed, replace(BOOK, year=1905)).same


def test_a_copyright_date_or_a_spans_end_does_not_make_one_year():
    later_printing = _marc("c19011887", "1901, c1887.")
    first = replace(later_printing, year=1887, other_years=())
    assert c.compare_year(later_printing, first).verdict == MISMATCH
    one_set, other_set = _marc("m19161918", "1916-1918."), _marc("m19121916", "1912-1916.")
    assert c.compare_year(one_set, other_set).verdict == MISMATCH


def test_sets_dated_from_first_volumes_a_year_apart_are_one_set():
    """A set issued over years is dated by the first volume its cataloguer had: "1892-1901" and
    "1893-1901" may be one set; sets whose spans barely meet, or one still coming out, stay apart."""
    one, other = _marc("m18921901", "1892-1901."), _marc("m18931901", "1893-1901.")
    assert (one.year, one.year_last, other.year_last) == (1892, 1901, 1901)
    assert c.compare_year(one, other) == c.Comparison("year", WEAK, 0)
    assert c.compare_year(other, one) == c.Comparison("year", WEAK, 0)
    assert codec.from_data(codec.to_data(one)) == one
    assert _marc("m19551985", "1955-1985.").year_last == 1985
    assert _marc("m19559999", "1955-").year_last is None  # still coming out
    assert _marc("s1892    ", "1892.").year_last is None
    assert "year_last" not in codec.to_data(_marc("s1892    ", "1892."))
    # Begun four years apart, or a year apart without a span on both sides: the year tells them apart.
    assert c.compare_year(_marc("m19161918", "1916-1918."), _marc("m19121916", "1912-1916.")).verdict == MISMATCH
    assert c.compare_year(one, _marc("s1893    ", "1893.")).points < 0
    assert c.compare_year(_marc("m18921893", "1892-1893."), _marc("m18951901", "1895-1901.")).verdict == MISMATCH
