"""Acting on a request: the one place its state changes (and where its rota is kept).

* `illrequest_act` (`act_locked` inside a transaction that holds the row)
  locks the row, asks the table (`core.ill.lifecycle`), checks the actor,
  records the event with its message, runs the side effects (`effects.EFFECTS`)
  and the follow-ups; the message goes to the other party's system through the
  outbox when another system serves it.
* `route_locked` ranks the lenders (the routing core, through `rota`) and keeps
  the rota.
* `record_event` writes one line of a request's history, with its actor: a
  person (`Principal`), the hub itself (`SYSTEM`) or another system (`Remote`).
"""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.core.ill import lifecycle
from jaringan.core.iso18626 import elements as el
from jaringan.core.iso18626.errors import IllegalTransition
from jaringan.core.iso18626.states import Party
from jaringan.core.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM, Principal
from jaringan.plaintext import refuse_controls

from .. import rota
from ..iso18626.agencies import peer_of
from ..iso18626.messages import keep_built, service_type_of
from ..iso18626.outbox import enqueue
from ..models import IllEvent, IllMessage, IllRequest, RotaEntry
from ..permissions import Remote, can_see, is_system, roles_on
from ..texts import REASON_LABELS, action_label, state_label
from . import effects
from .effects import Change

#: The role an actor takes when it holds several, in this order.
_ROLE_ORDER = (lifecycle.Role.requester, lifecycle.Role.supplier, lifecycle.Role.reader)


# --- the row ------------------------------------------------------------------------------------

def lock_request(pk: int) -> IllRequest:
    """The request, its row locked until the transaction ends (the libraries read along, unlocked)."""
    return IllRequest.objects.select_for_update(of=("self",)).select_related("requester", "supplier").get(pk=pk)


def locked(request: IllRequest | int) -> IllRequest:
    """`lock_request` of a request or its id; `NotFound` when there is no such request."""
    try:
        return lock_request(request.pk if isinstance(request, IllRequest) else request)
    except IllRequest.DoesNotExist:
        raise NotFound(_("No such request.")) from None


def check_version(req: IllRequest, expected_version) -> None:
    """Refuse (`Conflict` ``stale``) when someone changed the request since ``expected_version`` was read."""
    if expected_version is not None and int(expected_version) != req.version:
        raise Conflict(
            _("The request changed while you were looking at it (it is now: %(state)s). Reload it and try again.")
            % {"state": state_label(req.state)}, code="stale")


def record_event(req: IllRequest, *, actor, action: str, from_state: str, note: str = "",
                 message: IllMessage | None = None, lender: Library | None = None) -> IllEvent:
    """One line of the request's history: who did ``action``, from which state to the request's state now."""
    if isinstance(actor, Remote):
        kind, label, user_id = IllEvent.ActorKind.REMOTE, actor.label, None
    elif is_system(actor):
        kind, label, user_id = IllEvent.ActorKind.SYSTEM, "system", None
    else:
        kind, label, user_id = IllEvent.ActorKind.USER, actor.username, actor.user_id
    return IllEvent.objects.create(
        request=req, actor_id=user_id, actor_kind=kind, actor_label=label, action=action, from_state=from_state,
        to_state=req.state, note=note or "", message=message, lender=lender or req.supplier,
    )


# --- acting -----------------------------------------------------------------------------------

@transaction.atomic
def illrequest_act(*, actor, request: IllRequest | int, action: str, expected_version: int | None = None,
                   note: str = "", **params) -> IllRequest:
    """Take ``action`` on a request: the one place its state changes.

    Locks the row; refuses a stale ``expected_version`` (someone acted first),
    an action the actor may not take, or one the table does not allow now, each
    with a reason and nothing changed; records the event with the actor and
    the ISO 18626 message; runs the side effects and the follow-ups. Typed
    text holding a control character is refused, naming the field.
    """
    refuse_controls({"note": note, **params}, texts={"note"})
    req = locked(request)
    return act_locked(req, actor=actor, action=action, expected_version=expected_version, note=note, **params)


def act_locked(req: IllRequest, *, actor, action: str, expected_version: int | None = None, note: str = "",
               message: IllMessage | None = None, **params) -> IllRequest:
    """`illrequest_act` on a row the caller has locked (inside its transaction)."""
    if action not in lifecycle.ACTIONS:
        raise Invalid(_("Unknown action: %(action)s") % {"action": action}, errors={"action": [_("Unknown action.")]})
    if isinstance(actor, Principal) and not can_see(actor, req):
        raise NotFound(_("No such request."))
    check_version(req, expected_version)  # before the role: who lost a race is told so
    role = _role_for(actor, req, action)
    if lifecycle.repeats(req.state, action):  # pressed twice, or by two people at once: applied and billed once
        raise Conflict(_("The request is already %(state)s; nothing was done again.")
                       % {"state": state_label(req.state)}, code="unchanged",
                       errors={"action": [_("Already done.")]})
    entry = rota.current_entry(req)
    remote_supplier = False
    if action == "send" and req.state == lifecycle.Step.Validated:
        entry = _next_entry(req, params.get("lender"), actor)
        if entry is None:
            raise Conflict(_("No lender is left in the rota: name one, or cancel the request."), code="no_lender")
        remote_supplier = peer_of(entry.library) is not None
    try:
        decision = lifecycle.decide(req.state, action, role=role, service=service_type_of(req, entry),
                                    flags=req.flags(), remote_supplier=remote_supplier)
    except IllegalTransition as exc:
        raise Conflict(
            _("%(action)s is not possible now: the request is %(state)s.")
            % {"action": action_label(action).capitalize(), "state": state_label(req.state)}
            + f" ({exc.reason})", code="illegal_transition", errors={"action": [exc.reason]},
        ) from None
    remote = isinstance(actor, Remote)
    change = Change(req=req, decision=decision, role=role, params=params, note=note, entry=entry,
                    actor_user_id=getattr(actor, "user_id", None), remote=remote)
    from_state = req.state
    effects.EFFECTS[action](change)
    req.state = change.state or str(decision.to)
    req.version += 1
    req.updated = timezone.now()
    req.save()
    if message is None and not remote:
        built = effects.message_for(change, service=service_type_of(req, entry))
        if built is not None:
            message = _keep_outgoing(req, built, party=decision.row.party)
    elif remote and actor.message is not None:
        message = actor.message
    if message is not None and message.request_id is None:
        IllMessage.objects.filter(pk=message.pk).update(request=req)
    record_event(req, actor=actor, action=action, from_state=from_state, note=change.event_note or note,
                 message=message, lender=entry.library if entry is not None else req.supplier)
    for follow, follow_params in change.followups:
        act_locked(req, actor=SYSTEM, action=follow, **follow_params)
    return req


