"""The vocabulary of matching: one field's evidence and the verdicts it can carry."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CONTRADICTED", "MATCH", "MISMATCH", "MISSING", "ONE_SIDED", "SIMILAR", "WEAK", "Comparison"]

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
