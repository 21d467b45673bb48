"""Numbers that tell two records apart: a volume or part of a set, numbers in a title, and the volume,
issue and first page of an article.

``compare_part`` and ``compare_issue`` are comparators like those of ``compare.py`` (which lists them
among ``COMPARATORS``); their weights are named here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..record import CanonicalRecord
from ..text import ALL_STOP_WORDS, normalise_for_match
from .comparison import MATCH, MISMATCH, MISSING, ONE_SIDED, SIMILAR, WEAK, Comparison, per_pair
from .fields import pages_agree, volume_numbers
from .titles import title_verdict, title_words, typo_apart

__all__ = ["compare_issue", "compare_part"]

# Volume / part numbers.
PART_SAME, PART_DIFFERENT, PART_ONE_SIDED = 5, -100, -50
#: A part on one side only of two records of one year and one page count, without ISBNs (older books): not
#: a set against its volume (a set has no page count of its own, and volumes seldom share one), but a part
#: or series name one cataloguer kept ("Part 1", "First series", a collection's name) and the other left
#: out or put in the title.  With ISBNs, sets and their volumes are told apart by the number alone.
PART_ONE_SIDED_SAME_EXTENT = -10
#: One number of a title mistyped in the other record of one year and page count (``_number_mistyped``).
PART_NUMBER_MISTYPED = -10
#: ...in a title of this many significant words at least besides its numbers.
MISTYPED_TITLE_WORDS = 3
#: Numbers in this range in one title only are the years a work covers, not the number of a volume.
TITLE_YEAR_FROM, TITLE_YEAR_TO = 500, 2100
# Volume, issue and first page of an article: two "Editorial"s of one journal and year differ here.
ISSUE_SAME, ISSUE_DIFFERENT = 10, -80
NUMBERS_CACHE_SIZE = 200_000
_NUMBERS = re.compile(r"\b[0-9]+\b")
_FIRST_NUMBER = re.compile(r"[0-9]+")
ARTICLE = "article"


@lru_cache(maxsize=NUMBERS_CACHE_SIZE)
def _first_number(text: str | None) -> int | None:
    """The first number of a volume, issue or page range ("Vol. 12" → 12, "pp. 45-67" → 45, "e1034" → 1034)."""
    found = _FIRST_NUMBER.search(text or "")
    return int(found.group()) if found else None


def compare_issue(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Volume, issue and first page of two articles: any of them given on both sides and different → different."""
    if a.format != ARTICLE or b.format != ARTICLE:
        return Comparison("issue", MISSING, 0)
    agreed = False
    for x, y in ((a.volume, b.volume), (a.issue, b.issue), (a.extent, b.extent)):
        nx, ny = _first_number(x), _first_number(y)
        if nx is None or ny is None:
            continue
        if nx != ny:
            return Comparison("issue", MISMATCH, ISSUE_DIFFERENT)
        agreed = True
    return Comparison("issue", MATCH, ISSUE_SAME) if agreed else Comparison("issue", MISSING, 0)


def _volumes(record: CanonicalRecord) -> frozenset[int]:
    """Explicit volume numbers: the part ($n/$p) and volume words ("Jilid 2") anywhere."""
    return volume_numbers(record) | _numbers_in(record.part)


@lru_cache(maxsize=NUMBERS_CACHE_SIZE)
def _numbers_in(text: str | None) -> frozenset[int]:
    return frozenset(int(n) for n in _NUMBERS.findall(normalise_for_match(text)))


#: Month names and their abbreviations, English and Indonesian, as ``normalise_for_match`` leaves them.
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
           "januari|februari|maret|mei|juni|juli|agustus|oktober|desember|agu|agt|okt|des")
#: The day of a date with its year ("August 28, 1924", "15 Feb. 1910", "17 Agustus 1945"): not a volume.
_DATE_DAY = re.compile(rf"\b(?:(?:{_MONTHS})\s+([0-9]{{1,2}})|([0-9]{{1,2}})\s+(?:{_MONTHS}))\s+[0-9]{{4}}\b")
#: Words that a number after them is the number of (a day after one is an issue's or a volume's number).
_NUMBER_WORDS = frozenset({"no", "nos", "nr", "number", "nomor", "vol", "vols", "v", "volume", "jilid", "jil", "part",
                           "pt", "bagian", "issue", "book", "bk", "bd", "heft", "tome", "tomo", "seri", "series"})
#: A range of years whose end is written with its last two digits ("1660/67", "1892-93").
_YEARS_SHORT_END = re.compile(r"\b(1[0-9]|20)([0-9]{2})\s*[-/]\s*([0-9]{2})\b")


