"""Pages: public network and library pages, and the staff/coordinator pages.

Views are thin: they read through selectors, write through services, and turn
domain errors into form errors or messages. Every permission is asked again
by the service; the checks here only decide what to show.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaringan.catalog.labels import language_label
from jaringan.core import membership as ms
from jaringan.core.errors import Conflict, Invalid, JaringanError
from jaringan.errorpages import or_404

from . import permissions as perm
from . import selectors, services
from .forms import (
    AgreementForm,
    ApplyForm,
    CheckForm,
    LibraryForm,
    NetworkForm,
    PartyFormSet,
    ResponsibilityFormSet,
    filled_rows,
)
from .models import Agreement, DeliveryMethod, LibraryKind, Membership
from .texts import (
    ACTION_LABELS,
    REFUSAL_LABELS,
    SERVICE_LABELS,
    STATUS_LABELS,
    border_rule_rows,
    service_labels,
    verdict_rows,
)


_principal = perm.principal_of


def _form_errors(form, exc: Invalid) -> None:
    """Put a service's field errors on the form (unknown fields as form-wide errors)."""
    if not exc.errors:
        form.add_error(None, exc.message)
    for field, msgs in exc.errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


# --- public ---------------------------------------------------------------------

def home(request):
    return render(request, "network/home.html", {
        "networks": selectors.network_list(),
        "library_count": selectors.library_count(),
        "kinds": LibraryKind.choices,
    })


def network_list(request):
    return render(request, "network/network_list.html", {"networks": selectors.network_list()})


def network_detail(request, code):
    network = or_404(selectors.network_by_code(code))
    members = list(selectors.network_members(network, states=(ms.State.ADMITTED, ms.State.SUSPENDED)))
    p = _principal(request)
    coordinating = perm.coordinates(p, network)
    agreements = selectors.network_agreements(network)
    today = timezone.localdate()
    return render(request, "network/network_detail.html", {
        "network": network,
        "members": members,
        "points": selectors.map_points([m.library for m in members if m.state == ms.State.ADMITTED]),
        "agreements": [
            {"a": a, "status": a.status_on(today), "status_label": STATUS_LABELS[a.status_on(today)],
             "services": service_labels(a.services)}
            for a in agreements
        ],
        "coordinating": coordinating,
        "pending": selectors.network_applications(network) if coordinating else [],
        "border_rules": border_rule_rows(selectors.border_rules_shown(network)),
    })


def library_list(request):
    kind = request.GET.get("kind") or ""
    q = (request.GET.get("q") or "").strip()[:100]
    libraries = list(selectors.library_search(kind=kind, q=q))
    return render(request, "network/library_list.html", {
        "libraries": libraries, "kinds": LibraryKind.choices, "kind": kind, "q": q,
        "points": selectors.map_points(libraries),
    })


def library_detail(request, code):
    library = or_404(selectors.library_by_code(code))
    p = _principal(request)
    memberships = list(selectors.library_networks(library))
    if not (perm.can_edit_library(p, library)):
        memberships = [m for m in memberships if m.state in (ms.State.ADMITTED, ms.State.SUSPENDED)]
    agreements = selectors.library_agreements(library)
    today = timezone.localdate()
    return render(request, "network/library_detail.html", {
        "library": library,
        "memberships": memberships,
        "agreements": [{"a": a, "status": a.status_on(today), "status_label": STATUS_LABELS[a.status_on(today)]}
                       for a in agreements],
        "points": selectors.map_points([library]),
        "can_edit": perm.can_edit_library(p, library),
        "services": service_labels(library.services_offered()),
        "languages": [language_label(code) for code in library.languages or []],
        "delivery": [str(dict(DeliveryMethod.choices).get(m, m)) for m in library.delivery_methods or []],
    })


def agreement_detail(request, code):
    agreement = or_404(selectors.agreement_by_code(code))
    status = agreement.status
    return render(request, "network/agreement_detail.html", {
        "agreement": agreement,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "services": service_labels(agreement.services),
        "can_edit": perm.can_record_agreement(_principal(request), agreement.network),
        "border_rules": border_rule_rows(selectors.border_rules_shown(agreement.network, agreement)),
    })


