"""Every write to interlibrary loan requests.

Plain functions, keyword-only arguments, one transaction each, each taking
the acting person (a `Principal`), the hub itself (`SYSTEM`) or another
system (`Remote`). A refusal raises a `jaringan.errors` exception and
changes nothing.

* `illrequest_create`  staff ask for a reader (or a walk-in reader), or a
  reader asks from a record page (then it waits for the staff's approval)
* `illrequest_approve` the reader's library approves: routed and sent
* `illrequest_route`   rank the lenders (the routing core) and keep the rota
* `illrequest_send`    ask the next lender of the rota (or one named)
* `illrequest_act`     THE one writer of a request's state: locks the row,
  asks the table (`core.ill.lifecycle`), checks the actor, records the event
  with its message, and runs the side effects (`effects.EFFECTS`)
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.catalog.models import Edition
from jaringan.core.catalog import codec
from jaringan.core.ill import lifecycle
from jaringan.core.iso18626 import elements as el
from jaringan.core.iso18626.errors import IllegalTransition
from jaringan.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.network.models import Library, Network
from jaringan.network.permissions import Principal, acts_for_library, coordinates_library
from jaringan.outbound import address_check
from jaringan.plaintext import refuse_controls

from . import conf, effects, iso, outbound, rota
from .effects import Change
from .models import (
    AgencyId,
    IllEvent,
    IllMessage,
    IllRequest,
    NoticeSettings,
    Origin,
    Peer,
    RotaEntry,
    RoutingWeights,
    Service,
)
from .notices import notify
from .permissions import SYSTEM, Remote, can_request_for, can_see, is_system, roles_on
from .texts import action_label, state_label

__all__ = [
    "SYSTEM",
    "Remote",
    "act_locked",
    "agency_id_add",
    "illrequest_act",
    "illrequest_approve",
    "illrequest_create",
    "illrequest_route",
    "illrequest_send",
    "lock_request",
    "notice_settings_save",
    "peer_save",
    "routing_weights_save",
]

#: Citation fields a request copies from its edition or takes as typed.
CITATION_FIELDS = ("title", "author", "year", "publisher", "container", "volume", "issue", "pages_requested",
                   "isbn", "issn")
_PAGE_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")
#: The role an actor takes when it holds several, in this order.
_ROLE_ORDER = (lifecycle.Role.requester, lifecycle.Role.supplier, lifecycle.Role.reader)


# --- creating ---------------------------------------------------------------------------------

def _citation_from_edition(edition: Edition) -> dict:
    record = codec.from_data(edition.preferred.data) if edition.preferred_id else None
    if record is None:
        return {"title": edition.title, "year": str(edition.year or "")}
    return {
        "title": record.full_title[:500], "author": "; ".join(record.authors)[:300],
        "year": str(record.year or ""), "publisher": (record.publisher or "")[:200],
        "isbn": record.isbns[0] if record.isbns else "", "issn": record.issns[0] if record.issns else "",
    }


def _page_count(pages_requested: str, page_count) -> int | None:
    if page_count not in (None, ""):
        try:
            n = int(page_count)
        except (TypeError, ValueError):
            n = -1
        if n <= 0:
            raise Invalid(_("The number of pages must be a positive whole number."),
                          errors={"page_count": [_("Not a number of pages.")]})
        return n
    match = _PAGE_RANGE.match(pages_requested or "")
    if match and int(match[2]) >= int(match[1]):
        return int(match[2]) - int(match[1]) + 1
    return None


@transaction.atomic
def illrequest_create(
    *,
    actor: Principal,
    edition: Edition | None = None,
    citation: dict | None = None,
    service: str = Service.LOAN,
    requester: Library | None = None,
    reader=None,
    reader_name: str = "",
    reader_email: str = "",
    reader_phone: str = "",
    reader_language: str = "",
    page_count: int | None = None,
    need_by=None,
    max_cost: Decimal | int | None = None,
    any_edition: bool = True,
    accepts_digital: bool = True,
    note: str = "",
    send: bool = True,
) -> IllRequest:
    """A new request. A reader's own waits for their library's approval; staff's is routed and sent at once.

    ``edition`` (a union catalogue entry) or ``citation`` (title, author, year,
    publisher, container, volume, issue, pages_requested, isbn, issn) says what
    is asked for; typed fields override the edition's. ``send`` False keeps a
    staff request ``Validated`` (routed, not yet sent).
    """
    if not actor.authenticated and not is_system(actor):
        raise Forbidden(_("Sign in to ask for an interlibrary loan."))
    User = get_user_model()
    if requester is None:
        requester = Library.objects.filter(pk=actor.reader_of).first() if actor.reader_of else None
        if requester is None and len(actor.staff_of) == 1:
            requester = Library.objects.get(pk=next(iter(actor.staff_of)))
        if requester is None:
            raise Invalid(_("Say which library asks."), errors={"requester": [_("Required.")]})
    if iso.peer_of(requester) is not None:
        raise Invalid(_("%(library)s is served by another system; it asks through that system.")
                      % {"library": requester.name}, errors={"requester": [_("Served elsewhere.")]})
    as_staff = can_request_for(actor, requester)
    if not as_staff:
        if actor.reader_of != requester.pk:
            raise Forbidden(_("You may not ask on behalf of %(library)s.") % {"library": requester.name})
        reader = User.objects.get(pk=actor.user_id)  # a reader asks for themself
    elif reader is not None and not isinstance(reader, User):
        reader = User.objects.filter(pk=reader).first()
        if reader is None:
            raise Invalid(_("No such reader."), errors={"reader": [_("Unknown reader.")]})
    if service not in Service.values:
        raise Invalid(_("Unknown service: %(service)s") % {"service": service},
                      errors={"service": [_("Choose loan, copy or either.")]})
    refuse_controls({**(citation or {}), "reader_name": reader_name, "reader_email": reader_email,
                     "reader_phone": reader_phone, "note": note}, texts={"note"})
    data = _citation_from_edition(edition) if edition is not None else {}
    for key, value in (citation or {}).items():
        if key not in CITATION_FIELDS:
            raise Invalid(_("Unknown field(s): %(fields)s") % {"fields": key}, errors={key: [_("Unknown field.")]})
        if value not in (None, ""):
            data[key] = str(value).strip()
    if not data.get("title"):
        raise Invalid(_("Say what is asked for: choose a catalogue entry or type at least a title."),
                      errors={"title": [_("Required.")]})
    pages = _page_count(data.get("pages_requested", ""), page_count)
    if service == Service.COPY and pages is None:
        raise Invalid(_("For a copy, say how many pages (or which: 12-30)."),
                      errors={"page_count": [_("Required for a copy.")]})
    if need_by is not None and need_by < timezone.localdate():
        raise Invalid(_("The date it is needed by is already past."), errors={"need_by": [_("Past.")]})
    if max_cost is not None and Decimal(max_cost) < 0:
        raise Invalid(_("The most to pay cannot be negative."), errors={"max_cost": [_("Negative.")]})
    if reader is None and not reader_name.strip():
        reader_name = requester.name  # the library asks for its own use
    req = IllRequest(
        requester=requester, reader=reader, reader_name=reader_name.strip()[:200], reader_email=reader_email,
        reader_phone=reader_phone, reader_language=reader_language, created_by_id=actor.user_id,
        edition=edition, service=service, page_count=pages, need_by=need_by,
        max_cost=Decimal(max_cost) if max_cost is not None else None, any_edition=any_edition,
        accepts_digital=accepts_digital, note=note,
        state=str(lifecycle.Step.Validated if as_staff else lifecycle.Step.AwaitingApproval),
        **{k: v[:IllRequest._meta.get_field(k).max_length] for k, v in data.items()},
    )
    if req.edition is None:
        req.edition = rota.edition_for_citation(req)
    req.save()
    _event(req, actor=actor, action="create", from_state="", note=note)
    if not as_staff:
        notify(req, "approval_needed")
        return req
    _route(req, actor=actor)
    if send and req.rota.filter(outcome=RotaEntry.Outcome.WAITING).exists():
        act_locked(req, actor=actor, action="send")
    return req


def _route_and_send(req: IllRequest, *, actor) -> None:
    _route(req, actor=actor)
    if req.rota.filter(outcome=RotaEntry.Outcome.WAITING).exists():
        act_locked(req, actor=actor, action="send")


@transaction.atomic
def illrequest_approve(*, actor: Principal, request: IllRequest | int, expected_version: int | None = None,
                       note: str = "", send: bool = True) -> IllRequest:
    """The reader's library approves a reader's request; it is routed and sent to the first lender."""
    refuse_controls({"note": note}, texts={"note"})
    req = _lock(request)
    act_locked(req, actor=actor, action="approve", expected_version=expected_version, note=note)
    if send:
        _route_and_send(req, actor=actor)
    return req


# --- routing ----------------------------------------------------------------------------------

@transaction.atomic
def illrequest_route(*, actor: Principal, request: IllRequest | int, lenders: list[str] | None = None,
                     expected_version: int | None = None) -> IllRequest:
    """Rank the lenders again (or only those named by code) and keep the rota; nothing is sent."""
    req = _lock(request)
    if lifecycle.Role.requester not in roles_on(actor, req) and not is_system(actor):
        raise (Forbidden if can_see(actor, req) else NotFound)(_("Only the requesting library routes a request."))
    _check_version(req, expected_version)
    if req.state not in (lifecycle.Step.Validated, lifecycle.Step.AwaitingApproval):
        raise Conflict(_("A request is routed before it is sent; this one is %(state)s.")
                       % {"state": state_label(req.state)}, code="illegal_transition")
    named = None
    if lenders:
        named = list(Library.objects.filter(code__in=lenders))
        missing = set(lenders) - {lib.code for lib in named}
        if missing:
            raise Invalid(_("Unknown library: %(code)s") % {"code": ", ".join(sorted(missing))},
                          errors={"lenders": [_("Unknown library.")]})
    _route(req, actor=actor, named=named)
    return req


def _route(req: IllRequest, *, actor, named: list[Library] | None = None, replace: bool = True) -> None:
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
    _event(req, actor=actor, action="route", from_state=req.state, note=note)


@transaction.atomic
def illrequest_send(*, actor: Principal, request: IllRequest | int, lender: str | None = None,
                    expected_version: int | None = None) -> IllRequest:
    """Ask the next lender of the rota, or the library named by ``lender`` (routed first if not in the rota)."""
    req = _lock(request)
    params = {"lender": lender} if lender else {}
    return act_locked(req, actor=actor, action="send", expected_version=expected_version, **params)


# --- acting -----------------------------------------------------------------------------------

def lock_request(pk: int) -> IllRequest:
    """The request, its row locked until the transaction ends (the libraries read along, unlocked)."""
    return IllRequest.objects.select_for_update(of=("self",)).select_related("requester", "supplier").get(pk=pk)


def _lock(request: IllRequest | int) -> IllRequest:
    try:
        return lock_request(request.pk if isinstance(request, IllRequest) else request)
    except IllRequest.DoesNotExist:
        raise NotFound(_("No such request.")) from None


def _check_version(req: IllRequest, expected_version) -> None:
    if expected_version is not None and int(expected_version) != req.version:
        raise Conflict(
            _("The request changed while you were looking at it (it is now: %(state)s). Reload it and try again.")
            % {"state": state_label(req.state)}, code="stale")


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
    req = _lock(request)
    return act_locked(req, actor=actor, action=action, expected_version=expected_version, note=note, **params)


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


def _current_entry(req: IllRequest) -> RotaEntry | None:
    if not req.rota_position:
        return None
    return req.rota.select_related("agreement", "library").filter(position=req.rota_position).first()


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
        from .texts import REASON_LABELS

        why = next((str(REASON_LABELS.get(x.code, x.code)) for x in excluded if x.library_id == library.pk), "")
        raise Invalid(_("%(library)s cannot be asked: %(reason)s.") % {"library": library.name, "reason": why},
                      errors={"lender": [why]})
    _route(req, actor=actor, named=[library], replace=False)
    return req.rota.select_related("library", "agreement").get(library=library)


def _iso_service(req: IllRequest, entry: RotaEntry | None) -> str:
    return str(iso.SERVICE_TYPE[Service(entry.service if entry is not None else req.service)])


def act_locked(req: IllRequest, *, actor, action: str, expected_version: int | None = None, note: str = "",
               message: IllMessage | None = None, **params) -> IllRequest:
    """`illrequest_act` on a row the caller has locked (inside its transaction)."""
    if action not in lifecycle.ACTIONS:
        raise Invalid(_("Unknown action: %(action)s") % {"action": action}, errors={"action": [_("Unknown action.")]})
    if isinstance(actor, Principal) and not can_see(actor, req):
        raise NotFound(_("No such request."))
    _check_version(req, expected_version)  # before the role: who lost a race is told so
    role = _role_for(actor, req, action)
    if lifecycle.repeats(req.state, action):  # pressed twice, or by two people at once: applied and billed once
        raise Conflict(_("The request is already %(state)s; nothing was done again.")
                       % {"state": state_label(req.state)}, code="unchanged",
                       errors={"action": [_("Already done.")]})
    entry = _current_entry(req)
    remote_supplier = False
    if action == "send" and req.state == lifecycle.Step.Validated:
        entry = _next_entry(req, params.get("lender"), actor)
        if entry is None:
            raise Conflict(_("No lender is left in the rota: name one, or cancel the request."), code="no_lender")
        remote_supplier = iso.peer_of(entry.library) is not None
    try:
        decision = lifecycle.decide(req.state, action, role=role, service=_iso_service(req, entry),
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
        built = effects.message_for(change, service=_iso_service(req, entry))
        if built is not None:
            message = _keep_outgoing(req, built, party=decision.row.party)
    elif remote and actor.message is not None:
        message = actor.message
    if message is not None and message.request_id is None:
        IllMessage.objects.filter(pk=message.pk).update(request=req)
    _event(req, actor=actor, action=action, from_state=from_state, note=change.event_note or note,
           message=message, lender=entry.library if entry is not None else req.supplier)
    for follow, follow_params in change.followups:
        act_locked(req, actor=SYSTEM, action=follow, **follow_params)
    return req


def _keep_outgoing(req: IllRequest, message, *, party) -> IllMessage:
    """Keep the message an action sends; queue it when the other party is served by another system."""
    from jaringan.core.iso18626.states import Party

    other = req.requester if party is Party.supplier else req.supplier
    peer = iso.peer_of(other)
    if peer is None:
        return iso.keep_built(message, direction=IllMessage.Direction.LOCAL, status=IllMessage.Status.KEPT,
                              request=req)
    if peer.security_code:
        auth = el.RequestingAgencyAuthentication(security_code=peer.security_code)
        message = dataclasses.replace(message, header=dataclasses.replace(
            message.header, requesting_agency_authentication=auth))
    kept = iso.keep_built(message, direction=IllMessage.Direction.OUT, status=IllMessage.Status.PENDING,
                          request=req, peer=peer)
    outbound.enqueue(kept)
    return kept


def _event(req: IllRequest, *, actor, action: str, from_state: str, note: str = "",
           message: IllMessage | None = None, lender: Library | None = None) -> IllEvent:
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


# --- settings of the network --------------------------------------------------------------------

@transaction.atomic
def routing_weights_save(*, actor: Principal, network: Network, weights: dict) -> RoutingWeights:
    """A network's coordinator sets its routing weights (names of `core.ill.routing.Weights`)."""
    from jaringan.core.ill.routing import Weights
    from jaringan.network.permissions import coordinates

    if not coordinates(actor, network):
        raise Forbidden(_("You do not coordinate %(network)s.") % {"network": network.name})
    try:
        checked = Weights.from_mapping(weights)
    except (ValueError, TypeError) as exc:
        raise Invalid(str(exc), errors={"weights": [str(exc)]}) from None
    stored = {k: v for k, v in checked.as_dict().items() if k in weights}
    row, _created = RoutingWeights.objects.update_or_create(
        network=network, defaults={"weights": stored, "updated": timezone.now(), "updated_by_id": actor.user_id})
    return row



