"""What a supply costs under an agreement, in whole rupiah, and the ledger between libraries.

A quote is a list of lines a person can check: the loan fee (or the copy
fee, pages × price per page), and the shipping of each parcel priced by the
agreement's distance band (the line names the distance and the band). A digital copy ships nothing. Who bears the
shipping is the agreement's word (`ShippingPayer`): the requester, the
supplier, or half each.

The supplier posts the parcel out and the requester posts a loan back, each
paying the carrier for what it sends; so what the requester owes the supplier
is the service fee plus its share of all shipping, less the postage it paid
itself (`Quote.requester_owes_supplier`, which may be negative when the
supplier bears the shipping).

Ledger: every supply writes an `Entry` (debtor, creditor, amount); `balances`
says what each library is owed (+) or owes (−); `settlement` nets a period's
entries between each pair of libraries into one transfer per pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jaringan.core.agreements import Decision, Service, ShippingBand, ShippingPayer, Terms, fee_for, may_request

# Line codes (message ids for the edge).
LOAN_FEE = "loan_fee"
COPY_FEE = "copy_fee"
SHIPPING_OUT = "shipping_out"
SHIPPING_RETURN = "shipping_return"
SHIPPING_NOT_AGREED = "shipping_not_agreed"


def rupiah(amount: Decimal | int) -> int:
    """Whole rupiah, half up (Rp 250.5 → 251)."""
    return int(Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a quote: a message id, its parameters, the amount, and the requester's share of it."""

    code: str
    params: dict
    amount: int
    requester_share: int

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params), "amount": self.amount,
                "requester_share": self.requester_share}


@dataclass(frozen=True, slots=True)
class Quote:
    """The cost of one supply, line by line."""

    lines: tuple[Line, ...]
    #: Postage the requester pays a carrier itself (a loan's return parcel).
    requester_posts: int = 0
    #: False when the agreement sets no shipping price (shipping then is at cost, outside the quote).
    shipping_agreed: bool = True

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def requester_cost(self) -> int:
        """What the supply costs the requesting library in all (fees and its share of shipping)."""
        return sum(line.requester_share for line in self.lines)

    @property
    def fee(self) -> int:
        return sum(line.amount for line in self.lines if line.code in (LOAN_FEE, COPY_FEE))

    @property
    def shipping(self) -> int:
        return sum(line.amount for line in self.lines if line.code in (SHIPPING_OUT, SHIPPING_RETURN))

    @property
    def requester_owes_supplier(self) -> int:
        """The ledger amount: the requester's cost less the postage it paid a carrier itself."""
        return self.requester_cost - self.requester_posts


def band_for(terms: Terms, km: float | None) -> ShippingBand | None:
    """The agreement's shipping band for a parcel over `km`; None if the agreement sets no bands.

    An unknown distance falls in the farthest band (a quote is never too low);
    a distance beyond the last closed band falls in that band too.
    """
    if not terms.shipping_bands:
        return None
    if km is not None:
        for band in terms.shipping_bands:
            if band.up_to_km is None or km <= band.up_to_km:
                return band
    return terms.shipping_bands[-1]


def band_fee(terms: Terms, km: float | None) -> int | None:
    """The agreed price of one parcel over `km`, whole rupiah; None if the agreement sets no bands."""
    band = band_for(terms, km)
    return None if band is None else rupiah(band.fee)


def _share(amount: int, payer: ShippingPayer) -> int:
    if payer is ShippingPayer.REQUESTER:
        return amount
    if payer is ShippingPayer.SUPPLIER:
        return 0
    return rupiah(Decimal(amount) / 2)


def quote(
    terms: Terms,
    *,
    service: Service,
    km: float | None,
    digital: bool = False,
    pages: int | None = None,
    used_this_year: int = 0,
) -> Quote:
    """The cost of supplying `service` under `terms` over `km` kilometres.

    A loan ships out and back; a copy on paper ships out; a digital copy ships
    nothing. `used_this_year` is how many requests the requester has already
    made under this agreement this year: within the free quota the service fee
    is waived (shipping is not).
    """
    service = Service(service)
    if service not in (Service.LOAN, Service.COPY):
        raise ValueError(f"no quote for service {service}")
    if pages is not None and pages < 0:
        raise ValueError("pages cannot be negative")
    free = used_this_year < terms.free_loans_per_year
    fee = rupiah(fee_for(terms, service=service, pages=pages, used_this_year=used_this_year))
    if service is Service.LOAN:
        lines = [Line(LOAN_FEE, {"per_loan": rupiah(terms.fee_per_loan), "free": free}, fee, fee)]
        parcels = (SHIPPING_OUT, SHIPPING_RETURN)
    else:
        lines = [Line(COPY_FEE, {"pages": pages or 0, "per_page": str(terms.fee_per_page), "free": free}, fee, fee)]
        parcels = () if digital else (SHIPPING_OUT,)
    band = band_for(terms, km)
    km_param = None if km is None else round(km)
    posts = 0
    if parcels and band is None:
        lines.append(Line(SHIPPING_NOT_AGREED, {"km": km_param, "parcels": len(parcels)}, 0, 0))
        return Quote(tuple(lines), shipping_agreed=False)
    price = 0 if band is None else rupiah(band.fee)
    for code in parcels:
        params = {"km": km_param, "up_to_km": band.up_to_km, "paid_by": str(terms.shipping_paid_by)}
        lines.append(Line(code, params, price, _share(price, terms.shipping_paid_by)))
        if code == SHIPPING_RETURN:
            posts += price
    return Quote(tuple(lines), requester_posts=posts)


