"""The rota of lenders: who is left out and why, and the order of the rest (no database)."""

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from jaringan.core.agreements import Coverage, PartyRole, Relation, Service, Terms, shipping_bands_from
from jaringan.core.ill import routing
from jaringan.core.ill.geography import Place, leg, sea_crossings
from jaringan.core.ill.routing import DEFAULT, Candidate, Need, Weights, rank

REQUESTER = 1
NET = 10
TODAY = date(2026, 6, 1)

# Real places (demo libraries' cities).
JAKARTA = Place("DKI Jakarta", -6.1808, 106.8270)
BANDUNG = Place("Jawa Barat", -6.8891, 107.6100)
DEPOK = Place("Jawa Barat", -6.3653, 106.8297)
MEDAN = Place("Sumatera Utara", 3.5617, 98.6566)
MAKASSAR = Place("Sulawesi Selatan", -5.1327, 119.4880)
JAYAPURA = Place("Papua", -2.5866, 140.6218)

BANDS = shipping_bands_from([{"up_to_km": 50, "fee": 10000}, {"up_to_km": 500, "fee": 20000}, {"fee": 50000}])


def terms(**kw) -> Terms:
    base = dict(
        id=1, network_id=NET, services=frozenset({Service.LOAN, Service.COPY}), coverage=Coverage.NETWORK,
        relation=Relation.RECIPROCAL, starts=date(2025, 1, 1), ends=None,
        fee_per_loan=Decimal("10000"), fee_per_page=Decimal("300"), shipping_bands=BANDS,
    )
    base.update(kw)
    return Terms(**base)


NETWORK = terms()
MEMBERS = {NET: frozenset(range(1, 30))}


def need(**kw) -> Need:
    base = dict(requester_id=REQUESTER, service=Service.LOAN, place=JAKARTA, on=TODAY, members=MEMBERS)
    base.update(kw)
    return Need(**base)


def cand(library_id, place=BANDUNG, **kw) -> Candidate:
    base = dict(library_id=library_id, place=place, items=1, agreements=(NETWORK,), collection_size=50000)
    base.update(kw)
    return Candidate(**base)


def only(ranking, library_id):
    return next(lender for lender in ranking.lenders if lender.library_id == library_id)


def points(lender, code):
    return next(r.points for r in lender.reasons if r.code == code)


# --- who is left out ----------------------------------------------------------

@pytest.mark.parametrize(
    "need_kw, cand_kw, code",
    [
        ({}, {"library_id": REQUESTER}, routing.SAME_LIBRARY),
        ({"tried": frozenset({2})}, {}, routing.ALREADY_ASKED),
        ({}, {"items": 0}, routing.NOT_HELD),
        ({"service": Service.COPY}, {"offers": frozenset({Service.LOAN})}, routing.SERVICE_NOT_OFFERED),
        ({}, {"agreements": (terms(ends=date(2025, 12, 31)),)}, routing.NOT_COVERED),  # ended
        ({}, {"agreements": (terms(services=frozenset({Service.COPY})),)}, routing.NOT_COVERED),
        ({}, {"agreements": ()}, routing.NOT_COVERED),
        ({"members": {NET: frozenset({REQUESTER})}}, {}, routing.NOT_COVERED),  # lender suspended
        ({"max_cost": 49999}, {}, routing.OVER_MAX_COST),  # 10,000 + 2 × 20,000 shipping
    ],
)
def test_an_ineligible_lender_is_left_out_with_its_reason(need_kw, cand_kw, code):
    c = cand(**{"library_id": 2, **cand_kw})
    ranking = rank(need(**need_kw), [c])
    assert ranking.lenders == ()
    assert [(x.library_id, x.code) for x in ranking.excluded] == [(c.library_id, code)]


@pytest.mark.parametrize(
    "need_kw, cand_kw",
    [
        ({"tried": frozenset({3})}, {}),  # another lender was tried
        ({}, {"items": 1}),
        ({"service": Service.COPY}, {"offers": frozenset({Service.COPY})}),
        ({}, {"agreements": (terms(ends=TODAY),)}),  # last day still counts
        ({"members": {NET: frozenset({REQUESTER, 2})}}, {}),
        ({"max_cost": 50000}, {}),  # exactly the maximum is allowed
    ],
)
def test_the_same_lender_is_ranked_when_the_rule_is_met(need_kw, cand_kw):
    ranking = rank(need(**need_kw), [cand(2, **cand_kw)])
    assert ranking.order == (2,) and ranking.excluded == ()


