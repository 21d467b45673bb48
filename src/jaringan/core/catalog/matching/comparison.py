"""The vocabulary of matching: one field's evidence and the verdicts it can carry."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..record import CanonicalRecord

__all__ = ["CONTRADICTED", "MATCH", "MISMATCH", "MISSING", "ONE_SIDED", "SIMILAR", "WEAK", "Comparison", "per_pair"]

#: Verdicts, as a cataloguer reads them in ``MatchDecision.explain()``.
MATCH = "match"  # the same value
SIMILAR = "similar"  # the same value with a typo or a partial overlap
WEAK = "weak"  # close, but not enough to say the same
MISMATCH = "mismatch"  # different values
MISSING = "missing"  # absent on one side or both: no evidence
ONE_SIDED = "one-sided"  # a volume number on one side only: a set against its volume
CONTRADICTED = "contradicted"  # a shared identifier that year, volume or title contradict


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field's evidence: ``points`` > 0 for the same edition, < 0 against."""

    field: str
    verdict: str
    points: int


def per_pair(compare):
    """``compare`` remembering its last pair of records (records are immutable): one decision asks
    for the part and title comparisons of its pair up to five times (the vetoes, the guard of each
    shared identifier, and the comparison itself)."""
    last: tuple = (None, None, None)

    @wraps(compare)
    def remembered(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
        nonlocal last
        found = last  # one read: another thread may replace it, never half of it
        if found[0] is a and found[1] is b:
            return found[2]
        result = compare(a, b)
        last = (a, b, result)
        return result

    return remembered
