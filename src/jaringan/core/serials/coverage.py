"""What a library holds of a serial, as ranges of volume, issue and year.

A :class:`Statement` is every :class:`Range` a library holds (and the volumes or
issues it lacks), plus whatever text could not be read as ranges, kept word for
word so that no holdings line is ever lost. Its :meth:`Statement.display` is a
compressed statement in the style of ANSI/NISO Z39.71: ranges joined by a hyphen,
a gap by a semicolon, an open end (held to date) as a trailing hyphen::

    v.1:no.1 (1990)-v.12 (2001); v.15 (2004)-

``covers`` answers "is vol. X / year Y held": each dimension asked that a range
knows must fall inside it, and at least one dimension asked must be known.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = ["Point", "Range", "Statement", "merge_ranges", "OPEN"]

#: The end of a range held to date, as stored: larger than any volume or year.
OPEN = 999_999


@dataclass(frozen=True, slots=True, order=True)
class Point:
    """A place in a serial's run: volume, issue and year as far as they are known."""

    volume: int | None = None
    issue: int | None = None
    year: int | None = None
    #: The part of the year as written for display ("June", "Spring", "Jan./Feb."); not compared.
    label: str | None = field(default=None, compare=False)
    #: The captions of volume and issue as the library writes them ("v.", "no."; "jil.", "Bd.").
    captions: tuple[str, str] = field(default=("v.", "no."), compare=False)

    def is_empty(self) -> bool:
        return self.volume is None and self.issue is None and self.year is None

    def enumeration(self) -> str:
        parts = []
        if self.volume is not None:
            parts.append(f"{self.captions[0]}{self.volume}")
        if self.issue is not None:
            parts.append(f"{self.captions[1]}{self.issue}")
        return ":".join(parts)

    def chronology(self) -> str:
        year = str(self.year) if self.year is not None else ""
        if self.label:
            return f"{year}:{self.label}" if year else self.label
        return year

    def display(self) -> str:
        enum, chron = self.enumeration(), self.chronology()
        if enum and chron:
            return f"{enum} ({chron})"
        return enum or chron


@dataclass(frozen=True, slots=True)
class Range:
    """From ``start`` to ``end`` inclusive; ``end`` None and ``open`` True: held to date."""

    start: Point
    end: Point | None = None
    open: bool = False

    @property
    def last(self) -> Point:
        return self.end if self.end is not None else self.start

    def bounds(self, dimension: str) -> tuple[int | None, int | None]:
        """(first, last) of ``volume`` or ``year``; last is ``OPEN`` when held to date, and equals
        first when the range names only its start."""
        first = getattr(self.start, dimension)
        last = getattr(self.end, dimension) if self.end is not None else None
        if first is None and last is not None:
            first = last
        if self.open:
            return first, (OPEN if first is not None else None)
        if last is None:
            last = first
        return first, last

    def covers(self, *, volume: int | None = None, year: int | None = None) -> bool:
        known = False
        for dimension, wanted in (("volume", volume), ("year", year)):
            if wanted is None:
                continue
            first, last = self.bounds(dimension)
            if first is None:
                continue
            if not first <= wanted <= last:
                return False
            known = True
        return known

    def display(self) -> str:
        head = self.start.display()
        if self.open:
            return f"{head}-"
        if self.end is None or self.end == self.start:
            return head
        return f"{head}-{self.end.display()}"


@dataclass(frozen=True, slots=True)
class Statement:
    """A library's holdings of one serial: ranges held, volumes/issues lacking, unread text."""

    ranges: tuple[Range, ...] = ()
    missing: tuple[Range, ...] = ()
    unparsed: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def covers(self, *, volume: int | None = None, year: int | None = None) -> bool:
        if not any(r.covers(volume=volume, year=year) for r in self.ranges):
            return False
        # A whole volume or year lacking takes it out; one lacking issue does not.
        return not any(m.start.issue is None and m.covers(volume=volume, year=year) for m in self.missing)

    def display(self) -> str:
        parts = []
        if self.ranges:
            parts.append("; ".join(r.display() for r in self.ranges))
        if self.missing:
            parts.append("lacking: " + ", ".join(m.display() for m in self.missing))
        parts.extend(self.unparsed)
        return "; ".join(p for p in parts if p)

    def years(self) -> tuple[int | None, int | None]:
        """The first and last year of every range (``OPEN`` when held to date)."""
        firsts, lasts = [], []
        for r in self.ranges:
            first, last = r.bounds("year")
            if first is not None:
                firsts.append(first)
                lasts.append(last)
        return (min(firsts), max(lasts)) if firsts else (None, None)

    def __add__(self, other: "Statement") -> "Statement":
        return Statement(ranges=merge_ranges(self.ranges + other.ranges), missing=self.missing + other.missing,
                         unparsed=self.unparsed + other.unparsed, notes=self.notes + other.notes)


def _sort_key(r: Range) -> tuple:
    s = r.start
    return (s.volume if s.volume is not None else -1, s.year if s.year is not None else -1,
            s.issue if s.issue is not None else -1)


def _next_to(a: Range, b: Range) -> bool:
    """Whether ``b`` starts within ``a`` or just after it (the next issue, volume or year)."""
    if a.open:
        return True
    last, nxt = a.last, b.start
    if last.volume is not None and nxt.volume is not None:
        if nxt.volume < last.volume:
            return True
        if nxt.volume == last.volume:
            if last.issue is None or nxt.issue is None:
                return True
            return nxt.issue <= last.issue + 1
        return nxt.volume == last.volume + 1 and last.issue is None and nxt.issue is None
    if last.volume is None and nxt.volume is None and last.year is not None and nxt.year is not None:
        if last.issue is None and nxt.issue is None:
            return nxt.year <= last.year + 1
        return nxt.year < last.year or (nxt.year == last.year and (nxt.issue or 0) <= (last.issue or 0) + 1)
    return False


def _later(a: Point, b: Point) -> Point:
    return b if (_sort_key(Range(b)) >= _sort_key(Range(a))) else a


def merge_ranges(ranges) -> tuple[Range, ...]:
    """Ranges sorted and joined where they overlap or one follows the other (Z39.71's compression)."""
    ordered = sorted(ranges, key=_sort_key)
    out: list[Range] = []
    for r in ordered:
        if out and _next_to(out[-1], r):
            prev = out[-1]
            if prev.open or r.open:
                out[-1] = Range(prev.start, None, True)
            else:
                out[-1] = replace(prev, end=_later(prev.last, r.last))
        else:
            out.append(r)
    return tuple(out)
