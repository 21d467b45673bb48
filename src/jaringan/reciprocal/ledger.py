"""What a reciprocal loan costs, written into the members' ledger: the one interlibrary loans write into.

Under an agreement's borrowing terms, an item lent in person to a visiting reader costs the reader's home
library, owed to the host:

* the **fee per loan**, once, when the item is lent;
* the **deposit**, held by the host while the item is out: owed to the host when the item is lent, and owed
  back to the home library when it comes back (so the balance shows the deposits still held).

Each line is written once per loan: the ledger keeps one line of each kind per loan (a unique constraint),
so writing it again — a retried request, two desks at once — leaves the one line there is.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from jaringan.core.reciprocal.terms import BorrowTerms
from jaringan.ill.ledger import DEPOSIT, DEPOSIT_BACK
from jaringan.ill.ledger import RECIPROCAL_FEE as FEE
from jaringan.ill.models import LedgerEntry

from .models import Loan


def post_loan(loan: Loan, terms: BorrowTerms | None) -> list[LedgerEntry]:
    """The fee and the deposit of a loan just made, by the terms it was decided under (none: nothing)."""
    if terms is None:
        return []
    home, host = loan.holder.home_id, loan.host_id
    on = timezone.localdate(loan.lent_at)
    lines = [(FEE, LedgerEntry.Kind.RECIPROCAL_FEE, int(terms.fee)), (DEPOSIT, LedgerEntry.Kind.DEPOSIT,
                                                                      int(terms.deposit))]
    return [_once(loan, line, kind, home, host, amount, on) for line, kind, amount in lines if amount > 0]


def post_return(loan: Loan) -> list[LedgerEntry]:
    """The deposit owed back to the home library when the item returns (if one was taken)."""
    deposit = LedgerEntry.objects.filter(reciprocal_loan=loan, line=DEPOSIT).first()
    if deposit is None:
        return []
    on = timezone.localdate(loan.returned_at or timezone.now())
    return [_once(loan, DEPOSIT_BACK, LedgerEntry.Kind.DEPOSIT, deposit.creditor_id, deposit.debtor_id,
                  int(deposit.amount), on)]


def _once(loan: Loan, line: str, kind: str, debtor: int, creditor: int, amount: int, on) -> LedgerEntry:
    """The loan's ``line``: written now, or the one already written."""
    fields = {"debtor_id": debtor, "creditor_id": creditor, "network_id": loan.agreement.network_id,
              "agreement_id": loan.agreement_id, "kind": kind, "amount": amount, "on": on,
              "params": {"item_barcode": loan.item_barcode}}
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(reciprocal_loan=loan, line=line, **fields)
    except IntegrityError:
        existing = LedgerEntry.objects.filter(reciprocal_loan=loan, line=line).first()
        if existing is None:
            raise
        return existing
