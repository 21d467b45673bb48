"""What the interlibrary loan pages show beyond the engine's selectors.

* sentences for the routing core's reason codes (why a lender stands where it
  does in the rota, or why it was left out) and for the lines of a quote;
* the fields each action's form asks for (a due date, a conditional offer, a
  scan …), for the buttons of `selectors.available_actions`;
* which libraries a person works the queues of, and the requests a print
  batch (pull slips, shipping labels) holds;
* a library's ledger lines, a report period, and a Code 39 barcode of a
  request's number for its label.

Reads only: every write goes through `services`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from jaringan.core.ill import fees, lifecycle
from jaringan.core.ill import routing as core_routing
from jaringan.core.ill.fees import Period
from jaringan.errors import Invalid
from jaringan.network.models import Agreement, Library
from jaringan.network.permissions import Principal
from jaringan.network.texts import REFUSAL_LABELS

from .. import conf
from ..models import IllRequest, LedgerEntry, RotaEntry
from ..texts import (
    REASON_LABELS,
    RETURNING,
    RETURNING_STATES,
    action_label,
    button_label,
    delivery_info,
    state_label,
)

#: A CSS class per state, for its badge (``active`` goes well, ``rejected`` ended badly, ``applied`` waits).
STATE_BADGE = {
    "AwaitingApproval": "applied", "Validated": "applied", "Sent": "applied", "RequestReceived": "applied",
    "RetryPossible": "applied", "ExpectToSupply": "active", "WillSupply": "active", "Loaned": "active",
    "CopyCompleted": "active", "LoanCompleted": "active", "Rejected": "rejected", "Unfilled": "rejected",
    "Cancelled": "rejected", "Overdue": "rejected", "Recalled": "rejected", "CompletedWithoutReturn": "rejected",
}
#: Actions shown as red buttons: they end or refuse something.
DANGER = frozenset({"reject", "Unfilled", "Cancel", "Cancelled", "decline_conditions", "refuse_renewal",
                    "refuse_cancel", "CompletedWithoutReturn", "Recalled"})
#: Actions whose form needs more than a note: the queue links to the request's page for them.
NEEDS_DETAIL = frozenset({"CopyCompleted", "RetryPossible", "Notification", "Recalled"})
#: Rows of a queue page.
PAGE_SIZE = 25
#: Requests one print batch holds at most.
PRINT_MAX = 100

# ISO 18626 reasonUnfilled values a lender picks from (an open list; the value travels in the message).
REASONS_UNFILLED = [
    ("NotOnShelf", gettext_lazy("not on the shelf")),
    ("InUse", gettext_lazy("on loan to someone else")),
    ("NonCirculating", gettext_lazy("does not circulate")),
    ("NotHeld", gettext_lazy("not held after all")),
    ("PoorCondition", gettext_lazy("too fragile or damaged to send")),
    ("Lost", gettext_lazy("lost or missing")),
    ("PolicyProblem", gettext_lazy("our rules do not allow it")),
]


def rupiah(amount) -> str:
    """``Rp 12.500`` (the separator of the language in use)."""
    if amount is None:
        return "—"
    return "Rp " + number_format(int(amount), 0, force_grouping=True)


def percent(rate) -> str:
    """0.667 → ``67%``; None (nothing asked) → ``—``."""
    return "—" if rate is None else f"{number_format(100 * float(rate), 0)}%"


def state_badge(state: str) -> dict:
    return {"state": state, "label": state_label(state), "css": STATE_BADGE.get(state, "")}


def request_badge(req: IllRequest) -> dict:
    """The request's state as both sides read it: a loan posted back says so until the lender checks it in."""
    if req.returned_at is not None and req.state in RETURNING_STATES:
        return {"state": req.state, "label": str(RETURNING), "css": "applied returning"}
    return state_badge(req.state)


def state_rows(counts: dict[str, int]) -> list[dict]:
    """Every state with requests, in the lifecycle's order: the ISO name, its label and the count."""
    return [{**state_badge(s), "count": counts[s]} for s in lifecycle.all_states() if counts.get(s)]


# --- whose queues --------------------------------------------------------------------------------------

def staff_libraries(principal: Principal) -> list[Library]:
    """The libraries whose queues ``principal`` works (a superuser: every library served here)."""
    if principal.is_superuser:
        return list(Library.objects.filter(iso18626_peer__isnull=True).order_by("name"))
    return list(Library.objects.filter(pk__in=principal.staff_of).order_by("name"))


