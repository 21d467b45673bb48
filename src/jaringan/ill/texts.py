"""Words for the interlibrary loan vocabulary: states, actions, rota reasons, in both languages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STATE_LABELS = {
    "AwaitingApproval": _("Waiting for the library's approval"),
    "Validated": _("Approved, to be sent"),
    "Sent": _("Sent to the lender's system"),
    "Rejected": _("Not approved"),
    "RequestReceived": _("Received by the lender"),
    "ExpectToSupply": _("The lender expects to supply"),
    "WillSupply": _("The lender will supply"),
    "Loaned": _("Loaned"),
    "Overdue": _("Overdue"),
    "Recalled": _("Recalled"),
    "RetryPossible": _("Offered on conditions"),
    "Unfilled": _("Could not be supplied"),
    "CopyCompleted": _("Copy delivered"),
    "LoanCompleted": _("Returned"),
    "CompletedWithoutReturn": _("Ended without return"),
    "Cancelled": _("Cancelled"),
}

ACTION_LABELS = {
    "create": _("asked"),
    "receive": _("received from another system"),
    "approve": _("approve"),
    "reject": _("reject"),
    "send": _("send to the lender"),
    "confirm": _("confirmed by the lender's system"),
    "refuse": _("refused by the lender's system"),
    "timeout": _("no answer in time"),
    "ExpectToSupply": _("expect to supply"),
    "WillSupply": _("will supply"),
    "Loaned": _("loaned (shipped)"),
    "CopyCompleted": _("copy delivered"),
    "RetryPossible": _("offer on conditions"),
    "Unfilled": _("cannot supply"),
    "Cancelled": _("cancel"),
    "Overdue": _("overdue"),
    "Recalled": _("recall"),
    "LoanCompleted": _("checked in"),
    "CompletedWithoutReturn": _("end without return"),
    "grant_renewal": _("grant the renewal"),
    "refuse_renewal": _("refuse the renewal"),
    "refuse_cancel": _("refuse the cancellation"),
    "answer_status": _("answer the status request"),
    "Received": _("received"),
    "ShippedReturn": _("shipped back"),
    "Renew": _("ask to renew"),
    "Cancel": _("cancel"),
    "StatusRequest": _("ask for the status"),
    "Notification": _("send a note"),
    "accept_conditions": _("accept the conditions"),
    "decline_conditions": _("decline the conditions"),
    "reminder": _("a reminder from the requester"),
    "follows": _("follows an earlier request"),
    "followed": _("followed by a new request"),
}

#: The routing core's reason codes (score components and exclusions).
REASON_LABELS = {
    "holdings": _("copies held"),
    "fill_rate": _("share of requests supplied"),
    "edition": _("another edition"),
    "distance": _("distance and sea crossings"),
    "load": _("open lending requests"),
    "balance": _("lending and borrowing balance"),
    "fair_share": _("lent against a fair share"),
    "fee": _("cost to the requester"),
    "turnaround": _("days to ship"),
    "same_library": _("the requesting library itself"),
    "already_asked": _("already asked"),
    "not_held": _("holds no copy"),
    "service_not_offered": _("does not offer this service"),
    "not_covered": _("no agreement covers it"),
    "over_max_cost": _("costs more than the most the reader's library will pay"),
}

OUTCOME_LABELS = {
    "waiting": _("not asked yet"),
    "asked": _("asked"),
    "supplied": _("supplied"),
    "unfilled": _("could not supply"),
    "declined": _("its conditions were declined"),
    "timeout": _("did not answer in time"),
    "refused": _("its system refused the request"),
    "cancelled": _("cancelled"),
}


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


#: A loan the borrower has posted back: the ISO status stays Loaned (or Overdue, Recalled) until the
#: lender checks it in, but both sides are told it is on its way.
RETURNING = _("Returned by the borrower (in transit back)")
RETURNING_STATES = frozenset({"Loaned", "Overdue", "Recalled"})

#: The lender's buttons at the end of a loan, each saying what it does (an action's name alone left three
#: of them saying "kembali" in Indonesian).
BUTTON_LABELS = {
    "Recalled": pgettext_lazy("lender button", "Recall: ask for the item before its due date"),
    "LoanCompleted": pgettext_lazy("lender button", "The item has arrived: close the loan"),
    "CompletedWithoutReturn": pgettext_lazy("lender button", "Close without the item (lost or kept)"),
}


def button_label(action: str) -> str:
    """What the button of ``action`` says."""
    label = BUTTON_LABELS.get(action)
    return str(label) if label is not None else action_label(action).capitalize()


#: Where a message to another system stands (``IllMessage.status`` of a message out).
DELIVERY_LABELS = {
    "pending": pgettext_lazy("message delivery", "queued"),
    "sending": pgettext_lazy("message delivery", "being sent"),
    "retrying": pgettext_lazy("message delivery", "not delivered yet: to be tried again"),
    "sent": pgettext_lazy("message delivery", "delivered"),
    "refused": pgettext_lazy("message delivery", "refused by the other system"),
    "failed": pgettext_lazy("message delivery", "not delivered: given up"),
}

#: Why a message did not arrive (``IllMessage.error_kind``), in words.
DELIVERY_ERRORS = {
    "unreachable": _("The other system could not be reached."),
    "timeout": _("The other system did not answer in time; the same message is sent again, and it will "
                 "recognise a repeat."),
    "refused_address": _("This server may not send to the other system's address (outbound policy)."),
    "bad_address": _("The other system's address is not an http(s) address."),
    "not_iso18626": _("Something other than an ISO 18626 system answered at that address."),
    "no_confirmation": _("The other system's answer was not a confirmation."),
    "refused": _("The other system refused the message."),
    "gave_up": _("It was tried for days without arriving; it is no longer sent."),
}


def delivery_info(message) -> dict | None:
    """A message out's delivery, for staff: its state in words, tries, next try and the last error in words
    (None for a message that does not travel)."""
    if message.direction != "out" or message.peer_id is None:
        return None
    return {
        "state": message.status,
        "label": str(DELIVERY_LABELS.get(message.status, message.status)),
        "attempts": message.attempts,
        "next_attempt": message.next_attempt if message.status in ("pending", "retrying") else None,
        "delivered_at": message.delivered_at,
        "error": str(DELIVERY_ERRORS[message.error_kind]) if message.error_kind in DELIVERY_ERRORS else "",
        "detail": message.last_error if message.status != "sent" else "",
    }
