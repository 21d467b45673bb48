"""A yearly report laid out once, in the page's language: its key figures, its tables and its charts, the same
for the printable page and for the PDF (so both always show the same numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .reports import YearReport


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    #: Columns after the first are figures (right-aligned). Relative widths in the PDF, if not equal.
    widths: list[int] | None = None


@dataclass
class Figure:
    """A chart's data: labels, series and unit, drawn as SVG on the page and PNG in the PDF."""

    title: str
    labels: list[str]
    series: list[tuple[str, list]]
    unit: str = ""
    horizontal: bool = False
    rotate: int = 0


def number(n) -> str:
    return "—" if n is None else number_format(n, force_grouping=True)


def percent(share: float | None) -> str:
    return "—" if share is None else f"{number_format(round(100 * share, 1), decimal_pos=1)} %"


def title(report: YearReport) -> str:
    return _("Yearly report %(year)s: %(name)s") % {"year": report.year, "name": report.name}


def subtitle(report: YearReport) -> str:
    return _("From %(start)s to %(end)s") % {"start": date_format(report.period.start),
                                             "end": date_format(report.period.end)}


def facts(report: YearReport) -> list[tuple[str, str]]:
    out = [
        (_("Records added"), number(report.records)),
        (_("Of editions only one library holds"),
         f"{number(report.unique)} ({percent(report.unique_share)})"),
        (_("Requests received"), number(report.asked)),
        (_("Requests supplied"), number(report.filled)),
        (_("Fill rate"), percent(report.fill_rate)),
        (_("Lent"), number(report.lent)),
        (_("Borrowed"), number(report.borrowed)),
        (_("Median turnaround (days)"), number(report.turnaround)),
    ]
    if report.network is not None:
        out.append((_("Fees charged between members (IDR)"), number(report.fees)))
    else:
        out += [(_("Owed to it (IDR)"), number(report.credit)), (_("Owed by it (IDR)"), number(report.debit)),
                (_("Balance (IDR)"), number(report.net))]
    if report.visits:
        out += [(_("Reciprocal visits"), number(report.visits_total)),
                (_("Reciprocal loans"), number(report.reciprocal_loans))]
    return out


def months_table(report: YearReport) -> Table:
    table = Table("months", _("Month by month"), [_("Month"), _("Requests made"), _("Supplied to it"),
                                                  _("Fill rate"), _("Supplies made"), _("Records added")])
    table.rows = [[date_format(m.month, "YEAR_MONTH_FORMAT"), number(m.requests), number(m.supplied),
                   percent(m.fill_rate), number(m.lent), number(m.records)] for m in report.months]
    return table


def rows_table(report: YearReport) -> Table:
    if report.network is not None:
        table = Table("members", _("Each member"), [
            _("Library"), _("Records added"), _("Of editions only it holds"), _("Requests received"),
            _("Fill rate"), _("Lent"), _("Borrowed"), _("Median turnaround (days)"), _("Balance (IDR)")],
            widths=[40, 17, 17, 17, 16, 15, 16, 19, 23])
        table.rows = [[r["library"].name, number(r["records"]), number(r["unique"]), number(r["asked"]),
                       percent(r["fill_rate"]), number(r["lent"]), number(r["borrowed"]), number(r["turnaround"]),
                       number(r["net"])] for r in report.rows]
        return table
    table = Table("networks", _("In each network"), [
        _("Network"), _("Requests received"), _("Fill rate"), _("Lent"), _("Borrowed"),
        _("Median turnaround (days)"), _("Owed to it (IDR)"), _("Owed by it (IDR)"), _("Balance (IDR)")],
        widths=[36, 17, 15, 14, 16, 19, 21, 21, 21])
    table.rows = [[r["network"].name, number(r["asked"]), percent(r["fill_rate"]), number(r["lent"]),
                   number(r["borrowed"]), number(r["turnaround"]), number(r["credit"]), number(r["debit"]),
                   number(r["net"])] for r in report.rows]
    return table


def visits_table(report: YearReport) -> Table | None:
    if not report.visits:
        return None
    first = _("Library") if report.network is not None else _("Network")
    table = Table("visits", _("Reciprocal borrowing"), [first, _("Visits hosted"), _("Visits made elsewhere"),
                                                        _("Loans given"), _("Loans taken")])
    table.rows = [[(r["library"] if report.network is not None else r["network"]).name, number(r["visits_hosted"]),
                   number(r["visits_made"]), number(r["loans_given"]), number(r["loans_taken"])]
                  for r in report.visits]
    return table


def tables(report: YearReport) -> list[Table]:
    return [t for t in (months_table(report), rows_table(report), visits_table(report)) if t is not None]


def figures(report: YearReport) -> list[Figure]:
    months = report.months
    out = [Figure(_("Month by month: requests made, supplied to it, and supplies it made"),
                  [date_format(m.month, "m/y") for m in months],
                  [(_("Requests made"), [m.requests for m in months]),
                   (_("Supplied to it"), [m.supplied for m in months]),
                   (_("Supplies made"), [m.lent for m in months])], unit=_("Requests"), rotate=45),
           Figure(_("Records added, month by month"), [date_format(m.month, "m/y") for m in months],
                  [(_("Records added"), [m.records for m in months])], unit=_("Records"), rotate=45)]
    if report.network is not None and report.rows:
        out.append(Figure(_("Lent and borrowed, member by member"), [r["library"].name[:40] for r in report.rows],
                          [(_("Lent"), [r["lent"] for r in report.rows]),
                           (_("Borrowed"), [r["borrowed"] for r in report.rows])],
                          unit=_("Supplies"), horizontal=True))
    return out
