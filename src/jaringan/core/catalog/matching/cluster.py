"""Incremental clustering of records into editions, and the preferred record.

Records are taken best first (by :func:`record_quality`).  Each is placed by
:func:`.placement.place`, the rule every import path uses, among the editions
that share a blocking key with it and hold no record from its library (one
library does not catalogue one edition twice); no edition: it starts a new one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..record import CanonicalRecord
from .blocking import blocking_keys
from .placement import Member, place

__all__ = ["cluster", "preferred_record", "record_quality"]

#: Weights of filled fields in the quality score of a record.
QUALITY_WEIGHTS = {
    "isbns": 3, "authors": 2, "year": 2, "publisher": 1, "place": 1, "pages": 1,
    "edition": 1, "subjects": 1, "classifications": 1, "lccn": 1, "oclc_numbers": 1,
    "subtitle": 1, "language": 1, "series": 1,
}
SUBJECTS_COUNTED = 3


def record_quality(record: CanonicalRecord) -> int:
    """A fullness score: more (and more useful) filled fields score higher."""
    score = sum(weight for name, weight in QUALITY_WEIGHTS.items() if getattr(record, name))
    return score + min(len(record.subjects), SUBJECTS_COUNTED)


def cluster(records: Sequence[CanonicalRecord], *, libraries: Sequence[str | None] | None = None) -> list[list[int]]:
    """Group record indexes into editions.

    ``libraries`` (parallel to ``records``) overrides each record's
    ``library``.  Returns lists of indexes, each list's first index being the
    edition's preferred record (the fullest); editions are ordered by
    their smallest index.
    """
    library_of = list(libraries) if libraries is not None else [r.library for r in records]
    order = sorted(range(len(records)), key=lambda i: (-record_quality(records[i]), i))
    editions: list[list[int]] = []
    edition_libraries: list[set[str]] = []
    index: dict[str, set[int]] = defaultdict(set)
    for i in order:
        record = records[i]
        keys = blocking_keys(record)
        candidates = set().union(*(index[k] for k in keys if k in index)) if keys else set()
        open_editions = sorted(e for e in candidates
                               if library_of[i] is None or library_of[i] not in edition_libraries[e])
        best = place(record, ((e, [Member(m, records[m]) for m in editions[e]]) for e in open_editions)).edition
        if best is None:
            best = len(editions)
            editions.append([])
            edition_libraries.append(set())
        editions[best].append(i)
        if library_of[i] is not None:
            edition_libraries[best].add(library_of[i])
        for key in keys:
            index[key].add(best)
    return sorted(editions, key=lambda members: min(members))


def preferred_record(records: Sequence[CanonicalRecord], members: Sequence[int]) -> int:
    """The index of the fullest record of an edition (ties: the earliest)."""
    return max(members, key=lambda i: (record_quality(records[i]), -i))
