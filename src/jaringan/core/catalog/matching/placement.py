"""Where a record goes: one rule for every path that places a record in an edition.

New records of an import, changed records, harvested and pushed (SLiMS UCS)
records, a quarantined record tried again, and :func:`..cluster.cluster`
(which the quality bench measures) all ask :func:`place`, so a record lands
in the same edition however it arrives.

A record joins an edition when

1. its decision against the edition's **first member** (the record that
   founded it: the representative every path reads first) is not vetoed and
   reaches ``MATCH_THRESHOLD - REPRESENTATIVE_SLACK``;
2. no other member compared vetoes it (another volume, format, edition
   statement or DOI is never the same edition, whoever else agrees); and
3. the **mean** score over the members compared reaches ``MATCH_THRESHOLD``.

Members described alike (a record copied by many libraries) are compared
once, and at most ``MAX_DESCRIPTIONS_COMPARED`` descriptions are read, so an
edition held by a hundred libraries costs no more than one held by eight.
The mean, not "every member", lets a citation typed three ways by three
libraries (each close to the clean one, not always to each other) come
together, while a loose chain (A ≈ B, B ≈ C, A ≠ C) still does not snowball:
C's low score against A pulls the mean down.

Of the editions a record may join, the one with the highest mean wins; ties
go to the earlier candidate.  No edition: the record founds a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from ..record import CanonicalRecord
from .decision import MATCH_THRESHOLD, VETOES, MatchDecision, match_unless_vetoed

__all__ = [
    "MAX_DESCRIPTIONS_COMPARED",
    "REPRESENTATIVE_SLACK",
    "Judgement",
    "Member",
    "Placement",
    "judge",
    "may_join",
    "place",
]

#: How far below the threshold the decision on an edition's first member may fall and the mean decide.
REPRESENTATIVE_SLACK = 15
#: Distinct descriptions of an edition compared at the most.
MAX_DESCRIPTIONS_COMPARED = 8


@dataclass(frozen=True, slots=True)
class Member:
    """A member record of an edition: its id, canonical form and description number (alike → equal)."""

    id: int
    record: CanonicalRecord
    description: int | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    """Why a record belongs to an edition: the mean score and, per member compared, its decision."""

    score: int
    evidence: tuple[dict, ...]


@dataclass(frozen=True, slots=True)
class Placement:
    """The edition a record joins (``None``: it founds a new one) and why."""

    edition: object | None
    judgement: Judgement | None = None

    @property
    def score(self) -> int:
        return self.judgement.score if self.judgement else 0

    @property
    def evidence(self) -> list[dict]:
        return list(self.judgement.evidence) if self.judgement else []


def _vetoed(decision: MatchDecision) -> bool:
    return any((c.field, c.verdict) in VETOES for c in decision.comparisons)


def may_join(decision: MatchDecision) -> bool:
    """Whether a decision against an edition's first member leaves the edition in the running (rule 1)."""
    return decision.score >= MATCH_THRESHOLD - REPRESENTATIVE_SLACK and not _vetoed(decision)


Decide = Callable[[CanonicalRecord, CanonicalRecord], MatchDecision]


def judge(record: CanonicalRecord, members: Sequence[Member], *, decide: Decide = match_unless_vetoed,
          known: dict[int, MatchDecision] | None = None) -> Judgement | None:
    """The record's agreement with an edition whose members are given first member first, or None.

    ``known`` holds decisions already made for ``record``, by ``id()`` of the
    other canonical form; ``decide`` makes the others (:func:`match_unless_vetoed` by default).
    """
    evidence: list[dict] = []
    scores: list[int] = []
    described: dict = {}  # description (number, or the description itself) → (score, comparisons)
    for n, member in enumerate(members):
        alike = member.description if member.description is not None else replace(
            member.record, source_id=None, library=None)
        found = described.get(alike)
        if found is None:
            if len(described) >= MAX_DESCRIPTIONS_COMPARED:
                continue
            decision = known.get(id(member.record)) if known else None
            decision = decision or decide(record, member.record)
            if (n == 0 and not may_join(decision)) or _vetoed(decision):
                return None
            found = described[alike] = (decision.score, [[c.field, c.verdict, c.points] for c in decision.comparisons])
            scores.append(decision.score)
        evidence.append({"with": member.id, "score": found[0], "comparisons": found[1]})
    if not scores:
        return None
    mean = round(sum(scores) / len(scores))
    return Judgement(mean, tuple(evidence)) if mean >= MATCH_THRESHOLD else None


def place(record: CanonicalRecord, candidates: Iterable[tuple[object, Sequence[Member]]], *,
          decide: Decide = match_unless_vetoed, known: dict[int, MatchDecision] | None = None) -> Placement:
    """The edition ``record`` joins among ``(edition, members)`` candidates (best mean, earliest on ties)."""
    best: Placement | None = None
    for edition, members in candidates:
        judgement = judge(record, members, decide=decide, known=known)
        if judgement is not None and (best is None or judgement.score > best.score):
            best = Placement(edition, judgement)
    return best or Placement(None)
