"""The whole life of an interlibrary loan request, as one table around the ISO 18626 one.

ISO 18626 (``jaringan.core.iso18626.states``) describes one transaction between
a requesting agency and one supplier. A request here lives longer:

* a reader may ask from a record page; the request then waits for the staff of
  the reader's library (``AwaitingApproval``), who approve or reject it;
* an approved request (``Validated``) is sent to the first lender of its rota;
  to a library served by another system it travels as an ISO 18626 message and
  is ``Sent`` until that system confirms it (then ``RequestReceived``); a
  library served here receives it at once;
* when a lender cannot supply (``Unfilled``, a ``Cancelled`` nobody asked for,
  conditions the requester declines, no answer by the deadline, a refused
  message) the request moves on to the next lender of the rota, and only when
  the rota is exhausted does it end ``Unfilled``.

``ACTIONS`` is the table: every action a person, the hub (``system``) or a
peer's system may take, who may take it, the ISO 18626 event it carries (the
supplier's new status, the requester's action, or a ``Retry`` request) and,
for the steps before and around the ISO transaction, the states it leaves and
enters. Where an action carries an ISO event, the ISO table decides where it
leads and whether it is allowed now; the guards here add what the ISO table
leaves to the parties (``Received`` once, ``Renew`` answered before another).
``decide`` applies both and says why when it refuses. Two rules hold for every row:

* an action changes something: a supplier's status that only repeats the
  current one is refused (``answer_status`` and ``grant_renewal`` restate it
  on purpose), so a ``Loaned`` pressed twice ships and bills once;
* a requester's ``Cancel`` waiting for an answer wins: when the lender is done
  with (``Unfilled``, ``Cancelled``, no answer, conditions lapsed), the request
  ends ``Cancelled`` instead of going to the next lender.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from jaringan.core.iso18626 import states as iso
from jaringan.core.iso18626.errors import IllegalTransition
from jaringan.core.iso18626.vocabulary import Action, ReasonForMessage, RequestType, ServiceType, Status

__all__ = [
    "ACTIONS",
    "ActionRow",
    "Decision",
    "FINAL",
    "Flags",
    "MOVES_ON",
    "Role",
    "State",
    "Step",
    "all_states",
    "available",
    "decide",
    "is_final",
    "mermaid",
    "repeats",
]


class Step(StrEnum):
    """The requesting side's own states, before and around the ISO 18626 transaction."""

    AwaitingApproval = "AwaitingApproval"  # a reader asked; the staff of the reader's library decide
    Validated = "Validated"  # approved (or entered by staff): ready to be sent to the next lender
    Sent = "Sent"  # on its way to a lender served by another system, not yet confirmed
    Rejected = "Rejected"  # the reader's library did not approve it


State = Status | Step


class Role(StrEnum):
    """Who acts: the reader, staff (or system) of the requesting or supplying library, or the hub itself."""

    reader = "reader"
    requester = "requester"
    supplier = "supplier"
    system = "system"


class Guard(StrEnum):
    """Conditions the ISO table leaves to the parties, checked against ``Flags``."""

    not_received = "not_received"  # Received once
    received = "received"  # a return is shipped after the item arrived
    not_returned = "not_returned"  # ShippedReturn once
    no_renewal_pending = "no_renewal_pending"
    renewal_pending = "renewal_pending"
    no_cancel_pending = "no_cancel_pending"
    cancel_pending = "cancel_pending"
    renewals_left = "renewals_left"


@dataclass(frozen=True, slots=True)
class Flags:
    """What the guards read: the request's facts beside its state."""

    received: bool = False
    returned: bool = False
    renewal_pending: bool = False
    cancel_pending: bool = False
    renewals: int = 0
    max_renewals: int = 2


