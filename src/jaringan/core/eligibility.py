"""The paper's four requirements for a library to join a network.

A member must (1) have a collection, (2) open that collection to outsiders,
(3) have a fixed budget, and (4) have staff to run it. Each check returns a
verdict with the reason in words a coordinator can act on; a network may set
higher thresholds than the bare minimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Requirement(StrEnum):
    COLLECTION = "collection"
    OPEN_TO_OUTSIDERS = "open_to_outsiders"
    FIXED_BUDGET = "fixed_budget"
    STAFF = "staff"


#: The least a network may ask for when it sets no threshold of its own.
MIN_COLLECTION_SIZE = 1
MIN_STAFF = 1


@dataclass(frozen=True, slots=True)
class Applicant:
    """What the check needs to know of a library."""

    collection_size: int
    open_to_outsiders: bool
    budget_fixed: bool
    annual_budget: Decimal | None
    staff_count: int


@dataclass(frozen=True, slots=True)
class Thresholds:
    """A network's own minimums."""

    min_collection_size: int = MIN_COLLECTION_SIZE
    min_staff: int = MIN_STAFF


@dataclass(frozen=True, slots=True)
class Verdict:
    requirement: Requirement
    passed: bool
    #: A message id and its parameters, so the edge can translate it.
    reason: str
    params: dict

    def as_dict(self) -> dict:
        return {
            "requirement": str(self.requirement),
            "passed": self.passed,
            "reason": self.reason,
            "params": dict(self.params),
        }


@dataclass(frozen=True, slots=True)
class Eligibility:
    verdicts: tuple[Verdict, ...]

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.verdicts)

    @property
    def failed(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if not v.passed)

    def as_list(self) -> list[dict]:
        return [v.as_dict() for v in self.verdicts]


# Reason ids: the web layer maps each to a translated sentence.
COLLECTION_OK = "collection_ok"
COLLECTION_TOO_SMALL = "collection_too_small"
OPEN_OK = "open_ok"
OPEN_CLOSED = "open_closed"
BUDGET_OK = "budget_ok"
BUDGET_NOT_FIXED = "budget_not_fixed"
BUDGET_MISSING = "budget_missing"
STAFF_OK = "staff_ok"
STAFF_TOO_FEW = "staff_too_few"


def check_collection(a: Applicant, t: Thresholds) -> Verdict:
    params = {"size": a.collection_size, "minimum": t.min_collection_size}
    if a.collection_size >= t.min_collection_size:
        return Verdict(Requirement.COLLECTION, True, COLLECTION_OK, params)
    return Verdict(Requirement.COLLECTION, False, COLLECTION_TOO_SMALL, params)


def check_open(a: Applicant, t: Thresholds) -> Verdict:
    if a.open_to_outsiders:
        return Verdict(Requirement.OPEN_TO_OUTSIDERS, True, OPEN_OK, {})
    return Verdict(Requirement.OPEN_TO_OUTSIDERS, False, OPEN_CLOSED, {})


def check_budget(a: Applicant, t: Thresholds) -> Verdict:
    if not a.budget_fixed:
        return Verdict(Requirement.FIXED_BUDGET, False, BUDGET_NOT_FIXED, {})
    if a.annual_budget is None or a.annual_budget <= 0:
        return Verdict(Requirement.FIXED_BUDGET, False, BUDGET_MISSING, {})
    return Verdict(Requirement.FIXED_BUDGET, True, BUDGET_OK, {"budget": str(a.annual_budget)})


def check_staff(a: Applicant, t: Thresholds) -> Verdict:
    params = {"staff": a.staff_count, "minimum": t.min_staff}
    if a.staff_count >= t.min_staff:
        return Verdict(Requirement.STAFF, True, STAFF_OK, params)
    return Verdict(Requirement.STAFF, False, STAFF_TOO_FEW, params)


CHECKS = (check_collection, check_open, check_budget, check_staff)


def evaluate(applicant: Applicant, thresholds: Thresholds | None = None) -> Eligibility:
    """Check an applicant against all four requirements; every verdict is kept."""
    t = thresholds or Thresholds()
    return Eligibility(tuple(check(applicant, t) for check in CHECKS))
