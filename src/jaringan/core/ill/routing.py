"""The rota: which member libraries to ask for an item, in what order, and why.

The caller (the ILL app) gathers the candidates — the members holding the
edition, or any edition of the work when the reader accepts one — with the
agreements linking them to the requester and their recent figures. `rank`
drops the ones that may not or cannot supply, each with its reason, and
orders the rest by a score that is the plain sum of named components:

============  ==========================================================  =====
component     what it measures                                            sign
============  ==========================================================  =====
holdings      copies held: two copies are likelier on the shelf than one    +
fill_rate     past share of requests supplied, shrunk toward a prior        +
              (a new lender starts at the prior, not at zero)
edition       holds another edition than the one asked for                  −
distance      kilometres and sea crossings a parcel travels; a copy         −
              delivered digitally hardly counts them
load          open lending requests relative to the collection's size       −
balance       lent minus borrowed: a net lender is spared, a net borrower   ±
              asked to lend its share
fair_share    lent against its fair share of the network's lending: one     ±
              that lent more than its share is spared, one that lent less
              is asked first
fee           what the requester pays under the agreement (fee + shipping)  −
turnaround    median days to ship, shrunk toward a prior                    −
============  ==========================================================  =====

A network's or an agreement's border rules (`core.borders`) refuse some
lenders (left out as not covered, with the rule's reason) and make others the
last resort: those are asked after every other lender whatever their score.

Each lender comes back with its score and its `Reason`s — (code, params,
points) — so staff can see why one library is asked before another; codes
and params are plain data, and the edge turns them into words. Ties are
broken by library id, so the order is deterministic.

The weights are a frozen `Weights`; a network may store its own. The
defaults were tuned on `bench/ill_simulation.py` (a simulated year of 22,000
requests among 110 libraries across the archipelago); `docs/routing.md`
gives the reasoning and the figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from jaringan.core.agreements import Service, Terms
from jaringan.core.borders import Site

from . import fees
from .geography import Leg, Place, leg

# Reason codes of the score (one per component).
HOLDINGS = "holdings"
FILL_RATE = "fill_rate"
EDITION = "edition"
DISTANCE = "distance"
LOAD = "load"
BALANCE = "balance"
FEE = "fee"
TURNAROUND = "turnaround"
FAIR_SHARE = "fair_share"
COMPONENTS = (HOLDINGS, FILL_RATE, EDITION, DISTANCE, LOAD, BALANCE, FAIR_SHARE, FEE, TURNAROUND)
#: Not a component: the lender is the last resort under the border rules (no points; it goes last).
LAST_RESORT = "last_resort"

# Reasons a candidate is left out of the rota.
SAME_LIBRARY = "same_library"  # the requester itself
ALREADY_ASKED = "already_asked"  # asked before for this request (and did not supply)
NOT_HELD = "not_held"  # no item of the edition (or work) to lend
SERVICE_NOT_OFFERED = "service_not_offered"  # the library does not offer loans / copies
NOT_COVERED = "not_covered"  # no active agreement covers it; params["refusals"] say why, agreement by agreement
OVER_MAX_COST = "over_max_cost"  # costs the requester more than its maximum

PHYSICAL = "physical"
DIGITAL = "digital"

#: A load above this many times capacity counts as this (the score stays bounded).
LOAD_CAP = 4.0


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each component counts, in points. Defaults and their defence:

    A full-strength component is worth roughly 10–30 points, so no one of
    them decides alone, and the score reads as a sum a person can check.

    * `fill_rate` 30 × the posterior fill rate, prior 0.6 worth 10 requests:
      supply is what matters most to the reader, but a lender with 2 of 2
      filled (posterior 0.67) is not yet preferred much over a new lender
      (0.60), and a failing lender (2 of 20, posterior 0.27) loses ~10 points.
    * `holdings` 20 × (1 − ½^copies): one copy 10, two 15, many 20. Copies
      are the surest sign an item is on the shelf (with two, both must be
      out for a refusal), so a second copy counts; a tenth hardly.
    * `distance_per_1000km` 8 and `sea_crossing` 3 for a loan (it travels
      out and back); a copy on paper travels once (`copy_post_factor` ½),
      a digital copy barely (`digital_distance_factor` 0.05). Medan–Jayapura
      (≈ 4,700 km, 4 crossings) costs ~50 points: a far lender is asked only
      when no near one can supply.
    * `load` 18 points at capacity, where capacity is 1 + collection/`items_per_slot`
      (5,000 items per open request): a school library of 3,000 items is full
      with under two open requests, a national library of 200,000 with 41.
      Loaded lenders refuse more and ship slower; this mostly buys turnaround.
    * `balance` 16 × (lent − borrowed)/(lent + borrowed + 20): a library that
      only lends loses up to 16 points, one that only borrows gains up to 16,
      so the big lenders are spared and those that borrow lend. Alone it
      cannot spread lending more evenly than borrowing (without the fair
      share, dropping it raised the simulation's Gini of lending from 0.47 to
      0.59); with the fair share it adds little (0.208 without it, 0.203 with).
    * `fair_share` 40 points per doubling of what a lender lent in the year
      over its fair share — the network's loans and copies shared evenly
      among the members able to lend — each side counted with `fair_share_prior`
      10 loans, and at most `fair_share_cap` 3 doublings (±120 points, about a
      lender across the archipelago). Near its share a lender moves a few
      points; one that lent nothing while the others lent is asked first where
      it holds the item, and the busiest lenders are spared. Against the
      simulation's ReShare-style policy (lending made to mirror borrowing) this
      brings the Gini of lending load from 1.95× to 0.84× of it, at a mean
      shipping distance of 0.52× and 7.2 days physical turnaround (seed 2025;
      `docs/routing.md` has every seed).
    * `fee_per_10000` 2 points per Rp 10,000 the requester pays: between
      agreements fees differ by tens of thousands, which should count, but
      less than a sure supply.
    * `turnaround_per_day` 1.5 points per day of median shipping, prior 3
      days worth 5 shipments.
    * `other_edition` 3 points less for an edition other than the one asked.
    """

    fill_rate: float = 30.0
    prior_fill_rate: float = 0.6
    prior_requests: float = 10.0
    holdings: float = 20.0
    other_edition: float = 3.0
    distance_per_1000km: float = 8.0
    sea_crossing: float = 3.0
    copy_post_factor: float = 0.5
    digital_distance_factor: float = 0.05
    #: Kilometres assumed when a coordinate is missing (a typical distance within one island group).
    unknown_km: float = 500.0
    load: float = 18.0
    items_per_slot: float = 5000.0
    balance: float = 16.0
    balance_prior: float = 20.0
    fair_share: float = 40.0
    fair_share_prior: float = 10.0
    fair_share_cap: float = 3.0
    fee_per_10000: float = 2.0
    turnaround_per_day: float = 1.5
    prior_days_to_ship: float = 3.0
    prior_shipments: float = 5.0

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or value < 0 or value != value:
                raise ValueError(f"weight {f.name} must be a number ≥ 0, not {value!r}")
        if not 0 <= self.prior_fill_rate <= 1:
            raise ValueError("prior_fill_rate must lie between 0 and 1")
        if self.items_per_slot <= 0:
            raise ValueError("items_per_slot must be positive")
        if self.fair_share_prior <= 0:
            raise ValueError("fair_share_prior must be positive")

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> Weights:
        """Weights from stored values; missing names keep their defaults, unknown names are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown weights: {', '.join(unknown)}")
        return cls(**{k: float(v) for k, v in values.items()})


DEFAULT = Weights()


@dataclass(frozen=True, slots=True)
class Network:
    """The network's lending over the window the candidates' figures cover, for the fair share.

    `lent`: loans and copies its members supplied one another; `lenders`: the members able to lend (admitted,
    not suspended, offering loans or copies to other members).
    """

    lent: int
    lenders: int

    @property
    def share(self) -> float | None:
        """A member's fair share of the lending: an even share among the members able to lend."""
        return self.lent / self.lenders if self.lenders > 0 else None