def test_not_covered_says_why_agreement_by_agreement():
    ended = terms(id=7, ends=date(2025, 12, 31))
    copies_only = terms(id=8, services=frozenset({Service.COPY}))
    (out,) = rank(need(), [cand(2, agreements=(ended, copies_only))]).excluded
    assert out.params == {"refusals": [{"agreement_id": 7, "reason": "ended"},
                                       {"agreement_id": 8, "reason": "service_not_in_scope"}]}


def test_over_max_cost_names_the_cost_and_the_maximum():
    (out,) = rank(need(max_cost=20000), [cand(2)]).excluded
    assert out.params == {"cost": 50000, "max": 20000}


def test_only_loans_and_copies_are_routed():
    with pytest.raises(ValueError):
        rank(need(service=Service.RECIPROCAL), [cand(2)])


# --- the order ------------------------------------------------------------------

def test_a_near_lender_comes_before_a_far_one_for_a_loan():
    ranking = rank(need(place=MAKASSAR), [cand(2, place=JAKARTA), cand(3, place=MAKASSAR)])
    assert ranking.order == (3, 2)
    far = only(ranking, 2)
    reason = next(r for r in far.reasons if r.code == routing.DISTANCE)
    assert reason.params["crossings"] == 1 and 1350 < reason.params["km"] < 1450
    assert reason.params["delivery"] == routing.PHYSICAL


def test_a_digital_copy_hardly_weighs_distance():
    c = cand(2, place=JAYAPURA, delivers_digital=True)
    loan = only(rank(need(place=MEDAN), [c]), 2)
    copy = only(rank(need(place=MEDAN, service=Service.COPY, pages=10), [c]), 2)
    paper = only(rank(need(place=MEDAN, service=Service.COPY, pages=10, accepts_digital=False), [c]), 2)
    assert copy.delivery == routing.DIGITAL and paper.delivery == routing.PHYSICAL
    assert points(loan, routing.DISTANCE) < -40
    assert points(copy, routing.DISTANCE) > -3
    assert points(loan, routing.DISTANCE) < points(paper, routing.DISTANCE) < points(copy, routing.DISTANCE)


def test_for_a_digital_copy_a_far_reliable_lender_beats_a_near_unreliable_one():
    far = cand(2, place=JAYAPURA, delivers_digital=True, asked=50, filled=48)
    near = cand(3, place=DEPOK, delivers_digital=True, asked=50, filled=20)
    assert rank(need(service=Service.COPY, pages=10), [far, near]).order == (2, 3)
    assert rank(need(), [far, near]).order == (3, 2)  # a loan travels: the near one first


def test_a_loaded_lender_drops():
    idle, busy = cand(2), cand(3)
    assert rank(need(), [busy, idle]).order == (2, 3)  # equal: library id decides
    loaded = replace(busy, library_id=2, open_lending=20)
    ranking = rank(need(), [loaded, replace(idle, library_id=3)])
    assert ranking.order == (3, 2)
    assert points(only(ranking, 2), routing.LOAD) < 0 == points(only(ranking, 3), routing.LOAD)


def test_load_is_relative_to_size():
    small = cand(2, collection_size=5000, open_lending=5)
    big = cand(3, collection_size=200000, open_lending=5)
    assert rank(need(), [small, big]).order == (3, 2)


def test_a_net_borrower_rises_and_a_net_lender_is_spared():
    lender_ = cand(2, lent=300, borrowed=10)
    even = cand(3, lent=50, borrowed=50)
    borrower = cand(4, lent=5, borrowed=200)
    ranking = rank(need(), [lender_, even, borrower])
    assert ranking.order == (4, 3, 2)
    assert points(only(ranking, 4), routing.BALANCE) > 0 > points(only(ranking, 2), routing.BALANCE)
    assert points(only(ranking, 3), routing.BALANCE) == 0


