"""Fees from the agreement into the ledger, balances, the network's figures and its settlement."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jaringan.ill import selectors, services
from jaringan.ill.models import LedgerEntry
from jaringan.ill.tick import tick
from jaringan.network import services as network
from jaringan.network.models import Library, Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def itb_ui(held, staff, principal):
    """ITB and UI agree between themselves: Rp 7,500 a loan, Rp 250 a page, the first loan of the year free."""
    network.agreement_save(
        actor=principal("koordinator"), network=Network.objects.get(code="JPJB"),
        data={"code": "ITB-UI-2026", "title": "Silang layan ITB-UI", "purpose": "Uji.", "form": "unwritten",
              "services": ["loan", "copy"], "coverage": "named", "relation": "reciprocal",
              "starts": date(2026, 1, 1), "fee_per_loan": 7500, "fee_per_page": 250, "free_loans_per_year": 1},
        parties=[{"library": "ITB"}, {"library": "UI"}],
    )
    return staff("staf.itb"), staff("staf.ui")


def _supply_loan(desk, lender, edition):
    req = services.illrequest_create(actor=desk, edition=edition, service="loan", reader_name="Mahasiswa")
    assert req.supplier.code == "UI"
    return services.illrequest_act(actor=lender, request=req, action="Loaned")


def test_the_free_quota_then_the_agreed_fee(itb_ui, held):
    desk, lender = itb_ui
    first = _supply_loan(desk, lender, held[0])
    assert first.rota.get(library__code="UI").agreement.code == "ITB-UI-2026"
    assert not LedgerEntry.objects.filter(request=first).exists()  # the year's free loan
    second = _supply_loan(desk, lender, held[1])
    (entry,) = LedgerEntry.objects.filter(request=second)
    assert (entry.debtor.code, entry.creditor.code, entry.kind, entry.amount) == ("ITB", "UI", "loan_fee", 7500)
    assert entry.network.code == "JPJB" and entry.params["per_loan"] == 7500
    # No shipping bands in this agreement: shipping is at cost, outside the ledger, and the quote says so.
    assert "shipping_not_agreed" in {line["code"] for line in second.rota.get(library__code="UI").quote}


def test_a_posted_photocopy_is_charged_by_the_page(itb_ui, held):
    desk, lender = itb_ui
    _supply_loan(desk, lender, held[0])  # the free request of the year (the quota counts loans and copies)
    req = services.illrequest_create(actor=desk, edition=held[2], service="copy", page_count=20, reader_name="X")
    req = services.illrequest_act(actor=lender, request=req, action="CopyCompleted", posted=True)
    (entry,) = LedgerEntry.objects.filter(request=req)
    assert (entry.kind, entry.amount, entry.params["pages"]) == ("copy_fee", 5000, 20)
    assert req.deliveries.get().method == "post"


def test_the_networks_figures_and_settlement(itb_ui, held, principal):
    desk, lender = itb_ui
    _supply_loan(desk, lender, held[0])  # free
    _supply_loan(desk, lender, held[1])  # 7,500
    unfilled = services.illrequest_create(actor=desk, edition=held[2], service="loan", reader_name="X")
    services.illrequest_act(actor=lender, request=unfilled, action="Unfilled")
    year = timezone.localdate().year
    report = selectors.network_balance(Network.objects.get(code="JPJB"), (date(year, 1, 1), date(year, 12, 31)))
    rows = {row["library"].code: row for row in report["members"]}
    ui, itb = rows["UI"], rows["ITB"]
    assert (ui["asked"], ui["filled"], ui["lent"], ui["fill_rate"]) == (3, 2, 2, round(2 / 3, 3))
    assert (itb["requests"], itb["supplied"], itb["borrowed"]) == (3, 2, 2)
    assert (ui["credit"], itb["debit"], ui["net"], itb["net"]) == (7500, 7500, 7500, -7500)
    assert ui["days_to_ship"] is not None and itb["turnaround"] is not None
    (transfer,) = report["transfers"]
    assert (transfer["payer"].code, transfer["payee"].code, transfer["amount"]) == ("ITB", "UI", 7500)
    assert selectors.library_balance(Library.objects.get(code="UI")) == {"owed": 7500, "owes": 0, "net": 7500}
    assert report["totals"]["fill_rate"] == round(2 / 3, 3)


def test_a_scan_link_expires_and_its_file_is_deleted(itb_ui, held, user):
    desk, lender = itb_ui
    req = services.illrequest_create(actor=desk, edition=held[2], service="copy", page_count=3, reader_name="X")
    scan = SimpleUploadedFile("salinan.pdf", b"%PDF-1.4 three pages")
    req = services.illrequest_act(actor=lender, request=req, action="CopyCompleted", scan=scan)
    delivery = req.deliveries.get()
    client = Client()
    client.force_login(user("staf.itb"))
    assert client.get(f"/ill/deliveries/{delivery.token}/").status_code == 200
    later = timezone.now() + timedelta(days=15)
    assert tick(now=later).purged == 1
    gone = client.get(f"/ill/deliveries/{delivery.token}/")
    assert gone.status_code == 410 and b"salinan" not in gone.content
    delivery.refresh_from_db()
    assert delivery.purged and delivery.downloads == 1