@dataclass(frozen=True, slots=True)
class Need:
    """What the requester asks for, and what the rule needs to know about it."""

    requester_id: int
    service: Service  # LOAN or COPY
    place: Place  # where the requesting library is
    on: date  # the day the request is routed (agreements must be active)
    #: Network id → ids of its admitted, not suspended, members (as `network.selectors.admitted_members`).
    members: Mapping[int, frozenset[int]]
    pages: int | None = None  # for a copy
    #: The most the requester will pay (fee and its share of shipping), whole rupiah; None: no limit.
    max_cost: int | None = None
    #: Agreement id → requests the requester made under it this year (free quotas).
    used_this_year: Mapping[int, int] = field(default_factory=dict)
    #: Lenders already asked for this request (refused or did not answer): not asked again.
    tried: frozenset[int] = frozenset()
    #: Whether the reader takes a copy delivered digitally (scan by e-mail or download).
    accepts_digital: bool = True
    #: Where the requester is, for the border rules (None: not known, and a rule needing it refuses).
    site: Site | None = None
    #: The network's lending over the candidates' window, for the fair share (None: not known, no points).
    network: Network | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member library that might supply, with its figures.

    Counts are over a recent window the caller chooses (a year is sensible):
    `asked`/`filled` are lending requests this library received and supplied;
    `lent`/`borrowed` are supplies it made to and received from other members.
    """

    library_id: int
    place: Place
    #: Items of the edition it holds (of the work, if the reader accepts any edition).
    items: int
    #: Every agreement between the two libraries' shared networks, in any state.
    agreements: tuple[Terms, ...]
    #: Services the library offers to other members (LOAN, COPY).
    offers: frozenset[Service] = frozenset({Service.LOAN, Service.COPY})
    delivers_digital: bool = False
    collection_size: int = 0
    open_lending: int = 0
    lent: int = 0
    borrowed: int = 0
    asked: int = 0
    filled: int = 0
    median_days_to_ship: float | None = None
    shipments: int = 0  # how many shipments the median is over
    exact_edition: bool = True
    #: Where the library is, for the border rules.
    site: Site | None = None
    #: Of `items`, those in its local-content collections (a loan of them only within the region).
    local_items: int = 0


@dataclass(frozen=True, slots=True)
class Reason:
    """One component of a score: a code, its parameters (plain data), and the points it adds."""

    code: str
    params: dict
    points: float

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params), "points": self.points}


@dataclass(frozen=True, slots=True)
class Lender:
    """A candidate in the rota."""

    library_id: int
    score: float
    reasons: tuple[Reason, ...]
    agreement_id: int
    quote: fees.Quote
    delivery: str  # PHYSICAL or DIGITAL
    leg: Leg
    #: Asked only after every lender that is not (the border rules' last resort).
    last_resort: bool = False

    def as_dict(self) -> dict:
        return {
            "library_id": self.library_id, "score": self.score, "agreement_id": self.agreement_id,
            "last_resort": self.last_resort,
            "delivery": self.delivery, "cost": self.quote.requester_cost,
            "reasons": [r.as_dict() for r in self.reasons],
            "quote": [line.as_dict() for line in self.quote.lines],
        }


@dataclass(frozen=True, slots=True)
class Excluded:
    """A candidate left out, with the reason (a code and its parameters)."""

    library_id: int
    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"library_id": self.library_id, "code": self.code, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class Ranking:
    lenders: tuple[Lender, ...]
    excluded: tuple[Excluded, ...]

    @property
    def order(self) -> tuple[int, ...]:
        """Library ids in the order to ask them."""
        return tuple(lender.library_id for lender in self.lenders)

    def as_dict(self) -> dict:
        return {"lenders": [x.as_dict() for x in self.lenders], "excluded": [x.as_dict() for x in self.excluded]}


def _exclusion(need: Need, c: Candidate) -> Excluded | None:
    if c.library_id == need.requester_id:
        return Excluded(c.library_id, SAME_LIBRARY)
    if c.library_id in need.tried:
        return Excluded(c.library_id, ALREADY_ASKED)
    if c.items <= 0:
        return Excluded(c.library_id, NOT_HELD)
    if need.service not in c.offers:
        return Excluded(c.library_id, SERVICE_NOT_OFFERED, {"service": str(need.service)})
    return None


def _r(x: float) -> float:
    return round(x, 2) + 0.0  # never -0.0


def reach_penalty(way: Leg, cost: int, weights: Weights = DEFAULT) -> float:
    """The points a lender loses before any request is known: the way a loan travels (kilometres and sea
    crossings) and what the requester pays, weighed as `score` weighs them. A reader's list of who can
    lend is ordered by it, smallest first, as the rota would order lenders that are otherwise alike."""
    km = way.km if way.km is not None else weights.unknown_km
    distance = weights.distance_per_1000km * km / 1000 + weights.sea_crossing * way.crossings
    return _r(distance + weights.fee_per_10000 * cost / 10000)


def score(need: Need, c: Candidate, way: Leg, quote: fees.Quote, delivery: str,
          w: Weights = DEFAULT) -> tuple[float, tuple[Reason, ...]]:
    """The score of one eligible candidate and its reasons, component by component."""
    posterior = (c.filled + w.prior_fill_rate * w.prior_requests) / (c.asked + w.prior_requests) \
        if c.asked + w.prior_requests > 0 else w.prior_fill_rate

    km = way.km if way.km is not None else w.unknown_km
    if delivery == DIGITAL:
        factor = w.digital_distance_factor
    elif need.service is Service.COPY:
        factor = w.copy_post_factor
    else:
        factor = 1.0
    distance = factor * (w.distance_per_1000km * km / 1000 + w.sea_crossing * way.crossings)

    capacity = 1 + c.collection_size / w.items_per_slot
    load = c.open_lending / capacity

    denominator = c.lent + c.borrowed + w.balance_prior
    balance = (c.lent - c.borrowed) / denominator if denominator > 0 else 0.0

    cost = quote.requester_cost
    share = _fair_share(need, c, w)

    n = c.shipments if c.median_days_to_ship is not None else 0
    days = ((c.median_days_to_ship or 0) * n + w.prior_days_to_ship * w.prior_shipments) / (n + w.prior_shipments) \
        if n + w.prior_shipments > 0 else w.prior_days_to_ship

    reasons = [
        Reason(HOLDINGS, {"items": c.items}, _r(w.holdings * (1 - 0.5 ** c.items))),
        Reason(FILL_RATE, {"filled": c.filled, "asked": c.asked, "rate": round(posterior, 3)},
               _r(w.fill_rate * posterior)),
        Reason(DISTANCE, {"km": None if way.km is None else round(way.km), "crossings": way.crossings,
                          "delivery": delivery}, _r(-distance)),
        Reason(LOAD, {"open": c.open_lending, "capacity": round(capacity, 1), "ratio": round(load, 2)},
               _r(-w.load * min(load, LOAD_CAP))),
        Reason(BALANCE, {"lent": c.lent, "borrowed": c.borrowed}, _r(-w.balance * balance)),
        *([share] if share is not None else []),
        Reason(FEE, {"cost": cost, "shipping_agreed": quote.shipping_agreed}, _r(-w.fee_per_10000 * cost / 10000)),
        Reason(TURNAROUND, {"median_days": c.median_days_to_ship, "shipments": c.shipments,
                            "expected_days": round(days, 1)}, _r(-w.turnaround_per_day * days)),
    ]
    if not c.exact_edition:
        reasons.insert(2, Reason(EDITION, {"exact": False}, _r(-w.other_edition)))
    return _r(sum(r.points for r in reasons)), tuple(reasons)


def _fair_share(need: Need, c: Candidate, w: Weights) -> Reason | None:
    """Lent against the fair share: −weight × log₂((lent + prior)/(share + prior)), within ± the cap. A library
    that lent twice its share loses about the weight; one that lent half of it gains about as much."""
    share = need.network.share if need.network is not None and w.fair_share > 0 else None
    if share is None:
        return None
    doublings = math.log2((c.lent + w.fair_share_prior) / (share + w.fair_share_prior))
    doublings = max(-w.fair_share_cap, min(w.fair_share_cap, doublings))
    return Reason(FAIR_SHARE, {"lent": c.lent, "share": round(share, 1), "network_lent": need.network.lent,
                               "lenders": need.network.lenders}, _r(-w.fair_share * doublings))


def order_key(lender: Lender) -> tuple:
    """The order lenders are asked in: the last resorts after the rest, each part best score first."""
    return (lender.last_resort, -lender.score, lender.library_id)


def rank(need: Need, candidates: Sequence[Candidate], *, weights: Weights = DEFAULT) -> Ranking:
    """The rota for `need`: eligible lenders best first, and the rest with the reason each is left out.

    A candidate is left out when it is the requester, was already asked,
    holds no item, does not offer the service, no active agreement covers the
    request (`NOT_COVERED`, with each agreement's refusal), or would cost the
    requester more than `need.max_cost`. Among agreements covering a pair the
    rule of `fees.offer` picks one (named parties first, then the cheaper in
    all, shipping included) and its quote prices the supply, as the agreement
    check page says. A loan of what a lender holds only in its local-content
    collections is asked under the border rules for local content; a lender its
    agreement's rules make the last resort comes after all the others.
    """
    service = Service(need.service)
    if service not in (Service.LOAN, Service.COPY):
        raise ValueError(f"interlibrary loan routes loans and copies, not {service}")
    lenders: list[Lender] = []
    excluded: list[Excluded] = []
    for c in candidates:
        out = _exclusion(need, c)
        if out is not None:
            excluded.append(out)
            continue
        delivery = DIGITAL if service is Service.COPY and c.delivers_digital and need.accepts_digital else PHYSICAL
        way = leg(need.place, c.place)
        offer = fees.offer(
            requester=need.requester_id, supplier=c.library_id, service=service, on=need.on,
            agreements=c.agreements, members=need.members, km=way.km, pages=need.pages,
            used_this_year=need.used_this_year, digital=delivery == DIGITAL,
            sites={k: v for k, v in ((need.requester_id, need.site), (c.library_id, c.site)) if v is not None},
            local_content=service is Service.LOAN and c.local_items >= c.items,
        )
        decision = offer.decision
        if not decision.allowed:
            excluded.append(Excluded(c.library_id, NOT_COVERED, {
                "refusals": [{"agreement_id": aid, "reason": why} for aid, why in decision.refusals],
            }))
            continue
        terms = next(t for t in c.agreements if t.id == decision.agreement_id)
        quote = offer.quote
        cost = quote.requester_cost
        if need.max_cost is not None and cost > need.max_cost:
            excluded.append(Excluded(c.library_id, OVER_MAX_COST, {"cost": cost, "max": need.max_cost}))
            continue
        total, reasons = score(need, c, way, quote, delivery, weights)
        if decision.last_resort:
            reasons += (Reason(LAST_RESORT, {"agreement_id": terms.id}, 0.0),)
        lenders.append(Lender(c.library_id, total, reasons, terms.id, quote, delivery, way, decision.last_resort))
    lenders.sort(key=order_key)
    excluded.sort(key=lambda x: x.library_id)
    return Ranking(tuple(lenders), tuple(excluded))