def test_a_lender_over_its_fair_share_is_spared_and_one_under_it_asked_first():
    network = routing.Network(lent=1000, lenders=10)  # an even share of 100 each
    assert network.share == 100
    over, at, under = cand(2, lent=390), cand(3, lent=100), cand(4, lent=0)
    ranking = rank(need(network=network), [over, at, under], weights=replace(DEFAULT, balance=0))
    assert ranking.order == (4, 3, 2)
    assert points(only(ranking, 3), routing.FAIR_SHARE) == 0
    # points per doubling of (lent + prior) over (share + prior): 400/110 → −1.86 doublings
    w = DEFAULT
    assert points(only(ranking, 2), routing.FAIR_SHARE) == pytest.approx(-w.fair_share * 1.8625, abs=0.01)
    assert points(only(ranking, 4), routing.FAIR_SHARE) == pytest.approx(w.fair_share * 3.0, abs=0.01)  # capped
    reason = next(r for r in only(ranking, 2).reasons if r.code == routing.FAIR_SHARE)
    assert reason.params == {"lent": 390, "share": 100.0, "network_lent": 1000, "lenders": 10}


def test_far_beyond_the_share_the_points_stop_at_the_cap():
    network = routing.Network(lent=100, lenders=10)
    ranking = rank(need(network=network), [cand(2, lent=5000)])
    assert points(ranking.lenders[0], routing.FAIR_SHARE) == -DEFAULT.fair_share * DEFAULT.fair_share_cap


@pytest.mark.parametrize("network, weights", [
    (None, DEFAULT),  # the app did not say what the network lent
    (routing.Network(lent=50, lenders=0), DEFAULT),  # no member able to lend
    (routing.Network(lent=50, lenders=5), replace(DEFAULT, fair_share=0)),  # the network switched it off
])
def test_without_a_network_figure_or_weight_the_fair_share_gives_no_reason(network, weights):
    lender = rank(need(network=network), [cand(2, lent=40)], weights=weights).lenders[0]
    assert routing.FAIR_SHARE not in [r.code for r in lender.reasons]


def test_a_quiet_year_leaves_everyone_at_its_share():
    ranking = rank(need(network=routing.Network(lent=0, lenders=12)), [cand(2), cand(3)])
    assert {points(lender, routing.FAIR_SHARE) for lender in ranking.lenders} == {0}


@pytest.mark.parametrize(
    "asked, filled, beats_new",
    [(20, 19, True), (2, 2, True), (20, 2, False), (2, 0, False)],
)
def test_fill_rate_is_shrunk_toward_the_prior_so_a_new_lender_is_not_punished(asked, filled, beats_new):
    new, known = cand(2), cand(3, asked=asked, filled=filled)
    assert (rank(need(), [new, known]).order[0] == 3) is beats_new


def test_one_bad_answer_costs_a_new_lender_little():
    ranking = rank(need(), [cand(2, asked=1, filled=0), cand(3)])
    assert points(only(ranking, 3), routing.FILL_RATE) - points(only(ranking, 2), routing.FILL_RATE) < 3


def test_more_copies_held_rank_higher():
    assert rank(need(), [cand(2, items=1), cand(3, items=3)]).order == (3, 2)


def test_another_edition_ranks_below_the_edition_asked_for():
    assert rank(need(), [cand(2, exact_edition=False), cand(3)]).order == (3, 2)


def test_a_cheaper_agreement_comes_first_and_its_fee_is_used():
    cheap = terms(id=2, coverage=Coverage.NAMED, parties={REQUESTER: PartyRole.BOTH, 3: PartyRole.BOTH},
                  fee_per_loan=Decimal("0"))
    ranking = rank(need(), [cand(2), cand(3, agreements=(NETWORK, cheap))])
    assert ranking.order == (3, 2)
    assert only(ranking, 3).agreement_id == 2 and only(ranking, 3).quote.requester_cost == 40000
    assert only(ranking, 2).quote.requester_cost == 50000


def test_a_slower_lender_ranks_lower_and_an_unknown_one_is_taken_at_the_prior():
    fast = cand(2, median_days_to_ship=1.0, shipments=30)
    unknown = cand(3)
    slow = cand(4, median_days_to_ship=8.0, shipments=30)
    ranking = rank(need(), [slow, unknown, fast])
    assert ranking.order == (2, 3, 4)
    (days,) = [r.params["expected_days"] for r in only(ranking, 3).reasons if r.code == routing.TURNAROUND]
    assert days == DEFAULT.prior_days_to_ship


def test_missing_coordinates_are_taken_at_a_typical_distance():
    nowhere = Place("Jawa Barat")
    lender = only(rank(need(), [cand(2, place=nowhere)]), 2)
    reason = next(r for r in lender.reasons if r.code == routing.DISTANCE)
    assert reason.params["km"] is None
    assert reason.points == -round(DEFAULT.distance_per_1000km * DEFAULT.unknown_km / 1000, 2)