def works_for(principal: Principal, library: Library) -> bool:
    return principal.is_superuser or library.pk in principal.staff_of


def staff_side(principal: Principal, req: IllRequest) -> bool:
    """Whether ``principal`` sees ``req`` as staff: of its requester, its lender, or a lender asked before."""
    if principal.is_superuser:
        return True
    if not principal.staff_of:
        return False
    if {req.requester_id, req.supplier_id} & set(principal.staff_of):
        return True
    return RotaEntry.objects.filter(request=req, library_id__in=principal.staff_of).exclude(
        outcome=RotaEntry.Outcome.WAITING).exists()


def print_batch(library: Library, *, side: str, ids: list[int] | None = None,
                state: str | None = None) -> list[IllRequest]:
    """Requests of ``library``'s lending (or borrowing) side to print: the ids named, or those in ``state``."""
    field = "supplier" if side == "lending" else "requester"
    qs = IllRequest.objects.filter(**{field: library}).select_related("requester", "supplier", "reader", "edition")
    if side == "lending":
        qs = qs.exclude(state__in=[str(lifecycle.Step.AwaitingApproval), str(lifecycle.Step.Validated),
                                   str(lifecycle.Step.Rejected)])
    if ids:
        qs = qs.filter(pk__in=ids)
    elif state:
        qs = qs.filter(state=state)
    else:
        return []
    return list(qs.order_by("pk")[:PRINT_MAX])


def shelf_marks(req: IllRequest) -> list[dict]:
    """Where the lender keeps the item: call numbers and locations of its records of the edition (or work)."""
    from jaringan.catalog.models import Edition, SourceRecord

    if req.supplier_id is None or req.edition_id is None:
        return []
    editions = [req.edition_id]
    if req.any_edition and req.edition.work_id:
        editions += list(Edition.objects.filter(work_id=req.edition.work_id).values_list("pk", flat=True)[:200])
    out = []
    for record in SourceRecord.objects.filter(library_id=req.supplier_id, edition_id__in=editions, withdrawn=False):
        for line in (record.data or {}).get("holdings") or [{}]:
            out.append({"call_number": line.get("call_number") or "", "location": line.get("location") or "",
                        "record": record.source_id, "exact": record.edition_id == req.edition_id})
    return out


def label_parties(req: IllRequest, side: str) -> tuple[Library | None, Library | None]:
    """(sender, recipient) of a parcel: the lender ships to the requester; a return goes back."""
    if side == "lending":
        return req.supplier, req.requester
    return req.requester, req.supplier


# --- the rota and its reasons ----------------------------------------------------------------------------

def _days(value) -> str:
    return number_format(value, 1) if value is not None else "—"


def _delivery_word(delivery: str) -> str:
    return _("as a scan") if delivery == core_routing.DIGITAL else _("by post or courier")


def reason_sentence(reason: dict) -> str:
    """One component of a lender's score as a sentence with its figures."""
    code, p = reason.get("code"), reason.get("params") or {}
    if code == core_routing.HOLDINGS:
        n = int(p.get("items") or 0)
        return ngettext("Holds %(n)s copy.", "Holds %(n)s copies.", n) % {"n": n}
    if code == core_routing.FILL_RATE:
        return _("Supplied %(filled)s of the %(asked)s requests it received in the last year; "
                 "its expected fill rate is %(rate)s%%.") % {
            "filled": p.get("filled", 0), "asked": p.get("asked", 0),
            "rate": number_format(100 * float(p.get("rate") or 0), 0)}
    if code == core_routing.EDITION:
        return _("Holds another edition of the work, not the one asked for.")
    if code == core_routing.DISTANCE:
        crossings = int(p.get("crossings") or 0)
        sea = ngettext("%(n)s sea crossing", "%(n)s sea crossings", crossings) % {"n": crossings}
        if p.get("km") is None:
            return _("Distance unknown (%(sea)s); sent %(how)s.") % {
                "sea": sea, "how": _delivery_word(p.get("delivery"))}
        return _("%(km)s km away with %(sea)s; sent %(how)s.") % {
            "km": number_format(p["km"], 0, force_grouping=True), "sea": sea, "how": _delivery_word(p.get("delivery"))}
    if code == core_routing.LOAD:
        return _("Has %(open)s lending requests open, for room for about %(capacity)s.") % {
            "open": p.get("open", 0), "capacity": number_format(p.get("capacity") or 0, 0)}
    if code == core_routing.BALANCE:
        return _("Lent %(lent)s and borrowed %(borrowed)s in the last year; a library that lends more "
                 "than it borrows is asked a little less.") % {
            "lent": p.get("lent", 0), "borrowed": p.get("borrowed", 0)}
    if code == core_routing.FEE:
        text = _("Costs the requesting library %(cost)s under the agreement.") % {"cost": rupiah(p.get("cost") or 0)}
        if p.get("shipping_agreed") is False:
            text += " " + _("Shipping is not priced by the agreement: it is paid at cost.")
        return text
    if code == core_routing.TURNAROUND:
        if p.get("median_days") is None:
            return _("Has not shipped through the network yet; about %(days)s days to ship are assumed.") % {
                "days": _days(p.get("expected_days"))}
        return _("Shipped in %(median)s days (median of %(n)s shipments); about %(days)s days are expected.") % {
            "median": _days(p.get("median_days")), "n": p.get("shipments", 0), "days": _days(p.get("expected_days"))}
    return str(REASON_LABELS.get(code, code))