# --- peers and names in messages ------------------------------------------------------------------

@transaction.atomic
def peer_save(*, actor: Principal, library: Library, url: str, agency_id_type: str = "",
              agency_id_value: str = "", security_code: str | None = None, timeout: float | None = None,
              active: bool = True, note: str = "", shared_secret: str | None = None) -> Peer:
    """Say that another system serves ``library``: its requests and answers go to ``url`` as ISO 18626."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if not coordinates_library(actor, library):
        raise Forbidden(_("Only a coordinator of %(library)s's networks may say where it is served.")
                        % {"library": library.name})
    refuse_controls({"url": url, "agency_id_type": agency_id_type, "agency_id_value": agency_id_value,
                     "security_code": security_code, "note": note}, texts={"note"})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Invalid(_("%(url)s is not an http(s) address.") % {"url": url}, errors={"url": [_("Not a URL.")]}) \
            from None
    address_check(url, field="url")
    if library.ill_borrowing.exclude(state__in=lifecycle.FINAL).filter(origin=Origin.LOCAL).exists():
        raise Conflict(_("%(library)s has open requests made here; finish them first.") % {"library": library.name},
                       code="open_requests")
    kind, value = (agency_id_type or conf.agency_type()).strip(), (agency_id_value or library.code).strip()
    clash = Peer.objects.filter(agency_id_type=kind, agency_id_value=value).exclude(library=library).first()
    if clash is not None or AgencyId.objects.filter(id_type=kind, id_value=value).exclude(library=library).exists():
        raise Conflict(_("The agency id %(agency)s already names another library.") % {"agency": f"{kind}:{value}"},
                       code="agency_taken")
    peer, _created = Peer.objects.update_or_create(library=library, defaults={
        "url": url, "agency_id_type": kind, "agency_id_value": value, "active": active, "note": note,
        **({"security_code": security_code} if security_code is not None else {}),
        **({"shared_secret": shared_secret.strip()} if shared_secret is not None else {}),
        **({"timeout": float(timeout)} if timeout else {}),
    })
    return peer


@transaction.atomic
def agency_id_add(*, actor: Principal, library: Library, id_type: str, id_value: str) -> AgencyId:
    """Give a library another name in ISO 18626 messages (an ISIL, a ReShare symbol …)."""
    if not acts_for_library(actor, library):
        raise Forbidden(_("You may not name %(library)s.") % {"library": library.name})
    refuse_controls({"id_type": id_type, "id_value": id_value})
    id_type, id_value = id_type.strip(), id_value.strip()
    if not id_type or not id_value:
        raise Invalid(_("Give the agency id's type and value."), errors={"id_value": [_("Required.")]})
    taken = AgencyId.objects.filter(id_type=id_type, id_value=id_value).exclude(library=library).exists() or \
        Peer.objects.filter(agency_id_type=id_type, agency_id_value=id_value).exclude(library=library).exists()
    if taken:
        raise Conflict(_("The agency id %(agency)s already names another library.")
                       % {"agency": f"{id_type}:{id_value}"}, code="agency_taken")
    found, _created = AgencyId.objects.get_or_create(library=library, id_type=id_type, id_value=id_value)
    return found


@transaction.atomic
def notice_settings_save(*, actor: Principal, language: str | None = None, phone: str | None = None,
                         email: bool | None = None, sms: bool | None = None) -> NoticeSettings:
    """A person's own notice settings: language, mobile number, e-mail and SMS on or off."""
    from django.conf import settings as django_settings

    from .sms import normalise_phone

    if actor.user_id is None:
        raise Forbidden(_("Sign in first."))
    row, _created = NoticeSettings.objects.get_or_create(user_id=actor.user_id)
    if language is not None:
        if language and language not in {code for code, _name in django_settings.LANGUAGES}:
            raise Invalid(_("Unknown language: %(language)s") % {"language": language},
                          errors={"language": [_("Unknown language.")]})
        row.language = language
    if phone is not None:
        if phone and normalise_phone(phone) is None:
            raise Invalid(_("%(phone)s is not a telephone number.") % {"phone": phone},
                          errors={"phone": [_("Not a telephone number.")]})
        row.phone = phone
    if email is not None:
        row.email = email
    if sms is not None:
        row.sms = sms
    if row.sms and not row.phone:
        raise Invalid(_("Give a mobile number to receive SMS."), errors={"phone": [_("Required for SMS.")]})
    row.save()
    return row