def _role_for(actor, req: IllRequest, action: str) -> lifecycle.Role:
    row = lifecycle.ACTIONS[action]
    held = roles_on(actor, req)
    if lifecycle.Role.system in held:
        return lifecycle.Role.system
    for role in _ROLE_ORDER:
        if role in held and role in row.roles:
            return role
    if held or (isinstance(actor, Principal) and can_see(actor, req)):
        raise Forbidden(_("You may not %(action)s this request.") % {"action": action_label(action)})
    raise NotFound(_("No such request."))


def _next_entry(req: IllRequest, lender: str | None, actor) -> RotaEntry | None:
    waiting = req.rota.select_related("library", "agreement").filter(outcome=RotaEntry.Outcome.WAITING)
    if not lender:
        return waiting.order_by("position").first()
    entry = waiting.filter(library__code=lender).first()
    if entry is not None:
        return entry
    library = Library.objects.filter(code=lender).first()
    if library is None:
        raise Invalid(_("Unknown library: %(code)s") % {"code": lender}, errors={"lender": [_("Unknown library.")]})
    if req.rota.filter(library=library).exists():
        raise Invalid(_("%(library)s was already asked for this request.") % {"library": library.name},
                      errors={"lender": [_("Already asked.")]})
    chosen, excluded, *_rest = rota.rank(req, named=[library])
    if not any(lender.library_id == library.pk for lender, _svc in chosen):
        why = next((str(REASON_LABELS.get(x.code, x.code)) for x in excluded if x.library_id == library.pk), "")
        raise Invalid(_("%(library)s cannot be asked: %(reason)s.") % {"library": library.name, "reason": why},
                      errors={"lender": [why]})
    route_locked(req, actor=actor, named=[library], replace=False)
    return req.rota.select_related("library", "agreement").get(library=library)


def _keep_outgoing(req: IllRequest, message, *, party) -> IllMessage:
    """Keep the message an action sends; queue it when the other party is served by another system."""
    other = req.requester if party is Party.supplier else req.supplier
    peer = peer_of(other)
    if peer is None:
        return keep_built(message, direction=IllMessage.Direction.LOCAL, status=IllMessage.Status.KEPT,
                          request=req)
    if peer.security_code:
        auth = el.RequestingAgencyAuthentication(security_code=peer.security_code)
        message = dataclasses.replace(message, header=dataclasses.replace(
            message.header, requesting_agency_authentication=auth))
    kept = keep_built(message, direction=IllMessage.Direction.OUT, status=IllMessage.Status.PENDING,
                      request=req, peer=peer)
    enqueue(kept)
    return kept


# --- the rota ---------------------------------------------------------------------------------

def route_locked(req: IllRequest, *, actor, named: list[Library] | None = None, replace: bool = True) -> None:
    """Rank and keep the rota; ``replace`` False adds the named lenders after those still waiting."""
    chosen, excluded, libraries, weights, network = rota.rank(req, named=named)
    if named:
        wanted = {lib.pk for lib in named}
        chosen = [(lender, svc) for lender, svc in chosen if lender.library_id in wanted]
        excluded = [x for x in excluded if x.library_id in wanted]
    if replace:
        req.rota.filter(outcome=RotaEntry.Outcome.WAITING).delete()
    last = req.rota.order_by("-position").values_list("position", flat=True).first() or 0
    RotaEntry.objects.bulk_create([
        RotaEntry(
            request=req, position=last + n, library_id=lender.library_id, service=service, score=lender.score,
            reasons=[r.as_dict() for r in lender.reasons], quote=[line.as_dict() for line in lender.quote.lines],
            delivery=lender.delivery, km=lender.leg.km, crossings=lender.leg.crossings,
            agreement_id=lender.agreement_id, cost=lender.quote.requester_cost,
        )
        for n, (lender, service) in enumerate(chosen, start=1)
    ])
    left_out = [{**x.as_dict(), "library": libraries[x.library_id].code if x.library_id in libraries else None}
                for x in excluded]
    before = {} if replace else (req.routing or {})
    req.routing = {
        "at": timezone.now().isoformat(), "network": network, "weights": weights.as_dict(),
        "named": before.get("named", []) + ([lib.code for lib in named] if named else []),
        "excluded": before.get("excluded", []) + left_out,
    }
    req.version += 1
    req.updated = timezone.now()
    req.save(update_fields=["routing", "version", "updated"])
    note = _("%(lenders)s lender(s) in the rota, %(excluded)s left out") % {
        "lenders": len(chosen), "excluded": len(excluded)}
    record_event(req, actor=actor, action="route", from_state=req.state, note=note)
