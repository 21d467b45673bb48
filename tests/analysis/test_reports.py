"""Yearly reports of a network and of a member: the printable page and its PDF carry the year's real figures
(read back from the PDF's own text), in both languages, for those allowed to see them only."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.utils import timezone

from django.db.models import Sum

from jaringan.analysis import selectors
from jaringan.analysis.reports import year_period
from jaringan.catalog.models import SourceRecord
from jaringan.ill.models import IllRequest, LedgerEntry, RotaEntry
from jaringan.ill.selectors import network_balance
from jaringan.network.models import Library, Network
from jaringan.reciprocal.models import Visit

from .conftest import brute_force


def _client(user=None, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def _pdf_text(response) -> str:
    from pypdf import PdfReader

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def year_of_loans(catalogue):
    from jaringan.demo.ill import load_ill
    from jaringan.demo.reciprocal import load_reciprocal

    assert load_ill() > 0
    load_reciprocal()
    return timezone.localdate().year


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _in_year(year):
    period = year_period(year)
    tz = timezone.get_current_timezone()
    from datetime import datetime, time

    return (datetime.combine(period.start, time.min, tzinfo=tz), datetime.combine(period.end, time.max, tzinfo=tz))


def _records(libraries, year):
    """Records the libraries added in the year, and those of them whose edition only one library holds."""
    _figures, holders = brute_force([lib.pk for lib in Library.objects.all()])
    rows = SourceRecord.objects.filter(library__in=libraries, created__range=_in_year(year), withdrawn=False)
    pairs = list(rows.values_list("edition_id", flat=True))
    return len(pairs), sum(1 for e in pairs if e is not None and len(holders.get(e, ())) == 1)


def _pct(part, whole):
    return f"{100 * part / whole:.1f} %" if whole else "—"


@pytest.mark.django_db
def test_a_networks_yearly_pdf_carries_the_years_real_figures(year_of_loans, user):
    year = year_of_loans
    net = Network.objects.get(code="JPIT")
    members = selectors.network_group(net)
    text = _pdf_text(_client(user("koordinator")).get(f"/analysis/networks/JPIT/report/{year}.pdf"))
    flat = _flat(text)
    assert f"Yearly report {year}: Jaringan Perpustakaan Indonesia Timur" in flat
    records, unique = _records(members, year)
    assert records > 0 and f"Records added {records:,} " in flat
    assert f"Of editions only one library holds {unique:,} ({_pct(unique, records)})" in flat
    # Counted here straight from the rota, the ledger and the desk's visits.
    span = _in_year(year)
    asked = RotaEntry.objects.filter(agreement__network=net, sent_at__range=span)
    supplied = RotaEntry.objects.filter(agreement__network=net, outcome="supplied", supplied_at__range=span)
    filled = asked.filter(outcome="supplied").count()
    assert supplied.count() > 0
    assert f"Requests received {asked.count()} Requests supplied {filled} Fill rate {_pct(filled, asked.count())}" in flat
    assert f"Lent {supplied.count()} Borrowed {supplied.count()} " in flat
    fees = LedgerEntry.objects.filter(network=net, on__year=year).aggregate(s=Sum("amount"))["s"] or 0
    assert f"Fees charged between members (IDR) {int(fees):,}" in flat
    visits = set(Visit.objects.filter(agreement__network=net, allowed=True, on__year=year)
                 .values_list("host_id", "holder_id", "on"))
    assert visits and f"Reciprocal visits {len(visits)} " in flat
    month = timezone.localdate().strftime("%B %Y")
    made = IllRequest.objects.filter(requester__in=members, created__range=span,
                                     created__month=timezone.localdate().month).count()
    assert made > 0 and re.search(rf"{month} {made} \d+ ", flat)
    # Each member's row: the ledger's own balance of the year.
    balance = network_balance(net, year_period(year))
    for row in balance["members"]:
        lib = row["library"]
        mine, alone = _records([lib], year)
        fill = _pct(row["filled"], row["asked"])
        turn = "—" if row["turnaround"] is None else f"{row['turnaround']:.1f}"
        assert (f"{lib.name} {mine} {alone} {row['asked']} {fill} {row['lent']} {row['borrowed']} {turn} "
                f"{row['net']:,}") in flat, lib.name
    # The charts are drawn into it as images.
    from pypdf import PdfReader

    response = _client(user("koordinator")).get(f"/analysis/networks/JPIT/report/{year}.pdf")
    images = [img for page in PdfReader(io.BytesIO(response.content)).pages for img in page.images]
    assert len(images) == 3


@pytest.mark.django_db
def test_a_members_yearly_report_page_and_pdf_in_indonesian(year_of_loans, user):
    year = year_of_loans
    unpatti = Library.objects.get(code="UNPATTI")
    client = _client(user("staf.unpatti"), language="id")
    page = client.get(f"/analysis/libraries/UNPATTI/report/{year}/")
    html = page.content.decode()
    assert page.status_code == 200 and "analysis/report.css" in html and html.count('src="/analysis/chart/') == 2
    assert f"Laporan tahunan {year}: {unpatti.name}" in html and f"/analysis/libraries/UNPATTI/report/{year}.pdf" in html
    flat = _flat(_pdf_text(client.get(f"/analysis/libraries/UNPATTI/report/{year}.pdf")))
    assert f"Laporan tahunan {year}: {unpatti.name}" in flat
    records, _unique = _records([unpatti], year)
    assert records > 0 and f"Cantuman ditambahkan {records} " in flat
    networks = selectors.networks_of(unpatti)
    span = _in_year(year)
    borrowed = RotaEntry.objects.filter(request__requester=unpatti, outcome="supplied", supplied_at__range=span,
                                        agreement__network__in=networks).count()
    assert borrowed > 0 and f"Meminjam {borrowed} " in flat
    ledger = LedgerEntry.objects.filter(network__in=networks, on__year=year)
    owed_to = int(ledger.filter(creditor=unpatti).aggregate(s=Sum("amount"))["s"] or 0)
    owed_by = int(ledger.filter(debtor=unpatti).aggregate(s=Sum("amount"))["s"] or 0)
    assert owed_by > 0
    assert f"Saldo (Rp) {owed_to - owed_by:,}".replace(",", ".") in flat
    assert f"Piutangnya (Rp) {owed_to:,}".replace(",", ".") in flat


@pytest.mark.django_db
def test_who_may_see_which_yearly_report(year_of_loans, user):
    year = year_of_loans
    network_pdf = f"/analysis/networks/JPIT/report/{year}.pdf"
    member_pdf = f"/analysis/libraries/UNPATTI/report/{year}.pdf"
    assert _client().get(network_pdf).status_code == 403
    assert _client(user("staf.unpatti")).get(network_pdf).status_code == 403  # a member's staff: not the network's
    assert _client(user("koordinator.fppti")).get(network_pdf).status_code == 403  # another network's coordinator
    assert _client(user("koordinator")).get(f"/analysis/networks/JPIT/report/{year}/").status_code == 200
    assert _client().get(member_pdf).status_code == 403
    assert _client(user("staf.itb")).get(member_pdf).status_code == 403  # another library's staff
    assert _client(user("koordinator")).get(member_pdf).status_code == 200  # UNPATTI is admitted to JPIT
    assert _client(user("staf.unpatti")).get(member_pdf).status_code == 200
    here = _client(user("staf.unpatti")).get("/analysis/libraries/UNPATTI/report/")
    assert here.status_code == 302 and here["Location"].endswith(f"/report/{year}/")
    assert _client(user("staf.unpatti")).get("/analysis/libraries/UNPATTI/report/1850/").status_code == 404
    assert _client(user("staf.unpatti")).get(f"/analysis/libraries/UNPATTI/report/{year + 1}.pdf").status_code == 404
