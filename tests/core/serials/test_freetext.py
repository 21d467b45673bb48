"""Typed holdings statements read into ranges: both sides of each reading pinned."""

import pytest

from jaringan.core.serials.coverage import Point, Range, Statement, merge_ranges
from jaringan.core.serials.freetext import parse

CASES = [
    # text, compressed display, unparsed
    ("Vol. 1 (1990) - vol. 12 (2001)", "v.1 (1990)-v.12 (2001)", ()),
    ("1995-2003; 2007-", "1995-2003; 2007-", ()),
    ("v.3 no.2 missing", "lacking: v.3:no.2", ()),
    ("v.1-12 (1990-2001)", "v.1 (1990)-v.12 (2001)", ()),
    ("Th. 5 No. 1 (2010) s.d. sekarang", "v.5:no.1 (2010)-", ()),
    ("Vol. 2 No. 1 (2015) sampai Vol. 4 No. 2 (2017)", "v.2:no.1 (2015)-v.4:no.2 (2017)", ()),
    ("2000/2001 - 2003/2004", "2000-2004", ()),
    ("1990/91", "1990-1991", ()),
    ("v.1:no.1 (1990:Jan.)-v.12 (2001); v.15 (2004)-", "v.1:no.1 (1990)-v.12 (2001); v.15 (2004)-", ()),
    ("1990, 1992, 1995-1999", "1990; 1992; 1995-1999", ()),
    ("v.1, no.2 (1990)", "v.1:no.2 (1990)", ()),
    ("Vol. 24 (2009) through current issue", "v.24 (2009)-", ()),
    ("Jan. 1990 - Dec. 1995", "1990-1995", ()),
    ("[Vol. 1], no 1 (1998)-", "v.1:no.1 (1998)-", ()),
    ("Tahun 1985 - 1990; jil. 7 hilang", "1985-1990; lacking: v.7", ()),
    ("bound with the index", "bound with the index", ("bound with the index",)),
    ("1990-1995; some issues at the branch", "1990-1995; some issues at the branch",
     ("some issues at the branch",)),
    ("", "", ()),
]


@pytest.mark.parametrize(("text", "shown", "unparsed"), CASES)
def test_statement_display_and_what_is_kept(text, shown, unparsed):
    statement = parse(text)
    assert statement.display() == shown
    assert statement.unparsed == unparsed


COVERS = [
    # text, volume, year, covered
    ("Vol. 1 (1990) - vol. 12 (2001)", 5, None, True),
    ("Vol. 1 (1990) - vol. 12 (2001)", 13, None, False),
    ("Vol. 1 (1990) - vol. 12 (2001)", None, 2001, True),
    ("Vol. 1 (1990) - vol. 12 (2001)", None, 2002, False),
    ("Vol. 1 (1990) - vol. 12 (2001)", 5, 1994, True),
    ("1995-2003; 2007-", None, 2005, False),
    ("1995-2003; 2007-", None, 2003, True),
    ("1995-2003; 2007-", None, 2030, True),
    ("1995-2003; 2007-", 4, None, False),  # years only: a volume cannot be answered
    ("1995-2003; 2007-", 4, 1996, True),
    ("v.1-10; v.3 missing", 3, None, False),
    ("v.1-10; v.3 no.2 missing", 3, None, True),  # one issue lacking leaves the volume
    ("v.1-10; v.3 no.2 missing", 11, None, False),
    ("bound with the index", None, 1990, False),
]


@pytest.mark.parametrize(("text", "volume", "year", "covered"), COVERS)
def test_covers(text, volume, year, covered):
    assert parse(text).covers(volume=volume, year=year) is covered


def test_merge_joins_overlaps_and_neighbours_but_keeps_gaps():
    ranges = [Range(Point(1)), Range(Point(2)), Range(Point(4), Point(6)), Range(Point(5), Point(9)),
              Range(Point(12), None, True), Range(Point(15))]
    merged = merge_ranges(ranges)
    assert [r.display() for r in merged] == ["v.1-v.2", "v.4-v.9", "v.12-"]


def test_statement_years_span_every_range():
    assert parse("1995-2003; 2007-").years() == (1995, 999_999)
    assert Statement().years() == (None, None)


def test_round_trip_of_the_compressed_display():
    for text, _shown, unparsed in CASES:
        if unparsed:
            continue
        statement = parse(text)
        again = parse(statement.display())
        assert again.ranges == statement.ranges, text
        assert again.missing == statement.missing, text


def test_timeline_shows_gaps_and_overlaps():
    from jaringan.core.serials.timeline import WIDTH, build_timeline

    t = build_timeline([("A", [(1990, 1995), (1996, 1999)]), ("B", [(1998, 2003)]), ("C", [])], this_year=2026)
    assert (t.start, t.end) == (1990, 2003)
    assert [(b.first, b.last) for b in t.rows[0]] == [(1990, 1999)]  # adjoining runs drawn as one bar
    assert t.rows[2] == ()
    assert [(s.first, s.last, s.holders) for s in t.stretches] == [(1990, 1997, 1), (1998, 1999, 2), (2000, 2003, 1)]
    assert t.gaps == ()
    assert t.rows[1][0].x + t.rows[1][0].width == WIDTH
    g = build_timeline([("A", [(1990, 1991)]), ("B", [(1995, 2026)])], this_year=2026)
    assert [(s.first, s.last) for s in g.gaps] == [(1992, 1994)]
    assert all(0 <= year_x[1] <= WIDTH for year_x in g.ticks)
    assert build_timeline([("A", [])], this_year=2026).start is None
