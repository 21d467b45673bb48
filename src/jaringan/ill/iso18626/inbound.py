"""Messages from other systems (``POST /iso18626``): read, checked, applied, confirmed.

`receive` takes the bytes a peer posted and returns the confirmation to
answer with. Every message is kept with the schema's verdict. What peers
really send is accepted where the meaning is clear (a bare top-level element,
``+0000`` timestamps, a 1.0 header): the core reads it leniently and the log
keeps the schema's complaints. The answer is ERROR with

* ``BadlyFormedMessage``    not XML, a DOCTYPE, the wrong shape, too large, or
                            a confirmation posted on its own;
* ``UnrecognisedDataElement`` an element the schema does not allow there;
* ``UnrecognisedDataValue`` an unknown code, agency or request, an empty id, a
                            security code that does not match, a status not
                            allowed now;
* ``UnsupportedActionType`` a requester's action not allowed now (or unknown);
* ``UnsupportedReasonForMessageType`` a supplier's reason not in the standard's
                            list, or an answer (RenewResponse, CancelResponse)
                            to a question not asked.

A request is always found by the pair (the peer that sent it, its id there):
``requestingAgencyRequestId`` under the requesting peer, never an id alone.
A ``Retry`` or ``Reminder`` (or an action) about a request never received
here is refused; a ``Retry`` may give the request a new id and name the old
one in ``requestingAgencyPreviousRequestId``, and a new request naming a
previous one received here is linked to it (one sent elsewhere is no concern
of this hub).

A message received twice (a peer trying again after a lost answer) gets the
same confirmation again and is not applied twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.core import iso18626 as core
from jaringan.core.iso18626 import elements as el
from jaringan.catalog.models import SourceRecord
from jaringan.core.errors import Conflict, Forbidden, Invalid, JaringanError, NotFound, Unavailable, lookup
from jaringan.core.iso18626.messages import CONFIRMATIONS
from jaringan.core.ill.geography import leg
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from jaringan.network.selectors import agreement_check

from .. import conf, rota
from ..models import IllMessage, IllRequest, Origin, Peer, RotaEntry, Service
from ..notices import notify
from ..permissions import Remote
from ..services.acting import act_locked, lock_request, record_event
from . import gate
from .agencies import agency_label, library_for_agency, stored_pair
from .messages import SERVICE_OF_TYPE, digest, keep

E = core.ErrorType


class Refusal(Invalid):
    """The message is understood but cannot be accepted: answer ERROR with this type and value."""

    def __init__(self, error_type: core.ErrorType, value: str):
        super().__init__(value, code=str(error_type))
        self.error_type = error_type
        self.value = value


#: The ErrorType that refuses a message when applying it meets an error of the project's tree (a
#: ``Refusal`` has its own). A ``Conflict`` (the action is not possible in the request's state) is refused
#: as the message's own kind of refusal (``conflict``: its action, or its reason for message, unsupported
#: now). ``Unavailable`` refuses nothing: it goes up, nothing is kept, the endpoint answers 503 and the peer
#: sends the message again.
ERROR_TYPES: dict[type[JaringanError], core.ErrorType] = {
    Invalid: E.UnrecognisedDataValue,
    Forbidden: E.UnrecognisedDataValue,
    NotFound: E.UnrecognisedDataValue,
    JaringanError: E.UnrecognisedDataValue,
}


def refusal_for(error: JaringanError, *, conflict: core.ErrorType) -> Refusal:
    """The refusal that answers ``error`` (never an ``Unavailable``, which is not the message's fault)."""
    if isinstance(error, Refusal):
        return error
    if isinstance(error, Conflict):
        return Refusal(conflict, "; ".join(error.errors.get("action", [])) or error.message)
    return Refusal(lookup(ERROR_TYPES, error, E.UnrecognisedDataValue), error.message)


def receive(raw: bytes, *, sender: gate.Sender = gate.Sender()) -> bytes:
    """Handle one message from another system; return the confirmation to answer it with.

    Raises `gate.TooLarge`, `gate.Unauthenticated` (a peer's secret missing) or `gate.Throttled` (over the
    rate) with nothing kept; an `Unavailable` met on the way goes up too, nothing kept.
    """
    raw = bytes(raw)
    if len(raw) > conf.max_message_bytes():
        raise gate.too_large()
    previous = (IllMessage.objects.filter(direction=IllMessage.Direction.IN, digest=digest(raw),
                                          answer__isnull=False).select_related("answer").order_by("-id").first())
    if previous is not None:
        return bytes(previous.answer.raw)
    try:
        message = core.parse(raw)
    except core.MessageError as exc:
        gate.throttle(sender, None)
        answer = core.confirmation_for(exc, status=core.MessageStatus.ERROR)
        with transaction.atomic():
            kept = keep(raw=raw, direction=IllMessage.Direction.IN, kind=exc.kind or "unreadable",
                            status=IllMessage.Status.REFUSED, address=sender.address, limit=conf.keep_bytes())
            kept.last_error = f"{exc.error_type}: {exc.error_value}"
            _answer(kept, answer)
        return answer
    try:
        proven = gate.authenticate(message, sender)
    except gate.Unauthenticated as exc:
        exc.answer = _error_answer(message, Refusal(E.UnrecognisedDataValue, exc.reason))
        raise
    gate.throttle(sender, proven)
    kind = message.ELEMENT
    with transaction.atomic():
        kept = keep(raw=raw, direction=IllMessage.Direction.IN, kind=kind, status=IllMessage.Status.ACCEPTED,
                        peer=proven, address=sender.address)
        try:
            with transaction.atomic():
                _check_sender(message)
                _check_ids(message)
                HANDLERS[kind](message, kept)
        except Refusal as refusal:
            kept.status, kept.last_error = IllMessage.Status.REFUSED, f"{refusal.error_type}: {refusal.value}"
            answer = _error_answer(message, refusal)
        else:
            answer = core.confirmation_for(message, status=core.MessageStatus.OK)
        kept.request_id = IllMessage.objects.filter(pk=kept.pk).values_list("request_id", flat=True).first()
        _answer(kept, answer)
    return answer


def _answer(kept: IllMessage, answer: bytes) -> None:
    if kept.status == IllMessage.Status.REFUSED:
        gate.shorten(kept)
    reply = keep(raw=answer, direction=IllMessage.Direction.OUT, kind=core.parse(answer).ELEMENT,
                     status=IllMessage.Status.SENT, request=kept.request, peer=kept.peer)
    kept.answer = reply
    kept.save(update_fields=["status", "last_error", "answer", "request"])


def _error_answer(message, refusal: Refusal) -> bytes:
    if message.ELEMENT not in CONFIRMATIONS:
        header = message.confirmation_header
        echo = el.Echo(supplying_agency_id=header.supplying_agency_id,
                       requesting_agency_id=header.requesting_agency_id, timestamp=header.timestamp,
                       requesting_agency_request_id=header.requesting_agency_request_id)
        return core.confirmation_for(core.BadlyFormedMessage(refusal.value, kind=None, echo=echo),
                                     status=core.MessageStatus.ERROR)
    return core.confirmation_for(message, status=core.MessageStatus.ERROR, error_type=refusal.error_type,
                                 error_value=refusal.value[:500])


def _check_sender(message) -> None:
    """A peer with a security code must send it: the requester in requests and its actions, the supplier in its."""
    header = getattr(message, "header", None)
    if header is None:
        return
    sender = header.supplying_agency_id if message.ELEMENT == core.SupplyingAgencyMessage.ELEMENT \
        else header.requesting_agency_id
    _library, peer = library_for_agency(sender)
    if peer is None or not peer.security_code:
        return
    given = header.requesting_agency_authentication.security_code if header.requesting_agency_authentication \
        else None
    if given != peer.security_code:
        raise Refusal(E.UnrecognisedDataValue, "requestingAgencyAuthentication: the security code for "
                      f"{agency_label(sender)} does not match")


def _check_ids(message) -> None:
    """Every request and agency message names its request: an empty id names none (nor everyone's)."""
    header = getattr(message, "header", None)
    if header is None:
        return
    if not header.requesting_agency_request_id.strip():
        raise Refusal(E.UnrecognisedDataValue, "requestingAgencyRequestId is empty: it must name the request")
    if message.ELEMENT != core.Request.ELEMENT and header.supplying_agency_request_id is not None \
            and not header.supplying_agency_request_id.strip():
        raise Refusal(E.UnrecognisedDataValue, "supplyingAgencyRequestId is empty: leave it out or name the request")


def _peer_library(agency: el.AgencyId, role: str) -> tuple[Library, Peer]:
    """The library served by another system that ``agency`` names, with its peer; refused otherwise."""
    library, peer = library_for_agency(agency)
    label = agency_label(agency)
    if library is None:
        raise Refusal(E.UnrecognisedDataValue, f"{role} {label} is not known here")
    if peer is None:
        raise Refusal(E.UnrecognisedDataValue, f"{role} {label} has no ISO 18626 address here")
    return library, peer


def _remote_request(requester: Library, request_id: str, *, element: str = "requestingAgencyRequestId",
                    label: str) -> IllRequest:
    """The request received from ``requester`` under its id ``request_id``: the pair, never the id alone."""
    found = IllRequest.objects.filter(origin=Origin.REMOTE, requester=requester,
                                      peer_request_id=request_id.strip()).first() if request_id.strip() else None
    if found is None:
        raise Refusal(E.UnrecognisedDataValue, f"{element} {request_id}: no such request from {label} here")
    return found


def _remote(library: Library, peer: Peer | None, kept: IllMessage, agency: el.AgencyId) -> Remote:
    if kept.peer_id is None and peer is not None:
        IllMessage.objects.filter(pk=kept.pk).update(peer=peer)
        kept.peer = peer
    return Remote(library=library, peer=peer, message=kept, label=agency_label(agency))


def _apply(req: IllRequest, actor, action: str, *, refusal: core.ErrorType, note: str = "", **params) -> None:
    try:
        act_locked(req, actor=actor, action=action, note=note or "", **params)
    except Unavailable:
        raise
    except JaringanError as exc:
        raise refusal_for(exc, conflict=refusal) from None


# --- request ------------------------------------------------------------------------------------

def _bibliographic(message: core.Request, supplier: Library) -> dict:
    bib = message.bibliographic_info
    data = {}
    if bib.title_of_component:
        data.update(title=bib.title_of_component, author=bib.author_of_component or "", container=bib.title or "")
    else:
        data.update(title=bib.title or "", author=bib.author or "")
    data.update(volume=bib.volume or "", issue=bib.issue or "", pages_requested=bib.pages_requested or "")
    for item in bib.bibliographic_item_ids:
        code = item.bibliographic_item_identifier_code.value.strip().upper()
        if code in ("ISBN", "ISSN"):
            data[code.lower()] = item.bibliographic_item_identifier.strip()
    publication = message.publication_info
    if publication is not None:
        data.update(publisher=publication.publisher or "", year=publication.publication_date or "")
    edition = None
    if bib.supplier_unique_record_id:
        record = (SourceRecord.objects.filter(library=supplier, source_id=bib.supplier_unique_record_id.strip())
                  .select_related("edition").first())
        if record is not None and record.edition is not None:
            edition = record.edition
            data["title"] = data.get("title") or edition.title
    if not data.get("title"):
        data["title"] = f"[{bib.supplier_unique_record_id or message.header.requesting_agency_request_id}]"
    fields = {f.name: f.max_length for f in IllRequest._meta.fields if f.max_length}
    return {"edition": edition, **{k: str(v)[:fields[k]] for k, v in data.items()}}


def _service(message: core.Request) -> str:
    info = message.service_info
    return str(SERVICE_OF_TYPE[info.service_type]) if info is not None else Service.LOAN


def _covered(requester: Library, supplier: Library, service: str):
    """The agreement decision for a request received (for either: loan first, then copy)."""
    wanted = {Service.LOAN: ["loan"], Service.COPY: ["copy"], Service.EITHER: ["loan", "copy"]}[Service(service)]
    offered = {"loan": supplier.offers_loan, "copy": supplier.offers_copy}
    decision = None
    for kind in wanted:
        decision = agreement_check(requester=requester, supplier=supplier, service=kind)
        if decision.allowed and offered[kind]:
            return decision, ""
    if not any(offered[k] for k in wanted):
        return decision, "service_not_offered"
    return decision, "not_covered"


def handle_request(message: core.Request, kept: IllMessage) -> None:
    header = message.header
    supplier, supplier_peer = library_for_agency(header.supplying_agency_id)
    if supplier is None or supplier_peer is not None:
        raise Refusal(E.UnrecognisedDataValue,
                      f"supplyingAgencyId {agency_label(header.supplying_agency_id)} is not a library served here")
    requester, peer = _peer_library(header.requesting_agency_id, "requestingAgencyId")
    label = agency_label(header.requesting_agency_id)
    if requester.pk == supplier.pk:
        raise Refusal(E.UnrecognisedDataValue, "a library does not ask itself")
    info = message.service_info
    request_type = info.request_type if info else None
    rid = header.requesting_agency_request_id.strip()
    previous_id = ((info.requesting_agency_previous_request_id or "") if info else "").strip()
    existing = IllRequest.objects.filter(origin=Origin.REMOTE, requester=requester, peer_request_id=rid).first()
    previous = None
    if previous_id and previous_id != rid:  # a new request may follow one sent elsewhere: only a Retry needs it here
        previous = IllRequest.objects.filter(origin=Origin.REMOTE, requester=requester,
                                             peer_request_id=previous_id).first()
        if previous is None and request_type == core.RequestType.Retry:
            _remote_request(requester, previous_id, element="requestingAgencyPreviousRequestId", label=label)
    actor = _remote(requester, peer, kept, header.requesting_agency_id)
    if request_type == core.RequestType.Retry:
        _retry(message, kept, actor, existing=existing, previous=previous, rid=rid, label=label)
        return
    if request_type == core.RequestType.Reminder:
        if existing is None:
            raise Refusal(E.UnrecognisedDataValue, f"requestingAgencyRequestId {rid}: no request from {label} "
                          "here to remind of")
        record_event(lock_request(existing.pk), actor=actor, action="reminder", from_state=existing.state, message=kept)
        IllMessage.objects.filter(pk=kept.pk).update(request=existing)
        return
    if existing is not None:
        raise Refusal(E.UnrecognisedDataValue, f"requestingAgencyRequestId {rid} was already used by {label}")
    req = _create_lending(message, kept, requester=requester, supplier=supplier, actor=actor)
    if previous is not None:
        _link(previous, req, actor=actor, kept=kept, previous_id=previous_id)


def _retry(message: core.Request, kept: IllMessage, actor: Remote, *, existing: IllRequest | None,
           previous: IllRequest | None, rid: str, label: str) -> None:
    """A Retry accepts the conditions the lender offered: it names the request by its id, or by its previous id
    when the requester gave the retry an id of its own (the request then answers to the new id)."""
    if previous is not None and existing is not None:
        raise Refusal(E.UnrecognisedDataValue, f"requestingAgencyRequestId {rid} was already used by {label}")
    target = previous or existing
    if target is None:
        raise Refusal(E.UnrecognisedDataValue, f"requestingAgencyRequestId {rid}: no request from {label} "
                      "here to retry")
    req = lock_request(target.pk)
    if previous is not None:
        req.peer_request_id = rid[:100]
        IllRequest.objects.filter(pk=req.pk).update(peer_request_id=req.peer_request_id)
    billing = message.billing_info
    if billing is not None and billing.maximum_costs is not None:
        req.max_cost = billing.maximum_costs.monetary_value.quantize(1)
    _apply(req, actor, "accept_conditions", refusal=E.UnsupportedActionType,
           note=f"requestingAgencyRequestId {rid} (was {previous.peer_request_id})" if previous else "")


def _link(previous: IllRequest, req: IllRequest, *, actor: Remote, kept: IllMessage, previous_id: str) -> None:
    """A new request naming a previous one (``requestingAgencyPreviousRequestId``): each names the other."""
    record_event(lock_request(previous.pk), actor=actor, action="followed", from_state=previous.state, message=kept,
           note=f"requestingAgencyRequestId {req.peer_request_id}: request #{req.pk}")
    record_event(req, actor=actor, action="follows", from_state=req.state, message=kept,
           note=f"requestingAgencyPreviousRequestId {previous_id}: request #{previous.pk}")


def _create_lending(message: core.Request, kept: IllMessage, *, requester: Library, supplier: Library,
                    actor: Remote) -> IllRequest:
    header, info = message.header, message.service_info
    service = _service(message)
    patron = message.patron_info
    reader = " ".join(x for x in ((patron.given_name, patron.surname) if patron else ()) if x)
    billing = message.billing_info
    max_cost = billing.maximum_costs.monetary_value.quantize(1) if billing and billing.maximum_costs else None
    need_by = timezone.localdate(info.need_before_date) if info and info.need_before_date else None
    data = _bibliographic(message, supplier)
    pages = None
    if message.bibliographic_info.estimated_no_pages and message.bibliographic_info.estimated_no_pages.isdigit():
        pages = int(message.bibliographic_info.estimated_no_pages)
    req = IllRequest.objects.create(
        origin=Origin.REMOTE, requester=requester, supplier=supplier, state=str(core.Status.RequestReceived),
        peer_request_id=header.requesting_agency_request_id[:100], reader_name=reader[:200], service=service,
        need_by=need_by, max_cost=max_cost, page_count=pages,
        any_edition=not (info and info.any_edition == core.YesNo.N), note=(info.note or "") if info else "",
        agency_ids={"requesting": stored_pair(header.requesting_agency_id),
                    "supplying": stored_pair(header.supplying_agency_id)},
        rota_position=1, **data,
    )
    decision, why = _covered(requester, supplier, service)
    way = leg(rota.place_of(requester), rota.place_of(supplier))
    now = timezone.now()
    RotaEntry.objects.create(
        request=req, position=1, library=supplier, service=service, outcome=RotaEntry.Outcome.ASKED,
        sent_at=now, answer_by=now + timedelta(days=conf.answer_days()), km=way.km, crossings=way.crossings,
        agreement_id=decision.agreement_id if decision is not None and not why else None,
    )
    IllMessage.objects.filter(pk=kept.pk).update(request=req)
    record_event(req, actor=actor, action="receive", from_state="", message=kept, lender=supplier)
    if why:
        note = {"not_covered": _("No agreement covers a request from %(library)s."),
                "service_not_offered": _("This library does not offer this service.")}[why] % {
            "library": requester.name}
        _apply(req, SYSTEM, str(core.Status.Unfilled), refusal=E.UnrecognisedDataValue, note=note, reason=why)
    else:
        notify(req, "new_lending", answer_by=timezone.localtime(now + timedelta(days=conf.answer_days()))
               .strftime("%Y-%m-%d"))
    return req


# --- supplyingAgencyMessage ------------------------------------------------------------------------

def _supplier_action(message: core.SupplyingAgencyMessage, state: str) -> tuple[str, dict]:
    info, status_info = message.message_info, message.status_info
    status, reason = status_info.status, info.reason_for_message
    due = status_info.due_date
    R = core.ReasonForMessage
    if reason == R.RenewResponse:
        if info.answer_yes_no == core.YesNo.N:
            return "refuse_renewal", {}
        return "grant_renewal", {"due_date": timezone.localdate(due) if due else None}
    if reason == R.CancelResponse:
        if info.answer_yes_no == core.YesNo.N or status != core.Status.Cancelled:
            return "refuse_cancel", {}
        return str(core.Status.Cancelled), {}
    if str(status) == state:
        return "answer_status", {"due_date": timezone.localdate(due) if due else None}
    params: dict = {}
    if status == core.Status.Loaned and due:
        params["due_date"] = timezone.localdate(due)
    elif status == core.Status.Recalled and due:
        params["due_date"] = timezone.localdate(due)
    elif status == core.Status.RetryPossible:
        costs = info.offered_costs
        params.update(offered_cost=costs.monetary_value if costs else None, retry_after=info.retry_after,
                      retry_before=info.retry_before)
    elif status == core.Status.Unfilled and info.reason_unfilled:
        params["reason"] = info.reason_unfilled.value
    elif status == core.Status.CopyCompleted and message.delivery_info and message.delivery_info.sent_via:
        params["sent_via"] = message.delivery_info.sent_via.value
        item_id = (message.delivery_info.item_id or "").strip()
        if params["sent_via"].strip().upper() == "URL" and item_id.lower().startswith(("http://", "https://")):
            params["url"] = item_id  # the scan on the lender's system (ReShare and others put the address here)
    return str(status), params


def handle_supplying(message: core.SupplyingAgencyMessage, kept: IllMessage) -> None:
    header = message.header
    supplier, peer = _peer_library(header.supplying_agency_id, "supplyingAgencyId")
    requester, _peer = library_for_agency(header.requesting_agency_id)
    rid = header.requesting_agency_request_id.strip()
    found = IllRequest.objects.filter(pk=int(rid), origin=Origin.LOCAL).first() if rid.isdigit() else None
    if found is None or requester is None or found.requester_id != requester.pk:
        raise Refusal(E.UnrecognisedDataValue,
                      f"requestingAgencyRequestId {rid}: no such request from "
                      f"{agency_label(header.requesting_agency_id)} here")
    req = lock_request(found.pk)
    IllMessage.objects.filter(pk=kept.pk).update(request=req)
    actor = _remote(supplier, peer, kept, header.supplying_agency_id)
    if req.supplier_id != supplier.pk:
        if not req.rota.filter(library=supplier).exists():
            raise Refusal(E.UnrecognisedDataValue, f"{actor.label} was not asked for request {rid}")
        record_event(req, actor=actor, action="late_answer", from_state=req.state, message=kept, lender=supplier,
               note=f"{message.status_info.status} ({message.message_info.reason_for_message})")
        return
    sid = (header.supplying_agency_request_id or "").strip()
    if sid and req.supplier_request_id and sid != req.supplier_request_id:
        raise Refusal(E.UnrecognisedDataValue, f"supplyingAgencyRequestId {sid}: {actor.label} named request "
                      f"{rid} {req.supplier_request_id} before")
    if sid and not req.supplier_request_id:
        req.supplier_request_id = sid[:100]
        IllRequest.objects.filter(pk=req.pk).update(supplier_request_id=req.supplier_request_id)
    if req.state == "Sent":  # the lender answered before its confirmation reached us
        _apply(req, SYSTEM, "confirm", refusal=E.UnrecognisedDataValue)
    action, params = _supplier_action(message, req.state)
    answers = (core.ReasonForMessage.RenewResponse, core.ReasonForMessage.CancelResponse)
    refusal = E.UnsupportedReasonForMessageType if message.message_info.reason_for_message in answers \
        else E.UnrecognisedDataValue
    _apply(req, actor, action, refusal=refusal, note=message.message_info.note or "", **params)


# --- requestingAgencyMessage -----------------------------------------------------------------------

def handle_requesting(message: core.RequestingAgencyMessage, kept: IllMessage) -> None:
    header = message.header
    requester, peer = _peer_library(header.requesting_agency_id, "requestingAgencyId")
    label = agency_label(header.requesting_agency_id)
    found = _remote_request(requester, header.requesting_agency_request_id, label=label)
    sid = (header.supplying_agency_request_id or "").strip()
    if sid and sid != str(found.pk):
        raise Refusal(E.UnrecognisedDataValue, f"supplyingAgencyRequestId {sid}: request "
                      f"{header.requesting_agency_request_id} from {label} is {found.pk} here")
    req = lock_request(found.pk)
    IllMessage.objects.filter(pk=kept.pk).update(request=req)
    actor = _remote(requester, peer, kept, header.requesting_agency_id)
    _apply(req, actor, str(message.action), refusal=E.UnsupportedActionType, note=message.note or "")


def _confirmation_posted(message, kept: IllMessage) -> None:
    raise Refusal(E.BadlyFormedMessage, f"a {message.ELEMENT} answers a message; it is not sent on its own")


HANDLERS = {
    core.Request.ELEMENT: handle_request,
    core.SupplyingAgencyMessage.ELEMENT: handle_supplying,
    core.RequestingAgencyMessage.ELEMENT: handle_requesting,
    core.RequestConfirmation.ELEMENT: _confirmation_posted,
    core.SupplyingAgencyMessageConfirmation.ELEMENT: _confirmation_posted,
    core.RequestingAgencyMessageConfirmation.ELEMENT: _confirmation_posted,
}

__all__ = ["HANDLERS", "Refusal", "receive"]