def _priced(priced, names: dict, codes: dict) -> dict:
    """A loan's or copy's cost in all, line by line, and the other agreements covering it with theirs."""
    if priced is None or priced.quote is None:
        return {"cost": None, "quote": [], "others": []}
    from jaringan.ill.web.reasons import quote_sentence
    from jaringan.ill.web.screens import rupiah

    chosen = priced.decision.agreement_id
    return {
        "cost": rupiah(priced.quote.requester_cost),
        "quote": [quote_sentence(line.as_dict()) for line in priced.quote.lines],
        "others": [{"title": names.get(aid), "code": codes.get(aid), "cost": rupiah(q.requester_cost)}
                   for aid, q in sorted(priced.quotes.items(), key=lambda kv: (kv[1].requester_cost, kv[0]))
                   if aid != chosen],
    }


def agreement_check(request):
    form = CheckForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        priced = None
        if d["service"] in ("loan", "copy"):  # the rule and figures of a real request's rota, shipping included
            from jaringan.ill.rota import offer_between

            priced = offer_between(d["requester"], d["supplier"], d["service"], on=d["on"], pages=d["pages"],
                                   local_content=d["local_content"])
            decision = priced.decision
        else:
            decision = selectors.agreement_check(
                requester=d["requester"], supplier=d["supplier"], service=d["service"], on=d["on"], pages=d["pages"],
                local_content=d["local_content"] and d["service"] == "reciprocal",
            )
        names, codes = selectors.agreement_labels()
        result = {
            **_priced(priced, names, codes),
            "decision": decision,
            "agreement_title": names.get(decision.agreement_id),
            "agreement_code": codes.get(decision.agreement_id),
            "service_label": SERVICE_LABELS.get(d["service"]),
            "refusals": [
                {"title": names.get(a), "code": codes.get(a), "reason": REFUSAL_LABELS.get(r, r)}
                for a, r in decision.refusals
            ],
            "distance": selectors.distance_between(d["requester"], d["supplier"]),
            "shipping_label": Agreement.ShippingPayer(decision.shipping_paid_by).label
            if decision.shipping_paid_by else None,
        }
    return render(request, "network/agreement_check.html", {"form": form, "result": result})


# --- staff and coordinators ---------------------------------------------------------

def _application(m: Membership) -> dict:
    """A waiting application as the coordinator weighs it: the requirements as they stand now (what
    admitting checks), and whether it can be admitted."""
    rows = verdict_rows(services.eligibility_of(m.library, m.network).as_list())
    return {"m": m, "rows": rows, "admissible": all(r["passed"] for r in rows)}


@login_required
def dashboard(request):
    p = _principal(request)
    pending = [_application(m) for m in selectors.pending_applications(p)] if p.is_coordinator else []
    my_libraries = selectors.libraries_staffed_by(p)
    return render(request, "network/dashboard.html", {
        "pending": pending,
        "networks": selectors.networks_coordinated_by(p) if p.is_coordinator else [],
        "my_libraries": my_libraries,
        "my_memberships": selectors.libraries_memberships(my_libraries),
        "reader_library": selectors.reader_library(p),
        "apply_form": ApplyForm(libraries=selectors.libraries_applying_by(p)) if (p.staff_of or p.is_superuser) else None,
    })


@login_required
def library_edit(request, code=None):
    p = _principal(request)
    library = or_404(selectors.library_by_code(code)) if code else None
    allowed = perm.can_edit_library(p, library) if library else perm.can_register_library(p)
    if not allowed:
        raise PermissionDenied
    form = LibraryForm(request.POST or None, instance=library)
    if code:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code" or not library}
        try:
            if library:
                library = services.library_update(actor=p, library=library, data=data)
                messages.success(request, _("%(library)s was saved.") % {"library": library.name})
            else:
                library = services.library_create(actor=p, data=data)
                messages.success(request, _("%(library)s was registered.") % {"library": library.name})
            return redirect("library_detail", code=library.code)
        except Invalid as exc:
            _form_errors(form, exc)
    return render(request, "network/library_form.html", {"form": form, "library": library})


@login_required
def network_edit(request, code=None):
    p = _principal(request)
    network = or_404(selectors.network_by_code(code)) if code else None
    allowed = perm.can_edit_network(p, network) if network else perm.can_create_network(p)
    if not allowed:
        raise PermissionDenied
    form = NetworkForm(request.POST or None, instance=network)
    if code:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code" or not network}
        try:
            if network:
                network = services.network_update(actor=p, network=network, data=data)
            else:
                network = services.network_create(actor=p, data=data)
            messages.success(request, _("%(network)s was saved.") % {"network": network.name})
            return redirect("network_detail", code=network.code)
        except Invalid as exc:
            _form_errors(form, exc)
    return render(request, "network/network_form.html", {"form": form, "network": network})