_GUARD_CHECKS = {
    Guard.not_received: (lambda f: not f.received, "the item was already received"),
    Guard.received: (lambda f: f.received, "the item has not been received yet"),
    Guard.not_returned: (lambda f: not f.returned, "the item was already shipped back"),
    Guard.no_renewal_pending: (lambda f: not f.renewal_pending, "a renewal is already waiting for an answer"),
    Guard.renewal_pending: (lambda f: f.renewal_pending, "no renewal was asked for"),
    Guard.no_cancel_pending: (lambda f: not f.cancel_pending, "a cancellation is already waiting for an answer"),
    Guard.cancel_pending: (lambda f: f.cancel_pending, "no cancellation was asked for"),
    Guard.renewals_left: (lambda f: f.renewals < f.max_renewals, "no renewals are left"),
}


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One action: who may take it, the ISO event it carries, and (for local steps) from where to where.

    ``event`` None: a local step; ``sources`` → ``to`` say where it applies.
    ``event`` set: the ISO table decides from the current ISO state, sent by
    ``party``; ``sources`` (when given) narrow the states it applies in. An
    action with an event that is also open in a local step (``Cancel`` before
    the request is sent) goes to ``to`` from there, and nothing is sent.
    ``restate``: the supplier repeats its current status (an answer that
    changes nothing but the facts: a refused renewal or cancellation).
    ``moves_on``: the lender is done with; the next one of the rota is asked.
    """

    name: str
    roles: frozenset[Role]
    event: iso.Event | None = None
    party: iso.Party | None = None
    sources: frozenset[State] = frozenset()
    to: State | None = None
    reason: ReasonForMessage | None = None
    answer: bool | None = None
    restate: bool = False
    moves_on: bool = False
    guards: tuple[Guard, ...] = ()
    note: str = ""


R = Role
_READER_OR_STAFF = frozenset({R.reader, R.requester})
_REQUESTER = frozenset({R.requester})
_SUPPLIER = frozenset({R.supplier})
_SYSTEM = frozenset({R.system})
_SUPPLIER_OR_SYSTEM = frozenset({R.supplier, R.system})
_REQUESTER_OR_SYSTEM = frozenset({R.requester, R.system})
S, A = Status, Action
_BEFORE_SENDING = frozenset({Step.AwaitingApproval, Step.Validated})
_LOANS = frozenset({S.Loaned, S.Overdue, S.Recalled})


def _status(status: Status, roles=_SUPPLIER, **kw) -> ActionRow:
    return ActionRow(str(status), roles, event=status, party=iso.Party.supplier, **kw)


def _action(action: Action, roles=_REQUESTER, **kw) -> ActionRow:
    return ActionRow(str(action), roles, event=action, party=iso.Party.requester, **kw)


_ROWS = [
    # --- the requesting library, before the request leaves it -------------------------------------
    ActionRow("approve", _REQUESTER, sources=frozenset({Step.AwaitingApproval}), to=Step.Validated,
              note="the reader's library agrees to ask for it"),
    ActionRow("reject", _REQUESTER, sources=frozenset({Step.AwaitingApproval}), to=Step.Rejected,
              note="the reader's library will not ask for it"),
    ActionRow("send", _REQUESTER_OR_SYSTEM, sources=frozenset({Step.Validated}), to=Step.Sent,
              note="to the next lender; one served here receives it at once (RequestReceived)"),
    # --- the peer's system answers our request message ---------------------------------------------
    ActionRow("confirm", _SYSTEM, sources=frozenset({Step.Sent}), to=S.RequestReceived,
              note="requestConfirmation OK"),
    ActionRow("refuse", _SYSTEM, sources=frozenset({Step.Sent}), moves_on=True,
              note="requestConfirmation ERROR: the next lender is asked"),
    ActionRow("timeout", _SYSTEM, sources=frozenset({Step.Sent, S.RequestReceived}), moves_on=True,
              note="no answer by the lender's deadline: the next lender is asked"),
    # --- the supplier's status (supplyingAgencyMessage) --------------------------------------------
    _status(S.ExpectToSupply),
    _status(S.WillSupply),
    _status(S.Loaned),
    _status(S.CopyCompleted),
    _status(S.RetryPossible, note="a conditional offer: a higher cost or a later date"),
    _status(S.Unfilled, _SUPPLIER_OR_SYSTEM, moves_on=True, note="the next lender is asked"),
    _status(S.Cancelled, _SUPPLIER_OR_SYSTEM, reason=ReasonForMessage.CancelResponse, answer=True,
            note="answers a Cancel; unasked, it is a refusal and the next lender is asked"),
    _status(S.Overdue, _SUPPLIER_OR_SYSTEM),
    _status(S.Recalled),
    _status(S.LoanCompleted, note="checked in: the item is back on the supplier's shelf"),
    _status(S.CompletedWithoutReturn, note="the loan ends without the item coming back"),
    ActionRow("grant_renewal", _SUPPLIER, event=S.Loaned, party=iso.Party.supplier, sources=_LOANS,
              reason=ReasonForMessage.RenewResponse, answer=True, guards=(Guard.renewal_pending,),
              note="RenewResponse Y with a new due date"),
    ActionRow("refuse_renewal", _SUPPLIER, party=iso.Party.supplier, sources=_LOANS, restate=True,
              reason=ReasonForMessage.RenewResponse, answer=False, guards=(Guard.renewal_pending,),
              note="RenewResponse N"),
    ActionRow("refuse_cancel", _SUPPLIER, party=iso.Party.supplier, restate=True,
              sources=frozenset({S.RequestReceived, S.ExpectToSupply, S.WillSupply}),
              reason=ReasonForMessage.CancelResponse, answer=False, guards=(Guard.cancel_pending,),
              note="CancelResponse N: the supply goes on"),
    ActionRow("answer_status", _SUPPLIER_OR_SYSTEM, party=iso.Party.supplier, restate=True,
              reason=ReasonForMessage.StatusRequestResponse, note="answers a StatusRequest"),
    # --- the requester's actions (requestingAgencyMessage) -----------------------------------------
    _action(A.Received, guards=(Guard.not_received,), note="the item arrived at the requesting library"),
    _action(A.ShippedReturn, guards=(Guard.received, Guard.not_returned), note="posted back to the supplier"),
    _action(A.Renew, guards=(Guard.no_renewal_pending, Guard.renewals_left, Guard.not_returned)),
    _action(A.Cancel, _READER_OR_STAFF, guards=(Guard.no_cancel_pending,), to=S.Cancelled,
            sources=_BEFORE_SENDING | {S.RequestReceived, S.ExpectToSupply, S.WillSupply, S.RetryPossible},
            note="before sending it ends the request at once; after, it asks the supplier to stop "
                 "(Cancelled or refuse_cancel answers it); conditions offered are declined and the request ends"),
    _action(A.StatusRequest),
    _action(A.Notification),
    ActionRow("accept_conditions", _REQUESTER, event=RequestType.Retry, party=iso.Party.requester,
              note="a Retry request at the offered cost or date"),
    ActionRow("decline_conditions", _REQUESTER_OR_SYSTEM, event=A.Cancel, party=iso.Party.requester,
              sources=frozenset({S.RetryPossible}), moves_on=True, note="the next lender is asked"),
]

#: Action name → its row: the whole table.
ACTIONS: dict[str, ActionRow] = {row.name: row for row in _ROWS}

#: Actions after which the current lender is done with and the next one is asked.
MOVES_ON = frozenset(row.name for row in _ROWS if row.moves_on)

#: States nothing follows: the ISO final states and a rejected request.
FINAL = frozenset(iso.TERMINAL | {Step.Rejected})


def all_states() -> list[str]:
    """Every state a request can be in: the local steps, then the twelve ISO statuses."""
    return [str(s) for s in Step] + [str(s) for s in Status]


def is_final(state: str) -> bool:
    return state in FINAL


def _as_state(value: str) -> State:
    for kind in (Step, Status):
        try:
            return kind(value)
        except ValueError:
            pass
    raise IllegalTransition(f"{value!r} is not a state of a request", state=str(value))


@dataclass(frozen=True, slots=True)
class Decision:
    """What taking an action means: where the request goes and what to tell the other party."""

    action: str
    source: State
    to: State
    row: ActionRow
    #: The ISO event to send (None for a local step).
    event: iso.Event | None
    #: The next lender of the rota is asked (``to`` is then the state of the lender done with).
    moves_on: bool
    #: A Cancel the requester asked for was accepted: the whole request ends.
    ends_request: bool = False


def decide(
    state: str,
    action: str,
    *,
    role: Role | str,
    service: ServiceType | str | None = None,
    flags: Flags = Flags(),
    remote_supplier: bool = False,
) -> Decision:
    """Apply the table: where ``action`` by ``role`` leads from ``state``, or ``IllegalTransition`` saying why.

    ``remote_supplier``: the lender is served by another system, so ``send``
    waits in ``Sent`` for its confirmation; otherwise it is ``RequestReceived``
    at once.
    """
    current = _as_state(state)
    row = ACTIONS.get(action)
    if row is None:
        raise IllegalTransition(f"{action!r} is not an action on a request", state=current, event=str(action))
    _check_allowed(row, current, Role(role), flags)
    if row.event is None and not row.restate:
        to = row.to if row.to is not None else current
        if action == "send" and not remote_supplier:
            to = iso.INITIAL
        return _cancel_wins(Decision(action, current, to, row, None, row.moves_on), flags)
    if isinstance(current, Step):
        if row.to is not None:
            return Decision(action, current, row.to, row, None, False, ends_request=True)
        raise IllegalTransition(
            f"{action} is not possible while the request is {current}: no lender has received it yet",
            state=current, event=action,
        )
    return _cancel_wins(_iso_move(row, current, service, flags), flags)


def _check_allowed(row: ActionRow, current: State, role: Role, flags: Flags) -> None:
    """Refuse the action (``IllegalTransition``) when the role may not take it, the request is final or not
    where the action starts, or a guard does not hold."""
    action = row.name
    if role is not Role.system and role not in row.roles:
        who = " or the ".join(str(r) for r in sorted(row.roles))
        raise IllegalTransition(
            f"{action} is for the {who}, not for the {role}", state=current, event=action
        )
    if current in FINAL:
        raise IllegalTransition(f"the request is {current}, which is final", state=current, event=action)
    if row.sources and current not in row.sources:
        where = ", ".join(str(s) for s in sorted(row.sources, key=str))
        raise IllegalTransition(
            f"{action} is not possible while the request is {current} (only when {where})", state=current, event=action
        )
    for guard in row.guards:
        ok, why = _GUARD_CHECKS[guard]
        if not ok(flags):
            raise IllegalTransition(f"{action} is not possible now: {why}", state=current, event=action)


def _iso_move(row: ActionRow, current: Status, service: ServiceType | str | None, flags: Flags) -> Decision:
    """An action that is an ISO 18626 event (or restates the status): the ISO table says where it leads."""
    action = row.name
    if _repeats(row, current):
        raise IllegalTransition(
            f"the request is already {current}: {action} again would change nothing", state=current, event=action
        )
    event = current if row.restate else row.event
    svc = ServiceType(service) if service else None
    to = iso.transition(current, event, by=row.party, service=svc)
    ends = False
    moves_on = row.moves_on
    if row.name == str(S.Cancelled):
        # Cancelled answers the requester's Cancel (the request ends); unasked it is a refusal.
        ends, moves_on = flags.cancel_pending, not flags.cancel_pending
    elif row.name == str(A.Cancel):
        ends = to == S.Cancelled  # declining conditions: nothing to answer
    return Decision(action, current, to, row, event, moves_on, ends)


def _repeats(row: ActionRow, current: State) -> bool:
    """A supplier's plain status change to the status the request already has (the ISO table allows it)."""
    return row.party is iso.Party.supplier and not row.restate and row.reason is None and row.event == current