# --- explained and deterministic -----------------------------------------------------

def test_every_lender_carries_its_reasons_and_they_add_up_to_its_score():
    rng = random.Random(3)
    candidates = [
        cand(i, place=rng.choice([JAKARTA, BANDUNG, MEDAN, MAKASSAR, JAYAPURA]), items=rng.randint(1, 3),
             open_lending=rng.randint(0, 9), lent=rng.randint(0, 90), borrowed=rng.randint(0, 90),
             asked=30, filled=rng.randint(0, 30))
        for i in range(2, 20)
    ]
    for lender in rank(need(), candidates).lenders:
        codes = [r.code for r in lender.reasons]
        assert set(codes) <= set(routing.COMPONENTS) and len(codes) == len(set(codes))
        assert lender.score == pytest.approx(sum(r.points for r in lender.reasons), abs=0.01)
        assert all(isinstance(r.params, dict) for r in lender.reasons)


def test_the_order_does_not_depend_on_the_order_of_candidates():
    rng = random.Random(5)
    candidates = [cand(i, place=rng.choice([JAKARTA, BANDUNG, DEPOK]), lent=i % 3, borrowed=i % 2)
                  for i in range(2, 30)]
    first = rank(need(), candidates)
    for _ in range(5):
        rng.shuffle(candidates)
        again = rank(need(), candidates)
        assert again.order == first.order
        assert [x.library_id for x in again.excluded] == [x.library_id for x in first.excluded]


def test_the_ranking_serialises_to_plain_data():
    data = rank(need(max_cost=45000), [cand(2), cand(3, agreements=(terms(fee_per_loan=Decimal(0)),))]).as_dict()
    assert data["lenders"][0]["library_id"] == 3 and data["excluded"][0]["code"] == routing.OVER_MAX_COST
    assert {r["code"] for r in data["lenders"][0]["reasons"]} >= {routing.DISTANCE, routing.FEE}


# --- weights ------------------------------------------------------------------------

def test_weights_change_the_order():
    near_busy = cand(2, place=DEPOK, open_lending=40, collection_size=10000)
    far_idle = cand(3, place=MEDAN)
    assert rank(need(), [near_busy, far_idle]).order == (3, 2)
    assert rank(need(), [near_busy, far_idle], weights=Weights(load=0)).order == (2, 3)


def test_weights_round_trip_and_refuse_nonsense():
    assert Weights.from_mapping(DEFAULT.as_dict()) == DEFAULT
    assert Weights.from_mapping({"balance": 5}).balance == 5.0
    with pytest.raises(ValueError):
        Weights.from_mapping({"prestige": 3})
    with pytest.raises(ValueError):
        Weights(load=-1)
    with pytest.raises(ValueError):
        Weights(prior_fill_rate=1.5)
    with pytest.raises(ValueError):
        Weights(items_per_slot=0)
    with pytest.raises(ValueError):
        Weights(fair_share_prior=0)


# --- geography ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "a, b, crossings",
    [
        ("DKI Jakarta", "Jawa Barat", 0),
        ("DKI Jakarta", "Sumatera Utara", 1),  # Sunda Strait
        ("Sulawesi Selatan", "DKI Jakarta", 1),
        ("Sumatera Utara", "Papua", 4),  # Java, Sulawesi, Maluku, Papua
        ("Kalimantan Timur", "Sulawesi Selatan", 1),
        ("Bali", "Nusa Tenggara Timur", 1),  # one group, separate islands
        ("Sumatera Utara", "Kepulauan Riau", 1),
        ("Sumatera Utara", "Aceh", 0),
        ("Bali", "Bali", 0),
        ("DKI Jakarta", "Selangor", 2),  # abroad
    ],
)
def test_sea_crossings(a, b, crossings):
    assert sea_crossings(a, b) == crossings == sea_crossings(b, a)


def test_a_leg_without_coordinates_still_counts_crossings():
    way = leg(Place("Papua"), MEDAN)
    assert way.km is None and way.crossings == 4
    assert 115 < leg(JAKARTA, BANDUNG).km < 120


def test_the_package_exports_what_it_lists():
    import types

    import jaringan.core.ill as ill

    assert sorted(ill.__all__) == ill.__all__
    public = {name for name, value in vars(ill).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert set(ill.__all__) == public
