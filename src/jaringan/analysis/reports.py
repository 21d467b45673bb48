"""The yearly report of a network or of one member: the year's figures gathered once, for the printable page
and for its PDF (`analysis/pdf.py`). Reads only; the figures are those of the evaluation pages
(`analysis/evaluation.py`, the ledger's `ill.selectors.network_balance`) and of reciprocal borrowing
(`reciprocal.selectors.network_balance`), over the calendar year (to today for the current year)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import median

from django.utils import timezone

from jaringan.core.ill.fees import Period
from jaringan.ill.models import RotaEntry
from jaringan.network.models import Library, Network
from jaringan.reciprocal import selectors as reciprocal

from . import evaluation
from .evaluation import Month

#: The earliest year a report is made for.
FIRST_YEAR = 2000


@dataclass
class YearReport:
    """One year of a network (``network`` set) or of one member (``library`` set)."""

    year: int
    period: Period
    network: Network | None = None
    library: Library | None = None
    records: int = 0
    unique: int = 0
    asked: int = 0
    filled: int = 0
    lent: int = 0
    borrowed: int = 0
    turnaround: float | None = None
    credit: int = 0
    debit: int = 0
    #: Network: the fees members charged one another in the year (rupiah).
    fees: int = 0
    #: Network: one row per member (its balance and records); member: one row per network.
    rows: list[dict] = field(default_factory=list)
    #: Reciprocal borrowing: network, one row per member; member, one row per network. Empty when none.
    visits: list[dict] = field(default_factory=list)
    visits_total: int = 0
    reciprocal_loans: int = 0
    months: list[Month] = field(default_factory=list)

    @property
    def fill_rate(self) -> float | None:
        return round(self.filled / self.asked, 3) if self.asked else None

    @property
    def unique_share(self) -> float | None:
        return round(self.unique / self.records, 3) if self.records else None

    @property
    def net(self) -> int:
        return self.credit - self.debit

    @property
    def name(self) -> str:
        return (self.network or self.library).name


def year_period(year: int, today: date | None = None) -> Period:
    """The calendar year, up to today for the year under way."""
    today = today or timezone.localdate()
    return Period(date(year, 1, 1), min(date(year, 12, 31), today))


def valid_year(year: int, today: date | None = None) -> bool:
    return FIRST_YEAR <= year <= (today or timezone.localdate()).year


def _turnaround(networks: list[Network], period: Period, requester: Library | None = None) -> float | None:
    """Median days from a request to its supply, over the supplies of the period under the networks'
    agreements (as `ill.selectors.network_balance` counts them)."""
    tz = timezone.get_current_timezone()
    lo, hi = datetime.combine(period.start, time.min, tzinfo=tz), datetime.combine(period.end, time.max, tzinfo=tz)
    supplies = RotaEntry.objects.filter(outcome=RotaEntry.Outcome.SUPPLIED, supplied_at__range=(lo, hi),
                                        agreement__network__in=networks)
    if requester is not None:
        supplies = supplies.filter(request__requester=requester)
    days = [max((s - c).total_seconds() / 86400, 0.0)
            for c, s in supplies.values_list("request__created", "supplied_at") if c and s]
    return round(median(days), 1) if days else None


def network_report(network: Network, members: list[Library], year: int) -> YearReport:
    period = year_period(year)
    figures = evaluation.network_evaluation(network, members, period)
    totals = figures["totals"]
    report = YearReport(year=year, period=period, network=network, records=figures["records"],
                        unique=figures["unique"], asked=totals["asked"], filled=totals["filled"],
                        lent=totals["lent"], borrowed=totals["lent"], turnaround=_turnaround([network], period),
                        fees=totals["amount"], rows=figures["members"],
                        months=figures["months"])
    visits = reciprocal.network_balance(network, period.start, period.end)
    if visits["totals"]["visits"] or visits["totals"]["loans"]:
        report.visits = visits["members"]
        report.visits_total, report.reciprocal_loans = visits["totals"]["visits"], visits["totals"]["loans"]
    return report


def library_report(library: Library, networks: list[Network], year: int) -> YearReport:
    period = year_period(year)
    figures = evaluation.library_evaluation(library, networks, period)
    rows = figures["rows"]
    report = YearReport(year=year, period=period, library=library, records=figures["records"],
                        unique=figures["unique"], asked=sum(r["asked"] for r in rows),
                        filled=sum(r["filled"] for r in rows), lent=sum(r["lent"] for r in rows),
                        borrowed=sum(r["borrowed"] for r in rows),
                        turnaround=_turnaround(networks, period, requester=library),
                        credit=sum(r["credit"] for r in rows), debit=sum(r["debit"] for r in rows), rows=rows,
                        months=figures["months"])
    for network in networks:
        balance = reciprocal.network_balance(network, period.start, period.end)
        for row in balance["members"]:
            if row["library"].pk == library.pk and any(row[k] for k in ("visits_hosted", "visits_made",
                                                                        "loans_given", "loans_taken")):
                report.visits.append(dict(row, network=network))
    report.visits_total = sum(r["visits_hosted"] + r["visits_made"] for r in report.visits)
    report.reciprocal_loans = sum(r["loans_given"] + r["loans_taken"] for r in report.visits)
    return report
