"""Where a record goes: one rule for every path that places a record in an edition.

New records of an import, changed records, harvested and pushed (SLiMS UCS)
records, a quarantined record tried again, and :func:`..cluster.cluster`
(which the quality bench measures) all ask :func:`place`, so a record lands
in the same edition however it arrives.

A record meets each candidate edition's **representative**, the first member
given (every path gives the preferred, fullest record first):

1. vetoed by it (another volume, format, edition statement or DOI), or more
   than ``REPRESENTATIVE_SLACK`` points below the threshold: not this edition;
2. the same edition as the representative: it joins, unless another member
   vetoes it (only the cheap vetoing comparisons are made with them);
3. just below the threshold, not decisive: the other members are asked too
   (at most ``MAX_DESCRIPTIONS_COMPARED`` distinct descriptions; members
   described alike, a record copied by many libraries, are compared once),
   and it joins when none vetoes and the mean score reaches the threshold.

An edition is thus a star around its representative, never a chain: a record
close to one dirty member but not to the representative stays out, and what
joins costs one full comparison however many libraries hold the edition.
Of the editions a record may join, the highest score wins; ties go to the
earlier candidate.  No edition: the record founds a new one.  Records of one
library placed together (a file, a harvest page) share the editions by
:func:`claim`: an edition takes one of them, the one that agrees with it best,
whatever order they came in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from ..record import CanonicalRecord
from .decision import MATCH_THRESHOLD, VETOES, MatchDecision, match_unless_vetoed, veto

__all__ = [
    "MAX_DESCRIPTIONS_COMPARED",
    "REPRESENTATIVE_SLACK",
    "Judgement",
    "Member",
    "Placement",
    "claim",
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
    # A decision found the same edition has no veto among its comparisons: they are not looked through.
    return not decision.same and any((c.field, c.verdict) in VETOES for c in decision.comparisons)


def may_join(decision: MatchDecision) -> bool:
    """Whether a decision against an edition's first member leaves the edition in the running (rule 1)."""
    return decision.score >= MATCH_THRESHOLD - REPRESENTATIVE_SLACK and not _vetoed(decision)


Decide = Callable[[CanonicalRecord, CanonicalRecord], MatchDecision]


def judge(record: CanonicalRecord, members: Sequence[Member], *, decide: Decide = match_unless_vetoed,
          known: dict[int, MatchDecision] | None = None) -> Judgement | None:
    """The record's agreement with an edition whose members are given representative first, or None.

    ``known`` holds decisions already made for ``record``, by ``id()`` of the
    other canonical form; ``decide`` makes the others (:func:`match_unless_vetoed` by default).
    """
    if not members:
        return None

    def decision_on(member: Member) -> MatchDecision:
        found = known.get(id(member.record)) if known else None
        return found or decide(record, member.record)

    representative = decision_on(members[0])
    if not may_join(representative):
        return None
    scored = {_alike(members[0]): representative}
    if representative.score < MATCH_THRESHOLD:  # not decisive: the other members are asked too
        for member in members[1:]:
            alike = _alike(member)
            if alike in scored or len(scored) >= MAX_DESCRIPTIONS_COMPARED:
                continue
            decision = scored[alike] = decision_on(member)
            if _vetoed(decision):
                return None
        score = round(sum(d.score for d in scored.values()) / len(scored))
        if score < MATCH_THRESHOLD:
            return None
    else:
        score = representative.score
        vetoes_checked: set = set(scored)
        for member in members[1:]:
            alike = _alike(member)
            if alike not in vetoes_checked:
                vetoes_checked.add(alike)
                if veto(record, member.record) is not None:
                    return None
    # One entry per member compared or described like one. Members described alike share their decision and
    # one list of its comparisons (an edition held by many libraries that copied one record lists the same
    # comparisons for each of them): made once, and a writer may encode it once.
    shown = {alike: [[c.field, c.verdict, c.points] for c in d.comparisons] for alike, d in scored.items()}
    evidence = tuple({"with": m.id, "score": scored[alike].score, "comparisons": shown[alike]}
                     for m in members if (alike := _alike(m)) in scored)
    return Judgement(score, evidence)


def _alike(member: Member):
    """What members described alike share: the description number, or the description itself."""
    if member.description is not None:
        return member.description
    return replace(member.record, source_id=None, library=None)


def place(record: CanonicalRecord, candidates: Iterable[tuple[object, Sequence[Member]]], *,
          decide: Decide = match_unless_vetoed, known: dict[int, MatchDecision] | None = None) -> Placement:
    """The edition ``record`` joins among ``(edition, members)`` candidates (best mean, earliest on ties)."""
    best: Placement | None = None
    for edition, members in candidates:
        judgement = judge(record, members, decide=decide, known=known)
        if judgement is not None and (best is None or judgement.score > best.score):
            best = Placement(edition, judgement)
    return best or Placement(None)


def claim(options: Sequence[Sequence[tuple[object, Judgement]]],
          keys: Sequence) -> list[tuple[object, Judgement] | None]:
    """Editions for records of one library placed together, each edition given to one record at the most.

    ``options[i]`` are the (edition, judgement) pairs record ``i`` may join, in candidate order; ``keys[i]``
    tells records apart on equal scores (their identifiers in the library).  The best score anywhere is
    settled first, so an edition goes to the record that agrees with it best (ties: the smaller key) and
    each record to the best edition left to it (ties: the earlier candidate), whatever order the records
    came in; a record left without one gets None and founds a new edition.
    """
    ranked = sorted(((judgement.score, keys[i], n, i, edition, judgement)
                     for i, record_options in enumerate(options)
                     for n, (edition, judgement) in enumerate(record_options)),
                    key=lambda t: (-t[0], t[1], t[2]))
    chosen: list[tuple[object, Judgement] | None] = [None] * len(options)
    taken: set = set()
    for _score, _key, _n, i, edition, judgement in ranked:
        if chosen[i] is None and edition not in taken:
            chosen[i] = (edition, judgement)
            taken.add(edition)
    return chosen