def excluded_sentence(x: dict, agreement_titles: dict[int, str] | None = None) -> str:
    """Why a library was left out of the rota, as a sentence."""
    code, p = x.get("code"), x.get("params") or {}
    if code == core_routing.SAME_LIBRARY:
        return _("It is the requesting library itself.")
    if code == core_routing.ALREADY_ASKED:
        return _("It was already asked for this request.")
    if code == core_routing.NOT_HELD:
        return _("It holds no copy to lend.")
    if code == core_routing.SERVICE_NOT_OFFERED:
        return _("It does not offer this service (%(service)s).") % {"service": p.get("service", "")}
    if code == core_routing.NOT_COVERED:
        why = []
        for refusal in p.get("refusals") or []:
            reason = str(REFUSAL_LABELS.get(refusal.get("reason"), refusal.get("reason")))
            title = (agreement_titles or {}).get(refusal.get("agreement_id"))
            why.append(f"{title}: {reason}" if title else reason)
        return _("No agreement covers a request from this library to it.") + (" " + " ".join(why) if why else "")
    if code == core_routing.OVER_MAX_COST:
        return _("It would cost %(cost)s, more than the most of %(max)s the requesting library will pay.") % {
            "cost": rupiah(p.get("cost")), "max": rupiah(p.get("max"))}
    return str(REASON_LABELS.get(code, code))


def quote_sentence(line: dict) -> str:
    """One line of a quote (fee or shipping) as words."""
    code, p = line.get("code"), line.get("params") or {}
    km = p.get("km")
    distance = _("%(km)s km") % {"km": number_format(km, 0, force_grouping=True)} if km is not None \
        else _("distance unknown")
    payer = {"requester": _("paid by the requesting library"), "supplier": _("paid by the lender"),
             "shared": _("shared half and half")}.get(p.get("paid_by"), "")
    if code == fees.LOAN_FEE:
        text = _("Loan fee")
    elif code == fees.COPY_FEE:
        text = _("Copy fee: %(pages)s pages at Rp %(per_page)s") % {
            "pages": p.get("pages", 0), "per_page": p.get("per_page", "0")}
    elif code == fees.SHIPPING_OUT:
        text = _("Shipping to the requesting library (%(distance)s), %(payer)s") % {
            "distance": distance, "payer": payer}
    elif code == fees.SHIPPING_RETURN:
        text = _("Shipping back to the lender (%(distance)s), %(payer)s") % {"distance": distance, "payer": payer}
    elif code == fees.SHIPPING_NOT_AGREED:
        return _("Shipping (%(distance)s) is not priced by the agreement: paid at cost.") % {"distance": distance}
    else:
        text = str(code)
    if p.get("free") and code in (fees.LOAN_FEE, fees.COPY_FEE):
        text += " — " + _("waived: within the agreement's free requests this year")
    return f"{text}: {rupiah(line.get('amount', 0))}"


def rota_rows(entries: list[RotaEntry]) -> list[dict]:
    """The rota, each lender with the sentences of its reasons and its quote."""
    from ..texts import OUTCOME_LABELS

    rows = []
    for e in entries:
        rows.append({
            "entry": e,
            "outcome": str(OUTCOME_LABELS.get(e.outcome, e.outcome)),
            "reasons": [{"sentence": reason_sentence(r), "points": r.get("points", 0), "code": r.get("code")}
                        for r in e.reasons],
            "quote": [quote_sentence(line) for line in e.quote],
            "cost": rupiah(e.cost),
        })
    return rows


