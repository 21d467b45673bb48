"""Kinds of difference between real catalogue records of one edition (HathiTrust contributors), each
pinned on both sides of its rule: a part named in words that the other record gives as its subtitle, and
a map counted among a book's pages.
"""

from dataclasses import replace

import pytest

from jaringan.core.catalog.marc_format import carrier_from_extent
from jaringan.core.catalog.matching.names import INITIALS_MATCH, name_similarity
from jaringan.core.catalog.matching import MATCH_THRESHOLD, blocking_keys, match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import ONE_SIDED
from jaringan.core.catalog.record import CanonicalRecord

BOOK = CanonicalRecord(title="Stories of insect life", authors=("Murtfeldt, Mary Esther",), year=1901,
                       publisher="Ginn & Co.", pages=72)


@pytest.mark.parametrize(("a", "b", "verdict"), [
    (dict(part="Second series. Summer and autumn"), dict(subtitle="Second series, summer and autumn"), c.MATCH),
    (dict(part="fourth series"), dict(subtitle="Fourth series"), c.MATCH),
    (dict(part="Bald eagle (breeding season)"), dict(subtitle="Bald eagle (breeding season)"), c.MATCH),
    # Not in the other's words, and the other has no page count of its own (a set's "2 v."):
    (dict(part="Second series"), dict(subtitle="First series", pages=None), ONE_SIDED),
    (dict(part="Second series"), dict(pages=None), ONE_SIDED),
    (dict(part="Talbot collection of British pamphlets"), dict(pages=None), ONE_SIDED),
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
    two = replace(one, authors=("Smith, Adam",), year=1897, pages=240)  # another year and page count
    assert not blocking_keys(one) & blocking_keys(two)


@pytest.mark.parametrize(("other", "verdict", "points"), [
    (dict(title="Stories of insect life"), c.MATCH, c.TITLE_EXACT),
    (dict(title="Stories of insect life from Virginia and other lands"), c.WEAK, c.TITLE_WEAK + c.BOOK_TITLE_CONTAINED),
    (dict(title="Stories of plant life"), c.MISMATCH, c.TITLE_DIFFERENT),
])
def test_a_books_title_standing_in_a_longer_one(other, verdict, points):
    result = c.compare_title(BOOK, replace(BOOK, **other))
    assert (result.verdict, result.points) == (verdict, points)


def test_a_title_standing_in_a_longer_one_on_both_sides_of_the_threshold():
    """Contained (10) + authors (20) + year (15) + publisher (10): the same edition; with another publisher (-10), not."""
    longer = replace(BOOK, title=BOOK.title + " from Virginia and other lands", pages=None)
    shorter = replace(BOOK, pages=None)
    assert match(shorter, longer).score == MATCH_THRESHOLD + 5 and match(shorter, longer).same
    other = replace(longer, publisher="Macmillan")
    assert match(shorter, other).score == MATCH_THRESHOLD - 15 and not match(shorter, other).same


@pytest.mark.parametrize(("a", "b", "verdict"), [
    ("New ed., rev., with 130 illus. by W. Freeman", "[New ed., rev.]", c.MATCH),  # 130 counts the illustrations
    ("5th ed. with 2 maps", "5th ed.", c.MATCH),
    ("3rd ed., with 12 plates", "2nd ed.", c.MISMATCH),
    ("2nd ed.", "Ed. 2", c.MATCH),
])
def test_numbers_that_count_illustrations_are_no_edition(a, b, verdict):
    """(The second record has another page count, as a new edition has.)"""
    other = replace(BOOK, edition=b, pages=BOOK.pages + 24)
    assert c.compare_edition(replace(BOOK, edition=a), other).verdict == verdict


@pytest.mark.parametrize(("a", "b", "verdict", "points"), [
    (dict(title="Le morte d'Arthur", language="fre"), dict(title="Le morte d'Arthur", language="eng"),
     c.WEAK, c.LANGUAGE_CODED_APART),  # the same title: the language coded apart
    (dict(title="Pengantar ilmu perpustakaan", language="ind"),
     dict(title="Introduction to library science", language="eng"), c.MISMATCH, c.LANGUAGE_DIFFERENT),
    (dict(language="eng"), dict(language="eng"), c.MATCH, 0),
])
def test_a_language_coded_apart_under_the_same_title(a, b, verdict, points):
    result = c.compare_language(replace(BOOK, **a), replace(BOOK, **b))
    assert (result.verdict, result.points) == (verdict, points)


@pytest.mark.parametrize(("a", "b", "same"), [
    # One person: the same surname (or a typo of it), the first given name in full, cut short or as an initial.
    ("Hark, J. Max", "Hark, Joseph Maximilian", True),
    ("Greenwood, George", "Greenwood, G. G.", True),
    ("Englehardt, F. Rainer", "Engelhardt, F. R.", True),
    ("Smith, John", "Smith, James", False),
    ("Smith, J.", "Smith, K.", False),
    ("Hark, J. Max", "Park, J. Max", False),
    # One body: the words of one name, without "Inc.", "Co." and small words, all in the other's.
    ("Colonial Williamsburg, Incorporated", "Colonial Williamsburg, inc", True),
    ("Bausch and Lomb Optical Co., Rochester, N. Y.", "Bausch & Lomb Optical Company", True),
    ("United States. Congress. House", "United States. Congress. Senate", False),
    ("Seattle Public Library", "Seattle Art Museum", False),
])
def test_catalogue_name_forms(a, b, same):
    assert (name_similarity(a, b) >= INITIALS_MATCH) is same
    assert (name_similarity(b, a) >= INITIALS_MATCH) is same