def repeats(state: str, action: str) -> bool:
    """``action`` would only repeat ``state`` (``Loaned`` on a loaned request): ``decide`` refuses it."""
    row = ACTIONS.get(action)
    return row is not None and _repeats(row, _as_state(state))


def _cancel_wins(decision: Decision, flags: Flags) -> Decision:
    """The lender is done with while the requester's Cancel waits: the request ends Cancelled, nobody else is asked.

    ``to`` is then the request's state; the supplier's own status stays ``event``.
    """
    if not (decision.moves_on and flags.cancel_pending):
        return decision
    return dataclasses.replace(decision, to=S.Cancelled, moves_on=False, ends_request=True)


def available(
    state: str,
    *,
    role: Role | str,
    service: ServiceType | str | None = None,
    flags: Flags = Flags(),
    remote_supplier: bool = False,
) -> list[str]:
    """The actions ``role`` may take now, in table order (for the buttons of a screen).

    A supplier's status that only repeats the current one is refused by ``decide``, so it is left out
    (``answer_status`` restates it).
    """
    out = []
    for name, row in ACTIONS.items():
        if Role(role) is not Role.system and Role(role) not in row.roles:
            continue
        try:
            decide(state, name, role=role, service=service, flags=flags, remote_supplier=remote_supplier)
        except IllegalTransition:
            continue
        out.append(name)
    return out


