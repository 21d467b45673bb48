"""What happens besides the change of state, action by action: the side effects hang off the table.

``EFFECTS`` maps an action of `core.ill.lifecycle.ACTIONS` to its handler.
A handler reads the action's parameters (refusing bad ones with `Invalid`),
updates the request's facts (due date, renewals, offers, the rota entry),
writes the ledger, names the notices to send and the follow-up actions the
hub takes at once (a lender served here accepts a cancellation before it has
committed itself; a status request is answered; the next lender is asked).
`message_for` then builds the ISO 18626 message the action sends.

Handlers never change ``state`` themselves: the service does, from the
table's decision (or, when the lender is done with, from `move_on`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from jaringan.core import iso18626 as core
from jaringan.core.agreements import Service as AgreementService
from jaringan.core.errors import Invalid
from jaringan.core.ill import lifecycle
from jaringan.core.iso18626.states import Party

from .. import conf, deliveries, ledger
from ..iso18626.agencies import peer_of
from ..iso18626.messages import request_message, requesting_message, supplying_message
from ..models import Delivery, IllRequest, Origin, RotaEntry, Service
from ..notices import notify

S, A = core.Status, core.Action


@dataclass
class Change:
    """One action being applied: its inputs and what the handler decides besides the state."""

    req: IllRequest
    decision: lifecycle.Decision
    role: lifecycle.Role
    params: dict
    note: str
    entry: RotaEntry | None
    actor_user_id: int | None
    remote: bool  # the action arrived in a message from another system
    #: Extra data for the ISO message (note, reason_unfilled, offered_cost, sent …).
    message_extra: dict = field(default_factory=dict)
    #: Actions the hub takes at once afterwards, as the system: [(action, params)].
    followups: list[tuple[str, dict]] = field(default_factory=list)
    #: The request's new state when it is not the table's ``to`` (the lender is done with).
    state: str | None = None
    event_note: str = ""
    send_message: bool = True


# --- parameters ---------------------------------------------------------------------------------

def _date(params: dict, name: str, *, required: bool = False, not_before: date | None = None) -> date | None:
    value = params.get(name)
    if value in (None, ""):
        if required:
            raise Invalid(_("Give the %(field)s.") % {"field": name}, errors={name: [_("Required.")]})
        return None
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    elif isinstance(value, str):
        parsed = parse_date(value) or (parse_datetime(value).date() if parse_datetime(value) else None)
        if parsed is None:
            raise Invalid(_("%(value)s is not a date.") % {"value": value}, errors={name: [_("Not a date.")]})
        value = parsed
    if not isinstance(value, date):
        raise Invalid(_("%(value)s is not a date.") % {"value": value}, errors={name: [_("Not a date.")]})
    if not_before and value < not_before:
        raise Invalid(_("The date %(value)s is already past.") % {"value": value}, errors={name: [_("Past.")]})
    return value


def _datetime(params: dict, name: str) -> datetime | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    day = _date(params, name)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _amount(params: dict, name: str) -> Decimal | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise Invalid(_("%(value)s is not an amount of rupiah.") % {"value": value},
                      errors={name: [_("Not an amount.")]})
    return amount.quantize(Decimal("1"))


def _count(params: dict, name: str) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = -1
    if n < 0:
        raise Invalid(_("%(value)s is not a number of pages.") % {"value": value},
                      errors={name: [_("Not a number.")]})
    return n


# --- the rota -----------------------------------------------------------------------------------

def move_on(c: Change, outcome: str, why: str = "") -> None:
    """The current lender is done with: ask the next one of the rota, or end the request ``Unfilled``.

    When the requester's Cancel was waiting (the table's decision then ends the
    request), it ends ``Cancelled`` and nobody else is asked.
    """
    req, now = c.req, timezone.now()
    if c.entry is not None:
        c.entry.outcome = outcome
        c.entry.answered_at = c.entry.answered_at or now
        c.entry.note = why or c.entry.note
        c.entry.save(update_fields=["outcome", "answered_at", "note"])
    req.cancel_pending = req.renewal_pending = False
    _clear_offer(req)
    if c.decision.ends_request:
        req.closed_at = now
        notify(req, "cancelled")
        return
    if req.origin == Origin.REMOTE:
        c.state = str(c.decision.to)  # the requester's own system asks its next lender
        req.closed_at = now
        return
    waiting = req.rota.filter(outcome=RotaEntry.Outcome.WAITING).exists()
    if waiting:
        c.state = str(lifecycle.Step.Validated)
        c.followups.append(("send", {}))
    else:
        c.state = str(S.Unfilled)
        req.closed_at = now
        notify(req, "unfilled", note=why)


def _today_unless_remote(c: Change) -> date | None:
    """Dates a person types may not be past; what another system reports is taken as it says."""
    return None if c.remote else timezone.localdate()


def _clear_offer(req: IllRequest) -> None:
    req.offered_cost = req.offered_after = req.offered_before = None
    req.offer_note = ""


def _answered(c: Change) -> None:
    if c.entry is not None and c.entry.answered_at is None:
        c.entry.answered_at = timezone.now()
        c.entry.save(update_fields=["answered_at"])


def _supplied(c: Change) -> None:
    if c.entry is not None:
        now = timezone.now()
        c.entry.outcome = RotaEntry.Outcome.SUPPLIED
        c.entry.answered_at = c.entry.answered_at or now
        c.entry.supplied_at = now
        c.entry.save()


# --- handlers -----------------------------------------------------------------------------------

def on_approve(c: Change) -> None:
    c.send_message = False
    notify(c.req, "approved")


def on_reject(c: Change) -> None:
    c.send_message = False
    c.req.closed_at = timezone.now()
    notify(c.req, "rejected", note=c.note)


def on_send(c: Change) -> None:
    req, entry, now = c.req, c.entry, timezone.now()
    req.supplier = entry.library
    req.rota_position = entry.position
    req.supplier_request_id = ""
    req.cancel_pending = req.renewal_pending = False
    _clear_offer(req)
    entry.outcome = RotaEntry.Outcome.ASKED
    entry.sent_at = now
    entry.answer_by = now + timedelta(days=conf.answer_days())
    entry.save(update_fields=["outcome", "sent_at", "answer_by"])
    c.event_note = c.event_note or (f"{entry.library.name}: {c.note}" if c.note else entry.library.name)
    answer_by = timezone.localtime(entry.answer_by).strftime("%Y-%m-%d")
    notify(req, "new_lending", answer_by=answer_by)


def on_confirm(c: Change) -> None:
    c.send_message = False


def on_refuse(c: Change) -> None:
    c.send_message = False
    move_on(c, RotaEntry.Outcome.REFUSED, c.note)


def on_timeout(c: Change) -> None:
    c.message_extra["note"] = _("No answer by the deadline; the request goes to another library.")
    move_on(c, RotaEntry.Outcome.TIMEOUT, c.note)


def on_expect(c: Change) -> None:
    _answered(c)


def on_loaned(c: Change) -> None:
    req = c.req
    req.due_date = _date(c.params, "due_date", not_before=_today_unless_remote(c)) or req.due_date or (
        timezone.localdate() + timedelta(days=conf.loan_days()))
    _answered(c)
    _supplied(c)
    if c.entry is not None:
        ledger.record_supply(req, c.entry, service=AgreementService.LOAN)
        c.entry.save(update_fields=["quote", "cost"])
    c.message_extra.update(sent=True, sent_via=str(c.params.get("sent_via") or ""))
    notify(req, "shipped")


def on_copy_completed(c: Change) -> None:
    req = c.req
    pages = _count(c.params, "pages")
    if pages is None:
        pages = req.page_count
    scan = c.params.get("scan")
    digital = scan is not None or (c.remote and str(c.params.get("sent_via") or "").upper() == "URL")
    delivery = None
    if not c.remote:
        if scan is None and not c.params.get("posted"):
            raise Invalid(_("Upload the scan, or say the photocopy was posted."),
                          errors={"scan": [_("A scan or a posted photocopy is needed.")]})
        if scan is not None and req.origin == Origin.REMOTE and not conf.base_url():
            raise Invalid(_("A scan for a library on another system travels as a link to this hub, and this hub "
                            "does not know its own address (JARINGAN_BASE_URL); post the photocopy instead."),
                          errors={"scan": [_("This hub's address is not set.")]})
        if scan is not None:
            delivery = deliveries.store_scan(request=req, scan=scan, pages=pages, actor_user_id=c.actor_user_id)
        else:
            delivery = Delivery.objects.create(request=req, method=Delivery.Method.POST, pages=pages,
                                               note=c.note, created_by_id=c.actor_user_id)
    elif digital and c.params.get("url"):
        delivery = deliveries.store_link(request=req, url=str(c.params["url"]), pages=pages)
    _answered(c)
    _supplied(c)
    if c.entry is not None:
        ledger.record_supply(req, c.entry, service=AgreementService.COPY, pages=pages, digital=digital)
        c.entry.save(update_fields=["quote", "cost"])
    req.closed_at = timezone.now()
    c.message_extra.update(sent=True, sent_via="URL" if digital else "Post")
    if delivery is not None and delivery.method == Delivery.Method.FILE and req.origin == Origin.REMOTE:
        # The requesting library's system fetches the scan from this hub, until the same expiry.
        until = timezone.localtime(delivery.expires).strftime("%Y-%m-%d %H:%M %Z")
        c.message_extra.update(item_id=deliveries.peer_link(delivery),
                               delivered_format=(Path(delivery.filename).suffix.lstrip(".").upper() or "PDF"),
                               note=" ".join(filter(None, [c.note, f"Available until {until}."])))
        return
    if delivery is not None and delivery.method in (Delivery.Method.FILE, Delivery.Method.LINK):
        notify(req, "copy_ready", link=deliveries.link(delivery),
               expires=timezone.localtime(delivery.expires).strftime("%Y-%m-%d"))
    else:
        notify(req, "copy_posted")


def on_retry_possible(c: Change) -> None:
    req = c.req
    cost = _amount(c.params, "offered_cost")
    after = _datetime(c.params, "retry_after")
    before = _datetime(c.params, "retry_before")
    if cost is None and after is None and not c.note:
        raise Invalid(_("Say the condition: a cost, a date from which it can be supplied, or a note."),
                      errors={"offered_cost": [_("Give a cost, a date or a note.")]})
    req.offered_cost, req.offered_after, req.offered_before, req.offer_note = cost, after, before, c.note
    _answered(c)
    c.message_extra.update(offered_cost=cost, retry_after=after, retry_before=before)
    conditions = []
    if cost is not None:
        conditions.append(_("a cost of Rp %(amount)s") % {"amount": f"{int(cost):,}".replace(",", ".")})
    if after is not None:
        conditions.append(_("not before %(day)s") % {"day": timezone.localdate(after).isoformat()})
    if c.note:
        conditions.append(c.note)
    notify(req, "conditions", conditions="; ".join(conditions) + ".")


def on_unfilled(c: Change) -> None:
    reason = str(c.params.get("reason") or "").strip()
    c.message_extra["reason_unfilled"] = reason
    move_on(c, RotaEntry.Outcome.UNFILLED, c.note or reason)


def on_cancelled(c: Change) -> None:
    if c.decision.ends_request:
        c.message_extra["answer"] = True
        move_on(c, RotaEntry.Outcome.CANCELLED, c.note)
    else:
        c.message_extra["answer"] = None
        c.message_extra["reason"] = core.ReasonForMessage.StatusChange
        move_on(c, RotaEntry.Outcome.UNFILLED, c.note)


def on_overdue(c: Change) -> None:
    notify(c.req, "overdue")


def on_recalled(c: Change) -> None:
    due = _date(c.params, "due_date", not_before=_today_unless_remote(c))
    if due is not None:
        c.req.due_date = due
    notify(c.req, "recalled")


def on_completed(c: Change) -> None:
    c.req.renewal_pending = False
    c.req.closed_at = timezone.now()


def on_grant_renewal(c: Change) -> None:
    req = c.req
    base = max(req.due_date or timezone.localdate(), timezone.localdate())
    req.due_date = _date(c.params, "due_date", not_before=_today_unless_remote(c)) or (
        base + timedelta(days=conf.renewal_days()))
    req.renewals += 1
    req.renewal_pending = False
    notify(req, "renewed")


def on_refuse_renewal(c: Change) -> None:
    c.req.renewal_pending = False
    notify(c.req, "renewal_refused")


def on_refuse_cancel(c: Change) -> None:
    c.req.cancel_pending = False


def on_answer_status(c: Change) -> None:
    due = _date(c.params, "due_date")
    if due is not None:
        c.req.due_date = due


def on_received(c: Change) -> None:
    c.req.received_at = timezone.now()
    if c.req.service != Service.COPY:
        notify(c.req, "arrived")


def on_shipped_return(c: Change) -> None:
    c.req.returned_at = timezone.now()
    notify(c.req, "returned")


def on_renew(c: Change) -> None:
    c.req.renewal_pending = True
    notify(c.req, "renewal_asked")


def on_cancel(c: Change) -> None:
    req = c.req
    if c.decision.ends_request:
        req.closed_at = timezone.now()
        if c.decision.event is None:  # nothing was sent yet: nothing to tell a lender
            c.send_message = False
        elif c.entry is not None:  # conditions offered, declined for good
            c.entry.outcome = RotaEntry.Outcome.CANCELLED
            c.entry.answered_at = timezone.now()
            c.entry.save(update_fields=["outcome", "answered_at"])
        _clear_offer(req)
        notify(req, "cancelled")
        return
    req.cancel_pending = True
    notify(req, "cancel_asked")
    if _served_here(req.supplier) and c.decision.source in (S.RequestReceived, S.ExpectToSupply):
        c.followups.append((str(S.Cancelled), {}))  # nothing committed yet: accepted at once


def on_status_request(c: Change) -> None:
    if _served_here(c.req.supplier):
        c.followups.append(("answer_status", {}))


def on_accept_conditions(c: Change) -> None:
    req = c.req
    if req.offered_cost is not None and (req.max_cost is None or req.offered_cost > req.max_cost):
        req.max_cost = req.offered_cost
    if req.offered_after is not None:
        day = timezone.localdate(req.offered_after)
        if req.need_by is None or day > req.need_by:
            req.need_by = day
    _clear_offer(req)
    if c.entry is not None:
        c.entry.answer_by = timezone.now() + timedelta(days=conf.answer_days())
        c.entry.save(update_fields=["answer_by"])


def on_decline_conditions(c: Change) -> None:
    move_on(c, RotaEntry.Outcome.DECLINED, c.note)


def _served_here(library) -> bool:
    return library is not None and peer_of(library) is None


EFFECTS = {
    "approve": on_approve,
    "reject": on_reject,
    "send": on_send,
    "confirm": on_confirm,
    "refuse": on_refuse,
    "timeout": on_timeout,
    str(S.ExpectToSupply): on_expect,
    str(S.WillSupply): on_expect,
    str(S.Loaned): on_loaned,
    str(S.CopyCompleted): on_copy_completed,
    str(S.RetryPossible): on_retry_possible,
    str(S.Unfilled): on_unfilled,
    str(S.Cancelled): on_cancelled,
    str(S.Overdue): on_overdue,
    str(S.Recalled): on_recalled,
    str(S.LoanCompleted): on_completed,
    str(S.CompletedWithoutReturn): on_completed,
    "grant_renewal": on_grant_renewal,
    "refuse_renewal": on_refuse_renewal,
    "refuse_cancel": on_refuse_cancel,
    "answer_status": on_answer_status,
    str(A.Received): on_received,
    str(A.ShippedReturn): on_shipped_return,
    str(A.Renew): on_renew,
    str(A.Cancel): on_cancel,
    str(A.StatusRequest): on_status_request,
    str(A.Notification): lambda c: None,
    "accept_conditions": on_accept_conditions,
    "decline_conditions": on_decline_conditions,
}


# --- the message an action sends -------------------------------------------------------------

def message_for(c: Change, *, service: str):
    """The ISO 18626 message ``c`` sends to the other party, or None."""
    if not c.send_message:
        return None
    row, decision, req = c.decision.row, c.decision, c.req
    extra = dict(c.message_extra)
    note = extra.pop("note", None) or c.note
    if row.name == "send":
        return request_message(req, service=service)
    if row.name == "accept_conditions":
        return request_message(req, service=service, retry=True)
    if row.name == "timeout":
        return requesting_message(req, action=str(A.Cancel), note=note)
    if decision.event is None:
        return None
    if row.party is Party.requester:
        return requesting_message(req, action=str(decision.event), note=note)
    reason = extra.pop("reason", None) or row.reason or (
        core.ReasonForMessage.RequestResponse if decision.source == S.RequestReceived
        else core.ReasonForMessage.StatusChange)
    answer = extra.pop("answer", row.answer)
    # The supplier's own status (the request may end otherwise: Unfilled while a Cancel waited ends it Cancelled).
    return supplying_message(req, status=str(decision.event), reason=reason, answer=answer, note=note, **extra)
