"""Kinds of difference between real catalogue records of one edition (HathiTrust contributors), each
pinned on both sides of its rule: a part named in words that the other record gives as its subtitle, and
a map counted among a book's pages.
"""

from dataclasses import replace

import pytest

from jaringan.core.catalog.marc_format import carrier_from_extent
from jaringan.core.catalog.matching import blocking_keys
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.record import CanonicalRecord

BOOK = CanonicalRecord(title="Stories of insect life", authors=("Murtfeldt, Mary Esther",), year=1901,
                       publisher="Ginn & Co.", pages=72)


@pytest.mark.parametrize(("a", "b", "verdict"), [
    (dict(part="Second series. Summer and autumn"), dict(subtitle="Second series, summer and autumn"), c.MATCH),
    (dict(part="fourth series"), dict(subtitle="Fourth series"), c.MATCH),
    (dict(part="Bald eagle (breeding season)"), dict(subtitle="Bald eagle (breeding season)"), c.MATCH),
    (dict(part="Second series"), dict(subtitle="First series"), c.ONE_SIDED),  # not in the other's words
    (dict(part="Second series"), dict(), c.ONE_SIDED),
    (dict(part="Talbot collection of British pamphlets"), dict(), c.ONE_SIDED),
])
def test_a_part_in_words_as_the_others_subtitle(a, b, verdict):
    one, other = replace(BOOK, **a), replace(BOOK, **b)
    assert c.compare_part(one, other).verdict == verdict == c.compare_part(other, one).verdict


@pytest.mark.parametrize(("extent", "carrier"), [
    ("xxii, 193 p. incl. maps.", None),  # the book holds maps: the leader says what it is
    ("128p.,map.", None),
    ("2 v. : maps", None),
    ("1 map : col. ; 60 x 90 cm", "map"),
    ("3 maps on 1 sheet", "map"),
    ("1 atlas (120 p.)", "map"),
    ("1 score (32 p.)", "score"),
    ("2 sound discs", "sound"),
])
def test_carrier_words_after_a_page_count_are_contents(extent, carrier):
    assert carrier_from_extent(extent) == carrier


@pytest.mark.parametrize(("a", "b"), [
    # The same surname, given names written out or not, a year apart (008 and 260 $c).
    (dict(title="The ministry to the congregation", authors=("Kern, John A.",), year=1898),
     dict(title="The ministry to the congregation", authors=("Kern, John Adam",), year=1897)),
    # A one-word title and the same title with its subtitle typed in, a contributor more on one side.
    (dict(title="Euphorion", authors=("Lee, Vernon",), year=1885),
     dict(title="Euphorion: being studies of the antique", authors=("Lee, Vernon", "Boiardo, Matteo Maria"),
          year=1885)),
])
def test_first_authors_surname_brings_catalogue_variants_together(a, b):
    assert blocking_keys(replace(BOOK, **a)) & blocking_keys(replace(BOOK, **b))


def test_other_authors_books_share_no_key():
    one = replace(BOOK, title="The ministry to the congregation", authors=("Kern, John A.",), year=1898)
    two = replace(one, authors=("Smith, Adam",), year=1897)
    assert not blocking_keys(one) & blocking_keys(two)
