"""The match decision: do two canonical records describe the same edition?

The points of every comparison in ``compare.COMPARATORS`` are added up; the
records are the same edition when the sum reaches ``MATCH_THRESHOLD`` and no
comparison is a veto (``VETOES``): different volumes, a volume against its
set, different formats or different edition statements are never one edition,
however much else agrees — volumes of a set agree on everything else; nor
are two different DOIs, each of which names one registered publication.  The
decision keeps its comparisons, so it can be shown field by field (the
fields only articles have — DOI, venue, issue, first author — only where
they say something).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..record import CanonicalRecord
from .compare import COMPARATORS, compare_doi, compare_edition, compare_format, compare_part
from .comparison import MISSING, Comparison

__all__ = ["MATCH_THRESHOLD", "QUIET_WHEN_MISSING", "VETOES", "MatchDecision", "match", "match_if_same", "match_unless_vetoed", "veto"]

#: Sum of points at or above which two records are one edition.
MATCH_THRESHOLD = 50
#: (field, verdict) pairs that rule out the same edition on their own.
VETOES = frozenset(
    {
        ("part", "mismatch"),
        ("part", "one-sided"),
        ("format", "mismatch"),
        ("edition", "mismatch"),
        ("doi", "mismatch"),
    }
)


#: Fields left out of a decision's comparisons when absent: books never have them.
QUIET_WHEN_MISSING = frozenset({"doi", "container", "issue", "first author"})


@dataclass(frozen=True, slots=True)
class MatchDecision:
    """Whether two records are the same edition, the score, and why."""

    same: bool
    score: int
    comparisons: tuple[Comparison, ...]

    def explain(self) -> str:
        """One line per field with evidence, e.g. ``title      match      +40``."""
        lines = [f"{c.field:<12} {c.verdict:<12} {c.points:+d}" for c in self.comparisons if c.points]
        lines.append(f"{'total':<12} {'same' if self.same else 'different':<12} {self.score:+d}")
        return "\n".join(lines)


def match(a: CanonicalRecord, b: CanonicalRecord, *, threshold: int = MATCH_THRESHOLD) -> MatchDecision:
    """Compare ``a`` and ``b`` field by field and decide."""
    return _decided(a, b, threshold, {})


def _decided(a: CanonicalRecord, b: CanonicalRecord, threshold: int, made: dict) -> MatchDecision:
    """:func:`match`, taking the comparisons in ``made`` (by comparator) as they were made already."""
    comparisons = []
    score = 0
    vetoed = False
    for compare in COMPARATORS:
        found = made[compare] if compare in made else compare(a, b)
        if found.verdict == MISSING and found.field in QUIET_WHEN_MISSING:
            continue
        comparisons.append(found)
        score += found.points
        vetoed = vetoed or (found.field, found.verdict) in VETOES
    return MatchDecision(same=score >= threshold and not vetoed, score=score, comparisons=tuple(comparisons))


#: The comparators that can veto, cheapest first: tried before the rest by `match_if_same` and
#: `match_unless_vetoed` (and not made again by the decision that follows when none vetoes).
_VETOING = (compare_format, compare_edition, compare_doi, compare_part)


def match_if_same(a: CanonicalRecord, b: CanonicalRecord, *, threshold: int = MATCH_THRESHOLD) -> MatchDecision | None:
    """The decision when ``a`` and ``b`` are the same edition, else None — the same verdict as
    :func:`match`, reached sooner for the many candidates a veto rules out (another format,
    edition or volume), whose comparisons nobody reads."""
    made: dict = {}
    if _veto(a, b, made) is not None:
        return None
    decision = _decided(a, b, threshold, made)
    return decision if decision.same else None


def veto(a: CanonicalRecord, b: CanonicalRecord) -> Comparison | None:
    """The comparison that rules out ``a`` and ``b`` as one edition (another format, edition statement,
    DOI or volume), or None: the cheap part of a decision."""
    return _veto(a, b, {})


def _veto(a: CanonicalRecord, b: CanonicalRecord, made: dict) -> Comparison | None:
    """:func:`veto`, keeping the comparisons it makes in ``made`` (by comparator)."""
    for compare in _VETOING:
        found = made[compare] = compare(a, b)
        if (found.field, found.verdict) in VETOES:
            return found
    return None


def match_unless_vetoed(a: CanonicalRecord, b: CanonicalRecord, *, threshold: int = MATCH_THRESHOLD) -> MatchDecision:
    """The decision of :func:`match`, or, when a veto rules the pair out, a decision holding just that veto
    (the cheap comparisons first: most candidates are another volume, format or edition)."""
    made: dict = {}  # the vetoing comparisons, made once for the decision that follows when none vetoes
    found = _veto(a, b, made)
    if found is not None:
        return MatchDecision(same=False, score=found.points, comparisons=(found,))
    return _decided(a, b, threshold, made)
