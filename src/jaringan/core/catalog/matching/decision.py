"""The match decision: do two canonical records describe the same edition?

The points of every comparison in ``compare.COMPARATORS`` are added up; the
records are the same edition when the sum reaches ``MATCH_THRESHOLD`` and no
comparison is a veto (``VETOES``): different volumes, a volume against its
set, different formats or different edition statements are never one edition,
however much else agrees — volumes of a set agree on everything else.  The
decision keeps its comparisons, so it can be shown field by field.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..record import CanonicalRecord
from .compare import COMPARATORS
from .comparison import Comparison

__all__ = ["MATCH_THRESHOLD", "VETOES", "MatchDecision", "match"]

#: Sum of points at or above which two records are one edition.
MATCH_THRESHOLD = 50
#: (field, verdict) pairs that rule out the same edition on their own.
VETOES = frozenset(
    {
        ("part", "mismatch"),
        ("part", "one-sided"),
        ("format", "mismatch"),
        ("edition", "mismatch"),
    }
)


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """Whether two records are the same edition, the score, and why."""

    same: bool
    score: int
    comparisons: tuple[Comparison, ...]

    def explain(self) -> str:
        """One line per field with evidence, e.g. ``title      match      +40``."""
        lines = [f"{c.field:<10} {c.verdict:<9} {c.points:+d}" for c in self.comparisons if c.points]
        lines.append(f"{'total':<10} {'same' if self.same else 'different':<9} {self.score:+d}")
        return "\n".join(lines)


def match(a: CanonicalRecord, b: CanonicalRecord, *, threshold: int = MATCH_THRESHOLD) -> MatchDecision:
    """Compare ``a`` and ``b`` field by field and decide."""
    comparisons = tuple(compare(a, b) for compare in COMPARATORS)
    score = sum(c.points for c in comparisons)
    vetoed = any((c.field, c.verdict) in VETOES for c in comparisons)
    return MatchDecision(same=score >= threshold and not vetoed, score=score, comparisons=comparisons)
