"""Overlap and uniqueness of a group of members, from counts per holding pattern.

The catalogue is summed up as *cells*: (holders, value, editions) — how many editions are held by
exactly that set of libraries and fall under one value of a dimension (a subject group, a decade,
a language; ``""`` for the catalogue as a whole). Any group of members — a network or libraries
picked by hand — is answered from the cells alone: an edition's holders *in the group* are its
pattern's intersection with the group. The work is proportional to the number of distinct
patterns, not of editions.

Editions held by no member of the group are left out of every figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "FEW_MAX", "Cell", "Cube", "Overlap", "Split", "overlap", "split", "remainder", "parse_holders", "holders_text",
]

#: "Held by a few": from two members up to this many (the issue's "2–5").
FEW_MAX = 5


def holders_text(library_ids: Iterable[int]) -> str:
    """A holding pattern as stored: sorted ids between commas (",3,7,12,"); "" for none."""
    ids = sorted(set(library_ids))
    return f",{','.join(map(str, ids))}," if ids else ""


def parse_holders(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.strip(",").split(",") if x)


@dataclass(frozen=True, slots=True)
class Cell:
    holders: tuple[int, ...]
    value: str
    editions: int


@dataclass(kw_only=True)
class Counts:
    """Editions held by one member only, by a few, by many, by every member of the group; each member's
    holdings and those only it holds (lists follow the group's members)."""

    total: int = 0
    one: int = 0
    few: int = 0
    many: int = 0
    all: int = 0
    held: list[int] = field(default_factory=list)
    unique: list[int] = field(default_factory=list)


@dataclass(kw_only=True)
class Overlap(Counts):
    """The group's figures. Lists follow ``members``; ``matrix[i][j]`` editions both hold
    (the diagonal: what each holds)."""

    members: list[int]
    matrix: list[list[int]] = field(default_factory=list)

    def bucket_of(self, k: int) -> str:
        return _bucket(k, len(self.members))

    def as_dict(self) -> dict:
        return {
            "members": self.members, "total": self.total, "one": self.one, "few": self.few,
            "many": self.many, "all": self.all, "held": self.held, "unique": self.unique, "matrix": self.matrix,
        }


@dataclass(kw_only=True)
class Split(Counts):
    """One value of a dimension: the group's figures restricted to it (no matrix)."""

    value: str


def _bucket(k: int, n: int) -> str:
    """One member only, a few (2 to FEW_MAX), many (more, not all), or every member of the group."""
    if k == 1:
        return "one" if n > 1 else "all"
    if k == n:
        return "all"
    return "few" if k <= FEW_MAX else "many"


class Cube:
    """Cells of one dimension as arrays, made once and asked about any group.

    ``patterns`` are the distinct holding patterns (as stored text); ``flat`` every pattern's library ids
    one after another, ``flat_pattern`` the pattern each belongs to; per cell ``cell_pattern``,
    ``values`` and ``counts``.
    """

    def __init__(self, rows: Iterable[tuple[str, str, int]]):
        index: dict[str, int] = {}
        cell_pattern, values, counts = [], [], []
        for holders, value, editions in rows:
            cell_pattern.append(index.setdefault(holders, len(index)))
            values.append(value)
            counts.append(editions)
        self.patterns = list(index)
        joined = ",".join(t.strip(",") for t in self.patterns)
        self.flat = np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, dtype=np.int64)
        lengths = np.fromiter((t.count(",") - 1 if t else 0 for t in self.patterns), dtype=np.int64,
                              count=len(self.patterns))
        self.flat_pattern = np.repeat(np.arange(len(self.patterns), dtype=np.int64), lengths)
        self.cell_pattern = np.asarray(cell_pattern, dtype=np.int64)
        self.values = values
        self.counts = np.asarray(counts, dtype=np.int64)

    @classmethod
    def of(cls, cells: "Cube | Iterable[Cell]") -> "Cube":
        if isinstance(cells, Cube):
            return cells
        return cls((holders_text(c.holders), c.value, c.editions) for c in cells)

    def __len__(self) -> int:
        return len(self.values)

    def membership(self, group: Sequence[int]) -> np.ndarray:
        """Pattern × member of the group: 1 where the member is among the pattern's holders."""
        out = np.zeros((len(self.patterns), len(group)), dtype=np.int64)
        if not len(self.flat) or not group:
            return out
        top = max(int(self.flat.max()), max(group)) + 1
        lookup = np.full(top, -1, dtype=np.int64)
        lookup[np.asarray(group, dtype=np.int64)] = np.arange(len(group))
        column = lookup[self.flat]
        inside = column >= 0
        out[self.flat_pattern[inside], column[inside]] = 1
        return out


def _arrays(cells, group: Sequence[int]):
    """The cells as arrays: membership matrix (cell × member), editions, members held per cell."""
    cube = Cube.of(cells)
    m = cube.membership(group)[cube.cell_pattern]
    return m, cube.counts, m.sum(axis=1)