def _member_choices(network):
    return [
        (m.library.code, f"{m.library.name} ({m.library.code})")
        for m in selectors.network_members(network, states=ms.NAMED_IN_AGREEMENTS)
    ]


@login_required
def agreement_edit(request, network_code=None, code=None):
    p = _principal(request)
    agreement = or_404(selectors.agreement_by_code(code)) if code else None
    network = agreement.network if agreement else or_404(selectors.network_by_code(network_code))
    if not perm.can_record_agreement(p, network):
        raise PermissionDenied
    choices = _member_choices(network)
    initial_parties = [{"library": x.library.code, "role": x.role} for x in agreement.parties.all()] if agreement else []
    initial_resp = [
        {"library": r.library.code, "scheme": r.scheme, "start": r.start, "end": r.end, "subject": r.subject}
        for r in agreement.responsibilities.all()
    ] if agreement else []
    data = request.POST or None
    form = AgreementForm(data, instance=agreement)
    parties = PartyFormSet(data, prefix="parties", initial=initial_parties, form_kwargs={"library_choices": choices})
    resps = ResponsibilityFormSet(data, prefix="resp", initial=initial_resp, form_kwargs={"library_choices": choices})
    if request.method == "POST" and form.is_valid() and parties.is_valid() and resps.is_valid():
        try:
            saved = services.agreement_save(
                actor=p, network=network, data=form.cleaned_data,
                parties=filled_rows(parties), responsibilities=filled_rows(resps, keys=("library", "start", "end")),
                agreement=agreement,
            )
            messages.success(request, _("The agreement %(title)s was saved.") % {"title": saved.title})
            return redirect("agreement_detail", code=saved.code)
        except Invalid as exc:
            _form_errors(form, exc)
    return render(request, "network/agreement_form.html", {
        "form": form, "parties": parties, "resps": resps, "network": network, "agreement": agreement,
    })


@login_required
@require_POST
def membership_apply(request):
    p = _principal(request)
    form = ApplyForm(request.POST, libraries=selectors.libraries_applying_by(p))
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("dashboard")
    try:
        m = services.membership_apply(
            actor=p, network=form.cleaned_data["network"], library=form.cleaned_data["library"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("%(library)s applied to join %(network)s.") % {
            "library": m.library.name, "network": m.network.name})
        return redirect("membership_detail", pk=m.pk)
    except JaringanError as exc:
        messages.error(request, exc.message)
    return redirect("dashboard")


@login_required
def membership_detail(request, pk):
    p = _principal(request)
    m = or_404(selectors.membership_get(pk))
    actors = perm.membership_sides(p, m)
    if not actors:
        raise Http404
    current_rows = verdict_rows(services.eligibility_of(m.library, m.network).as_list())
    eligible = all(r["passed"] for r in current_rows)
    return render(request, "network/membership_detail.html", {
        "m": m,
        "rows": verdict_rows(m.eligibility),
        "current_rows": current_rows,
        # Admitting and reinstating check the requirements: their buttons wait until all are met.
        "waiting_for_requirements": [] if eligible else [
            a.value for a in ms.actions_for(m.state, actors) if ms.transition_for(m.state, a, actors).needs_eligibility],
        "events": [
            {"e": e, "action": ACTION_LABELS.get(e.action, e.action),
             "from": Membership.State(e.from_state).label if e.from_state else "",
             "to": Membership.State(e.to_state).label}
            for e in selectors.membership_events(m)
        ],
        "actions": [(a.value, ACTION_LABELS[a]) for a in ms.actions_for(m.state, actors)],
        "action_labels": ACTION_LABELS,
    })


@login_required
@require_POST
def membership_act(request, pk):
    p = _principal(request)
    action = request.POST.get("action", "")
    try:
        m = services.membership_act(
            actor=p, membership_id=pk, action=action, note=request.POST.get("note", "")[:2000],
            expected_state=request.POST.get("expected_state") or None,
        )
        messages.success(request, _("%(library)s in %(network)s: %(state)s.") % {
            "library": m.library.name, "network": m.network.name, "state": m.get_state_display()})
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
    nxt = request.POST.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("membership_detail", pk=pk)
