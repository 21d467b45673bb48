"""Interlibrary loan pages: staff queues and requests, asking, the reader's own requests, print, figures.

Thin: reads through `selectors` (and `screens` for the words and forms),
writes through `services`; a domain error becomes a message (or 403/404).
The buttons of a request are exactly `selectors.available_actions` for the
person; each form sends back the version it showed, so a change made by
someone else in the meantime is refused with "reload" instead of applied.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jaringan.catalog.models import Edition
from jaringan.core.errors import Conflict, Invalid
from jaringan.core.ill import lifecycle
from jaringan.network.models import Library, Membership, Network
from jaringan.network.permissions import coordinates, principal_of

from .. import selectors, services
from ..models import Delivery, IllRequest, Service
from ..permissions import can_see
from ..texts import state_label
from . import action_forms, exports, printing, reasons, screens
from .downloads import may_download

SIDES = ("borrowing", "lending")


# --- the staff's queues --------------------------------------------------------------------------------

def _library_of(request, p) -> Library:
    """The library whose queues the person works: ``?library=CODE`` or their first; 403 for another's."""
    libraries = screens.staff_libraries(p)
    code = (request.GET.get("library") or request.POST.get("library") or "").strip()
    if code:
        library = get_object_or_404(Library, code=code)
        if not screens.works_for(p, library):
            raise PermissionDenied(_("You are not staff of %(library)s.") % {"library": library.name})
        return library
    if not libraries:
        raise PermissionDenied(_("Interlibrary loan queues are for the staff of a member library."))
    return libraries[0]


