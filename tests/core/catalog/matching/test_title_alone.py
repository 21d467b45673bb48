"""A record that gives nothing but its title (a stub: no author, year, publisher or extent) can agree on
nothing else; a long title word for word is then enough.  A short title, or another word, is not."""

from dataclasses import replace

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MATCH
from jaringan.core.catalog.record import CanonicalRecord

FULL = CanonicalRecord(title="Sense and nonsense in river pilotage", subtitle="an essay on the lore of the tides",
                       authors=("Stennet, Hal",), publisher="Abermoor Press", place="Harlow", year=1969, pages=255,
                       format="book", carrier="text", language="eng")
STUB = CanonicalRecord(title="Sense and nonsense in river pilotage", format="book", carrier="text")


def test_a_stub_with_a_long_title_word_for_word_matches():
    found = c.compare_title(FULL, STUB)
    assert (found.verdict, found.points) == (MATCH, c.TITLE_EXACT + c.BOOK_TITLE_ALONE)
    assert match(FULL, STUB).same and match(STUB, FULL).same


def test_a_short_title_or_another_word_is_not_enough():
    short_full, short_stub = replace(FULL, title="Proceedings"), replace(STUB, title="Proceedings")
    assert not match(short_full, short_stub).same
    assert not match(FULL, replace(STUB, title="Sense and nonsense in river navigation")).same
    # A record with anything else to compare by is no stub: the title counts as usual.
    with_year = replace(STUB, year=1969)
    assert c.compare_title(FULL, with_year).points == c.TITLE_EXACT


def test_a_common_title_of_three_words_is_not_enough():
    common = replace(FULL, title="Pengantar ilmu perpustakaan", subtitle=None)
    assert not match(common, replace(STUB, title="Pengantar ilmu perpustakaan")).same
