"""The lifecycle of one interlibrary loan request under ISO 18626, as one table.

The state is the supplying agency's status (``vocabulary.Status``, all twelve
values). ``TRANSITIONS`` lists, for every state, the events allowed from it:

* a **supplier status change** (the ``status`` of a ``supplyingAgencyMessage``):
  the trigger is the new status and the destination is that status;
* a **requester action** (the ``action`` of a ``requestingAgencyMessage``).
  An action asks or informs; it does not change the supplier's status by
  itself, so its destination is the same state. ``Cancel`` is a request the
  supplier answers (``CancelResponse``, then ``Cancelled`` or carrying on);
  ``Received`` and ``ShippedReturn`` are news the supplier acts on later
  (``LoanCompleted`` when the item is back on its shelf).

Every non-final state also lets the supplier restate its status (an answer to
``StatusRequest``, a ``RenewResponse`` with a new due date) and lets the
requester send ``StatusRequest`` and ``Notification``. Final states are written
out with empty lists: nothing follows them.

Conditional answers, kept simple. Schema 1.2 has no ``ConditionalReply``
action or ``Conditions`` element (those came with later revisions), so a
supplier that will only supply at a higher cost or at a later date answers
``RetryPossible`` with ``offeredCosts`` and/or ``retryAfter``/``retryBefore``
in its ``messageInfo``. From ``RetryPossible`` the requester either

* **accepts**: sends a new ``request`` with ``requestType`` ``Retry`` (raising
  ``maximumCosts`` or moving ``needBeforeDate``) — trigger ``RequestType.Retry``,
  back to ``RequestReceived``; or
* **declines**: sends ``Cancel`` — straight to ``Cancelled``, since the supplier
  holds nothing and no ``CancelResponse`` is awaited.

If neither comes before ``retryBefore``, the supplier may close it ``Unfilled``.

The diagram in the docs is generated from the table: ``mermaid()`` and ``dot()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import IllegalTransition
from .vocabulary import Action, RequestType, ServiceType, Status

__all__ = [
    "ANY_SERVICE",
    "COPY_SERVICES",
    "Event",
    "INITIAL",
    "LOAN_SERVICES",
    "Party",
    "TERMINAL",
    "TRANSITIONS",
    "Transition",
    "allowed",
    "as_event",
    "dot",
    "mermaid",
    "transition",
]

#: A trigger: the supplier's new status, the requester's action, or a Retry request.
Event = Status | Action | RequestType


class Party(StrEnum):
    """Who may cause a transition: the supplying or the requesting agency."""

    supplier = "supplier"
    requester = "requester"


ANY_SERVICE = frozenset(ServiceType)
LOAN_SERVICES = frozenset({ServiceType.Loan, ServiceType.CopyOrLoan})
COPY_SERVICES = frozenset({ServiceType.Copy, ServiceType.CopyOrLoan})


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table: ``trigger`` sent by ``by`` leads to ``to``, for these services."""

    trigger: Event
    to: Status
    by: Party
    services: frozenset[ServiceType] = ANY_SERVICE
    note: str = ""


def _supplier(status: Status, services: frozenset[ServiceType] = ANY_SERVICE, note: str = "") -> Transition:
    return Transition(status, status, Party.supplier, services, note)


def _requester(trigger: Event, to: Status, note: str = "") -> Transition:
    return Transition(trigger, to, Party.requester, ANY_SERVICE, note)


S, A = Status, Action
_LOAN_ONLY = "a copy is never loaned"
_COPY_ONLY = "a loan is never completed as a copy"
_CANCEL = "asks; the supplier answers CancelResponse, then Cancelled or carries on"

