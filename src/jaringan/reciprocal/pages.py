"""Reciprocal borrowing pages: the reader's pass, the home library's passes, the host desk, the terms.

Thin: reads through `selectors`, writes through `services`; a domain error becomes a message (or a
403/404). Who may see what is checked by the services and here: a reader sees only their own pass and
loans, staff act only for their own library, coordinators only for their networks' agreements.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaringan.core.errors import JaringanError, Forbidden, NotFound
from jaringan.errorpages import or_404
from jaringan.network import selectors as network_selectors
from jaringan.network.models import Library
from jaringan.network.permissions import coordinates, principal_of

from . import codes, selectors, services, texts
from .models import Category, Collection, Pass


def _error(request, exc: JaringanError) -> None:
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)


def _card(holder: Pass) -> dict:
    show = holder.state == Pass.State.ACTIVE
    return {"pass": holder, "qr": codes.qr_svg(holder.code) if show else "",
            "barcode": codes.code128_svg(holder.code) if show else "",
            "category": Category(holder.category).label}


# --- the reader -----------------------------------------------------------------------------------------

@login_required
def my_pass(request):
    p = principal_of(request)
    if request.method == "POST":
        try:
            services.pass_apply(actor=p, category=request.POST.get("category", ""),
                                home_user_id=request.POST.get("home_user_id", ""))
            messages.success(request, _("Your application was sent to your library."))
        except JaringanError as exc:
            _error(request, exc)
        return redirect("reciprocal_my_pass")
    holder = selectors.live_pass_of(request.user)
    context = {"can_apply": p.reader_of is not None and (holder is None or holder.state in ("refused", "revoked")),
               "categories": Category.choices}
    if holder is not None:
        context.update(_card(holder))
        context["hosts"] = selectors.hosts_for(holder) if holder.state == Pass.State.ACTIVE else []
        context["loans"] = list(selectors.loans_of(holder)[:50])
        context["today"] = timezone.localdate()
    return render(request, "reciprocal/my_pass.html", context)


@login_required
def my_card(request):
    holder = selectors.live_pass_of(request.user)
    if holder is None or holder.state != Pass.State.ACTIVE:
        raise Http404(_("You have no valid network pass."))
    return render(request, "reciprocal/card.html", _card(holder))


# --- library staff --------------------------------------------------------------------------------------

def _library(request, code: str) -> Library:
    library = or_404(network_selectors.library_by_code(code))
    p = principal_of(request)
    if not (p.is_superuser or library.pk in p.staff_of):
        raise PermissionDenied(_("Only the staff of %(library)s may do this.") % {"library": library.name})
    return library


@login_required
def home(request):
    """Where a staff member starts: their library's desk and passes."""
    p = principal_of(request)
    libraries = list(network_selectors.libraries_staffed_by(p))
    if len(libraries) == 1:
        return redirect("reciprocal_desk", code=libraries[0].code)
    if not libraries:
        if p.reader_of is not None:
            return redirect("reciprocal_my_pass")
        raise PermissionDenied(_("The desk is for the staff of a member library."))
    return render(request, "reciprocal/home.html", {"libraries": libraries})


def _desk_context(request, library: Library, code: str, view=None, holder=None) -> dict:
    context = {"library": library, "code": code, "collections": Collection.choices,
               "host_loans": list(selectors.host_loans(library)[:100])}
    if code and view is None:
        try:
            holder = services._holder_for(code)
            view = selectors.desk_view(holder, library)
        except JaringanError as exc:
            context["code_error"] = exc.message
    if view is not None:
        decision, terms = view.decision, view.decision.terms
        lines, agreements = texts.decision_lines(decision, view.libraries, view.agreements)
        context.update({
            "holder": holder, "decision": decision, "lines": lines, "standing": view.standing,
            "visitor_loans": view.loans_here, "terms": terms, "excluded": texts.collections_text(decision.excluded),
            "deposit": texts.rupiah(decision.deposit) if terms and terms.deposit else "",
            "fee": texts.rupiah(decision.fee) if terms and terms.fee else "",
            "agreement": agreements.get(decision.agreement_id), "blocks": view.blocks,
            "today": timezone.localdate(), "category": Category(holder.category).label,
        })
    return context


@login_required
def desk(request, code: str):
    """Scan or type a pass: may this visitor borrow here today? (A check by POST is kept as a visit.)"""
    library = _library(request, code)
    if request.method == "POST":
        pass_code = request.POST.get("code", "")
        try:
            view, holder = services.visit_check(actor=principal_of(request), host=library, code=pass_code)
        except JaringanError as exc:
            if isinstance(exc, Forbidden):
                raise PermissionDenied(exc.message) from None
            return render(request, "reciprocal/desk.html",
                          {**_desk_context(request, library, ""), "code": pass_code, "code_error": exc.message},
                          status=200 if not isinstance(exc, NotFound) else 404)
        return render(request, "reciprocal/desk.html",
                      _desk_context(request, library, holder.code, view, holder))
    return render(request, "reciprocal/desk.html", _desk_context(request, library, request.GET.get("code", "")))


def _back_to_desk(library: Library, code: str):
    return redirect(reverse("reciprocal_desk", args=[library.code]) + ("?" + urlencode({"code": code}) if code else ""))


