"""The yearly reports' pages: printable HTML and the same report as a PDF.

Who sees which: a network's report, its coordinators; a member's, its staff and the coordinators of a
network it is admitted to (`permissions.sees_library`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jaringan.errorpages import or_404
from jaringan.network import selectors as network_selectors
from jaringan.network.permissions import principal_of

from . import pdf, reports, selectors
from . import permissions as can
from . import report_tables as layout
from .charts import chart


def _respond(request, report: reports.YearReport, as_pdf: bool, back: str):
    code = (report.network or report.library).code
    if as_pdf:
        response = HttpResponse(pdf.render(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="report-{code}-{report.year}.pdf"'
        return response
    charts = [chart(title=f.title, labels=f.labels, series=f.series, unit=f.unit, horizontal=f.horizontal,
                    rotate=f.rotate) for f in layout.figures(report)]
    this_year = timezone.localdate().year
    return render(request, "analysis/report.html", {
        "report": report, "title": layout.title(report), "subtitle": layout.subtitle(report),
        "facts": layout.facts(report), "tables": layout.tables(report), "charts": charts, "back": back,
        "code": code,
        "years": list(range(this_year, max(reports.FIRST_YEAR, this_year - 5) - 1, -1)),
    })


def _year(year: int) -> int:
    if not reports.valid_year(year):
        raise Http404
    return year


def network_report(request, code, year=None, as_pdf=False):
    net = or_404(network_selectors.network_by_code(code))
    p = principal_of(request)
    if not can.sees_network_report(p, net):
        raise PermissionDenied
    if year is None:
        return redirect("analysis_network_report", code=net.code, year=timezone.localdate().year)
    report = reports.network_report(net, selectors.network_group(net), _year(year))
    return _respond(request, report, as_pdf, back="analysis_network_report")


def library_report(request, code, year=None, as_pdf=False):
    library = or_404(network_selectors.library_by_code(code))
    if not can.sees_library(principal_of(request), library):
        raise PermissionDenied
    if year is None:
        return redirect("analysis_library_report", code=library.code, year=timezone.localdate().year)
    report = reports.library_report(library, selectors.networks_of(library), _year(year))
    return _respond(request, report, as_pdf, back="analysis_library_report")
