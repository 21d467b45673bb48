"""The small form of each action a person may take on a request (a due date, a conditional offer, a scan …),
for the buttons of `selectors.available_actions`, and the service's parameters read back from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jaringan.core.errors import Invalid

from .. import conf
from ..models import IllRequest, RotaEntry
from ..texts import button_label

#: Actions shown as red buttons: they end or refuse something.
DANGER = frozenset({"reject", "Unfilled", "Cancel", "Cancelled", "decline_conditions", "refuse_renewal",
                    "refuse_cancel", "CompletedWithoutReturn", "Recalled"})
#: What a button does, where its label alone leaves a lender guessing (shown under the button).
ACTION_HELP = {
    "ExpectToSupply": gettext_lazy("You hold it and mean to supply it, but cannot send it yet (it must be fetched "
                                   "or checked first): the borrower is told to wait for you."),
    "WillSupply": gettext_lazy("It is in hand and will be sent now; record the shipment (or send the copy) "
                               "next."),
    "Unfilled": gettext_lazy("You cannot supply it: the request goes on to the next lender of the rota."),
    "RetryPossible": gettext_lazy("You could supply it on other terms (a cost or a date): the borrowing library "
                                  "accepts or declines them."),
    "Cancel": gettext_lazy("The request is withdrawn; no lender is asked any more."),
}
#: Asked to tick a box before the button of a destructive action is sent (the browser checks it).
CONFIRM = gettext_lazy("Yes, I mean this: it cannot be undone.")
#: The one such box of a request's page, above its red buttons (the others' buttons do not ask for it).
CONFIRM_RED = gettext_lazy("For a red button: yes, I mean it; it cannot be undone.")

#: Actions whose form needs more than a note: the queue links to the request's page for them.
NEEDS_DETAIL = frozenset({"CopyCompleted", "RetryPossible", "Notification", "Recalled"})
#: ISO 18626 reasonUnfilled values a lender picks from (an open list; the value travels in the message).
REASONS_UNFILLED = [
    ("NotOnShelf", gettext_lazy("not on the shelf")),
    ("InUse", gettext_lazy("on loan to someone else")),
    ("NonCirculating", gettext_lazy("does not circulate")),
    ("NotHeld", gettext_lazy("not held after all")),
    ("PoorCondition", gettext_lazy("too fragile or damaged to send")),
    ("Lost", gettext_lazy("lost or missing")),
    ("PolicyProblem", gettext_lazy("our rules do not allow it")),
]


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
        return [Field("due_date", _("Return by"), "date", (today + timedelta(days=7)).isoformat())]
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
            "help": ACTION_HELP.get(action, ""), "confirm": CONFIRM if action in DANGER and action != "Recalled" else "",
            "fields": fields, "multipart": any(f.type == "file" for f in fields),
            "simple": action not in NEEDS_DETAIL,
        })
    return out


def action_area(forms: list[dict]) -> dict:
    """A request's page: every action open to the person in one form with one note box. Each action's fields
    are named ``<action>-<field>`` so that two actions asking for a date do not send two; the actions that end
    or refuse something come last, under the one box that confirms them."""
    safe = [f for f in forms if not f["danger"]]
    red = [f for f in forms if f["danger"]]
    return {"safe": safe, "red": red, "confirm": CONFIRM_RED if red else "",
            "multipart": any(f["multipart"] for f in forms)}


def form_value(data, action: str, name: str):
    """The value of an action's field: as the request's page names it (``<action>-<name>``), else as the queue's
    small forms and the older pages name it."""
    value = data.get(f"{action}-{name}")
    return data.get(name) if value in (None, "") else value


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
    if action == "Recalled" and not (data.get("confirm_recall") or data.get("confirm")):  # cuts a loan short
        raise Invalid(_("Tick the box to confirm the recall: nothing was sent."))
    if action in DANGER and action != "Recalled" and not data.get("confirm"):  # the browser asks; so does the server
        raise Invalid(_("Tick the box to confirm “%(action)s”: it cannot be undone, and nothing was done.")
                      % {"action": button_label(action)})
    for name in ACTION_PARAMS.get(action, ()):
        if name == "scan":
            scan = form_value(files, action, "scan")
            if scan is not None:
                params["scan"] = scan
        elif name == "posted":
            if form_value(data, action, "posted"):
                params["posted"] = True
        else:
            value = (form_value(data, action, name) or "").strip()
            if value:
                params[name] = value[:200]
    return params
