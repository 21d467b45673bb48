"""Kinds of difference between two citations' venue cells: an acronym that is not its name's initials, an
acronym spelled by a compound word, and a cell that names no venue at all."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching.venues import venue_named, venue_uncertain, venue_verdict
from jaringan.core.catalog.record import CanonicalRecord

PAPER = CanonicalRecord(title="adaptive sampling of sensor streams under bounded memory", format="article",
                        authors=("k hollister", "m oyelaran"), container="sigir conference")


@pytest.mark.parametrize(("a", "b", "verdict"), [
    # A known acronym alone against the name it stands for, which its letters do not spell.
    ("SIGIR Conference", "Proc. 9th Intl. Conference on Research in Information Retrieval", c.SIMILAR),
    ("icde", "proceedings of the international conference on data engineering , tokyo", c.SIMILAR),
    ("sigmod", "int . conf . on the management of data", c.SIMILAR),
    # The acronym with another word is another venue: not the conference.
    ("sigmod record", "conference on management of data", c.MISMATCH),
    # A compound word gives two letters of an acronym.
    ("vldb", "proc . 30th int . conf . on very large databases , toronto", c.SIMILAR),
    ("ssdbm", "statistical and scientific database management", c.SIMILAR),
    # ...but letters must still come in order from consecutive words.
    ("vldb", "very big databases", c.MISMATCH),
])
def test_acronyms_against_names(a, b, verdict):
    assert venue_verdict(a, b) == verdict == venue_verdict(b, a)


@pytest.mark.parametrize(("venue", "named"), [
    ("J. Chem. Educ.", True),
    ("Jurnal Perpustakaan Pertanian", True),
    ("Information and software technology", True),  # a name of three words
    ("TKDE", True),
    ("lisbon , portugal , august", False),  # a place and a date
    ("mobile computing", False),  # a topic
    ("smith and jones", False),
])
def test_a_cell_names_a_venue_or_not(venue, named):
    assert venue_named(venue) is named


def test_a_cell_naming_no_venue_is_no_contradiction():
    place = replace(PAPER, container="lisbon , portugal , august")
    found = c.compare_container(PAPER, place)
    assert (found.verdict, found.points) == (c.WEAK, 0)
    other_journal = replace(PAPER, container="Journal of Applied Hydrology")
    assert c.compare_container(PAPER, other_journal).points == c.CONTAINER_DIFFERENT


def test_the_venue_spelled_out_lets_title_and_authors_decide():
    spelled = replace(PAPER, container="Proc. Intl. Conference on Research and Development in Information Retrieval")
    assert c.compare_container(PAPER, spelled).verdict == c.SIMILAR
    assert match(PAPER, spelled).same


@pytest.mark.parametrize(("venue", "uncertain"), [
    ("acm conference on management of", True),  # a cell cut at a fixed length
    ("proceedings of the international conference on", True),
    ("ecole nationale superieure des mines", True),  # where the author worked, not where the paper appeared
    ("acm conference on management of data", False),
    ("journal of the american society for information science", False),
])
def test_a_venue_cut_short_or_an_institution_is_uncertain(venue, uncertain):
    assert venue_uncertain(venue) is uncertain


def test_a_venue_cut_short_is_no_contradiction():
    cut = replace(PAPER, container="international conference on research and development in")
    assert c.compare_container(PAPER, cut).verdict == c.WEAK