TRANSITIONS: dict[Status, list[Transition]] = {
    S.RequestReceived: [
        _supplier(S.RequestReceived, note="restates"),
        _supplier(S.ExpectToSupply),
        _supplier(S.WillSupply),
        _supplier(S.Loaned, LOAN_SERVICES, _LOAN_ONLY),
        _supplier(S.CopyCompleted, COPY_SERVICES, _COPY_ONLY),
        _supplier(S.RetryPossible, note="conditions: offeredCosts, retryAfter"),
        _supplier(S.Unfilled),
        _supplier(S.Cancelled),
        _requester(A.StatusRequest, S.RequestReceived),
        _requester(A.Notification, S.RequestReceived),
        _requester(A.Cancel, S.RequestReceived, _CANCEL),
    ],
    S.ExpectToSupply: [
        _supplier(S.ExpectToSupply, note="restates"),
        _supplier(S.WillSupply),
        _supplier(S.Loaned, LOAN_SERVICES, _LOAN_ONLY),
        _supplier(S.CopyCompleted, COPY_SERVICES, _COPY_ONLY),
        _supplier(S.RetryPossible, note="conditions: offeredCosts, retryAfter"),
        _supplier(S.Unfilled),
        _supplier(S.Cancelled),
        _requester(A.StatusRequest, S.ExpectToSupply),
        _requester(A.Notification, S.ExpectToSupply),
        _requester(A.Cancel, S.ExpectToSupply, _CANCEL),
    ],
    S.WillSupply: [
        _supplier(S.WillSupply, note="restates"),
        _supplier(S.Loaned, LOAN_SERVICES, _LOAN_ONLY),
        _supplier(S.CopyCompleted, COPY_SERVICES, _COPY_ONLY),
        _supplier(S.Unfilled),
        _supplier(S.Cancelled),
        _requester(A.StatusRequest, S.WillSupply),
        _requester(A.Notification, S.WillSupply),
        _requester(A.Cancel, S.WillSupply, _CANCEL),
    ],
    S.Loaned: [
        _supplier(S.Loaned, note="restates, e.g. a new dueDate after Renew"),
        _supplier(S.Overdue),
        _supplier(S.Recalled),
        _supplier(S.LoanCompleted),
        _supplier(S.CompletedWithoutReturn),
        _requester(A.StatusRequest, S.Loaned),
        _requester(A.Notification, S.Loaned),
        _requester(A.Received, S.Loaned, "the item has arrived"),
        _requester(A.Renew, S.Loaned, "the supplier answers RenewResponse"),
        _requester(A.ShippedReturn, S.Loaned, "the supplier completes the loan on arrival"),
        _requester(A.ShippedForward, S.Loaned, "passed on to the next requester"),
    ],
    S.Overdue: [
        _supplier(S.Overdue, note="restates"),
        _supplier(S.Loaned, note="renewed"),
        _supplier(S.Recalled),
        _supplier(S.LoanCompleted),
        _supplier(S.CompletedWithoutReturn),
        _requester(A.StatusRequest, S.Overdue),
        _requester(A.Notification, S.Overdue),
        _requester(A.Renew, S.Overdue, "the supplier answers RenewResponse"),
        _requester(A.ShippedReturn, S.Overdue),
        _requester(A.ShippedForward, S.Overdue),
    ],
    S.Recalled: [
        _supplier(S.Recalled, note="restates"),
        _supplier(S.Overdue),
        _supplier(S.LoanCompleted),
        _supplier(S.CompletedWithoutReturn),
        _requester(A.StatusRequest, S.Recalled),
        _requester(A.Notification, S.Recalled),
        _requester(A.ShippedReturn, S.Recalled),
    ],
    S.RetryPossible: [
        _supplier(S.RetryPossible, note="restates, e.g. other conditions"),
        _supplier(S.Unfilled, note="the conditions lapsed (retryBefore passed)"),
        _requester(A.StatusRequest, S.RetryPossible),
        _requester(A.Notification, S.RetryPossible),
        _requester(RequestType.Retry, S.RequestReceived, "accepts the conditions: a Retry request"),
        _requester(A.Cancel, S.Cancelled, "declines the conditions"),
    ],
    S.Unfilled: [],
    S.CopyCompleted: [],
    S.LoanCompleted: [],
    S.CompletedWithoutReturn: [],
    S.Cancelled: [],
}

