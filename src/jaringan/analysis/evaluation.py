"""Evaluation over a period: what each member contributed to the catalogue and how it lent and
borrowed, with month-by-month trends. Lending figures are the interlibrary-loan ledger's own
(`ill.selectors.network_balance`); this module adds records and months."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone

from jaringan.catalog.models import SourceRecord
from jaringan.core.ill.fees import Period
from jaringan.ill.models import IllRequest, RotaEntry
from jaringan.ill.selectors import network_balance
from jaringan.network.models import Library, Network

from .models import EditionProfile


def default_period(today: date | None = None) -> Period:
    """The last twelve months, to today."""
    today = today or timezone.localdate()
    start = date(today.year - 1, today.month, 1)
    return Period(start, today)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(period.start, time.min, tzinfo=tz), datetime.combine(period.end, time.max, tzinfo=tz)


def months(period: Period) -> list[date]:
    out, day = [], date(period.start.year, period.start.month, 1)
    while day <= period.end:
        out.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def contributions(library_ids: list[int], period: Period) -> dict[int, dict]:
    """Per library: records added in the period (still held), and of them those of editions only it holds."""
    start, end = _bounds(period)
    unique = EditionProfile.objects.filter(edition_id=OuterRef("edition_id"), holder_count=1)
    rows = (SourceRecord.objects.filter(library_id__in=library_ids, created__range=(start, end), withdrawn=False)
            .values("library_id").annotate(n=Count("id")))
    out = {pk: {"records": 0, "unique": 0} for pk in library_ids}
    for row in rows:
        out[row["library_id"]]["records"] = row["n"]
    for row in rows.filter(Exists(unique)).values("library_id").annotate(n=Count("id")):
        out[row["library_id"]]["unique"] = row["n"]
    return out


@dataclass
class Month:
    month: date
    requests: int = 0
    supplied: int = 0
    lent: int = 0
    records: int = 0

    @property
    def fill_rate(self) -> float | None:
        return self.supplied / self.requests if self.requests else None


def trends(library_ids: list[int], period: Period, *, network: Network | None = None) -> list[Month]:
    """Month by month: requests the libraries made and how many were supplied, supplies they made (loans and
    copies lent), and records they added."""
    start, end = _bounds(period)
    by_month = {m: Month(m) for m in months(period)}

    def put(rows, attr):
        for month, n in rows:
            key = date(month.year, month.month, 1) if month else None
            if key in by_month:
                setattr(by_month[key], attr, getattr(by_month[key], attr) + n)

    made = IllRequest.objects.filter(requester_id__in=library_ids, created__range=(start, end))
    put(made.annotate(m=TruncMonth("created")).values("m").annotate(n=Count("id")).values_list("m", "n"), "requests")
    supplied = RotaEntry.objects.filter(request__requester_id__in=library_ids, outcome=RotaEntry.Outcome.SUPPLIED,
                                        request__created__range=(start, end))
    put(supplied.annotate(m=TruncMonth("request__created")).values("m").annotate(n=Count("request_id", distinct=True))
        .values_list("m", "n"), "supplied")
    lent = RotaEntry.objects.filter(library_id__in=library_ids, outcome=RotaEntry.Outcome.SUPPLIED,
                                    supplied_at__range=(start, end))
    if network is not None:
        lent = lent.filter(agreement__network=network)
    put(lent.annotate(m=TruncMonth("supplied_at")).values("m").annotate(n=Count("id")).values_list("m", "n"), "lent")
    added = SourceRecord.objects.filter(library_id__in=library_ids, created__range=(start, end))
    put(added.annotate(m=TruncMonth("created")).values("m").annotate(n=Count("id")).values_list("m", "n"), "records")
    return list(by_month.values())


def network_evaluation(network: Network, members: list[Library], period: Period) -> dict:
    """The network's balance (loans, copies, fill rate, turnaround, fees) per member, with records contributed
    and the network's months."""
    balance = network_balance(network, period)
    ids = [m.pk for m in members]
    contributed = contributions(ids, period)
    for row in balance["members"]:
        row.update(contributed.get(row["library"].pk, {"records": 0, "unique": 0}))
    balance["records"] = sum(c["records"] for c in contributed.values())
    balance["unique"] = sum(c["unique"] for c in contributed.values())
    balance["months"] = trends(ids, period, network=network)
    return balance


def library_evaluation(library: Library, networks: list[Network], period: Period) -> dict:
    """One member: its row in each of its networks' balance, its records and its months."""
    rows = []
    for network in networks:
        balance = network_balance(network, period)
        rows += [dict(row, network=network) for row in balance["members"] if row["library"].pk == library.pk]
    contributed = contributions([library.pk], period)[library.pk]
    return {"library": library, "period": period, "rows": rows, "records": contributed["records"],
            "unique": contributed["unique"], "months": trends([library.pk], period)}


def public_figures(network: Network, members: list[Library]) -> dict:
    """What anyone may see of a network: members, titles, loans this year."""
    year = timezone.localdate().year
    lent = RotaEntry.objects.filter(agreement__network=network, outcome=RotaEntry.Outcome.SUPPLIED,
                                    supplied_at__year=year).count()
    return {"members": len(members), "loans_this_year": lent}


def per_library(rows) -> dict[int, dict]:
    out = defaultdict(dict)
    for row in rows:
        out[row["library"].pk] = row
    return out
