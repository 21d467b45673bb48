"""The cost of a supply under an agreement, and the ledger between libraries (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from jaringan.core.agreements import (
    BadShippingBands,
    Coverage,
    Relation,
    Service,
    ShippingBand,
    ShippingPayer,
    Terms,
    shipping_bands_from,
)
from jaringan.core.ill import fees
from jaringan.core.ill.fees import Entry, Period, Transfer, balances, band_fee, entry_for, quote, settlement

BANDS = shipping_bands_from([
    {"up_to_km": 50, "fee": "10000"}, {"up_to_km": 500, "fee": "20000"}, {"fee": "50000"},
])


def terms(**kw) -> Terms:
    base = dict(
        id=1, network_id=1, services=frozenset({Service.LOAN, Service.COPY}), coverage=Coverage.NETWORK,
        relation=Relation.RECIPROCAL, starts=date(2025, 1, 1), ends=None,
        fee_per_loan=Decimal("15000"), fee_per_page=Decimal("500"), shipping_bands=BANDS,
    )
    base.update(kw)
    return Terms(**base)


# --- shipping bands ------------------------------------------------------------------

@pytest.mark.parametrize(
    "km, fee",
    [(0, 10000), (50, 10000), (50.1, 20000), (500, 20000), (501, 50000), (4000, 50000), (None, 50000)],
)
def test_a_parcel_is_priced_by_its_distance_band(km, fee):
    assert band_fee(terms(), km) == fee


def test_beyond_the_last_closed_band_the_last_band_applies():
    closed = terms(shipping_bands=shipping_bands_from([{"up_to_km": 100, "fee": 8000}]))
    assert band_fee(closed, 100) == 8000 and band_fee(closed, 900) == 8000


def test_no_bands_no_price():
    assert band_fee(terms(shipping_bands=()), 10) is None


@pytest.mark.parametrize(
    "rows",
    [
        [{"up_to_km": 500, "fee": 1}, {"up_to_km": 50, "fee": 1}],  # not nearest first
        [{"up_to_km": 50, "fee": 1}, {"up_to_km": 50, "fee": 2}],  # same distance twice
        [{"fee": 1}, {"up_to_km": 50, "fee": 1}],  # open band not last
        [{"up_to_km": 50, "fee": -1}],
        [{"up_to_km": 0, "fee": 1}],
        [{"up_to_km": 50, "fee": "lima ribu"}],
        [{"up_to_km": "jauh", "fee": 1}],
    ],
)
def test_bad_bands_are_refused(rows):
    with pytest.raises(BadShippingBands):
        shipping_bands_from(rows)


def test_good_bands_are_read():
    assert shipping_bands_from([{"up_to_km": "50", "fee": "10000"}, {"up_to_km": None, "fee": 30000}]) == (
        ShippingBand(50, Decimal("10000")), ShippingBand(None, Decimal("30000")))
    assert shipping_bands_from([]) == ()


# --- quotes ---------------------------------------------------------------------------

def codes(q):
    return [(line.code, line.amount) for line in q.lines]


def test_a_loan_is_its_fee_and_a_parcel_each_way():
    q = quote(terms(), service=Service.LOAN, km=120)
    assert codes(q) == [(fees.LOAN_FEE, 15000), (fees.SHIPPING_OUT, 20000), (fees.SHIPPING_RETURN, 20000)]
    assert q.total == q.requester_cost == 55000 and q.fee == 15000 and q.shipping == 40000


def test_a_copy_on_paper_is_pages_times_price_and_one_parcel():
    q = quote(terms(), service=Service.COPY, km=30, pages=12)
    assert codes(q) == [(fees.COPY_FEE, 6000), (fees.SHIPPING_OUT, 10000)]
    assert q.lines[0].params["pages"] == 12


def test_a_digital_copy_ships_nothing():
    q = quote(terms(), service=Service.COPY, km=3000, pages=12, digital=True)
    assert codes(q) == [(fees.COPY_FEE, 6000)] and q.requester_cost == 6000


def test_digital_does_not_apply_to_a_loan():
    assert quote(terms(), service=Service.LOAN, km=30, digital=True).shipping == 20000


@pytest.mark.parametrize("per_page, pages, fee", [("250.5", 3, 752), ("250.4", 1, 250), ("333.33", 3, 1000)])
def test_copy_fees_are_whole_rupiah_half_up(per_page, pages, fee):
    q = quote(terms(fee_per_page=Decimal(per_page)), service=Service.COPY, km=1, pages=pages, digital=True)
    assert q.fee == fee


@pytest.mark.parametrize("used, fee, free", [(0, 0, True), (2, 0, True), (3, 15000, False)])
def test_the_free_quota_waives_the_fee_but_not_the_shipping(used, fee, free):
    q = quote(terms(free_loans_per_year=3), service=Service.LOAN, km=10, used_this_year=used)
    assert q.fee == fee and q.lines[0].params["free"] is free and q.shipping == 20000


def test_without_bands_shipping_is_outside_the_quote_and_says_so():
    q = quote(terms(shipping_bands=()), service=Service.LOAN, km=700)
    assert not q.shipping_agreed
    assert codes(q) == [(fees.LOAN_FEE, 15000), (fees.SHIPPING_NOT_AGREED, 0)]
    assert q.lines[1].params == {"km": 700, "parcels": 2}


def test_a_shipping_line_names_the_distance_and_its_band():
    near, unknown = quote(terms(), service=Service.LOAN, km=120.4), quote(terms(), service=Service.LOAN, km=None)
    assert near.lines[1].params == {"km": 120, "up_to_km": 500, "paid_by": "requester"}
    assert unknown.lines[1].params == {"km": None, "up_to_km": None, "paid_by": "requester"}


@pytest.mark.parametrize(
    "payer, requester_cost, owed",
    [
        # out 20,000 paid by the supplier, return 20,000 posted by the requester
        (ShippingPayer.REQUESTER, 55000, 35000),  # fee + the outgoing parcel
        (ShippingPayer.SUPPLIER, 15000, -5000),  # fee − the return postage the requester paid
        (ShippingPayer.SHARED, 35000, 15000),  # halves of equal parcels cancel out
    ],
)
def test_who_bears_the_shipping(payer, requester_cost, owed):
    q = quote(terms(shipping_paid_by=payer), service=Service.LOAN, km=100)
    assert q.requester_cost == requester_cost and q.requester_owes_supplier == owed
    assert q.total == 55000


def test_a_shared_odd_parcel_is_split_in_whole_rupiah():
    odd = terms(shipping_paid_by=ShippingPayer.SHARED, shipping_bands=shipping_bands_from([{"fee": 15001}]))
    q = quote(odd, service=Service.COPY, km=10, pages=0)
    assert q.lines[1].amount == 15001 and q.lines[1].requester_share == 7501


def test_no_quote_for_other_services_or_negative_pages():
    with pytest.raises(ValueError):
        quote(terms(), service=Service.RECIPROCAL, km=1)
    with pytest.raises(ValueError):
        quote(terms(), service=Service.COPY, km=1, pages=-1)


# --- the ledger -----------------------------------------------------------------------

A, B, C = 1, 2, 3
DAY = date(2026, 3, 15)


@pytest.mark.parametrize(
    "payer, expected",
    [
        (ShippingPayer.REQUESTER, Entry(A, B, 35000, DAY, "r1")),
        (ShippingPayer.SUPPLIER, Entry(B, A, 5000, DAY, "r1")),
    ],
)
def test_a_supply_writes_an_entry_the_right_way_round(payer, expected):
    q = quote(terms(shipping_paid_by=payer), service=Service.LOAN, km=100)
    assert entry_for(q, requester=A, supplier=B, on=DAY, ref="r1") == expected


def test_nothing_owed_writes_no_entry():
    q = quote(terms(fee_per_loan=Decimal(0), shipping_paid_by=ShippingPayer.SHARED), service=Service.LOAN, km=100)
    assert entry_for(q, requester=A, supplier=B, on=DAY) is None


def test_bad_entries_are_refused():
    with pytest.raises(ValueError):
        Entry(A, A, 10, DAY)
    with pytest.raises(ValueError):
        Entry(A, B, -10, DAY)
    with pytest.raises(ValueError):
        Period(date(2026, 2, 1), date(2026, 1, 1))


ENTRIES = [
    Entry(A, B, 30000, date(2026, 1, 1)),
    Entry(B, A, 10000, date(2026, 1, 31)),
    Entry(C, B, 5000, date(2026, 1, 15)),
    Entry(B, C, 5000, date(2026, 1, 16)),
    Entry(A, C, 7000, date(2026, 2, 1)),  # next period
]


def test_balances_say_who_is_owed_and_add_up_to_nothing():
    got = balances(ENTRIES)
    assert got == {A: -27000, B: 20000, C: 7000}
    assert sum(got.values()) == 0
    assert balances([]) == {}


def test_settlement_nets_each_pair_within_the_period():
    january = Period(date(2026, 1, 1), date(2026, 1, 31))
    assert settlement(ENTRIES, january) == (Transfer(A, B, 20000),)  # B and C cancel out
    (t,) = settlement(ENTRIES, january)
    assert t.entries == 2


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2026, 1, 2), date(2026, 1, 31), (Transfer(B, A, 10000),)),  # the 1 January entry left out
        (date(2026, 1, 1), date(2026, 1, 30), (Transfer(A, B, 30000),)),  # the 31 January entry left out
        (date(2026, 2, 1), date(2026, 2, 28), (Transfer(A, C, 7000),)),
        (date(2026, 3, 1), date(2026, 3, 31), ()),
    ],
)
def test_settlement_period_includes_both_ends(start, end, expected):
    assert settlement(ENTRIES, Period(start, end)) == expected


def test_settlement_is_ordered_by_payer_then_payee():
    entries = [Entry(C, A, 1, DAY), Entry(B, C, 1, DAY), Entry(A, B, 1, DAY), Entry(A, C, 5, DAY)]
    got = settlement(entries, Period(DAY, DAY))
    assert [(t.payer, t.payee, t.amount) for t in got] == [(A, B, 1), (A, C, 4), (B, C, 1)]