@dataclass(frozen=True, slots=True)
class Offer:
    """The answer to "may A ask B for a loan (or a copy), under which agreement, at what cost?".

    One rule for the agreement check and for a real request's rota: each
    covering agreement is priced in full (fee and the requester's share of
    shipping over the distance), the cheapest of the most specific wins.
    """

    decision: Decision
    #: The chosen agreement's quote (None when no agreement covers the request).
    quote: Quote | None
    #: Every covering agreement's quote, by agreement id (the chosen one among them).
    quotes: Mapping[int, Quote]


def offer(
    *,
    requester: int,
    supplier: int,
    service: Service,
    on: date,
    agreements: Iterable[Terms],
    members: Mapping[int, frozenset[int]],
    km: float | None,
    pages: int | None = None,
    used_this_year: Mapping[int, int] | None = None,
    digital: bool = False,
    sites: Mapping | None = None,
    local_content: bool = False,
) -> Offer:
    """`may_request` for a loan or a copy, choosing among covering agreements by what the requester pays.

    `sites` (library id → `core.borders.Site`) and `local_content` are for the agreements' border rules.
    """
    service = Service(service)
    used = used_this_year or {}
    quotes: dict[int, Quote] = {}

    def cost_of(terms: Terms, _fee) -> int:
        priced = quotes[terms.id] = quote(terms, service=service, km=km, digital=digital, pages=pages,
                                          used_this_year=used.get(terms.id, 0))
        return priced.requester_cost

    decision = may_request(requester=requester, supplier=supplier, service=service, on=on, agreements=agreements,
                           members=members, pages=pages, used_this_year=used, cost_of=cost_of, sites=sites,
                           local_content=local_content)
    return Offer(decision, quotes.get(decision.agreement_id) if decision.allowed else None, quotes)


# --- the ledger --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entry:
    """`debtor` owes `creditor` `amount` rupiah since `on` (for a supply, a fine, a refund …)."""

    debtor: int
    creditor: int
    amount: int
    on: date
    ref: str = ""

    def __post_init__(self):
        if self.debtor == self.creditor:
            raise ValueError("a library cannot owe itself")
        if self.amount < 0:
            raise ValueError("an entry's amount cannot be negative; write the entry the other way")


def entry_for(quote: Quote, *, requester: int, supplier: int, on: date, ref: str = "") -> Entry | None:
    """The ledger entry a supply writes, or None when nothing is owed either way."""
    owed = quote.requester_owes_supplier
    if owed == 0:
        return None
    if owed > 0:
        return Entry(requester, supplier, owed, on, ref)
    return Entry(supplier, requester, -owed, on, ref)


@dataclass(frozen=True, slots=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Transfer:
    """After netting, `payer` pays `payee` `amount` rupiah; `entries` counts what was netted."""

    payer: int
    payee: int
    amount: int
    entries: int = field(default=0, compare=False)


def balances(entries: Iterable[Entry]) -> dict[int, int]:
    """Library id → what it is owed (positive) or owes (negative), over all `entries`."""
    out: dict[int, int] = defaultdict(int)
    for e in entries:
        out[e.creditor] += e.amount
        out[e.debtor] -= e.amount
    return dict(sorted(out.items()))


def settlement(entries: Iterable[Entry], period: Period) -> tuple[Transfer, ...]:
    """One transfer per pair of libraries for the period's entries, netted; pairs that cancel out are left out.

    Ordered by payer then payee so the list is stable.
    """
    net: dict[tuple[int, int], int] = defaultdict(int)
    count: dict[tuple[int, int], int] = defaultdict(int)
    for e in entries:
        if e.on not in period:
            continue
        a, b = sorted((e.debtor, e.creditor))
        # positive: a owes b
        net[(a, b)] += e.amount if e.debtor == a else -e.amount
        count[(a, b)] += 1
    transfers = []
    for (a, b), amount in net.items():
        if amount > 0:
            transfers.append(Transfer(a, b, amount, count[(a, b)]))
        elif amount < 0:
            transfers.append(Transfer(b, a, -amount, count[(a, b)]))
    return tuple(sorted(transfers, key=lambda t: (t.payer, t.payee)))
