"""The paper's four requirements (no database)."""

from decimal import Decimal

import pytest

from jaringan.core import eligibility as elig

GOOD = dict(collection_size=5000, open_to_outsiders=True, budget_fixed=True,
            annual_budget=Decimal("150000000"), staff_count=3)


def evaluate(thresholds=None, **changes):
    return elig.evaluate(elig.Applicant(**{**GOOD, **changes}), thresholds)


def test_a_library_meeting_all_four_passes_with_reasons():
    result = evaluate()
    assert result.passed and not result.failed
    assert [v.requirement for v in result.verdicts] == list(elig.Requirement)
    assert [v.reason for v in result.verdicts] == [elig.COLLECTION_OK, elig.OPEN_OK, elig.BUDGET_OK, elig.STAFF_OK]


@pytest.mark.parametrize(
    "changes, requirement, reason",
    [
        ({"collection_size": 0}, elig.Requirement.COLLECTION, elig.COLLECTION_TOO_SMALL),
        ({"open_to_outsiders": False}, elig.Requirement.OPEN_TO_OUTSIDERS, elig.OPEN_CLOSED),
        ({"budget_fixed": False}, elig.Requirement.FIXED_BUDGET, elig.BUDGET_NOT_FIXED),
        ({"annual_budget": None}, elig.Requirement.FIXED_BUDGET, elig.BUDGET_MISSING),
        ({"annual_budget": Decimal("0")}, elig.Requirement.FIXED_BUDGET, elig.BUDGET_MISSING),
        ({"staff_count": 0}, elig.Requirement.STAFF, elig.STAFF_TOO_FEW),
    ],
)
def test_each_failure_names_its_requirement(changes, requirement, reason):
    result = evaluate(**changes)
    assert not result.passed
    assert [(v.requirement, v.reason) for v in result.failed] == [(requirement, reason)]


@pytest.mark.parametrize("size, passed", [(999, False), (1000, True)])
def test_network_threshold_both_sides(size, passed):
    t = elig.Thresholds(min_collection_size=1000, min_staff=2)
    result = evaluate(t, collection_size=size)
    assert result.verdicts[0].passed is passed
    assert result.verdicts[0].params == {"size": size, "minimum": 1000}


@pytest.mark.parametrize("staff, passed", [(1, False), (2, True)])
def test_staff_threshold_both_sides(staff, passed):
    result = evaluate(elig.Thresholds(min_staff=2), staff_count=staff)
    assert result.verdicts[3].passed is passed


def test_as_list_is_plain_data():
    rows = evaluate(staff_count=0).as_list()
    assert rows[3] == {"requirement": "staff", "passed": False, "reason": "staff_too_few",
                       "params": {"staff": 0, "minimum": 1}}