def _buckets(k: np.ndarray, counts: np.ndarray, n: int) -> dict[str, int]:
    held = k > 0
    one = (k == 1) & (n > 1)
    every = k == n
    few = (k >= 2) & (k <= FEW_MAX) & ~every
    many = (k > FEW_MAX) & ~every
    return {"total": int(counts[held].sum()), "one": int(counts[one].sum()), "few": int(counts[few].sum()),
            "many": int(counts[many].sum()), "all": int(counts[every & held].sum())}


def overlap(cells, group: Sequence[int], *, matrix: bool = True) -> Overlap:
    """The group's overlap from cells (`Cube` or cells) of one dimension value (usually the whole catalogue)."""
    group = list(group)
    out = Overlap(members=group)
    if not group:
        return out
    m, counts, k = _arrays(cells, group)
    for key, value in _buckets(k, counts, len(group)).items():
        setattr(out, key, value)
    out.held = [int(x) for x in counts @ m]
    out.unique = [int(x) for x in counts @ (m * (k == 1)[:, None])]
    if matrix:
        out.matrix = [[int(x) for x in row] for row in (m.T * counts) @ m]
    return out


def split(cells, group: Sequence[int]) -> list[Split]:
    """The group's figures for each value of a dimension (`Cube` or cells), in value order."""
    group = list(group)
    if not group or not len(cells):
        return []
    cube = Cube.of(cells)
    m, counts, k = _arrays(cube, group)
    values = sorted(set(cube.values))
    where = {v: i for i, v in enumerate(values)}
    of_cell = np.fromiter((where[v] for v in cube.values), dtype=np.int64, count=len(cube))
    out = []
    for i, value in enumerate(values):
        mask = of_cell == i
        row = Split(value=value, **_buckets(k[mask], counts[mask], len(group)))
        if row.total == 0:
            continue
        row.held = [int(x) for x in counts[mask] @ m[mask]]
        row.unique = [int(x) for x in counts[mask] @ (m[mask] * (k[mask] == 1)[:, None])]
        out.append(row)
    return out


def remainder(whole: Overlap, rows: Sequence[Split]) -> Split:
    """The editions of `whole` in none of `rows` (no value in that dimension): every figure is additive."""
    rest = Split(value="")
    for key in ("total", "one", "few", "many", "all"):
        setattr(rest, key, getattr(whole, key) - sum(getattr(r, key) for r in rows))
    rest.held = [h - sum(r.held[i] for r in rows) for i, h in enumerate(whole.held)]
    rest.unique = [u - sum(r.unique[i] for r in rows) for i, u in enumerate(whole.unique)]
    return rest


def patterns_with(cells, group: Sequence[int], *, member: int | None = None, exactly: int = 1) -> set[str]:
    """Holding patterns (as stored text) of which exactly `exactly` members of the group hold (and `member`
    among them)."""
    cube = Cube.of(cells)
    group = list(group)
    m = cube.membership(group)
    chosen = m.sum(axis=1) == exactly
    if member is not None:
        if member not in group:
            return set()
        chosen &= m[:, group.index(member)] == 1
    return {cube.patterns[i] for i in np.flatnonzero(chosen)}


@dataclass(frozen=True, slots=True)
class Strength:
    """A member's strength in one subject group of its network.

    ``share``: of the titles the group holds in the subject, the part this member holds;
    ``unique``: titles in the subject no other member of the group holds; ``recent``: of the
    member's titles in the subject, the part published in the recent decades (None: no year known).
    """

    value: str
    titles: int
    held: int
    unique: int
    recent: float | None

    @property
    def share(self) -> float:
        return self.held / self.titles if self.titles else 0.0


def strengths(subjects: Sequence[Split], member_index: int, recent: dict[str, tuple[int, int]]) -> list[Strength]:
    """One member's strength per subject from the group's `split` by subject; `recent` maps a subject
    to (the member's titles in it with a known year, those of them that are recent)."""
    out = []
    for row in subjects:
        dated, fresh = recent.get(row.value, (0, 0))
        out.append(Strength(value=row.value, titles=row.total, held=row.held[member_index],
                            unique=row.unique[member_index], recent=fresh / dated if dated else None))
    return out


def recent_counts(cells, member: int, since_decade: int) -> dict[str, tuple[int, int]]:
    """From cells whose value is "subject|decade": per subject, the member's titles with a decade, and
    those from `since_decade` on."""
    cube = Cube.of(cells)
    held = {i for i in np.flatnonzero(cube.membership([member])[:, 0])}
    out: dict[str, list[int]] = {}
    for pattern, value, editions in zip(cube.cell_pattern.tolist(), cube.values, cube.counts.tolist()):
        if pattern not in held:
            continue
        subject, _, decade = value.partition("|")
        if not decade:
            continue
        row = out.setdefault(subject, [0, 0])
        row[0] += editions
        if int(decade) >= since_decade:
            row[1] += editions
    return {k: (v[0], v[1]) for k, v in out.items()}
