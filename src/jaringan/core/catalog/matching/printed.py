"""The year and the edition statement of two records: what tells printings and editions of one book apart.

Older catalogues date a printing more than one way (by its copyright and by its issue, a fixed field
against a date statement, a year guessed as "[18--?]") and number impressions as editions; newer records
with ISBNs do neither.  ``compare_year`` and ``compare_edition`` are comparators like those of
``compare.py`` (which lists them among ``COMPARATORS`` and reads their weights from here).
"""

from __future__ import annotations

from ..record import CanonicalRecord
from .comparison import MATCH, MISMATCH, MISSING, SIMILAR, WEAK, Comparison
from ..text import normalise_for_match
from .fields import FIRST_EDITION, edition_key, pages_agree
from .parts import ARTICLE

__all__ = ["compare_edition", "compare_year"]

# Year of publication.  Books without ISBNs (older books, mostly) are often dated a year apart for one
# printing: by its copyright and by its issue, an inferred "[1879?]", a record's 008 against another's
# 260 $c; so there a year apart counts against only as much as agreement elsewhere can outweigh.  With
# ISBNs, a new year is a reprint.
YEAR_SAME, YEAR_DIFFERENT, YEAR_APART_ONE = 15, -80, -30
#: One record's year among those the other's date statement names (a year corrected, "1932 [i.e. 1961]", or
#: a fixed field that says another year than the statement: one of the two a slip); a year guessed by the
#: cataloguer ("[18--?]", "[189-?]") whose span holds the other's: no evidence either way.
YEAR_STATED, YEAR_GUESSED = 10, 0
#: Two sets issued over several years whose spans overlap and begin a year apart ("1892-1901" /
#: "1893-1901"): a set is dated by the first volume its cataloguer had, so no evidence either way.
YEAR_SET_BEGUN = 0
# Edition statement.
EDITION_SAME, EDITION_DIFFERENT, EDITION_ONE_SIDED, EDITION_NAMED_DIFFERENT = 10, -60, -15, -20
#: Numbered apart, but of one year and one page count and without ISBNs (older books, whose statements
#: number impressions and thousands as editions): printings of one edition ("4th impression" / "5th
#: impression", "First edition" / "3rd ed." issued the same year), where a new edition's revision would show.
#: With ISBNs a new number is a new edition (or printing, "Cet. 2"), kept apart.
EDITION_SAME_PRINTING = -20


def compare_year(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Publication year: a reprint with a new year is a different edition; a book's year apart counts less.

    A year one record's date statement names besides its first ("1932 [i.e. 1961]", "[1963]" under a
    fixed field that says 1965) is as much the record's year; a guessed year ("[18--?]") stands for
    every year it may mean."""
    if a.year is None or b.year is None:
        return Comparison("year", MISSING, 0)
    if a.year == b.year:
        return Comparison("year", MATCH, YEAR_SAME)
    if not {a.year, *a.other_years}.isdisjoint((b.year, *b.other_years)):
        return Comparison("year", SIMILAR, YEAR_STATED)
    if _guessed_within(a, b) or _guessed_within(b, a):
        return Comparison("year", WEAK, YEAR_GUESSED)
    if _sets_begun_a_year_apart(a, b):
        return Comparison("year", WEAK, YEAR_SET_BEGUN)
    if abs(a.year - b.year) == 1 and a.format != ARTICLE and not a.isbns and not b.isbns:
        return Comparison("year", WEAK, YEAR_APART_ONE)
    return Comparison("year", MISMATCH, YEAR_DIFFERENT)


def _sets_begun_a_year_apart(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True for two sets issued over several years (``year_last``) whose first years are one apart and
    whose spans overlap."""
    if a.year_last is None or b.year_last is None or abs(a.year - b.year) != 1:
        return False
    return max(a.year, b.year) <= min(a.year_last, b.year_last)


def _guessed_within(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when ``a``'s year is a guess ("[189-?]", 008 "q") whose span holds a year ``b`` gives."""
    if a.year_until is None:
        return False
    return any(a.year <= year <= a.year_until for year in (b.year, *b.other_years) if year is not None)


def compare_edition(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Edition statements as keys ("2nd ed." = "Edisi kedua"); an unstated first edition is fine.

    Different numbers are different editions (a veto).  The same number with
    a revision noted on one side only, or two statements that name an edition
    without numbering it, are weak evidence: catalogues transcribe the same
    statement more or less fully ("2d ed." / "2d ed., rev., enl. and entirely
    reset"), and the rest of the record decides.
    """
    ka, kb = edition_key(a.edition), edition_key(b.edition)
    if ka is None and kb is None:
        return Comparison("edition", MISSING, 0)
    if ka is None or kb is None:
        present = ka or kb
        if present == FIRST_EDITION or _edition_in_title(present, b if ka else a):
            return Comparison("edition", MISSING, 0)
        return Comparison("edition", MISSING, EDITION_ONE_SIDED)
    if ka == kb:
        return Comparison("edition", MATCH, EDITION_SAME)
    na, nb = _edition_number(ka), _edition_number(kb)
    if na is not None and na == nb:  # "4th ed." / "4th ed., rev., with additional maps"
        return Comparison("edition", WEAK, 0)
    if na is None and nb is None:  # named only: "[Grasmere ed.]" / "[Large paper ed.]", "New ed." / "New ed., enl."
        return Comparison("edition", WEAK, EDITION_NAMED_DIFFERENT)
    if a.year is not None and a.year == b.year and pages_agree(a, b) and not a.isbns and not b.isbns:
        return Comparison("edition", WEAK, EDITION_SAME_PRINTING)
    return Comparison("edition", MISMATCH, EDITION_DIFFERENT)


#: Words that end an edition statement typed into a title ("Federal procedural forms, lawyers edition").
_EDITION_WORDS = frozenset({"ed", "edition", "edisi"})


def _edition_in_title(key: str, other: CanonicalRecord) -> bool:
    """True when the edition statement (as ``key``) of one record stands in the other's title, subtitle or
    statement of responsibility, where its cataloguer typed it: "Lawyers ed." / "..., lawyers edition"."""
    words = normalise_for_match(" ".join(filter(None, (other.title, other.subtitle, other.responsibility)))).split()
    first = key.split(" ", 1)[0]
    return any((edition_key(" ".join(words[at - before: at + 1])) or "").split(" ", 1)[0] == first
               for at, word in enumerate(words) if word in _EDITION_WORDS
               for before in (1, 2) if at >= before)


def _edition_number(key: str) -> str | None:
    first = key.split(" ", 1)[0]
    return first if first.isdigit() else None
