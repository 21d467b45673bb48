"""Pages of collection analysis and evaluation (thin: selectors read, permissions decide what is shown)."""

from __future__ import annotations

import csv
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jaringan.core.analysis import orders as order_lists
from jaringan.core.catalog.readers.errors import UnreadableFile
from jaringan.core.ill.fees import Period
from jaringan.errorpages import or_404
from jaringan.network import selectors as network_selectors
from jaringan.network.permissions import principal_of

from . import buying, evaluation, selectors
from . import permissions as can
from .charts import chart, chart_response
from .texts import BUCKET_LABELS, SCHEME_LABELS, dimension_value_label, subject_label

DIMENSION_LABELS = {
    "ddc": SCHEME_LABELS["ddc"], "lcc": SCHEME_LABELS["lcc"], "udc": SCHEME_LABELS["udc"],
}


def _dimension_labels():
    return {**{k: str(v) for k, v in DIMENSION_LABELS.items()}, "decade": _("Decade of publication"),
            "language": _("Language")}


def _csv(name: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@require_http_methods(["GET", "HEAD"])
def chart_image(request, signed: str):
    """A chart of a page, as its image (the address says what it shows, signed by this site)."""
    return chart_response(request, signed)


def index(request):
    p = principal_of(request)
    networks = network_selectors.network_list()
    own = network_selectors.libraries_staffed_by(p)
    return render(request, "analysis/index.html", {"networks": networks, "own": own, "coordinator": p.is_coordinator})


def _member_rows(members, figures):
    e, w = figures.editions, figures.works
    return [{"library": m, "held": e.held[i], "unique": e.unique[i], "unique_pct": _pct(e.unique[i], e.held[i]),
             "works": w.held[i], "unique_works": w.unique[i]} for i, m in enumerate(members)]


def _split_rows(members, splits, dimension):
    return [{"value": s.value, "label": dimension_value_label(dimension, s.value), "total": s.total, "one": s.one,
             "few": s.few, "many": s.many, "all": s.all, "held": s.held, "unique": s.unique} for s in splits]


def _group_page(request, *, members, network=None, full=True):
    fresh = selectors.current()
    by = request.GET.get("by") or selectors.busiest_scheme()
    if by not in selectors.SPLITS:
        by = selectors.busiest_scheme()
    figures = selectors.group_figures(members, matrix=full)
    e = figures.editions
    buckets = [(key, str(BUCKET_LABELS[key]), getattr(e, key)) for key in ("one", "few", "many", "all")]
    splits = _split_rows(members, selectors.group_split(members, by), by)
    rows = _member_rows(members, figures)
    wanted = request.GET.get("csv")
    if wanted == "members" and full:
        return _csv("members", [_("Library"), _("Editions"), _("Held by it alone"), _("Works"), _("Works it alone holds")],
                    [(r["library"].name, r["held"], r["unique"], r["works"], r["unique_works"]) for r in rows])
    if wanted == "matrix" and full:
        return _csv("overlap", [""] + [m.name for m in members],
                    [[m.name, *e.matrix[i]] for i, m in enumerate(members)])
    if wanted == "split":
        return _csv(f"overlap-{by}", [_dimension_labels()[by], _("Titles"), *[str(BUCKET_LABELS[k]) for k in
                                                                            ("one", "few", "many", "all")]],
                    [(r["label"], r["total"], r["one"], r["few"], r["many"], r["all"]) for r in splits])
    if wanted == "buckets":
        return _csv("holders", [_("Held by"), _("Editions")], [(label, n) for _k, label, n in buckets])
    charts = [chart(title=_("Editions by how many members hold them"), labels=[b[1] for b in buckets],
                    series=[(_("Editions"), [b[2] for b in buckets])], unit=_("Editions"))]
    charts.append(chart(title=_("%(what)s: titles, and titles held by one member only")
                        % {"what": _dimension_labels()[by]},
                        labels=[r["label"][:40] for r in splits if r["value"]],
                        series=[(_("Titles"), [r["total"] for r in splits if r["value"]]),
                                (_("One member only"), [r["one"] for r in splits if r["value"]])],
                        horizontal=True, unit=_("Editions")))
    if full:
        charts.append(chart(title=_("Editions each member holds, and those it alone holds"),
                            labels=[r["library"].name[:40] for r in rows],
                            series=[(_("Editions"), [r["held"] for r in rows]),
                                    (_("Held by it alone"), [r["unique"] for r in rows])],
                            horizontal=True, unit=_("Editions")))
    duties = []
    if full and network is not None:
        duties = [{"duty": d, "label": f"{d.responsibility.scheme} {d.responsibility.start}–{d.responsibility.end}",
                   "share_pct": _pct(d.held, d.titles)} for d in selectors.division_of_labour(network, members)]
        if wanted == "duties":
            return _csv("division-of-labour", [_("Library"), _("Class range"), _("Subject"), _("Titles in the network"),
                                               _("It holds"), _("Share (%)"), _("It alone holds")],
                        [(d["duty"].responsibility.library.name, d["label"], d["duty"].responsibility.subject,
                          d["duty"].titles, d["duty"].held, d["share_pct"], d["duty"].unique) for d in duties])
    matrix = [{"library": m, "cells": e.matrix[i]} for i, m in enumerate(members)] if full else []
    return render(request, "analysis/group.html", {
        "network": network, "members": members, "figures": figures, "rows": rows, "buckets": buckets,
        "splits": splits, "by": by, "dimensions": _dimension_labels(), "by_label": _dimension_labels()[by], "charts": charts, "full": full,
        "matrix": matrix, "duties": duties, "fresh": fresh, "unique_pct": _pct(e.one, e.total),
        "query": request.GET.urlencode(),
    })


def network(request, code):
    net = or_404(network_selectors.network_by_code(code))
    members = selectors.network_group(net)
    full = can.sees_members(principal_of(request), net)
    if request.GET.get("csv") in ("members", "matrix", "duties") and not full:
        raise PermissionDenied
    return _group_page(request, members=members, network=net, full=full)


def group(request):
    p = principal_of(request)
    codes = [c for c in request.GET.getlist("libraries") if c]
    members = list(network_selectors.libraries_by_code(codes))
    if not p.is_coordinator:
        raise PermissionDenied
    choices = network_selectors.libraries_by_id(selectors.choosable(p))
    if not members:
        return render(request, "analysis/group_pick.html", {"choices": choices})
    if not can.may_pick(p, [m.pk for m in members]):
        raise PermissionDenied
    return _group_page(request, members=members, network=None, full=True)


def _network_member(request, code, library_code):
    net = or_404(network_selectors.network_by_code(code))
    library = or_404(network_selectors.library_by_code(library_code))
    if not selectors.admitted(net, library):
        raise Http404
    if not (can.sees_library(principal_of(request), library) or can.sees_members(principal_of(request), net)):
        raise PermissionDenied
    return net, library


def member(request, code, library_code):
    net, library = _network_member(request, code, library_code)
    fresh = selectors.current()
    scheme = request.GET.get("scheme") or selectors.busiest_scheme()
    if scheme not in ("ddc", "lcc", "udc"):
        scheme = selectors.busiest_scheme()
    members = selectors.network_group(net)
    profile = selectors.subject_profile(members, library, scheme)
    rows = [{"label": subject_label(scheme, s.value), "titles": s.titles, "held": s.held,
             "share_pct": _pct(s.held, s.titles), "unique": s.unique,
             "recent_pct": round(100 * s.recent, 1) if s.recent is not None else None} for s in profile]
    if request.GET.get("csv") == "subjects":
        return _csv(f"subjects-{library.code}-{scheme}", [_("Subject"), _("Titles in the network"), _("It holds"),
                                                          _("Share (%)"), _("It alone holds"), _("Recent (%)")],
                    [(r["label"], r["titles"], r["held"], r["share_pct"], r["unique"], r["recent_pct"]) for r in rows])
    duties = [d for d in selectors.division_of_labour(net, members) if d.responsibility.library_id == library.pk]
    count, _page = selectors.last_copies(members, holder=library, limit=0)
    figure = chart(title=_("Share of the network's titles it holds, by subject"),
                   labels=[r["label"][:40] for r in rows], series=[(_("Share (%)"), [r["share_pct"] for r in rows])],
                   horizontal=True, unit="%")
    return render(request, "analysis/member.html", {
        "network": net, "library": library, "scheme": scheme, "schemes": DIMENSION_LABELS, "rows": rows,
        "chart": figure, "fresh": fresh, "last_copies": count, "recent_since": selectors.recent_since(),
        "duties": [{"duty": d, "label": f"{d.responsibility.scheme} {d.responsibility.start}–{d.responsibility.end}",
                    "share_pct": _pct(d.held, d.titles)} for d in duties],
    })


PAGE = 100


def last_copies(request, code):
    net = or_404(network_selectors.network_by_code(code))
    p = principal_of(request)
    members = selectors.network_group(net)
    holder = None
    if request.GET.get("library"):
        holder = or_404(network_selectors.library_by_code(request.GET["library"]))
        if holder not in members:
            raise Http404
    if not (can.sees_members(p, net) or (holder and can.sees_library(p, holder))):
        raise PermissionDenied
    selectors.current()
    if request.GET.get("csv"):
        _n, rows = selectors.last_copies(members, holder=holder, limit=None)
        return _csv(f"last-copies-{net.code}" + (f"-{holder.code}" if holder else ""),
                    [_("Edition"), _("Title"), _("Year"), _("Held only by")],
                    [(r["edition_id"], r["title"], r["year"] or "", r["holder"].name) for r in rows])
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    total, rows = selectors.last_copies(members, holder=holder, limit=PAGE, offset=(page - 1) * PAGE)
    return render(request, "analysis/last_copies.html", {
        "network": net, "holder": holder, "rows": rows, "total": total, "page": page,
        "next": page + 1 if page * PAGE < total else None, "previous": page - 1 if page > 1 else None,
    })


VERDICT_LABELS = {
    buying.OWN: gettext_lazy("You hold it already"),
    buying.BORROW: gettext_lazy("Borrow, don't buy"),
    buying.HELD: gettext_lazy("Held, but no agreement lets you borrow it"),
    buying.BUY: gettext_lazy("Not in the network"),
    buying.INVALID: gettext_lazy("No ISBN on this line"),
}
ERROR_LABELS = {
    order_lists.NOT_AN_ISBN: gettext_lazy("not an ISBN"),
    order_lists.NO_ISBN: gettext_lazy("no ISBN"),
    order_lists.UNREADABLE: gettext_lazy("the record cannot be read"),
}


def _warning_rows(warnings):
    from django.utils.translation import gettext

    out = []
    for w in warnings:
        out.append({
            "line": w.line.line, "written": w.line.written, "isbn": w.line.isbn or "", "title": w.line.title,
            "verdict": w.verdict, "verdict_label": gettext(VERDICT_LABELS[w.verdict]),
            "error": gettext(ERROR_LABELS[w.line.error]) if w.line.error else "",
            "holders": w.holders, "editions": w.edition_ids,
            "nearest": w.nearest.library.name if w.nearest else "",
            "nearest_km": round(w.nearest.km) if w.nearest and w.nearest.km is not None else None,
            "lender": w.borrow_from.library.name if w.borrow_from else "",
            "cost": w.borrow_from.cost if w.borrow_from else None,
        })
    return out


@require_http_methods(["GET", "POST"])
def buy(request, code):
    library = or_404(network_selectors.library_by_code(code))
    if not can.sees_library(principal_of(request), library):
        raise PermissionDenied
    context = {"library": library, "text": ""}
    if request.method == "POST":
        text = request.POST.get("isbns", "")
        upload = request.FILES.get("file")
        try:
            lines = (order_lists.read_order(upload.read(), upload.name) if upload else order_lists.read_text(text))
        except UnreadableFile as exc:
            context["error"] = _("The file cannot be read as an order list (ISBNs, CSV or MARC): %(reason)s") % {
                "reason": exc}
            return render(request, "analysis/buy.html", context, status=400)
        if len(lines) > order_lists.MAX_LINES:
            context["error"] = _("An order list has %(most)s lines at most; this one has more.") % {
                "most": order_lists.MAX_LINES}
            return render(request, "analysis/buy.html", context, status=400)
        rows = _warning_rows(buying.buy_warning(library, lines))
        if request.POST.get("as") == "csv":
            return _csv(f"order-check-{library.code}", [
                _("Line"), _("As written"), "ISBN", _("Title"), _("Verdict"), _("Holding members"), _("Nearest holder"),
                _("Distance (km)"), _("Borrow from"), _("Cost of a loan (IDR)"), _("Problem")],
                [(r["line"], r["written"], r["isbn"], r["title"], r["verdict_label"], r["holders"], r["nearest"],
                  r["nearest_km"] if r["nearest_km"] is not None else "", r["lender"],
                  r["cost"] if r["cost"] is not None else "", r["error"]) for r in rows])
        counts = {key: sum(1 for r in rows if r["verdict"] == key) for key in VERDICT_LABELS}
        context.update(rows=rows, text=text, counts=[(VERDICT_LABELS[k], n) for k, n in counts.items() if n])
    return render(request, "analysis/buy.html", context)


def _period(request) -> Period:
    default = evaluation.default_period()
    try:
        start = date.fromisoformat(request.GET["from"]) if request.GET.get("from") else default.start
        end = date.fromisoformat(request.GET["to"]) if request.GET.get("to") else default.end
    except ValueError:
        return default
    return Period(start, end) if start <= end else default


def _trend_chart(months):
    labels = [m.month.strftime("%m/%y") for m in months]
    return chart(title=_("Month by month: requests made, supplied to it, and supplies it made"), labels=labels,
                 series=[(_("Requests made"), [m.requests for m in months]),
                         (_("Supplied to it"), [m.supplied for m in months]),
                         (_("Supplies made"), [m.lent for m in months])], unit=_("Requests"), rotate=45)


def _months_csv(name, months):
    return _csv(name, [_("Month"), _("Requests made"), _("Supplied to it"), _("Fill rate (%)"), _("Supplies made"),
                       _("Records added")],
                [(m.month.strftime("%Y-%m"), m.requests, m.supplied,
                  round(100 * m.fill_rate, 1) if m.fill_rate is not None else "", m.lent, m.records) for m in months])


def network_evaluation(request, code):
    net = or_404(network_selectors.network_by_code(code))
    members = selectors.network_group(net)
    full = can.sees_members(principal_of(request), net)
    period = _period(request)
    selectors.current()
    figures = evaluation.network_evaluation(net, members, period)
    if request.GET.get("csv") == "months":
        return _months_csv(f"months-{net.code}", figures["months"])
    if request.GET.get("csv") == "members":
        if not full:
            raise PermissionDenied
        return _csv(f"evaluation-{net.code}", [
            _("Library"), _("Records added"), _("Of editions only it holds"), _("Requests received"), _("Supplied"),
            _("Fill rate (%)"), _("Lent"), _("Borrowed"), _("Median days to ship"), _("Median turnaround (days)"),
            _("Owed to it (IDR)"), _("Owed by it (IDR)"), _("Balance (IDR)")],
            [(r["library"].name, r["records"], r["unique"], r["asked"], r["filled"],
              round(100 * r["fill_rate"], 1) if r["fill_rate"] is not None else "", r["lent"], r["borrowed"],
              r["days_to_ship"] if r["days_to_ship"] is not None else "",
              r["turnaround"] if r["turnaround"] is not None else "", r["credit"], r["debit"], r["net"])
             for r in figures["members"]])
    charts = [_trend_chart(figures["months"])]
    if full and figures["members"]:
        rows = figures["members"]
        charts.append(chart(title=_("Lent and borrowed, member by member"),
                            labels=[r["library"].name[:40] for r in rows],
                            series=[(_("Lent"), [r["lent"] for r in rows]),
                                    (_("Borrowed"), [r["borrowed"] for r in rows])],
                            horizontal=True, unit=_("Supplies")))
    return render(request, "analysis/evaluation.html", {
        "network": net, "figures": figures, "full": full, "charts": charts, "period": period,
        "months": figures["months"], "public": evaluation.public_figures(net, members),
        "report": can.sees_network_report(principal_of(request), net),
    })


def library_evaluation(request, code):
    library = or_404(network_selectors.library_by_code(code))
    if not can.sees_library(principal_of(request), library):
        raise PermissionDenied
    period = _period(request)
    selectors.current()
    figures = evaluation.library_evaluation(library, selectors.networks_of(library), period)
    if request.GET.get("csv") == "months":
        return _months_csv(f"months-{library.code}", figures["months"])
    return render(request, "analysis/library_evaluation.html", {
        "library": library, "figures": figures, "period": period, "months": figures["months"],
        "charts": [_trend_chart(figures["months"])], "networks": selectors.networks_of(library),
    })


@require_http_methods(["GET", "POST"])
def retention(request, code):
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils import timezone

    from jaringan.core.errors import JaringanError

    from . import services

    library = or_404(network_selectors.library_by_code(code))
    p = principal_of(request)
    if not can.sees_library(p, library):
        raise PermissionDenied
    this_year = timezone.localdate().year
    context = {"library": library, "this_year": this_year, "last_year": this_year + 100,
               "until": this_year + 10, "editions": request.GET.get("edition", "")}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "keep":
                commitment = or_404(selectors.commitment_get(library, request.POST.get("commitment") or 0))
                services.commitment_keep(actor=p, commitment=commitment)
                messages.success(request, _("The copy stays, committed until %(year)s.") % {"year": commitment.until})
                return redirect("analysis_retention", code=library.code)
            if request.POST.get("action") == "withdraw":
                commitment = or_404(selectors.commitment_get(library, request.POST.get("commitment") or 0))
                if not request.POST.get("confirm"):
                    context["confirm"] = commitment
                else:
                    told = services.commitment_withdraw_holding(actor=p, commitment=commitment, confirmed=True)
                    messages.success(request, _("The copy is withdrawn; %(n)s coordinators were told.") % {"n": told})
                    return redirect("analysis_retention", code=library.code)
            else:
                lines = request.POST.get("editions", "").split()
                try:
                    ids = [int(x.strip().strip(",")) for x in lines if x.strip().strip(",")]
                    until = int(request.POST.get("until", ""))
                except ValueError:
                    raise services_invalid(_("Edition numbers and the year are whole numbers.")) from None
                if not ids:
                    raise services_invalid(_("Give at least one edition number."))
                n = services.commitments_make(actor=p, library=library, edition_ids=ids, until=until,
                                              note=request.POST.get("note", ""))
                messages.success(request, _("%(n)s copies committed until %(year)s.") % {"n": n, "year": until})
                return redirect("analysis_retention", code=library.code)
        except JaringanError as exc:
            context.update(error=exc.message, editions=request.POST.get("editions", ""))
            status = 400
    context["commitments"] = selectors.library_commitments(library)
    context["asked"] = selectors.withdrawals_asked(library)
    return render(request, "analysis/retention.html", context, status=status)


def services_invalid(message):
    from jaringan.core.errors import Invalid

    return Invalid(message)