_NO_NUMBERS: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())
#: Titles with numbers whose dates and ranges are kept read (a fifth of titles have a number at all).
DATED_CACHE_SIZE = 50_000


def _title_numbers(text: str | None) -> tuple[frozenset[int], frozenset[int]]:
    """The numbers of a title (``_numbers_in``), with the end of a range of years written short read
    whole ("Calendar of treasury books, 1660/67-" gives 1660 and 1667), as (the numbers but the days of
    dates, those days): "Convention of Stockholm (August 28, 1924)" gives ({1924}, {28})."""
    numbers = _numbers_in(text)
    return _dated_numbers(text, numbers) if numbers else _NO_NUMBERS


@lru_cache(maxsize=DATED_CACHE_SIZE)
def _dated_numbers(text: str, numbers: frozenset[int]) -> tuple[frozenset[int], frozenset[int]]:
    found = set(numbers)
    for match in _YEARS_SHORT_END.finditer(text):
        century, start, end = match.groups()
        if int(end) > int(start):
            found.discard(int(end))
            found.add(int(century + end))
    days = set()
    normalised = normalise_for_match(text)
    for match in _DATE_DAY.finditer(normalised):
        before = normalised[:match.start()].split()[-1:]
        if match.group(2) and before and before[0] in _NUMBER_WORDS:
            continue  # "no. 5 March 1990": an issue's number before its date
        days.add(int(match.group(1) or match.group(2)))
    if not days and found == numbers:
        return numbers, _NO_NUMBERS[1]  # (the numbers as read, shared with their own cache)
    return frozenset(found - days), frozenset(days & found)


def _undated(a: CanonicalRecord, b: CanonicalRecord) -> tuple[frozenset[int], ...]:
    """The numbers of two records' titles and subtitles to compare, (a's title, b's title, a's subtitle,
    b's subtitle): the days of dates left out when only one record gives any (a date one cataloguer
    transcribed and the other did not: "Convention of Stockholm" / "... (August 28, 1924)"); kept when both
    do, so that two speeches or meetings of one title told apart by their day ("May 14, 1890" / "May 15,
    1890") stay apart."""
    (ta, da), (tb, db) = _title_numbers(a.title), _title_numbers(b.title)
    (sa, dsa), (sb, dsb) = _title_numbers(a.subtitle), _title_numbers(b.subtitle)
    if (da or dsa) and (db or dsb):
        return ta | da, tb | db, sa | dsa, sb | dsb
    return ta, tb, sa, sb


def _only_years(numbers: frozenset[int]) -> bool:
    """True when every number is a year a title may name (the years a work covers)."""
    return all(TITLE_YEAR_FROM <= n <= TITLE_YEAR_TO for n in numbers)


def _numbers_agree(na: frozenset[int], nb: frozenset[int], a_more: frozenset[int], b_more: frozenset[int]) -> str:
    """``match``, ``mismatch`` or ``one-sided`` for two sets of numbers.

    ``a_more``/``b_more`` are numbers found elsewhere in each record (its
    subtitle, its title) that may reconcile a one-sided number.
    """
    if na == nb or ((na | a_more) >= nb and (nb | b_more) >= na):
        return MATCH  # the same numbers, or those of one in the other's subtitle ("... of 1848-1852 : June 28, 1888")
    if na and nb:
        return MISMATCH
    return ONE_SIDED