#: Where a request stands once the supplier has accepted it (``requestConfirmation`` OK).
INITIAL = Status.RequestReceived

#: States nothing follows, read from the table.
TERMINAL = frozenset(state for state, moves in TRANSITIONS.items() if not moves)


def as_event(value: str) -> Event:
    """The event a string names: a supplier ``Status``, a requester ``Action`` or ``Retry``.

    Status and action values never share a spelling, so a bare string is enough.
    Raises ``IllegalTransition`` for anything else.
    """
    for kind in (Status, Action):
        try:
            return kind(value)
        except ValueError:
            pass
    if value == RequestType.Retry:
        return RequestType.Retry
    raise IllegalTransition(
        f"{value!r} is neither a supplier status, a requester action nor a Retry request", event=str(value)
    )


def _as_state(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise IllegalTransition(f"{value!r} is not a state of an ISO 18626 request", state=str(value)) from None


def allowed(state: str, *, by: Party | None = None, service: ServiceType | None = None) -> list[Transition]:
    """The rows of the table open from ``state``, to ``by`` and for ``service`` when given."""
    return [
        t
        for t in TRANSITIONS[_as_state(state)]
        if (by is None or t.by == by) and (service is None or service in t.services)
    ]


def transition(state: str, event: str, *, by: Party | None = None, service: ServiceType | None = None) -> Status:
    """The state after ``event`` happens in ``state``, as the table says.

    ``by`` (who sent it) and ``service`` (the request's ``serviceType``) are
    checked when given. Raises ``IllegalTransition`` with a reason otherwise.
    """
    current = _as_state(state)
    happened = as_event(event)
    moves = TRANSITIONS[current]
    if not moves:
        raise IllegalTransition(
            f"the request is {current}, which is final: nothing, not even {happened}, can follow it",
            state=current,
            event=happened,
        )
    row = next((t for t in moves if t.trigger == happened and type(t.trigger) is type(happened)), None)
    if row is None:
        open_now = ", ".join(dict.fromkeys(str(t.trigger) for t in moves))
        raise IllegalTransition(
            f"{happened} is not allowed while the request is {current}; allowed now: {open_now}",
            state=current,
            event=happened,
        )
    if by is not None and by != row.by:
        raise IllegalTransition(
            f"only the {row.by} may send {happened} (it came from the {by})", state=current, event=happened
        )
    if service is not None and service not in row.services:
        why = f": {row.note}" if row.note else ""
        raise IllegalTransition(
            f"{happened} does not apply to a {service} request{why}", state=current, event=happened
        )
    return row.to


def _edges() -> dict[tuple[Status, Status, Party], list[str]]:
    edges: dict[tuple[Status, Status, Party], list[str]] = {}
    for state, moves in TRANSITIONS.items():
        for t in moves:
            edges.setdefault((state, t.to, t.by), []).append(str(t.trigger))
    return edges


def mermaid() -> str:
    """The table as a Mermaid ``stateDiagram-v2``; edges labelled with trigger and party."""
    lines = ["stateDiagram-v2", f"    [*] --> {INITIAL}"]
    for (source, target, by), triggers in _edges().items():
        lines.append(f"    {source} --> {target} : {', '.join(triggers)} ({by})")
    lines += [f"    {state} --> [*]" for state in TRANSITIONS if state in TERMINAL]
    return "\n".join(lines) + "\n"


def dot() -> str:
    """The table as a Graphviz digraph: supplier moves solid, requester moves dashed, final states doubled."""
    lines = [
        "digraph iso18626 {",
        "    rankdir=LR;",
        "    node [shape=box, style=rounded];",
        '    start [shape=point, label=""];',
    ]
    lines += [f"    {state}{' [peripheries=2]' if state in TERMINAL else ''};" for state in TRANSITIONS]
    lines.append(f"    start -> {INITIAL};")
    for (source, target, by), triggers in _edges().items():
        style = "solid" if by == Party.supplier else "dashed"
        label = "\\n".join(triggers)
        lines.append(f'    {source} -> {target} [label="{label}", style={style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"
