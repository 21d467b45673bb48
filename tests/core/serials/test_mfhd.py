"""MFHD captions paired with enumeration and chronology, on hand-written fields (no outside data)."""

import pytest

from jaringan.core.serials import mfhd
from jaringan.core.serials.coverage import Point


def fields(*lines):
    return [mfhd.parse_vector_line(line) for line in lines]


CAPTION = "853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01"

ITEMS = [
    ("863 41 $81.1$a1$b6$i1990$j06", "v.1:no.6 (1990:June)"),
    ("863 40 $81.1$a1$b6-8$i1990$j06-08", "v.1:no.6 (1990:June)-v.1:no.8 (1990:Aug.)"),
    ("863 40 $81.2$a1-$b11-$i1990-$j11-", "v.1:no.11 (1990:Nov.)-"),
    ("863 41 $81.3$a2$b1/2$i1991$j01/02", "v.2:no.1 (1991:Jan./Feb.)"),
    ("863 41 $81.4$a1$b4$i1990$j[04]", "v.1:no.4 (1990:[Apr.])"),
    ("863 41 $81.5$a1$b2$i1990", "v.1:no.2 (1990)"),
]


@pytest.mark.parametrize(("line", "shown"), ITEMS)
def test_an_item_displays_with_its_captions(line, shown):
    [item] = mfhd.items(fields(CAPTION, line))
    assert item.text == shown


def test_chronology_in_the_enumeration_subfields():
    [a, b] = mfhd.items(fields("853 20 $81$a(year)$b(season)", "863 41 $81.1$a2007$b21", "863 41 $81.2$a2008$b24"))
    assert (a.text, b.text) == ("2007:Spring", "2008:Winter")
    assert a.range.start == Point(year=2007)


def test_an_item_without_its_caption_is_kept_as_text():
    [item] = mfhd.items(fields("853 20 $81$av.$bno.", "863 41 $82.1$a5$b1"))
    assert item.range is None
    statement = mfhd.statement(fields("853 20 $81$av.$bno.", "863 41 $82.1$a5$b1"))
    assert statement.unparsed == ("$82.1 $a5 $b1",)


def test_textual_holdings_and_supplements():
    statement = mfhd.statement(fields(
        "866 40 $80$av.1-v.10 (1990-1999)$zlacks v.4",
        "867 40 $80$aSuppl. 1-3",
        "868 40 $80$aIndex v.1-10",
    ))
    assert statement.display() == "v.1 (1990)-v.10 (1999)"
    assert statement.notes == ("lacks v.4", "Supplements: Suppl. 1-3", "Indexes: Index v.1-10")
    assert statement.covers(volume=5) and not statement.covers(volume=11)


def test_863_and_866_of_one_record_are_joined():
    statement = mfhd.statement(fields("853 20 $81$a(year)", "863 41 $81.1$a2004/2005",
                                      "866 40 $a2000/2001 - 2003/2004"))
    assert statement.display() == "2000-2005"
