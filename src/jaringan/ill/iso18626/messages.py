"""The ISO 18626 messages about a request: those a transition sends, and their log.

Libraries are named in them as `agencies` says. Messages are built by the core (`jaringan.core.iso18626`), checked against the
schema, and kept (`IllMessage`) whether they travel (``out``/``in``) or stay
here because both libraries are served here (``local``).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timezone
from decimal import Decimal

from django.utils import timezone as dj_timezone

from jaringan.catalog.models import SourceRecord
from jaringan.core import iso18626 as core
from jaringan.core.iso18626 import elements as el

from .. import conf
from ..models import IllMessage, IllRequest, Peer, RotaEntry, Service
from .agencies import agency_of, stored_agency

#: Our service choices ↔ ISO 18626 ``serviceType``.
SERVICE_TYPE = {Service.LOAN: core.ServiceType.Loan, Service.COPY: core.ServiceType.Copy,
                Service.EITHER: core.ServiceType.CopyOrLoan}
SERVICE_OF_TYPE = {v: k for k, v in SERVICE_TYPE.items()}
CURRENCY = el.SchemeValue(value="IDR")


def service_type_of(req: IllRequest, entry: RotaEntry | None) -> str:
    """The ISO ``serviceType`` asked of the lender of ``entry`` (of the request itself before it has one)."""
    return str(SERVICE_TYPE[Service(entry.service if entry is not None else req.service)])


# --- building -----------------------------------------------------------------------------------

def now() -> datetime:
    return dj_timezone.now().astimezone(timezone.utc).replace(microsecond=0)


def as_datetime(day: date | datetime | None) -> datetime | None:
    if day is None:
        return None
    if isinstance(day, datetime):
        return day.astimezone(timezone.utc).replace(microsecond=0)
    return datetime.combine(day, time(12, 0), tzinfo=timezone.utc)


def header(req: IllRequest) -> el.Header:
    """The header of every message about ``req``, as both parties name things."""
    supplier = req.supplier
    requesting = stored_agency(req.agency_ids.get("requesting")) or agency_of(req.requester)
    supplying = stored_agency(req.agency_ids.get("supplying")) or (
        agency_of(supplier) if supplier else el.AgencyId(agency_id_type=el.SchemeValue(value=conf.agency_type()),
                                                         agency_id_value="-"))
    if req.origin == "remote":
        requesting_id, supplying_id = req.peer_request_id, str(req.pk)
    else:
        requesting_id, supplying_id = str(req.pk), (req.supplier_request_id or None)
    return el.Header(
        supplying_agency_id=supplying,
        requesting_agency_id=requesting,
        timestamp=now(),
        requesting_agency_request_id=requesting_id,
        supplying_agency_request_id=supplying_id,
    )


def _text(value) -> str | None:
    value = (value or "").strip() if isinstance(value, str) else value
    return value or None


def request_message(req: IllRequest, *, service: str, retry: bool = False) -> core.Request:
    """The ``request`` that asks the current lender for ``service`` (an ISO ``serviceType``; ``retry``:
    accepting its conditions)."""
    item_ids = []
    if req.isbn:
        item_ids.append(el.BibliographicItemId(bibliographic_item_identifier=req.isbn,
                                               bibliographic_item_identifier_code=el.SchemeValue(value="ISBN")))
    if req.issn:
        item_ids.append(el.BibliographicItemId(bibliographic_item_identifier=req.issn,
                                               bibliographic_item_identifier_code=el.SchemeValue(value="ISSN")))
    record_id = None
    if req.edition_id and req.supplier_id:
        record_id = SourceRecord.objects.filter(edition_id=req.edition_id, library_id=req.supplier_id,
                                                withdrawn=False).values_list("source_id", flat=True).first()
    article = bool(req.container)
    bib = el.BibliographicInfo(
        supplier_unique_record_id=record_id,
        title=_text(req.container if article else req.title),
        author=None if article else _text(req.author),
        title_of_component=_text(req.title) if article else None,
        author_of_component=_text(req.author) if article else None,
        volume=_text(req.volume),
        issue=_text(req.issue),
        pages_requested=_text(req.pages_requested),
        estimated_no_pages=str(req.page_count) if req.page_count else None,
        bibliographic_item_ids=tuple(item_ids),
    )
    publication = None
    if req.publisher or req.year:
        publication = el.PublicationInfo(publisher=_text(req.publisher), publication_date=_text(req.year))
    service_info = el.ServiceInfo(
        request_type=core.RequestType.Retry if retry else core.RequestType.New,
        service_type=core.ServiceType(service),
        need_before_date=as_datetime(req.need_by),
        any_edition=core.YesNo.Y if req.any_edition else core.YesNo.N,
        note=_text(req.note),
    )
    patron = None
    if req.reader_display:
        patron = el.PatronInfo(patron_id=str(req.reader_id) if req.reader_id else None,
                               surname=_text(req.reader_display))
    billing = None
    if req.max_cost is not None:
        billing = el.BillingInfo(maximum_costs=el.Costs(currency_code=CURRENCY, monetary_value=Decimal(req.max_cost)))
    return core.Request(
        header=header(req),
        bibliographic_info=bib,
        publication_info=publication,
        service_info=service_info,
        requesting_agency_info=el.RequestingAgencyInfo(name=_text(req.requester.name)),
        patron_info=patron,
        billing_info=billing,
    )


def supplying_message(
    req: IllRequest,
    *,
    status: str,
    reason: core.ReasonForMessage,
    answer: bool | None = None,
    note: str = "",
    reason_unfilled: str = "",
    offered_cost: Decimal | None = None,
    retry_after: datetime | None = None,
    retry_before: datetime | None = None,
    sent: bool = False,
    sent_via: str = "",
    item_id: str = "",
    delivered_format: str = "",
) -> core.SupplyingAgencyMessage:
    """The supplier's ``supplyingAgencyMessage`` reporting ``status``."""
    info = el.MessageInfo(
        reason_for_message=reason,
        answer_yes_no=None if answer is None else (core.YesNo.Y if answer else core.YesNo.N),
        note=_text(note),
        reason_unfilled=el.SchemeValue(value=reason_unfilled) if reason_unfilled else None,
        offered_costs=el.Costs(currency_code=CURRENCY, monetary_value=Decimal(offered_cost))
        if offered_cost is not None else None,
        retry_after=as_datetime(retry_after),
        retry_before=as_datetime(retry_before),
    )
    status_info = el.StatusInfo(status=core.Status(status), due_date=as_datetime(req.due_date), last_change=now())
    delivery = None
    if sent:
        delivery = el.DeliveryInfo(date_sent=now(), item_id=item_id or None,
                                   sent_via=el.SchemeValue(value=sent_via) if sent_via else None,
                                   delivered_format=el.SchemeValue(value=delivered_format) if delivered_format
                                   else None)
    return core.SupplyingAgencyMessage(header=header(req), message_info=info, status_info=status_info,
                                       delivery_info=delivery)