def mermaid() -> str:
    """The local steps and their links into the ISO 18626 lifecycle, as a Mermaid ``stateDiagram-v2``."""
    lines = ["stateDiagram-v2", "    [*] --> AwaitingApproval : a reader asks", "    [*] --> Validated : staff ask"]
    for row in _ROWS:
        if row.restate:
            continue
        for source in sorted(row.sources, key=str):
            if row.event is not None and not isinstance(source, Step):
                continue  # drawn in the ISO 18626 diagram
            who = "/".join(str(r) for r in sorted(row.roles))
            if row.moves_on:
                lines.append(f"    {source} --> NextLender : {row.name} ({who})")
            elif row.name == "send":
                lines.append(f"    {source} --> {row.to} : send, lender elsewhere ({who})")
                lines.append(f"    {source} --> {iso.INITIAL} : send, lender here ({who})")
            else:
                lines.append(f"    {source} --> {row.to} : {row.name} ({who})")
    for state, moves in iso.TRANSITIONS.items():
        triggers = [str(t.trigger) for t in moves if t.by is iso.Party.supplier
                    and t.trigger in (S.Unfilled, S.Cancelled)]
        if state is S.RetryPossible:
            triggers.append("decline_conditions")
        if triggers:
            lines.append(f"    {state} --> NextLender : {', '.join(triggers)}")
    lines.append("    NextLender --> Cancelled : a Cancel was waiting")
    lines.append("    NextLender --> Validated : lenders left")
    lines.append(f"    NextLender --> {S.Unfilled} : rota exhausted")
    lines += [f"    {state} --> [*]" for state in (Step.Rejected, S.Cancelled, S.Unfilled)]
    return "\n".join(lines) + "\n"