@login_required
def queue(request, side: str = "borrowing"):
    p = principal_of(request)
    if not p.staff_of and not p.is_superuser:
        if p.reader_of:
            return redirect("ill_my")
        if p.coordinated:
            network = Network.objects.filter(pk__in=p.coordinated).order_by("name").first()
            return redirect("ill_network", code=network.code)
        raise PermissionDenied(_("Interlibrary loan queues are for the staff of a member library."))
    library = _library_of(request, p)
    state = request.GET.get("state") or ""
    if state and state not in lifecycle.all_states():
        state = ""
    if request.GET.get("csv"):
        return exports.queue_csv(library, side, state or None)
    qs = (selectors.borrowing_queue if side == "borrowing" else selectors.lending_queue)(library, state or None)
    page = Paginator(qs, screens.PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    actions = selectors.page_actions(p, listed)
    rows = [{"req": req, "badge": screens.request_badge(req),
             "other": req.supplier if side == "borrowing" else req.requester,
             "actions": action_forms.action_forms(req, actions[req.pk])}
            for req in listed]
    counts = selectors.state_counts(library, side)
    return render(request, "ill/pages/queue.html", {
        "library": library, "libraries": screens.staff_libraries(p), "side": side, "state": state,
        "state_name": state_label(state) if state else "", "states": screens.state_rows(counts),
        "total": sum(counts.values()), "page": page, "rows": rows,
        "balance": {k: screens.rupiah(v) for k, v in selectors.library_balance(library).items()},
        "printable": side == "lending" and state in ("WillSupply", "ExpectToSupply", "RequestReceived"),
    })


@login_required
def ledger(request):
    p = principal_of(request)
    library = _library_of(request, p)
    if request.GET.get("csv"):
        return exports.ledger_csv(library)
    balance = selectors.library_balance(library)
    return render(request, "ill/pages/ledger.html", {
        "library": library, "libraries": screens.staff_libraries(p), "rows": screens.library_ledger(library),
        "balance": {k: screens.rupiah(abs(v)) for k, v in balance.items()}, "net": balance["net"],
    })


# --- one request ---------------------------------------------------------------------------------------

def _visible(p, pk: int, *, staff: bool) -> IllRequest:
    req = IllRequest.objects.select_related("requester", "supplier", "reader", "edition").filter(pk=pk).first()
    if req is None:
        raise Http404
    if staff:
        if not (can_see(p, req) and screens.staff_side(p, req)):
            raise Http404
    elif p.user_id is None or req.reader_id != p.user_id:
        raise Http404
    return req


def _detail(request, pk: int, *, staff: bool):
    p = principal_of(request)
    req = _visible(p, pk, staff=staff)
    info = selectors.request_detail(req, p)
    if info is None:
        raise Http404
    readable = p.is_superuser or bool({req.requester_id, req.supplier_id} & set(p.staff_of))
    files = [{"d": d, "link": reverse("ill_delivery_download", args=[d.token])
              if d.method in (Delivery.Method.FILE, Delivery.Method.LINK) and not d.purged and may_download(p, d)
              else None}
             for d in info["deliveries"]]
    return render(request, "ill/pages/detail.html", {
        "req": req, "staff": staff, "badge": screens.request_badge(req), "version": info["version"],
        "area": action_forms.action_area(action_forms.action_forms(req, info["actions"])),
        "act_url": reverse("ill_act" if staff else "ill_my_act", args=[req.pk]),
        "rota": reasons.rota_rows(info["rota"]) if staff else [],
        "excluded": reasons.excluded_rows(info["excluded"]) if staff else [],
        "history": screens.history_rows(info["history"]),
        "messages_iso": info["messages"] if staff and readable else [],
        "outbox": screens.outbox_rows(info["messages"], info["history"]) if staff and readable else [],
        "deliveries": files,
        "now_at": timezone.now(),
        "ledger": [{"e": e, "amount": screens.rupiah(e.amount), "line": screens.ledger_line_label(e.line)}
                   for e in info["ledger"]] if staff else [],
        "offer": {"cost": screens.rupiah(req.offered_cost) if req.offered_cost is not None else None,
                  "after": req.offered_after, "before": req.offered_before, "note": req.offer_note},
        "max_cost": screens.rupiah(req.max_cost) if req.max_cost is not None else None,
        "lending": staff and req.supplier_id is not None and (p.is_superuser or req.supplier_id in p.staff_of),
        "borrowing": staff and (p.is_superuser or req.requester_id in p.staff_of),
    })


@login_required
def detail(request, pk: int):
    return _detail(request, pk, staff=True)


@login_required
def my_detail(request, pk: int):
    return _detail(request, pk, staff=False)


def _version(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0  # never the current one: refused as stale


def _act(request, pk: int, *, staff: bool):
    p = principal_of(request)
    _visible(p, pk, staff=staff)
    data = request.POST
    action = data.get("action", "")
    version = _version(data.get("expected_version"))
    note = data.get("note", "").strip()[:2000]
    try:
        if version is None:  # every form of a request carries the version it showed
            raise Conflict(_("The form did not say which version of the request it showed; reload the request "
                             "and try again."), code="no_version")
        if action == "approve":
            req = services.illrequest_approve(actor=p, request=pk, expected_version=version, note=note)
        elif action == "send":
            code = action_forms.form_value(data, "send", "lender_code") or ""
            lender = code.strip().upper() or (action_forms.form_value(data, "send", "lender") or "").strip() or None
            req = services.illrequest_send(actor=p, request=pk, lender=lender, expected_version=version, note=note)
        else:
            req = services.illrequest_act(actor=p, request=pk, action=action, expected_version=version, note=note,
                                          **action_forms.action_params(action, data, request.FILES))
        req.refresh_from_db()
        messages.success(request, _("Request %(id)s: %(state)s.") % {"id": req.pk, "state": state_label(req.state)})
    except Conflict as exc:
        if exc.code == "stale":
            now = IllRequest.objects.filter(pk=pk).values_list("state", flat=True).first() or ""
            messages.error(request, _("The request changed while you were looking at it; reload it and try again.")
                           + " " + _("It is now: %(state)s.") % {"state": state_label(now)})
        else:
            messages.error(request, exc.message)
    except Invalid as exc:
        messages.error(request, exc.message)
    nxt = data.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(nxt)
    return redirect("ill_detail" if staff else "ill_my_detail", pk=pk)


@login_required
@require_POST
def act(request, pk: int):
    return _act(request, pk, staff=True)


@login_required
@require_POST
def my_act(request, pk: int):
    return _act(request, pk, staff=False)


@login_required
def message(request, pk: int, mid: int):
    """One ISO 18626 message of a request, as the XML that was exchanged (staff of the two libraries)."""
    p = principal_of(request)
    req = _visible(p, pk, staff=True)
    if not (p.is_superuser or {req.requester_id, req.supplier_id} & set(p.staff_of)):
        raise Http404
    found = req.messages.filter(pk=mid).first()
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.raw), content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- print ---------------------------------------------------------------------------------------------

@login_required
def print_batch(request, kind: str):
    """Pull slips or shipping labels, one per page, for the requests named (``ids``) or in a ``state``."""
    if kind not in ("slip", "label"):
        raise Http404
    p = principal_of(request)
    library = _library_of(request, p)
    side = request.GET.get("side") if request.GET.get("side") in SIDES else "lending"
    ids = [int(x) for x in (request.GET.get("ids") or "").replace(" ", "").split(",") if x.isdigit()]
    state = request.GET.get("state") if request.GET.get("state") in lifecycle.all_states() else None
    batch = printing.print_batch(library, side=side, ids=ids, state=state)
    if ids and not batch:
        raise Http404
    items = []
    for req in batch:
        sender, recipient = printing.label_parties(req, side)
        number = printing.label_number(req)
        items.append({"req": req, "sender": sender, "recipient": recipient, "number": number,
                      "barcode": printing.code39(number), "shelf": printing.shelf_marks(req) if kind == "slip" else [],
                      "badge": screens.request_badge(req)})
    return render(request, "ill/pages/print.html", {"kind": kind, "items": items, "library": library, "side": side})


# --- asking --------------------------------------------------------------------------------------------

class RequestForm(forms.Form):
    service = forms.ChoiceField(label=gettext_lazy("What is needed"), choices=Service.choices, initial=Service.LOAN,
                                widget=forms.RadioSelect)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500, required=False)
    author = forms.CharField(label=gettext_lazy("Author"), max_length=300, required=False)
    year = forms.CharField(label=gettext_lazy("Year"), max_length=16, required=False)
    publisher = forms.CharField(label=gettext_lazy("Publisher"), max_length=200, required=False)
    container = forms.CharField(label=gettext_lazy("Journal (or book, for a chapter)"), max_length=500, required=False)
    volume = forms.CharField(label=gettext_lazy("Volume"), max_length=40, required=False)
    issue = forms.CharField(label=gettext_lazy("Issue"), max_length=40, required=False)
    pages_requested = forms.CharField(label=gettext_lazy("Pages"), max_length=60, required=False,
                                      help_text=gettext_lazy("For a copy: which pages, e.g. 12-30."))
    isbn = forms.CharField(label="ISBN", max_length=20, required=False)
    issn = forms.CharField(label="ISSN", max_length=12, required=False)
    page_count = forms.IntegerField(label=gettext_lazy("Number of pages to copy"), min_value=1, required=False)
    need_by = forms.DateField(label=gettext_lazy("Needed by"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    max_cost = forms.DecimalField(label=gettext_lazy("Most the library will pay (Rp)"), min_value=0, max_digits=12,
                                  decimal_places=0, required=False)
    any_edition = forms.BooleanField(label=gettext_lazy("Any edition will do"), required=False, initial=True)
    accepts_digital = forms.BooleanField(label=gettext_lazy("A scan will do (for a copy)"), required=False,
                                         initial=True)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    # Staff asking for a reader:
    requester = forms.ChoiceField(label=gettext_lazy("Asking library"), required=False)
    reader = forms.CharField(label=gettext_lazy("Reader's username (if they have an account)"), max_length=150,
                             required=False)
    reader_name = forms.CharField(label=gettext_lazy("Reader's name"), max_length=200, required=False)
    reader_email = forms.EmailField(label=gettext_lazy("Reader's e-mail"), required=False)
    reader_phone = forms.CharField(label=gettext_lazy("Reader's telephone"), max_length=40, required=False)
    send = forms.BooleanField(label=gettext_lazy("Send to the first lender now"), required=False, initial=True)

    STAFF_FIELDS = ("requester", "reader", "reader_name", "reader_email", "reader_phone", "send")
    CITATION = ("title", "author", "year", "publisher", "container", "volume", "issue", "pages_requested", "isbn",
                "issn")

    def __init__(self, *args, libraries=(), staff=False, edition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["requester"].choices = [(lib.code, lib.name) for lib in libraries]
            self.fields["requester"].required = True
        else:  # a reader says what they need; what their library will pay is its staff's business
            for name in (*self.STAFF_FIELDS, "max_cost"):
                del self.fields[name]
        if edition is not None:  # the catalogue describes it: only a chapter's or an article's pages are asked
            for name in self.CITATION:
                if name != "pages_requested":
                    del self.fields[name]

    def clean_reader(self):
        username = self.cleaned_data.get("reader", "").strip()
        if not username:
            return None
        found = get_user_model().objects.filter(username=username).first()
        if found is None:
            raise forms.ValidationError(_("No account with that username."))
        return found


@login_required
def new(request):
    """Ask for a loan or copy: from a catalogue entry (``?edition=N``) or a typed citation."""
    p = principal_of(request)
    libraries = screens.staff_libraries(p) if (p.staff_of or p.is_superuser) else []
    staff = bool(libraries)
    if not staff and not p.reader_of:  # a page that says so, not an error with its traceback in the log
        return render(request, "403.html", {"exception": _(
            "Only readers and staff of a member library ask for interlibrary loans.")}, status=403)
    edition_id = request.POST.get("edition") or request.GET.get("edition")
    edition = Edition.objects.filter(pk=edition_id).first() if str(edition_id or "").isdigit() else None
    asked = {"service": Service.COPY} if request.GET.get("service") == Service.COPY else None  # an article's page
    form = RequestForm(request.POST or None, libraries=libraries, staff=staff, initial=asked, edition=edition)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        citation = {k: d[k] for k in form.CITATION if d.get(k)}
        d.setdefault("max_cost", None)
        extra = {}
        if staff:
            extra = {"requester": next(lib for lib in libraries if lib.code == d["requester"]), "reader": d["reader"],
                     "reader_name": d["reader_name"], "reader_email": d["reader_email"],
                     "reader_phone": d["reader_phone"], "send": d["send"]}
        try:
            req = services.illrequest_create(
                actor=p, edition=edition, citation=citation or None, service=d["service"],
                page_count=d["page_count"], need_by=d["need_by"], max_cost=d["max_cost"],
                any_edition=d["any_edition"], accepts_digital=d["accepts_digital"], note=d["note"], **extra)
        except Invalid as exc:
            form.add_error(None, exc.message)
            for field, errors in exc.errors.items():
                if field in form.fields and field in form.cleaned_data:
                    for error in errors:
                        form.add_error(field, error)
        else:
            req.refresh_from_db()
            if req.state == lifecycle.Step.AwaitingApproval:
                messages.success(request, _("Your request was sent to %(library)s; its staff will approve it.")
                                 % {"library": req.requester.name})
            else:
                messages.success(request, _("Request %(id)s: %(state)s.") % {"id": req.pk,
                                                                              "state": state_label(req.state)})
            if staff:
                return redirect("ill_detail", pk=req.pk)
            return redirect("ill_my_detail", pk=req.pk)
    home = Library.objects.filter(pk=p.reader_of).first() if p.reader_of else (libraries[0] if libraries else None)
    return render(request, "ill/pages/new.html", {"form": form, "edition": edition, "staff": staff, "home": home,
                                                  "first": screens.first_lender(home, edition)})


# --- the reader's own ----------------------------------------------------------------------------------

@login_required
def my_requests(request):
    p = principal_of(request)
    page = Paginator(selectors.reader_requests(request.user), screens.PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    actions = selectors.page_actions(p, listed)
    rows = [{"req": req, "badge": screens.request_badge(req),
             "actions": action_forms.action_forms(req, [a for a in actions[req.pk] if a == "Cancel"])}
            for req in listed]
    return render(request, "ill/pages/my_requests.html", {
        "page": page, "rows": rows, "can_ask": bool(p.reader_of or p.staff_of)})


# --- the coordinator's figures -------------------------------------------------------------------------

@login_required
def network(request, code: str):
    net = get_object_or_404(Network, code=code)
    if not coordinates(principal_of(request), net):
        raise PermissionDenied(_("You do not coordinate %(network)s.") % {"network": net.name})
    period, errors = screens.period_from(request.GET)
    report = selectors.network_balance(net, period)
    if request.GET.get("csv") in ("members", "settlement"):
        return exports.network_csv(report, request.GET["csv"])
    members = []
    for row in report["members"]:
        members.append({**row, "credit": screens.rupiah(row["credit"]), "debit": screens.rupiah(row["debit"]),
                        "fill_pct": screens.percent(row["fill_rate"]),
                        "membership_label": Membership.State(row["membership"]).label,
                        "net_text": screens.rupiah(abs(row["net"])), "net_sign": (row["net"] > 0) - (row["net"] < 0)})
    transfers = [{**t, "amount": screens.rupiah(t["amount"])} for t in report["transfers"]]
    totals = {**report["totals"], "amount": screens.rupiah(report["totals"]["amount"]),
              "fill_pct": screens.percent(report["totals"]["fill_rate"])}
    return render(request, "ill/pages/network.html", {
        "network": net, "period": period, "errors": errors, "members": members, "transfers": transfers,
        "totals": totals, "months": screens.recent_months(),
    })