def requesting_message(req: IllRequest, *, action: str, note: str = "") -> core.RequestingAgencyMessage:
    """The requester's ``requestingAgencyMessage`` carrying ``action``."""
    return core.RequestingAgencyMessage(header=header(req), action=core.Action(action), note=_text(note))


# --- the log ------------------------------------------------------------------------------------

def schema_check(raw: bytes) -> tuple[bool | None, list[str]]:
    """The schema's verdict on ``raw``: (True, []) valid, (False, errors), (None, [why]) when not checked."""
    path = conf.schema_path()
    if path is None:
        return None, ["the ISO 18626 schema was not found; checked by the ISO 18626 core only"]
    errors = core.validate(raw, path)
    return (not errors), errors[:20]


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def keep(*, raw: bytes, direction: str, kind: str, status: str, request: IllRequest | None = None,
         peer: Peer | None = None, address: str | None = None, limit: int | None = None) -> IllMessage:
    """Keep a message in the log with its schema check (``address``: where one received came from; ``limit``:
    the bytes of it kept, its length and digest being of the whole)."""
    valid, errors = schema_check(raw)
    return IllMessage.objects.create(
        request=request, direction=direction, kind=kind, peer=peer, raw=raw[:limit], size=len(raw),
        digest=digest(raw), valid=valid, errors=errors, status=status, address=address or None,
    )


def keep_built(message, *, direction: str, status: str, request: IllRequest | None = None,
               peer: Peer | None = None) -> IllMessage:
    """Build ``message`` and keep it; what this system writes must pass the schema (else it is a bug here)."""
    kept = keep(raw=core.build(message), direction=direction, kind=message.ELEMENT, status=status, request=request,
                peer=peer)
    if kept.valid is False:
        raise AssertionError(f"built an invalid {message.ELEMENT}: {kept.errors}")
    return kept