def excluded_rows(excluded: list[dict]) -> list[dict]:
    ids = {r.get("agreement_id") for x in excluded for r in (x.get("params") or {}).get("refusals") or []}
    titles = dict(Agreement.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "title"))
    names = dict(Library.objects.filter(code__in=[x.get("library") for x in excluded if x.get("library")])
                 .values_list("code", "name"))
    return [{"code": x.get("library"), "name": names.get(x.get("library"), x.get("library")),
             "sentence": excluded_sentence(x, titles)} for x in excluded]


def _event_label(action: str) -> str:
    if action == "route":  # a step of the service, not an action of the table
        return _("lenders ranked")
    return action_label(action)


def history_rows(events) -> list[dict]:
    out = []
    for e in events:
        if e.actor_kind == "system":
            actor = _("this system")
        elif e.actor_kind == "remote":
            actor = _("another system (%(name)s)") % {"name": e.actor_label}
        elif e.actor_id:
            actor = e.actor.get_full_name() or e.actor.get_username()
        else:
            actor = e.actor_label
        out.append({"e": e, "actor": actor, "action": _event_label(e.action),
                    "from": state_badge(e.from_state) if e.from_state else None, "to": state_badge(e.to_state)})
    return out


def outbox_rows(messages, events) -> list[dict]:
    """The messages to other systems and how each travels: what it says (the action that sent it), to whom,
    its delivery state, the next try and why the last one failed, in words."""
    said = {e.message_id: _event_label(e.action) for e in events if e.message_id}
    rows = []
    for m in messages:
        info = delivery_info(m)
        if info is not None:
            rows.append({"m": m, "what": said.get(m.pk, _("a message")), "to": m.peer.library.name, **info})
    return rows


# --- the forms of the actions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"  # text, date, number, file, checkbox, select
    value: str = ""
    choices: tuple = ()
    required: bool = False


def _action_fields(req: IllRequest, action: str, waiting: list[RotaEntry]) -> list[Field]:
    today = timezone.localdate()
    if action == "send":
        choices = tuple((e.library.code, f"{e.position}. {e.library.name}") for e in waiting)
        return [Field("lender", _("Lender to ask"), "select", waiting[0].library.code if waiting else "",
                      choices=choices + (("", _("another library (code below)")),)),
                Field("lender_code", _("or another library's code"))]
    if action == "Loaned":
        return [Field("due_date", _("Due date"), "date", (today + timedelta(days=conf.loan_days())).isoformat()),
                Field("sent_via", _("Sent by (courier, tracking number)"))]
    if action == "grant_renewal":
        base = max(req.due_date or today, today)
        return [Field("due_date", _("New due date"), "date", (base + timedelta(days=conf.renewal_days())).isoformat())]
    if action == "Recalled":
        return [Field("due_date", _("Return by"), "date", (today + timedelta(days=7)).isoformat()),
                Field("confirm_recall", _("Yes, ask the borrower to send the item back by this date"), "checkbox",
                      required=True)]
    if action == "RetryPossible":
        return [Field("offered_cost", _("Cost you would supply it for (Rp)"), "number"),
                Field("retry_after", _("Can be supplied from"), "date"),
                Field("retry_before", _("Offer open until"), "date")]
    if action == "Unfilled":
        return [Field("reason", _("Reason"), "select", "NotOnShelf", choices=tuple(
            (code, str(label)) for code, label in REASONS_UNFILLED))]
    if action == "CopyCompleted":
        pages = str(req.page_count) if req.page_count else ""
        return [Field("scan", _("Scan (PDF or image)"), "file"), Field("pages", _("Pages copied"), "number", pages),
                Field("posted", _("No scan: the photocopy was posted"), "checkbox")]
    return []


def action_forms(req: IllRequest, actions: list[str]) -> list[dict]:
    """One small form per action open to the person: its button, its fields, whether it uploads a file."""
    waiting = []
    if "send" in actions:
        waiting = list(req.rota.filter(outcome=RotaEntry.Outcome.WAITING).select_related("library")
                       .order_by("position"))
    out = []
    for action in actions:
        fields = _action_fields(req, action, waiting)
        out.append({
            "action": action, "label": button_label(action), "danger": action in DANGER,
            "fields": fields, "multipart": any(f.type == "file" for f in fields),
            "simple": action not in NEEDS_DETAIL,
        })
    return out


