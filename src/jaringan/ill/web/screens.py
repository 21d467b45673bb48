"""What the interlibrary loan pages show beyond the engine's selectors.

* amounts and rates as words, a state's badge, the states of a queue;
* which libraries a person works the queues of, and on which side of a request;
* a request's history and its messages to other systems, in words;
* a library's ledger lines and a report period.

Beside it: `reasons` (the rota's reasons and quotes as sentences),
`action_forms` (the form of each action), `printing` (pull slips and
shipping labels). Reads only: every write goes through `services`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jaringan.catalog.models import SourceRecord
from jaringan.core.ill import fees, lifecycle
from jaringan.core.ill.fees import Period
from jaringan.network import reach
from jaringan.network.models import Library
from jaringan.network.permissions import Principal

from .. import ledger
from ..models import IllRequest, LedgerEntry, RotaEntry
from ..texts import RETURNING, RETURNING_STATES, action_label, delivery_info, state_label

#: A CSS class per state, for its badge (``active`` goes well, ``rejected`` ended badly, ``applied`` waits).
STATE_BADGE = {
    "AwaitingApproval": "applied", "Validated": "applied", "Sent": "applied", "RequestReceived": "applied",
    "RetryPossible": "applied", "ExpectToSupply": "active", "WillSupply": "active", "Loaned": "active",
    "CopyCompleted": "active", "LoanCompleted": "active", "Rejected": "rejected", "Unfilled": "rejected",
    "Cancelled": "rejected", "Overdue": "rejected", "Recalled": "rejected", "CompletedWithoutReturn": "rejected",
}
#: Rows of a queue page.
PAGE_SIZE = 25


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


# --- history and messages ------------------------------------------------------------------------------

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


# --- the ledger and the report period -----------------------------------------------------------------------

def library_ledger(library: Library, *, limit: int = 200) -> list[dict]:
    """The latest ledger lines of ``library``, each as what it is owed (+) or owes (−)."""
    rows = (LedgerEntry.objects.filter(Q(debtor=library) | Q(creditor=library))
            .select_related("debtor", "creditor", "request", "reciprocal_loan").order_by("-on", "-id")[:limit])
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
        ledger.RECIPROCAL_FEE: _("fee for an item lent to a visiting reader"),
        ledger.DEPOSIT: _("deposit held while a visiting reader's item is out"),
        ledger.DEPOSIT_BACK: _("deposit owed back: the visitor's item returned"),
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




def first_lender(home, edition) -> dict | None:
    """Who would likely be asked first for a loan (else a copy) of the edition, and about what it costs, by the
    fee and distance rule of the rota (`network.reach`); None when no member the home library may ask holds it.
    The rota decides when the request is sent: it also weighs each lender's fill rate, load and balance."""
    if home is None or edition is None:
        return None
    held = dict(SourceRecord.objects.filter(edition=edition, withdrawn=False)
                .values_list("library__code", "library__name"))
    routes = reach.reach_of(home)
    if routes[home.code].kind == reach.HOME and home.code in held:
        return {"home": True, "name": home.name}
    best = next((r for r in routes.ordered(held) if r.kind in (reach.LOAN, reach.COPY)), None)
    if best is None:
        return None
    return {"home": False, "name": held[best.library], "copy": best.kind == reach.COPY, "cost": rupiah(best.cost),
            "why": reach.route_sentence(best)}
