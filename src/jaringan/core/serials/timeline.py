"""Members' coverage of a serial laid out on one time axis, for a server-drawn SVG.

Every member's years become bars on a common scale (``WIDTH`` units wide); the network's row counts,
for each stretch of years, how many members hold it: a stretch held by none is a gap, one held by
several an overlap. Nothing here draws; the template writes the SVG from these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "Stretch", "Timeline", "build_timeline", "WIDTH"]

WIDTH = 1000
#: Years shown at the least, so a one-year run is not a full-width bar.
MIN_SPAN = 10


@dataclass(frozen=True, slots=True)
class Bar:
    first: int
    last: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Stretch:
    """Years ``first``-``last`` held by ``holders`` members (0: a gap)."""

    first: int
    last: int
    holders: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Timeline:
    start: int | None
    end: int | None
    rows: tuple[tuple[Bar, ...], ...]
    stretches: tuple[Stretch, ...]
    ticks: tuple[tuple[int, float], ...]

    @property
    def gaps(self) -> tuple[Stretch, ...]:
        return tuple(s for s in self.stretches if s.holders == 0)


def _scale(start: int, end: int):
    span = end - start + 1

    def x(year: int) -> float:
        return round((year - start) / span * WIDTH, 1)
    return x


def build_timeline(rows, *, this_year: int) -> Timeline:
    """``rows``: [(label, [(first year, last year), ...]), ...] in display order."""
    spans = [(a, min(b, this_year) if b is not None else a) for _label, row in rows for a, b in row if a is not None]
    if not spans:
        return Timeline(None, None, tuple(() for _ in rows), (), ())
    start = min(a for a, _b in spans)
    end = max(max(b for _a, b in spans), start + MIN_SPAN - 1)
    x = _scale(start, end)
    unit = WIDTH / (end - start + 1)
    out_rows = []
    for _label, row in rows:
        bars = []
        for a, b in sorted((a, min(b, this_year) if b is not None else a) for a, b in row if a is not None):
            if bars and a <= bars[-1].last + 1:
                prev = bars.pop()
                a, b = prev.first, max(prev.last, b)
            bars.append(Bar(a, b, x(a), round((b - a + 1) * unit, 1)))
        out_rows.append(tuple(bars))
    counts = []
    for year in range(start, end + 1):
        counts.append(sum(1 for row in out_rows if any(bar.first <= year <= bar.last for bar in row)))
    stretches = []
    first = start
    for i in range(1, len(counts) + 1):
        if i == len(counts) or counts[i] != counts[i - 1]:
            last = start + i - 1
            stretches.append(Stretch(first, last, counts[i - 1], x(first), round((last - first + 1) * unit, 1)))
            first = start + i
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if (end - start + 1) / s <= 8)
    ticks = tuple((year, x(year)) for year in range(start - start % step + (step if start % step else 0), end + 1, step))
    return Timeline(start, end, tuple(out_rows), tuple(stretches), ticks)
