"""Agreements between members, and the rule that enforces them.

The paper's *perjanjian kerjasama*: an agreement names its purpose, scope
(services), parties, dates, how members relate, division of labour and
financing. This module answers one question from plain data:

    may library A ask library B for service S on day D, and at what fee?

`may_request` is pure: the caller passes the agreements and which libraries
are admitted members of which network; nothing here touches a database.

Choosing between several agreements that cover the same request: an
agreement naming its parties is more specific than a network-wide one and
wins; among equally specific ones the cheaper for the requester wins (for a
loan or a copy, everything it pays, shipping included: `core.ill.fees.offer`
prices each agreement with `cost_of`); then the lower id, so the answer is stable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from jaringan.core import borders
from jaringan.core.errors import Invalid


class Service(StrEnum):
    LOAN = "loan"  # interlibrary loan of returnables
    COPY = "copy"  # copies (non-returnables): articles, chapters
    RECIPROCAL = "reciprocal"  # readers borrow in person at the other library
    CATALOGUING = "cataloguing"  # shared cataloguing
    ACQUISITION = "acquisition"  # cooperative collection development


class Form(StrEnum):
    WRITTEN = "written"
    UNWRITTEN = "unwritten"


class Coverage(StrEnum):
    NETWORK = "network"  # every admitted member of the agreement's network
    NAMED = "named"  # only the libraries named as parties


class Relation(StrEnum):
    RECIPROCAL = "reciprocal"  # every party both asks and supplies
    ONE_WAY = "one_way"  # suppliers supply, recipients ask


class PartyRole(StrEnum):
    BOTH = "both"
    SUPPLIER = "supplier"
    RECIPIENT = "recipient"


class ShippingPayer(StrEnum):
    REQUESTER = "requester"
    SUPPLIER = "supplier"
    SHARED = "shared"


class Status(StrEnum):
    UPCOMING = "upcoming"
    ACTIVE = "active"
    EXPIRED = "expired"


ZERO = Decimal("0")


def status_on(starts: date, ends: date | None, day: date) -> Status:
    """An agreement is active from its first day to its last day inclusive."""
    if day < starts:
        return Status.UPCOMING
    if ends is not None and day > ends:
        return Status.EXPIRED
    return Status.ACTIVE


@dataclass(frozen=True, slots=True)
class ShippingBand:
    """The agreed price of sending one parcel one way, up to a distance.

    `up_to_km` is inclusive; None means "any farther distance". An agreement
    lists its bands nearest first, e.g. up to 50 km: 10,000; up to 500 km:
    25,000; farther: 60,000 (rupiah).
    """

    up_to_km: int | None
    fee: Decimal


class BadShippingBands(Invalid):
    """Shipping bands that are not nearest-first, have a negative fee, or leave a gap."""


def shipping_bands_from(rows: Iterable[Mapping]) -> tuple[ShippingBand, ...]:
    """Bands from plain rows (``{"up_to_km": 50, "fee": "10000"}``), checked.

    Distances must rise strictly, fees may not be negative, and only the last
    band may be open-ended (``up_to_km`` None or missing).
    """
    bands = []
    for row in rows:
        km = row.get("up_to_km")
        try:
            fee = Decimal(str(row.get("fee", "0")))
        except ArithmeticError:
            raise BadShippingBands(f"fee {row.get('fee')!r} is not a number") from None
        if not fee.is_finite() or fee < 0:
            raise BadShippingBands(f"fee {fee} is not a price")
        if km is not None:
            try:
                km = int(km)
            except (TypeError, ValueError):
                raise BadShippingBands(f"distance {km!r} is not a whole number of kilometres") from None
            if km <= 0:
                raise BadShippingBands(f"distance {km} km is not positive")
        if bands and (bands[-1].up_to_km is None or (km is not None and km <= bands[-1].up_to_km)):
            raise BadShippingBands("bands must be listed nearest first, the open-ended one last")
        bands.append(ShippingBand(km, fee))
    return tuple(bands)


@dataclass(frozen=True, slots=True)
class Terms:
    """The parts of an agreement the rule needs."""

    id: int
    network_id: int
    services: frozenset[Service]
    coverage: Coverage
    relation: Relation
    starts: date
    ends: date | None
    #: library id → role; empty for network-wide coverage.
    parties: Mapping[int, PartyRole] = field(default_factory=dict)
    fee_per_loan: Decimal = ZERO
    fee_per_page: Decimal = ZERO
    shipping_paid_by: ShippingPayer = ShippingPayer.REQUESTER
    free_loans_per_year: int = 0
    #: Shipping price by distance, nearest first; empty when the agreement sets none.
    shipping_bands: tuple[ShippingBand, ...] = ()
    #: The border rules binding requests under it: its network's and its own (`core.borders`).
    borders: tuple[borders.Rule, ...] = ()


# Reasons an agreement does not cover a request (message ids for the edge).
SAME_LIBRARY = "same_library"
NOT_STARTED = "not_started"
ENDED = "ended"
SERVICE_NOT_IN_SCOPE = "service_not_in_scope"
REQUESTER_NOT_PARTY = "requester_not_party"
SUPPLIER_NOT_PARTY = "supplier_not_party"
REQUESTER_NOT_MEMBER = "requester_not_member"
SUPPLIER_NOT_MEMBER = "supplier_not_member"
WRONG_DIRECTION = "wrong_direction"
NO_AGREEMENT = "no_agreement"


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    agreement_id: int | None = None
    fee: Decimal = ZERO
    fee_per_loan: Decimal = ZERO
    fee_per_page: Decimal = ZERO
    shipping_paid_by: ShippingPayer | None = None
    free_of_charge: bool = False
    #: (agreement id, reason) for every agreement that did not cover the request.
    refusals: tuple[tuple[int | None, str], ...] = ()
    #: The chosen agreement's border rules make the supplier the last resort (asked after all others).
    last_resort: bool = False


def why_not(
    terms: Terms,
    *,
    requester: int,
    supplier: int,
    service: Service,
    on: date,
    members: Mapping[int, frozenset[int]],
    sites: Mapping[int, borders.Site] | None = None,
    local_content: bool = False,
) -> str | None:
    """The first reason `terms` does not cover the request, or None if it does.

    `sites` says where the libraries are, for the agreement's border rules (a rule that needs a
    place not given refuses); `local_content`: the item asked is of the supplier's local content.
    """
    status = status_on(terms.starts, terms.ends, on)
    if status is Status.UPCOMING:
        return NOT_STARTED
    if status is Status.EXPIRED:
        return ENDED
    if service not in terms.services:
        return SERVICE_NOT_IN_SCOPE
    admitted = members.get(terms.network_id, frozenset())
    if requester not in admitted:
        return REQUESTER_NOT_MEMBER
    if supplier not in admitted:
        return SUPPLIER_NOT_MEMBER
    if terms.coverage is Coverage.NAMED:
        if requester not in terms.parties:
            return REQUESTER_NOT_PARTY
        if supplier not in terms.parties:
            return SUPPLIER_NOT_PARTY
    if terms.relation is Relation.ONE_WAY:
        if terms.parties.get(requester) not in (PartyRole.RECIPIENT, PartyRole.BOTH):
            return WRONG_DIRECTION
        if terms.parties.get(supplier) not in (PartyRole.SUPPLIER, PartyRole.BOTH):
            return WRONG_DIRECTION
    if terms.borders:
        sites = sites or {}
        return borders.refusal(terms.borders, requester=sites.get(requester), supplier=sites.get(supplier),
                               local_content=local_content)
    return None


def fee_for(terms: Terms, *, service: Service, pages: int | None, used_this_year: int) -> Decimal:
    """What the requester pays the supplier under these terms (shipping apart)."""
    if used_this_year < terms.free_loans_per_year:
        return ZERO
    if service is Service.COPY:
        return (terms.fee_per_page * (pages or 0)).quantize(Decimal("0.01"))
    if service is Service.LOAN:
        return terms.fee_per_loan
    return ZERO


def may_request(
    *,
    requester: int,
    supplier: int,
    service: Service,
    on: date,
    agreements: Iterable[Terms],
    members: Mapping[int, frozenset[int]],
    pages: int | None = None,
    used_this_year: Mapping[int, int] | None = None,
    cost_of: Callable[[Terms, Decimal], Decimal | int] | None = None,
    sites: Mapping[int, borders.Site] | None = None,
    local_content: bool = False,
) -> Decision:
    """May `requester` ask `supplier` for `service` on day `on`, and at what fee?

    `members` maps a network id to the ids of its admitted (not suspended)
    members. `used_this_year` maps an agreement id to how many requests the
    requester has already made under it this year (for free quotas).
    `cost_of(terms, fee)` is what the requester would pay in all under a
    covering agreement, to choose the cheaper (the service fee alone without it).
    `sites` and `local_content` are for the agreements' border rules (`why_not`).
    """
    service = Service(service)
    if requester == supplier:
        return Decision(False, refusals=((None, SAME_LIBRARY),))
    used = used_this_year or {}
    refusals: list[tuple[int | None, str]] = []
    covering: list[tuple[int, Decimal, int, Terms]] = []
    for terms in agreements:
        reason = why_not(terms, requester=requester, supplier=supplier, service=service, on=on, members=members,
                         sites=sites, local_content=local_content)
        if reason:
            refusals.append((terms.id, reason))
            continue
        fee = fee_for(terms, service=service, pages=pages, used_this_year=used.get(terms.id, 0))
        specificity = 0 if terms.coverage is Coverage.NAMED else 1
        covering.append((specificity, cost_of(terms, fee) if cost_of else fee, terms.id, terms, fee))
    if not covering:
        if not refusals:
            refusals.append((None, NO_AGREEMENT))
        return Decision(False, refusals=tuple(refusals))
    _, _, _, best, fee = min(covering, key=lambda c: (c[0], c[1], c[2]))
    return Decision(
        True,
        agreement_id=best.id,
        fee=fee,
        fee_per_loan=best.fee_per_loan,
        fee_per_page=best.fee_per_page,
        shipping_paid_by=best.shipping_paid_by,
        free_of_charge=fee == ZERO and (best.fee_per_loan > 0 or best.fee_per_page > 0),
        refusals=tuple(refusals),
        last_resort=borders.is_last_resort(best.borders, supplier, (sites or {}).get(supplier)),
    )


# --- division of labour -----------------------------------------------------

class Scheme(StrEnum):
    DDC = "DDC"
    UDC = "UDC"
    LCC = "LCC"


_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_LCC = re.compile(r"^\s*([A-Za-z]{1,3})\s*(\d+(?:\.\d+)?)?")


class BadClassNumber(Invalid):
    """A classification number that cannot be read in its scheme."""


def class_key(scheme: Scheme, notation: str) -> tuple:
    """An ordering key for a class number, so ranges can be compared.

    DDC numbers are decimals (630 < 635.9 < 639.99); UDC numbers are read as
    decimal fractions (6 < 63 < 631 < 64); LCC as letters then number (QA76 < QA76.9 < QB1).
    """
    scheme = Scheme(scheme)
    if scheme is Scheme.LCC:
        m = _LCC.match(notation or "")
        if not m:
            raise BadClassNumber(notation)
        return (m.group(1).upper(), Decimal(m.group(2) or "0"))
    m = _DIGITS.search(notation or "")
    if not m:
        raise BadClassNumber(notation)
    if scheme is Scheme.UDC:
        return (Decimal("0." + m.group(0).replace(".", "")),)
    return (Decimal(m.group(0)),)


@dataclass(frozen=True, slots=True)
class Responsibility:
    library_id: int
    scheme: Scheme
    start: str
    end: str
    subject: str = ""

    def covers(self, scheme: Scheme, notation: str) -> bool:
        if Scheme(scheme) is not self.scheme:
            return False
        try:
            key = class_key(self.scheme, notation)
        except BadClassNumber:
            return False
        return class_key(self.scheme, self.start) <= key <= class_key(self.scheme, self.end)


def responsible_for(
    scheme: Scheme, notation: str, responsibilities: Iterable[Responsibility]
) -> list[Responsibility]:
    """The responsibilities whose class range holds this class number."""
    return [r for r in responsibilities if r.covers(scheme, notation)]


def overlapping(responsibilities: Iterable[Responsibility]) -> list[tuple[Responsibility, Responsibility]]:
    """Pairs of different libraries given overlapping ranges in one scheme (work duplicated)."""
    items = list(responsibilities)
    pairs = []
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.scheme is not b.scheme or a.library_id == b.library_id:
                continue
            a0, a1 = class_key(a.scheme, a.start), class_key(a.scheme, a.end)
            b0, b1 = class_key(b.scheme, b.start), class_key(b.scheme, b.end)
            if a0 <= b1 and b0 <= a1:
                pairs.append((a, b))
    return pairs