#: The parameters each action's form may send to the service (the note always goes).
ACTION_PARAMS = {
    "Loaned": ("due_date", "sent_via"),
    "grant_renewal": ("due_date",),
    "Recalled": ("due_date",),
    "RetryPossible": ("offered_cost", "retry_after", "retry_before"),
    "Unfilled": ("reason",),
    "CopyCompleted": ("pages", "posted", "scan"),
}


def action_params(action: str, data, files) -> dict:
    """The service's parameters from a submitted action form (empty values left out)."""
    params = {}
    if action == "Recalled" and not data.get("confirm_recall"):  # a recall cuts a reader's loan short
        raise Invalid(_("Tick the box to confirm the recall: nothing was sent."))
    for name in ACTION_PARAMS.get(action, ()):
        if name == "scan":
            if files.get("scan") is not None:
                params["scan"] = files["scan"]
        elif name == "posted":
            if data.get("posted"):
                params["posted"] = True
        else:
            value = (data.get(name) or "").strip()
            if value:
                params[name] = value[:200]
    return params


# --- the ledger and the report period -----------------------------------------------------------------------

def library_ledger(library: Library, *, limit: int = 200) -> list[dict]:
    """The latest ledger lines of ``library``, each as what it is owed (+) or owes (−)."""
    rows = (LedgerEntry.objects.filter(Q(debtor=library) | Q(creditor=library))
            .select_related("debtor", "creditor", "request").order_by("-on", "-id")[:limit])
    out = []
    for e in rows:
        owed = e.creditor_id == library.pk
        out.append({"e": e, "other": e.debtor if owed else e.creditor, "owed": owed,
                    "amount": rupiah(e.amount), "line": ledger_line_label(e.line)})
    return out


def ledger_line_label(line: str) -> str:
    return {
        fees.LOAN_FEE: _("loan fee"), fees.COPY_FEE: _("copy fee"),
        fees.SHIPPING_OUT: _("shipping to the requesting library"), fees.SHIPPING_RETURN: _("shipping back"),
    }.get(line, line)


def month_period(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last))


def _day(value: str) -> date | None:
    try:
        return parse_date(value.strip())
    except ValueError:  # well formed, but no such day (2025-02-30)
        return None


def period_from(data) -> tuple[Period, list[str]]:
    """The period a report asks for (``start``/``end``, or ``month`` YYYY-MM); this month by default."""
    errors = []
    month = (data.get("month") or "").strip()
    if month:
        day = _day(f"{month}-01") if len(month) == 7 else None
        if day is not None:
            return month_period(day), errors
        errors.append(_("%(value)s is not a month (YYYY-MM).") % {"value": month})
    start, end = _day(data.get("start") or ""), _day(data.get("end") or "")
    if start and end:
        if end >= start:
            return Period(start, end), errors
        errors.append(_("The period ends before it starts."))
    elif data.get("start") or data.get("end"):
        errors.append(_("Give the first and the last day of the period (YYYY-MM-DD)."))
    return month_period(timezone.localdate()), errors


def recent_months(n: int = 6) -> list[dict]:
    """The last ``n`` months (this one first), for links to their settlement."""
    day = timezone.localdate().replace(day=1)
    out = []
    for _i in range(n):
        out.append({"value": f"{day:%Y-%m}", "period": month_period(day)})
        day = (day - timedelta(days=1)).replace(day=1)
    return out


# --- the label's barcode --------------------------------------------------------------------------------------

#: Code 39: each character's nine elements (bar, space, bar …), n narrow and w wide.
_CODE39 = {
    "0": "nnnwwnwnn", "1": "wnnwnnnnw", "2": "nnwwnnnnw", "3": "wnwwnnnnn", "4": "nnnwwnnnw",
    "5": "wnnwwnnnn", "6": "nnwwwnnnn", "7": "nnnwnnwnw", "8": "wnnwnnwnn", "9": "nnwwnnwnn",
    "-": "nwnnnnwnw", "*": "nwnnwnwnn",
}
#: Width of a wide element in narrow ones.
WIDE = 3


def code39(text: str) -> dict:
    """The bars of ``*text*`` in Code 39 (digits and '-'), as x offsets and widths in narrow units."""
    bars, x = [], 0
    for char in f"*{text}*":
        pattern = _CODE39[char]
        for i, element in enumerate(pattern):
            width = WIDE if element == "w" else 1
            if i % 2 == 0:
                bars.append((x, width))
            x += width
        x += 1  # the narrow gap between characters
    return {"bars": bars, "width": x - 1}


def label_number(req: IllRequest) -> str:
    """The number on a request's label and slip: its id, zero-padded to read and scan well."""
    return f"{req.pk:08d}"
