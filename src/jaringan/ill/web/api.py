"""JSON endpoints of interlibrary loan (thin over `services` and `selectors`).

Every endpoint needs a signed-in person (session with CSRF, or bearer token):
requests name readers. A request another person may not see answers 404; an
action they may see but not take answers 403. Every action carries the
``expected_version`` it was decided on (422 naming the field without it); a
stale one, or an action the lifecycle does not allow now (one that would
change nothing, as ``Loaned`` sent twice), answers 409 with the reason and
changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from jaringan.catalog.models import Edition
from jaringan.core.errors import Forbidden, Invalid, NotFound
from jaringan.core.ill.fees import Period
from jaringan.network.auth import WRITE_AUTH, api_user
from jaringan.network.auth import api_principal as _principal
from jaringan.network.models import Library, Network
from jaringan.network.permissions import Principal, acts_for_library, coordinates

from .. import deliveries, selectors, services
from ..models import Delivery, IllRequest
from ..permissions import can_see
from ..texts import OUTCOME_LABELS, REASON_LABELS, action_label, delivery_info, state_label

router = Router(tags=["interlibrary loan"], auth=WRITE_AUTH)

ServiceName = Literal["loan", "copy", "either"]
#: Requests in one page of a list at the most, and the furthest a page may start.
MAX_PAGE = 500
MAX_OFFSET = 1_000_000_000




def _library(code: str) -> Library:
    library = Library.objects.filter(code=code).first()
    if library is None:
        raise NotFound(f"No library with code {code}.")
    return library


def _visible(principal: Principal, pk: int) -> IllRequest:
    req = IllRequest.objects.select_related("requester", "supplier", "reader").filter(pk=pk).first()
    if req is None or not can_see(principal, req):
        raise NotFound("No such request.")
    return req


# --- schemas -------------------------------------------------------------------------------------

class Citation(Schema):
    title: str | None = None
    author: str | None = None
    year: str | None = None
    publisher: str | None = None
    container: str | None = Field(None, description="journal or book of an article or chapter")
    volume: str | None = None
    issue: str | None = None
    pages_requested: str | None = Field(None, description="e.g. 12-30")
    isbn: str | None = None
    issn: str | None = None


class RequestIn(Schema):
    edition: int | None = Field(None, description="a union catalogue entry (GET /api/editions/N)")
    citation: Citation | None = None
    service: ServiceName = "loan"
    requester: str | None = Field(None, description="code of the asking library (staff of several)")
    reader: str | None = Field(None, description="username of the reader (staff asking for a reader)")
    reader_name: str = ""
    reader_email: str = ""
    reader_phone: str = ""
    reader_language: Literal["", "id", "en"] = ""
    page_count: int | None = Field(None, gt=0)
    need_by: date | None = None
    max_cost: Decimal | None = Field(None, ge=0)
    any_edition: bool = True
    accepts_digital: bool = True
    note: str = ""
    send: bool = Field(True, description="route and send at once (staff); false keeps it Validated")


class RequestOut(Schema):
    id: int
    state: str
    state_label: str
    version: int
    origin: str
    service: str
    title: str
    author: str
    year: str
    container: str
    volume: str
    issue: str
    pages_requested: str
    page_count: int | None
    isbn: str
    issn: str
    edition: int | None
    requester: str
    supplier: str | None
    reader: str
    need_by: date | None
    max_cost: Decimal | None
    due_date: date | None
    renewals: int
    renewal_pending: bool
    cancel_pending: bool
    offered_cost: Decimal | None
    offered_after: datetime | None
    offered_before: datetime | None
    created: datetime
    updated: datetime


class RotaOut(Schema):
    position: int
    library: str
    library_name: str
    service: str
    score: float
    reasons: list[dict]
    cost: int
    delivery: str
    km: float | None
    crossings: int
    agreement: str | None
    outcome: str
    outcome_label: str


class RequestEventOut(Schema):
    at: datetime
    actor: str
    actor_kind: str
    action: str
    action_label: str
    from_state: str
    to_state: str
    lender: str | None
    note: str
    message: int | None


class MessageDeliveryOut(Schema):
    state: str = Field(..., description="pending (queued), sending, retrying, sent, refused or failed (given up)")
    label: str = Field(..., description="the state in the reader's language")
    attempts: int
    next_attempt: datetime | None = Field(None, description="when it is tried next (queued or retrying)")
    delivered_at: datetime | None
    error: str = Field(..., description="why the last try failed, in the reader's language ('' when it did not)")
    detail: str = Field(..., description="the last failure as the transport reported it")


class MessageOut(Schema):
    id: int
    direction: str
    kind: str
    status: str
    valid: bool | None
    errors: list[str]
    at: datetime
    delivery: MessageDeliveryOut | None = Field(None, description="how a message to another system travels")


class DeliveryOut(Schema):
    method: str
    filename: str
    size: int
    pages: int | None
    expires: datetime | None
    link: str | None


class LedgerOut(Schema):
    debtor: str
    creditor: str
    kind: str
    line: str
    amount: int
    on: date


class RequestDetail(RequestOut):
    rota: list[RotaOut]
    excluded: list[dict]
    history: list[RequestEventOut]
    messages: list[MessageOut]
    deliveries: list[DeliveryOut]
    ledger: list[LedgerOut]
    actions: list[str]


class RequestActionIn(Schema):
    action: str = Field(..., description="an action of the lifecycle (docs/ill.md), e.g. WillSupply, Received")
    expected_version: int = Field(..., description="the request's version this action was decided on "
                                                   "(GET /api/ill/requests/N); a stale one is refused (409)")
    note: str = ""
    due_date: date | None = None
    offered_cost: Decimal | None = Field(None, ge=0)
    retry_after: datetime | None = None
    retry_before: datetime | None = None
    reason: str | None = Field(None, description="reasonUnfilled (Unfilled)")
    pages: int | None = Field(None, ge=0)
    posted: bool | None = Field(None, description="CopyCompleted: the photocopy was posted")
    lender: str | None = Field(None, description="send: the library to ask (code)")
    lenders: list[str] | None = Field(None, description="route: rank only these libraries (codes)")
    sent_via: str | None = None


class PeerIn(Schema):
    library: str
    url: str
    agency_id_type: str = ""
    agency_id_value: str = ""
    security_code: str | None = None
    shared_secret: str | None = Field(None, max_length=200, description=(
        "agreed with the peer's system for HTTP: sent as `Authorization: Bearer` with our messages to it and "
        "required of its messages to us; never shown back"))
    timeout: float | None = Field(None, gt=0, le=120)
    active: bool = True
    note: str = ""


class PeerOut(Schema):
    library: str
    url: str
    agency_id_type: str
    agency_id_value: str
    active: bool
    timeout: float

    @staticmethod
    def resolve_library(obj) -> str:
        return obj.library.code


class AgencyIdIn(Schema):
    id_type: str
    id_value: str


class WeightsIn(Schema):
    weights: dict[str, float]


class NoticesIn(Schema):
    language: Literal["", "id", "en"] | None = None
    phone: str | None = None
    email: bool | None = None
    sms: bool | None = None


class NoticesOut(Schema):
    language: str
    phone: str
    email: bool
    sms: bool


# --- helpers -------------------------------------------------------------------------------------

_PLAIN = ("id", "state", "version", "origin", "service", "title", "author", "year", "container", "volume", "issue",
          "pages_requested", "page_count", "isbn", "issn", "need_by", "max_cost", "due_date", "renewals",
          "renewal_pending", "cancel_pending", "offered_cost", "offered_after", "offered_before", "created",
          "updated")


def _summary(req: IllRequest) -> dict:
    out = {name: getattr(req, name) for name in _PLAIN}
    out.update(state_label=state_label(req.state), edition=req.edition_id, requester=req.requester.code,
               supplier=req.supplier.code if req.supplier_id else None, reader=req.reader_display)
    return out


def _detail(req: IllRequest, principal: Principal) -> dict:
    info = selectors.request_detail(req, principal)
    if info is None:
        raise NotFound("No such request.")
    out = _summary(req)
    out["rota"] = [{
        "position": e.position, "library": e.library.code, "library_name": e.library.name, "service": e.service,
        "score": e.score, "cost": e.cost, "delivery": e.delivery, "km": e.km, "crossings": e.crossings,
        "agreement": e.agreement.code if e.agreement_id else None, "outcome": e.outcome,
        "outcome_label": str(OUTCOME_LABELS.get(e.outcome, e.outcome)),
        "reasons": [{**r, "label": str(REASON_LABELS.get(r["code"], r["code"]))} for r in e.reasons],
    } for e in info["rota"]]
    out["excluded"] = [{**x, "label": str(REASON_LABELS.get(x["code"], x["code"]))} for x in info["excluded"]]
    out["history"] = [{
        "at": e.at, "actor": e.actor_label, "actor_kind": e.actor_kind, "action": e.action,
        "action_label": action_label(e.action), "from_state": e.from_state, "to_state": e.to_state,
        "lender": e.lender.code if e.lender_id else None, "note": e.note, "message": e.message_id,
    } for e in info["history"]]
    staff = bool(principal.is_superuser or {req.requester_id, req.supplier_id} & set(principal.staff_of))
    out["messages"] = [{"id": m.id, "direction": m.direction, "kind": m.kind, "status": m.status,
                        "valid": m.valid, "errors": m.errors, "at": m.at, "delivery": delivery_info(m)}
                       for m in info["messages"]] if staff else []
    out["deliveries"] = [{
        "method": d.method, "filename": d.filename, "size": d.size, "pages": d.pages, "expires": d.expires,
        "link": deliveries.link(d) if d.method in (Delivery.Method.FILE, Delivery.Method.LINK) and not d.purged
        else None,
    } for d in info["deliveries"]]
    out["ledger"] = [{"debtor": x.debtor.code, "creditor": x.creditor.code, "kind": x.kind, "line": x.line,
                      "amount": int(x.amount), "on": x.on} for x in info["ledger"]]
    out["actions"] = info["actions"]
    return out


# --- requests ------------------------------------------------------------------------------------

@router.post("/ill/requests", response={201: RequestDetail})
def request_create(request, payload: RequestIn):
    """Ask for a loan or a copy: staff for a reader (routed and sent at once), or a reader for themself."""
    principal = _principal(request)
    edition = None
    if payload.edition is not None:
        edition = Edition.objects.filter(pk=payload.edition).first()
        if edition is None:
            raise Invalid(f"No catalogue entry {payload.edition}.", errors={"edition": ["Unknown entry."]})
    reader = None
    if payload.reader:
        reader = get_user_model().objects.filter(username=payload.reader).first()
        if reader is None:
            raise Invalid(f"No reader {payload.reader}.", errors={"reader": ["Unknown reader."]})
    req = services.illrequest_create(
        actor=principal, edition=edition,
        citation=payload.citation.dict(exclude_none=True) if payload.citation else None,
        service=payload.service, requester=_library(payload.requester) if payload.requester else None,
        reader=reader, reader_name=payload.reader_name, reader_email=payload.reader_email,
        reader_phone=payload.reader_phone, reader_language=payload.reader_language, page_count=payload.page_count,
        need_by=payload.need_by, max_cost=payload.max_cost, any_edition=payload.any_edition,
        accepts_digital=payload.accepts_digital, note=payload.note, send=payload.send,
    )
    return Status(201, _detail(IllRequest.objects.get(pk=req.pk), principal))  # as the follow-ups left it


@router.get("/ill/requests", response=list[RequestOut])
def request_list(request, side: Literal["borrowing", "lending", "mine"] = "mine", library: str | None = None,
                 state: str | None = None, limit: Query[int, {"ge": 1, "le": MAX_PAGE}] = 100,
                 offset: Query[int, {"ge": 0, "le": MAX_OFFSET}] = 0):
    """My library's borrowing or lending requests (staff), or my own (``side=mine``, readers).

    ``state`` filters (several separated by commas); ``limit`` (1 to 500) and ``offset`` page; a limit or
    offset out of range answers 422 naming it, an offset past the end an empty page.
    """
    principal = _principal(request)
    states = state.split(",") if state else None
    if side == "mine":
        user = api_user(request)
        qs = selectors.reader_requests(user)
        if states:
            qs = qs.filter(state__in=states)
    else:
        if library is None:
            if len(principal.staff_of) != 1:
                raise Invalid("Say which library (library=CODE).", errors={"library": ["Required."]})
            lib = Library.objects.get(pk=next(iter(principal.staff_of)))
        else:
            lib = _library(library)
        if not (principal.is_superuser or lib.pk in principal.staff_of):
            raise Forbidden(f"You are not staff of {lib.name}.")
        queue = selectors.borrowing_queue if side == "borrowing" else selectors.lending_queue
        qs = queue(lib, states)
    return [_summary(req) for req in qs[offset:offset + limit]]


@router.get("/ill/requests/{pk}", response=RequestDetail)
def request_detail(request, pk: int):
    """One request with its rota (and why), history, messages, deliveries, ledger and the actions open to me."""
    principal = _principal(request)
    return _detail(_visible(principal, pk), principal)


@router.post("/ill/requests/{pk}/actions", response=RequestDetail)
def request_act(request, pk: int, payload: RequestActionIn):
    """Take an action: ``approve``, ``route``, ``send``, or any action of the lifecycle table."""
    principal = _principal(request)
    _visible(principal, pk)
    data = payload.dict(exclude_none=True)
    action, version, note = data.pop("action"), data.pop("expected_version"), data.pop("note", "")
    if action == "approve":
        req = services.illrequest_approve(actor=principal, request=pk, expected_version=version, note=note)
    elif action == "route":
        req = services.illrequest_route(actor=principal, request=pk, lenders=data.get("lenders"),
                                        expected_version=version)
    else:
        data.pop("lenders", None)
        req = services.illrequest_act(actor=principal, request=pk, action=action, expected_version=version,
                                      note=note, **data)
    return _detail(IllRequest.objects.get(pk=req.pk), principal)


@router.post("/ill/requests/{pk}/scan", response=RequestDetail)
def request_scan(request, pk: int, scan: File[UploadedFile], expected_version: Form[int],
                 pages: Form[int | None] = None, note: Form[str] = ""):
    """Deliver a copy as a scan (multipart ``scan``): ``CopyCompleted`` with a download link for the reader."""
    principal = _principal(request)
    _visible(principal, pk)
    req = services.illrequest_act(actor=principal, request=pk, action="CopyCompleted", scan=scan, pages=pages,
                                  expected_version=expected_version, note=note)
    return _detail(IllRequest.objects.get(pk=req.pk), principal)


@router.get("/ill/requests/{pk}/messages/{mid}", response={200: str})
def request_message(request, pk: int, mid: int):
    """The ISO 18626 XML of one message of the request (staff of the two libraries)."""
    principal = _principal(request)
    req = _visible(principal, pk)
    if not (principal.is_superuser or {req.requester_id, req.supplier_id} & set(principal.staff_of)):
        raise Forbidden("Only the libraries' staff read the messages.")
    message = req.messages.filter(pk=mid).first()
    if message is None:
        raise NotFound("No such message.")
    return HttpResponse(bytes(message.raw), content_type="application/xml; charset=utf-8")


# --- figures -------------------------------------------------------------------------------------

@router.get("/ill/libraries/{code}/balance", response=dict)
def library_balance(request, code: str):
    """What the library is owed and owes in the interlibrary loan ledger (rupiah)."""
    library = _library(code)
    if not acts_for_library(_principal(request), library):
        raise Forbidden(f"You may not read {library.name}'s ledger.")
    return {"library": library.code, **selectors.library_balance(library)}


@router.get("/ill/networks/{code}/balance", response=dict)
def network_balance(request, code: str, start: date, end: date):
    """Per member: lending, borrowing, fill rates, days to ship, ledger; and the settlement for the period."""
    network = Network.objects.filter(code=code).first()
    if network is None:
        raise NotFound(f"No network with code {code}.")
    if not coordinates(_principal(request), network):
        raise Forbidden(f"You do not coordinate {network.name}.")
    if end < start:
        raise Invalid("The period ends before it starts.", errors={"end": ["Before start."]})
    report = selectors.network_balance(network, Period(start, end))
    members = [{**{k: v for k, v in row.items() if k != "library"}, "library": row["library"].code}
               for row in report["members"]]
    transfers = [{"payer": t["payer"].code, "payee": t["payee"].code, "amount": t["amount"], "entries": t["entries"]}
                 for t in report["transfers"]]
    return {"network": network.code, "start": start, "end": end, "members": members, "transfers": transfers,
            "totals": report["totals"]}


@router.put("/ill/networks/{code}/routing-weights", response=dict)
def routing_weights(request, code: str, payload: WeightsIn):
    """Set the network's own routing weights (names of docs/routing.md); missing ones keep the defaults."""
    network = Network.objects.filter(code=code).first()
    if network is None:
        raise NotFound(f"No network with code {code}.")
    row = services.routing_weights_save(actor=_principal(request), network=network, weights=payload.weights)
    return {"network": network.code, "weights": row.weights}


# --- peers, names, notices ---------------------------------------------------------------------------

@router.post("/ill/peers", response={201: PeerOut})
def peer_save(request, payload: PeerIn):
    """Say that another system serves a library: ISO 18626 messages for it go to ``url``."""
    data = payload.dict()
    library = _library(data.pop("library"))
    return Status(201, services.peer_save(actor=_principal(request), library=library, **data))


@router.post("/ill/libraries/{code}/agency-ids", response={201: AgencyIdIn})
def agency_id_add(request, code: str, payload: AgencyIdIn):
    """Give a library another name in ISO 18626 messages (an ISIL, a ReShare symbol)."""
    found = services.agency_id_add(actor=_principal(request), library=_library(code), id_type=payload.id_type,
                                   id_value=payload.id_value)
    return Status(201, {"id_type": found.id_type, "id_value": found.id_value})


@router.put("/ill/me/notices", response=NoticesOut)
def notices(request, payload: NoticesIn):
    """My notice settings: language, mobile number, e-mail and SMS on or off."""
    return services.notice_settings_save(actor=_principal(request), **payload.dict(exclude_none=True))
