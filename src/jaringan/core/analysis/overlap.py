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
    "FEW_MAX", "Cell", "Overlap", "Split", "overlap", "split", "remainder", "parse_holders", "holders_text",
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


@dataclass
class Overlap:
    """The group's figures. Lists follow ``members``; ``matrix[i][j]`` editions both hold
    (the diagonal: what each holds)."""

    members: list[int]
    total: int = 0
    one: int = 0
    few: int = 0
    many: int = 0
    all: int = 0
    held: list[int] = field(default_factory=list)
    unique: list[int] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)

    def bucket_of(self, k: int) -> str:
        return _bucket(k, len(self.members))

    def as_dict(self) -> dict:
        return {
            "members": self.members, "total": self.total, "one": self.one, "few": self.few,
            "many": self.many, "all": self.all, "held": self.held, "unique": self.unique, "matrix": self.matrix,
        }


@dataclass
class Split:
    """One value of a dimension: the group's figures restricted to it (no matrix)."""

    value: str
    total: int = 0
    one: int = 0
    few: int = 0
    many: int = 0
    all: int = 0
    held: list[int] = field(default_factory=list)
    unique: list[int] = field(default_factory=list)


def _bucket(k: int, n: int) -> str:
    """One member only, a few (2 to FEW_MAX), many (more, not all), or every member of the group."""
    if k == 1:
        return "one" if n > 1 else "all"
    if k == n:
        return "all"
    return "few" if k <= FEW_MAX else "many"


def _arrays(cells: Sequence[Cell], group: Sequence[int]):
    """The cells as arrays: membership matrix (cell × member), editions, members held per cell."""
    index = {library: i for i, library in enumerate(group)}
    patterns: dict[tuple[int, ...], int] = {}
    rows: list[int] = []
    for cell in cells:
        rows.append(patterns.setdefault(cell.holders, len(patterns)))
    member_rows = np.zeros((len(patterns), len(group)), dtype=np.int64)
    for holders, p in patterns.items():
        for library in holders:
            i = index.get(library)
            if i is not None:
                member_rows[p, i] = 1
    m = member_rows[np.asarray(rows, dtype=np.int64)] if rows else np.zeros((0, len(group)), dtype=np.int64)
    counts = np.fromiter((c.editions for c in cells), dtype=np.int64, count=len(cells))
    k = m.sum(axis=1)
    return m, counts, k


def _buckets(k: np.ndarray, counts: np.ndarray, n: int) -> dict[str, int]:
    held = k > 0
    one = (k == 1) & (n > 1)
    every = k == n
    few = (k >= 2) & (k <= FEW_MAX) & ~every
    many = (k > FEW_MAX) & ~every
    return {"total": int(counts[held].sum()), "one": int(counts[one].sum()), "few": int(counts[few].sum()),
            "many": int(counts[many].sum()), "all": int(counts[every & held].sum())}


def overlap(cells: Sequence[Cell], group: Sequence[int], *, matrix: bool = True) -> Overlap:
    """The group's overlap from cells of one dimension value (usually the whole catalogue)."""
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


def split(cells: Sequence[Cell], group: Sequence[int]) -> list[Split]:
    """The group's figures for each value of a dimension, in value order."""
    group = list(group)
    if not group or not cells:
        return []
    m, counts, k = _arrays(cells, group)
    values = sorted({c.value for c in cells})
    where = {v: i for i, v in enumerate(values)}
    of_cell = np.fromiter((where[c.value] for c in cells), dtype=np.int64, count=len(cells))
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


def patterns_with(cells: Iterable[Cell], group: Sequence[int], *, member: int | None = None,
                  exactly: int = 1) -> set[tuple[int, ...]]:
    """Holding patterns of which exactly `exactly` members of the group hold (and `member` among them)."""
    chosen = set(group)
    found = set()
    for cell in cells:
        inside = chosen.intersection(cell.holders)
        if len(inside) == exactly and (member is None or member in inside):
            found.add(cell.holders)
    return found


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


def recent_counts(cells: Iterable[Cell], member: int, since_decade: int) -> dict[str, tuple[int, int]]:
    """From cells whose value is "subject|decade": per subject, the member's titles with a decade, and
    those from `since_decade` on."""
    out: dict[str, list[int]] = {}
    for cell in cells:
        if member not in cell.holders:
            continue
        subject, _, decade = cell.value.partition("|")
        if not decade:
            continue
        row = out.setdefault(subject, [0, 0])
        row[0] += cell.editions
        if int(decade) >= since_decade:
            row[1] += cell.editions
    return {k: (v[0], v[1]) for k, v in out.items()}
