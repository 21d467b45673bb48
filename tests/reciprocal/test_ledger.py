"""Reciprocal loans' fees and deposits in the members' ledger (the one interlibrary loans write into):
written once per loan, the deposit owed back on return, in each member's balance and the settlement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from jaringan.core.errors import Conflict
from jaringan.ill import selectors as ill_selectors
from jaringan.ill.models import LedgerEntry
from jaringan.network.models import Library, Network
from jaringan.reciprocal import ledger, selectors, services
from jaringan.reciprocal.models import BorrowingTerms, Pass

pytestmark = pytest.mark.django_db


def _lines(loan) -> list[tuple]:
    return sorted((e.line, e.debtor.code, e.creditor.code, int(e.amount), e.network.code)
                  for e in LedgerEntry.objects.filter(reciprocal_loan=loan).select_related("debtor", "creditor",
                                                                                          "network"))


def test_a_loans_fee_and_deposit_are_written_once_and_the_deposit_comes_back(demo_reciprocal, principal, user):
    andi = Pass.objects.get(reader__username="pembaca")
    unhas, unpatti = Library.objects.get(code="UNHAS"), Library.objects.get(code="UNPATTI")
    BorrowingTerms.objects.filter(agreement__code="FPPTI-KPB-2024").update(fee=5000, deposit=20000)
    before = {lib.code: ill_selectors.library_balance(lib) for lib in (unhas, unpatti)}
    staff = principal("staf.unhas")
    loan = services.loan_create(actor=staff, host=unhas, code=andi.code, item_barcode="F-1", title="Berbayar")
    # Pattimura (the reader's home) owes Hasanuddin (the host) the fee and the deposit, under the forum.
    assert _lines(loan) == [("deposit", "UNPATTI", "UNHAS", 20000, "FPPTI"),
                            ("reciprocal_fee", "UNPATTI", "UNHAS", 5000, "FPPTI")]
    # Written again (a retried request), nothing more is written; terms changed later change nothing.
    written = set(LedgerEntry.objects.filter(reciprocal_loan=loan).values_list("pk", flat=True))
    assert {e.pk for e in ledger.post_loan(loan, selectors.desk_decision(andi, unhas)[0].terms)} == written
    BorrowingTerms.objects.filter(agreement__code="FPPTI-KPB-2024").update(fee=9000)
    ledger.post_loan(loan, selectors.desk_decision(andi, unhas)[0].terms)
    assert LedgerEntry.objects.filter(reciprocal_loan=loan).count() == 2
    after = ill_selectors.library_balance(unhas)
    assert after["owed"] - before["UNHAS"]["owed"] == 25000
    # Back: the deposit is owed back, once.
    services.loan_return(actor=staff, loan_id=loan.pk)
    ledger.post_return(loan)
    with pytest.raises(Conflict):
        services.loan_return(actor=staff, loan_id=loan.pk)
    assert ("deposit_refund", "UNHAS", "UNPATTI", 20000, "FPPTI") in _lines(loan) and len(_lines(loan)) == 3
    net = {lib.code: ill_selectors.library_balance(lib)["net"] - before[lib.code]["net"] for lib in (unhas, unpatti)}
    assert net == {"UNHAS": 5000, "UNPATTI": -5000}
    # The forum's settlement for the month: Pattimura pays Hasanuddin the fee (the deposit netted out); the
    # members' ledger balance counts the lines.
    today = timezone.localdate()
    report = ill_selectors.network_balance(Network.objects.get(code="FPPTI"), (today - timedelta(days=1), today))
    assert [(t["payer"].code, t["payee"].code, t["amount"]) for t in report["transfers"]] == [
        ("UNPATTI", "UNHAS", 5000)]
    assert {r["library"].code: (r["credit"], r["debit"]) for r in report["members"]}["UNHAS"] == (25000, 20000)
    reciprocal = selectors.network_balance(Network.objects.get(code="FPPTI"), today - timedelta(days=1), today)
    row = {r["library"].code: r for r in reciprocal["members"]}["UNHAS"]
    assert (row["owed"], row["owes"], row["money_net"]) == (25000, 20000, 5000)
    # The library's ledger page and its CSV show the lines, named by the item lent.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("staf.unhas"))
    page = client.get("/manage/ill/ledger/").content.decode()
    assert "Berbayar" in page and "fee for an item lent to a visiting reader" in page
    assert "deposit owed back: the visitor&#x27;s item returned" in page
    csv = b"".join(client.get("/manage/ill/ledger/?csv=1").streaming_content).decode()
    assert "Berbayar" in csv and "deposit held while a visiting reader's item is out" in csv


def test_the_ledger_holds_each_line_of_a_loan_once_and_from_one_source(demo_reciprocal):
    loan = Pass.objects.get(home_user_id="H071201045").loans.get()  # the demo's late book, its deposit held
    deposit = LedgerEntry.objects.get(reciprocal_loan=loan, line="deposit")
    assert (deposit.debtor.code, deposit.creditor.code, int(deposit.amount)) == ("UNHAS", "UNPATTI", 50000)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(reciprocal_loan=loan, line="deposit", debtor=deposit.debtor,
                                   creditor=deposit.creditor, kind="deposit", amount=1, on=deposit.on)
    with pytest.raises(IntegrityError), transaction.atomic():  # neither a request nor a reciprocal loan
        LedgerEntry.objects.create(line="x", debtor=deposit.debtor, creditor=deposit.creditor, kind="deposit",
                                   amount=1, on=deposit.on)