@login_required
@require_POST
def desk_act(request, code: str, action: str):
    library = _library(request, code)
    p = principal_of(request)
    pass_code = request.POST.get("code", "")
    try:
        if action == "lend":
            loan = services.loan_create(actor=p, host=library, code=pass_code,
                                        item_barcode=request.POST.get("item_barcode", ""),
                                        title=request.POST.get("title", ""),
                                        collection=request.POST.get("collection", Collection.GENERAL))
            messages.success(request, _("Lent: “%(title)s”, due back on %(due)s.") % {
                "title": loan.title, "due": texts._day(loan.due)})
        elif action == "renew":
            loan = services.loan_renew(actor=p, loan_id=_int(request.POST.get("loan")))
            messages.success(request, _("Renewed: “%(title)s”, now due on %(due)s.") % {
                "title": loan.title, "due": texts._day(loan.due)})
        elif action == "return":
            loan = services.loan_return(actor=p, loan_id=_int(request.POST.get("loan")))
            messages.success(request, _("Taken back: “%(title)s”.") % {"title": loan.title})
        elif action == "block":
            holder = services._holder_for(pass_code)
            services.block_create(actor=p, library=library, pass_id=holder.pk, reason=request.POST.get("reason", ""),
                                  until=request.POST.get("until") or None)
            messages.success(request, _("The reader is blocked at every member of the network."))
        elif action == "lift":
            services.block_lift(actor=p, block_id=_int(request.POST.get("block")))
            messages.success(request, _("The block is lifted."))
        else:
            raise Http404
    except services.Refused as exc:
        messages.error(request, exc.message + " " + " ".join(
            line["text"] for line in texts.decision_lines(exc.decision)[0] if not line["passed"]))
    except JaringanError as exc:
        _error(request, exc)
    return _back_to_desk(library, pass_code)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(_("No such record."), code="not_found") from None


@login_required
def passes(request, code: str):
    """The library's readers' passes: applications to decide, enrolment, the list."""
    library = _library(request, code)
    p = principal_of(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "enrol":
                holder = services.pass_enrol(actor=p, library=library, data=request.POST)
                messages.success(request, _("Pass %(code)s issued to %(name)s.") % {
                    "code": holder.code, "name": holder.reader_name})
            elif action in ("approve", "refuse"):
                services.pass_decide(actor=p, pass_id=_int(request.POST.get("pass")), approve=action == "approve",
                                     expires=request.POST.get("expires") or None, note=request.POST.get("note", ""))
                messages.success(request, _("The application is decided."))
            elif action == "revoke":
                services.pass_revoke(actor=p, pass_id=_int(request.POST.get("pass")), note=request.POST.get("note", ""))
                messages.success(request, _("The pass is withdrawn."))
            elif action == "ncip":
                services.ncip_server_save(actor=p, library=library, url=request.POST.get("url", ""),
                                          agency_id=request.POST.get("agency_id", ""),
                                          shared_secret=request.POST.get("shared_secret", ""),
                                          timeout=request.POST.get("timeout") or 5)
                messages.success(request, _("The NCIP server is saved."))
        except JaringanError as exc:
            _error(request, exc)
        return redirect("reciprocal_passes", code=library.code)
    rows = list(selectors.passes_of_library(library)[:200])
    return render(request, "reciprocal/passes.html", {
        "library": library, "rows": rows, "categories": Category.choices,
        "ncip": selectors.ncip_server_setting(library),
        "applied": [r for r in rows if r.state == Pass.State.APPLIED]})


@login_required
def pass_card(request, code: str, pk: int):
    """A printable card for a pass the library issued (a reader with no account here takes it home)."""
    library = _library(request, code)
    holder = or_404(selectors.pass_issued(library, pk))
    return render(request, "reciprocal/card.html", _card(holder))


# --- coordinators: the terms ----------------------------------------------------------------------------

@login_required
def terms_edit(request, code: str):
    agreement = or_404(network_selectors.agreement_by_code(code))
    p = principal_of(request)
    if not coordinates(p, agreement.network_id):
        raise PermissionDenied(_("You do not coordinate this agreement's network."))
    row = selectors.borrowing_terms(agreement)
    errors = {}
    if request.method == "POST":
        data = {k: request.POST.get(k) for k in ("items_at_a_time", "loan_days", "renewals", "deposit", "fee")}
        data["categories"] = request.POST.getlist("categories")
        data["excluded"] = request.POST.getlist("excluded")
        data["home_libraries"] = [c.strip() for c in request.POST.get("home_libraries", "").split(",") if c.strip()]
        try:
            services.terms_save(actor=p, agreement=agreement, data=data)
            messages.success(request, _("The reciprocal borrowing terms are saved."))
            return redirect("reciprocal_terms", code=agreement.code)
        except JaringanError as exc:
            if isinstance(exc, Forbidden):
                raise PermissionDenied(exc.message) from None
            errors = exc.errors
            row = None
            initial = data
    if row is not None:
        initial = {"items_at_a_time": row.items_at_a_time, "loan_days": row.loan_days, "renewals": row.renewals,
                   "deposit": row.deposit, "fee": row.fee, "categories": row.categories, "excluded": row.excluded,
                   "home_libraries": [lib.code for lib in row.home_libraries.all()]}
    elif not errors:
        initial = {"items_at_a_time": 3, "loan_days": 14, "renewals": 1, "deposit": 0, "fee": 0,
                   "categories": ["student", "lecturer"], "excluded": ["reference", "rare"], "home_libraries": []}
    return render(request, "reciprocal/terms.html", {
        "agreement": agreement, "initial": initial, "errors": errors, "categories": Category.choices,
        "excludable": [c for c in Collection.choices if c[0] != Collection.GENERAL],
        "covers": "reciprocal" in agreement.services,
        "home_codes": ", ".join(initial.get("home_libraries") or [])})
