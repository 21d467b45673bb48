"""Printed books coded as other printed things: a published dissertation coded as a thesis, a song book
coded as a score by one library and as a book by another, and maps that are only what a book holds
("[62] p. incl. maps", "11 pt. illus. (maps)").  A carrier an extent names, a sound recording, or another
title still keep them apart."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.marc_format import EXTENT_CARRIERS, carrier_from_extent
from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MISMATCH, WEAK
from jaringan.core.catalog.record import CanonicalRecord

BOOK = CanonicalRecord(title="Tidewater speech in the northern provinces", authors=("Orme, Letitia",),
                       publisher="Harlow University Press", place="Harlow", year=1964, extent="ix, 362 p.",
                       pages=362, format="book", carrier="text", language="eng")


def test_a_published_dissertation_coded_as_a_thesis_is_weak_evidence_against():
    thesis = replace(BOOK, format="thesis")
    assert c.compare_format(thesis, BOOK) == c.Comparison("format", WEAK, c.FORMAT_TEXT_KIND_DIFFERENT)
    assert match(thesis, BOOK).same
    # The dissertation of another year (a typescript, then the book) stays apart.
    assert not match(replace(thesis, year=1962, publisher=None), BOOK).same
    assert c.compare_format(replace(thesis, title="Tidewater speech"), BOOK).verdict == MISMATCH


SONGS = CanonicalRecord(title="Songs of the valley farms", authors=("Brede, Anna",), publisher="H. Voss",
                        place="Boston", year=1918, extent="2 v.", format="book", carrier="text", language="eng")


def test_printed_music_coded_as_a_book_by_its_leader_only_is_weak_evidence_against():
    score = replace(SONGS, format="music", carrier="score")
    assert c.compare_format(score, SONGS) == c.Comparison("format", WEAK, c.FORMAT_TEXT_KIND_DIFFERENT)
    assert match(score, SONGS).same


@pytest.mark.parametrize("other", [
    dict(format="music", carrier="score", extent="1 score (2 v.)"),  # the extent names the score
    dict(format="music", carrier="sound", extent=None),  # a recording
    dict(format="music", carrier="score", title="Songs of the hill farms"),  # another title
    dict(format="map", carrier="map", extent=None),
])
def test_what_an_extent_names_or_another_carrier_keeps_them_apart(other):
    assert c.compare_format(replace(SONGS, **other), SONGS).verdict == MISMATCH
    assert not match(replace(SONGS, **other), SONGS).same


@pytest.mark.parametrize(("extent", "carrier"), [
    ("[62] p. incl. maps, tables", None),
    ("11 pt. illus. (plan, maps)", None),
    ("3 parts : maps", None),
    ("1 map : col.", "map"),
    ("1 score (32 p.)", "score"),
])
def test_maps_a_book_holds_are_not_its_carrier(extent, carrier):
    assert carrier_from_extent(extent) == carrier


@pytest.mark.parametrize(("extent", "carrier"), [
    ("1 sound disc (45 min.) ; 4 3/4 in. + 1 score", "sound"),
    ("1 videodisc (DVD)", "projected"),
    ("1 online resource (xii, 200 p.)", "computer"),
    ("xii, 345 p. : ill. ; 24 cm", None),
])
def test_the_carrier_written_first_names_it(extent, carrier):
    assert carrier_from_extent(extent) == carrier


def test_no_carrier_word_begins_another():
    """The carrier words are searched for all at once, the earliest match taken: were one word the start of
    another, the one listed first would win where both begin, not the longer."""
    words = [word for word, _carrier in EXTENT_CARRIERS]
    assert not [(a, b) for a in words for b in words if a != b and b.startswith(a)]
