"""The agreement rule: may A ask B for S on day D, and at what fee? (no database)"""

from datetime import date
from decimal import Decimal

import pytest

from jaringan.core import agreements as rules
from jaringan.core.agreements import Coverage, PartyRole, Relation, Service, Status, Terms

A, B, C, OUTSIDER = 1, 2, 3, 9
NET = 100
MEMBERS = {NET: frozenset({A, B, C})}
TODAY = date(2026, 11, 25)


def terms(**kw) -> Terms:
    base = dict(
        id=1, network_id=NET, services=frozenset({Service.LOAN, Service.COPY}), coverage=Coverage.NETWORK,
        relation=Relation.RECIPROCAL, starts=date(2025, 1, 1), ends=date(2027, 12, 31),
        fee_per_loan=Decimal("15000"), fee_per_page=Decimal("500"),
    )
    base.update(kw)
    return Terms(**base)


def ask(agreements, requester=A, supplier=B, service=Service.LOAN, on=TODAY, **kw):
    return rules.may_request(
        requester=requester, supplier=supplier, service=service, on=on, agreements=agreements, members=MEMBERS, **kw
    )


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2024, 12, 31), Status.UPCOMING),
        (date(2025, 1, 1), Status.ACTIVE),  # first day counts
        (date(2027, 12, 31), Status.ACTIVE),  # last day counts
        (date(2028, 1, 1), Status.EXPIRED),
    ],
)
def test_status_by_dates(day, expected):
    assert rules.status_on(date(2025, 1, 1), date(2027, 12, 31), day) is expected


def test_open_ended_agreement_never_expires():
    assert rules.status_on(date(2020, 1, 1), None, date(2099, 1, 1)) is Status.ACTIVE


def test_network_wide_agreement_allows_members_at_its_fee():
    d = ask([terms()])
    assert d.allowed and d.agreement_id == 1 and d.fee == Decimal("15000")
    assert d.shipping_paid_by is rules.ShippingPayer.REQUESTER


def test_copy_fee_is_per_page():
    d = ask([terms()], service=Service.COPY, pages=12)
    assert d.allowed and d.fee == Decimal("6000.00")


@pytest.mark.parametrize(
    "kw, requester, supplier, service, on, reason",
    [
        ({}, A, B, Service.RECIPROCAL, TODAY, rules.SERVICE_NOT_IN_SCOPE),
        ({}, A, B, Service.LOAN, date(2024, 6, 1), rules.NOT_STARTED),
        ({}, A, B, Service.LOAN, date(2028, 6, 1), rules.ENDED),
        ({}, OUTSIDER, B, Service.LOAN, TODAY, rules.REQUESTER_NOT_MEMBER),
        ({}, A, OUTSIDER, Service.LOAN, TODAY, rules.SUPPLIER_NOT_MEMBER),
        ({"coverage": Coverage.NAMED, "parties": {A: PartyRole.BOTH, C: PartyRole.BOTH}},
         A, B, Service.LOAN, TODAY, rules.SUPPLIER_NOT_PARTY),
        ({"coverage": Coverage.NAMED, "parties": {B: PartyRole.BOTH, C: PartyRole.BOTH}},
         A, B, Service.LOAN, TODAY, rules.REQUESTER_NOT_PARTY),
        ({"coverage": Coverage.NAMED, "relation": Relation.ONE_WAY,
          "parties": {A: PartyRole.SUPPLIER, B: PartyRole.RECIPIENT}},
         A, B, Service.LOAN, TODAY, rules.WRONG_DIRECTION),
    ],
)
def test_each_reason_for_refusal(kw, requester, supplier, service, on, reason):
    d = ask([terms(**kw)], requester=requester, supplier=supplier, service=service, on=on)
    assert not d.allowed
    assert d.refusals == ((1, reason),)


def test_one_way_agreement_allows_its_direction():
    t = terms(coverage=Coverage.NAMED, relation=Relation.ONE_WAY,
              parties={A: PartyRole.SUPPLIER, B: PartyRole.RECIPIENT})
    assert ask([t], requester=B, supplier=A).allowed
    assert not ask([t], requester=A, supplier=B).allowed


def test_no_agreement_at_all_and_asking_oneself():
    assert ask([]).refusals == ((None, rules.NO_AGREEMENT),)
    assert ask([terms()], requester=A, supplier=A).refusals == ((None, rules.SAME_LIBRARY),)


def test_named_agreement_wins_over_network_wide_then_cheapest():
    network_wide = terms(id=1, fee_per_loan=Decimal("5000"))
    bilateral = terms(id=2, coverage=Coverage.NAMED, parties={A: PartyRole.BOTH, B: PartyRole.BOTH},
                      fee_per_loan=Decimal("20000"))
    cheaper_bilateral = terms(id=3, coverage=Coverage.NAMED, parties={A: PartyRole.BOTH, B: PartyRole.BOTH},
                              fee_per_loan=Decimal("10000"))
    assert ask([network_wide, bilateral]).agreement_id == 2
    d = ask([network_wide, bilateral, cheaper_bilateral])
    assert d.agreement_id == 3 and d.fee == Decimal("10000")


def test_free_quota_then_fee():
    t = terms(free_loans_per_year=3)
    assert ask([t], used_this_year={1: 2}).fee == 0
    assert ask([t], used_this_year={1: 2}).free_of_charge
    assert ask([t], used_this_year={1: 3}).fee == Decimal("15000")


def test_refusals_are_kept_when_another_agreement_allows():
    expired = terms(id=7, ends=date(2023, 12, 31))
    d = ask([expired, terms(id=8)])
    assert d.allowed and d.agreement_id == 8 and d.refusals == ((7, rules.ENDED),)


@pytest.mark.parametrize(
    "scheme, lower, higher",
    [
        ("DDC", "630", "635.9"),
        ("DDC", "635.9", "639.99"),
        ("DDC", "99", "100"),
        ("UDC", "6", "63"),
        ("UDC", "63", "631.4"),
        ("UDC", "631.4", "64"),
        ("LCC", "QA76", "QA76.9"),
        ("LCC", "QA76.9", "QB1"),
        ("LCC", "P", "PA1"),
    ],
)
def test_class_numbers_order_within_their_scheme(scheme, lower, higher):
    assert rules.class_key(scheme, lower) < rules.class_key(scheme, higher)


def test_bad_class_number_is_refused():
    with pytest.raises(rules.BadClassNumber):
        rules.class_key("DDC", "abc")


def test_division_of_labour():
    agri = rules.Responsibility(A, rules.Scheme.DDC, "630", "639.99", "Pertanian")
    tech = rules.Responsibility(B, rules.Scheme.DDC, "600", "629.99", "Teknologi")
    assert rules.responsible_for("DDC", "633.18", [agri, tech]) == [agri]
    assert rules.responsible_for("DDC", "640", [agri, tech]) == []
    assert rules.responsible_for("LCC", "S1", [agri, tech]) == []
    assert rules.overlapping([agri, tech]) == []
    clash = rules.Responsibility(C, rules.Scheme.DDC, "635", "641")
    assert rules.overlapping([agri, tech, clash]) == [(agri, clash)]
    same_library = rules.Responsibility(A, rules.Scheme.DDC, "630", "631")
    assert rules.overlapping([agri, same_library]) == []