@per_pair
def compare_part(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """:func:`numbers_compared`; a one-sided part is weak when both records, without ISBNs, give one year
    and one extent: one page count, or one set of as many volumes ("2 v." / "2 v.", where one record's
    "v. 1" or "Book one-[two]" is a note on the set, not a volume of it)."""
    found = numbers_compared(a, b)
    if found.verdict == MISMATCH and _number_mistyped(a, b):
        return Comparison("part", WEAK, PART_NUMBER_MISTYPED)
    if found.verdict == ONE_SIDED and a.year is not None and a.year == b.year and not a.isbns and not b.isbns \
            and (pages_agree(a, b) or _same_set(a, b)):
        return Comparison("part", WEAK, PART_ONE_SIDED_SAME_EXTENT)
    return found


def _number_mistyped(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when two titles differ by one number mistyped in one of them (a digit changed, or two next to
    each other swapped: "(1660-1714)" / "(1600-1714)", "1819-1864" / "1891-1864") and the two records, of
    one year and one page count, without ISBNs, name the same volumes: a transcription's slip, where two
    volumes or two years' reports of one title would differ in their page counts.  Measured on goldfinch's
    labelled pairs: 4 pairs of one edition, none of two."""
    if a.year is None or a.year != b.year or a.isbns or b.isbns or a.pages is None or not pages_agree(a, b):
        return False
    va, vb = _volumes(a), _volumes(b)
    if va != vb:
        return False
    ta, tb = _numbers_in(a.title) - va, _numbers_in(b.title) - vb
    only_a, only_b = ta - tb, tb - ta
    if len(only_a) != 1 or len(only_b) != 1:
        return False
    if sum(not w.isdigit() and w not in ALL_STOP_WORDS for w in title_words(a.title)) < MISTYPED_TITLE_WORDS:
        return False  # "Annual report 1950" / "... 1951": a short title is a serial's, its number the issue
    x, y = str(next(iter(only_a))), str(next(iter(only_b)))
    if len(x) != len(y):
        return False
    apart = [n for n in range(len(x)) if x[n] != y[n]]
    return len(apart) == 1 or (len(apart) == 2 and apart[1] == apart[0] + 1
                               and x[apart[0]] == y[apart[1]] and x[apart[1]] == y[apart[0]])


#: An extent that counts the volumes of a set: "2 v.", "3 vols.", "10 pts.", "5 volumes".
_SET_EXTENT = re.compile(r"^\s*([0-9]+)\s*(?:v|vols?|volumes?|pts?|parts?)\b", re.I)


def _same_set(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when both extents describe a set of the same number (two or more) of volumes."""
    ca, cb = _SET_EXTENT.match(a.extent or ""), _SET_EXTENT.match(b.extent or "")
    return bool(ca and cb) and int(ca.group(1)) == int(cb.group(1)) >= 2


def numbers_compared(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Volume/part numbers and numbers in the title: different → different.

    Volumes come from the part (245 $n/$p) and volume words ("Jilid 2",
    "v. II"); numbers in the title ("Laporan tahunan 1998") are compared
    apart from them, so "MMPI-2" in a title is not a volume 2.  A number on
    one side only is ``one-sided`` (a set against one of its volumes) unless
    the other side has it in its subtitle (or, for a title number, as a volume).
    """
    va, vb = _volumes(a), _volumes(b)
    ta, tb, sa, sb = _undated(a, b)
    volumes = _numbers_agree(va, vb, sa, sb)
    titles = _numbers_agree(ta - va, tb - vb, sa | va, sb | vb)
    if titles == MISMATCH and ((ta - va) < (tb - vb) or (tb - vb) < (ta - va)) \
            and (_only_years(ta ^ tb) or a.format == ARTICLE == b.format):
        # One title names more years ("... in 1839, 1840 and 1841, and reprinted in 1861"); or one citation
        # typed a number more into its title, or lost one into a word ("sql 3" / "sql3", "4th" / "4 th").
        titles = MISSING
    if titles == ONE_SIDED and (a.format == ARTICLE == b.format or _only_years(ta ^ tb)):
        # A citation's year or page typed into its title (articles' parts are their issues), or the
        # years a book covers given in one title only ("History of British art, 600-1600").
        titles = MISSING
    for verdict, points in ((MISMATCH, PART_DIFFERENT), (ONE_SIDED, PART_ONE_SIDED)):
        if verdict in (volumes, titles):
            return Comparison("part", verdict, points)
    if a.part and b.part and not va and title_verdict(title_words(a.part), title_words(b.part)) not in (MATCH, SIMILAR):
        # Parts named in words ("Summary characteristics. New Hampshire" / "... Delaware"): the title's
        # numbers ("1990 census of ...") are the series', not the part's.
        return Comparison("part", MISMATCH, PART_DIFFERENT)
    if va or ta or tb:
        return Comparison("part", MATCH, PART_SAME)
    if a.part and b.part and normalise_for_match(a.part) != normalise_for_match(b.part):
        return Comparison("part", MISMATCH, PART_DIFFERENT)
    if bool(a.part) != bool(b.part):
        if _part_in_title(a, b) or _part_in_title(b, a):
            return Comparison("part", MATCH, PART_SAME)  # "Second series" as the other's subtitle
        return Comparison("part", ONE_SIDED, PART_ONE_SIDED)
    return Comparison("part", MATCH if a.part else MISSING, PART_SAME if a.part else 0)


def _part_in_title(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when ``a``'s part, named in words ("Second series. Summer and autumn", "Bald eagle"), stands
    in ``b``'s title and subtitle, where ``b``'s cataloguer put it."""
    part = title_words(a.part)
    if not part or b.part:
        return False
    words = set(title_words(f"{b.title} {b.subtitle or ''}"))
    return all(w in words or any(typo_apart(w, x) for x in words) for w in part)
