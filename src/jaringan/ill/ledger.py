"""What a supply costs, written into the ledger between the two libraries.

The core prices a supply (`jaringan.core.ill.fees.quote`: the agreement's loan
fee or pages × price per page, and each parcel's shipping by the agreement's
distance bands, shared as the agreement says). Here each line of that quote
becomes one `LedgerEntry`, so the ledger shows fees and shipping apart:

* a fee, and the outbound parcel the supplier paid the carrier for: the
  requester owes the supplier its share;
* a loan's return parcel, which the requester pays the carrier for: the
  supplier owes the requester the part the supplier bears.

Their sum is the core's ``requester_owes_supplier`` (a test holds them equal).
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from jaringan.core.agreements import Service as AgreementService
from jaringan.core.ill import fees
from jaringan.network.selectors import agreement_terms

from .models import IllRequest, LedgerEntry, RotaEntry

#: The lines of a reciprocal loan (written by ``reciprocal.ledger``): its fee, the deposit held while the
#: item is out, and the deposit owed back when it returns.
RECIPROCAL_FEE = "reciprocal_fee"
DEPOSIT = "deposit"
DEPOSIT_BACK = "deposit_refund"

KIND_OF_LINE = {
    fees.LOAN_FEE: LedgerEntry.Kind.LOAN_FEE,
    fees.COPY_FEE: LedgerEntry.Kind.COPY_FEE,
    fees.SHIPPING_OUT: LedgerEntry.Kind.SHIPPING,
    fees.SHIPPING_RETURN: LedgerEntry.Kind.SHIPPING,
}


def used_this_year(req: IllRequest, entry: RotaEntry) -> int:
    """Supplies the requester already had under the entry's agreement this year (for free quotas)."""
    year = timezone.localdate().year
    return (RotaEntry.objects.filter(request__requester_id=req.requester_id, agreement_id=entry.agreement_id,
                                     outcome=RotaEntry.Outcome.SUPPLIED, supplied_at__year=year)
            .exclude(pk=entry.pk).aggregate(n=Count("id"))["n"])


def quote_supply(req: IllRequest, entry: RotaEntry, *, service: AgreementService, pages: int | None,
                 digital: bool) -> fees.Quote | None:
    """The cost of this supply under the agreement the lender was asked under (None without one)."""
    if entry.agreement is None:
        return None
    return fees.quote(agreement_terms(entry.agreement, {}), service=service, km=entry.km, digital=digital,
                      pages=pages, used_this_year=used_this_year(req, entry))


def record_supply(req: IllRequest, entry: RotaEntry, *, service: AgreementService, pages: int | None = None,
                  digital: bool = False) -> list[LedgerEntry]:
    """Write the ledger entries of a supply; keep the quote on the rota entry."""
    quote = quote_supply(req, entry, service=service, pages=pages, digital=digital)
    if quote is None:
        return []
    entry.quote = [line.as_dict() for line in quote.lines]
    entry.cost = quote.requester_cost
    on = timezone.localdate()
    rows = []
    requester, supplier = req.requester_id, entry.library_id
    network_id = entry.agreement.network_id
    for line in quote.lines:
        kind = KIND_OF_LINE.get(line.code)
        if kind is None:
            continue
        if line.code == fees.SHIPPING_RETURN:
            owed, debtor, creditor = line.amount - line.requester_share, supplier, requester
        else:
            owed, debtor, creditor = line.requester_share, requester, supplier
        if owed <= 0:
            continue
        rows.append(LedgerEntry(
            debtor_id=debtor, creditor_id=creditor, request=req, network_id=network_id,
            agreement_id=entry.agreement_id, kind=kind, line=line.code, params=line.params, amount=owed, on=on,
        ))
    LedgerEntry.objects.bulk_create(rows)
    return rows


def as_core_entries(rows) -> list[fees.Entry]:
    """Ledger rows as the core's entries (for balances and settlement)."""
    return [fees.Entry(r.debtor_id, r.creditor_id, int(r.amount), r.on,
                       str(r.request_id) if r.request_id else f"reciprocal-{r.reciprocal_loan_id}") for r in rows]
