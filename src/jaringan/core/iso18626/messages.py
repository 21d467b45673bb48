"""The six ISO 18626 messages: read them safely, write them schema-valid, confirm them.

* ``parse(xml)``      bytes → one of the six message dataclasses. Accepts what
  peers really send where the meaning is clear: a bare top-level element
  without the ``ISO18626Message`` wrapper, any ``ill:version``, timestamps
  written ``+0000``, a 1.0/1.1 header without ``multipleItemRequestId``.
  Refuses the rest with a ``MessageError`` (``BadlyFormedMessage`` …) that
  ``confirmation_for`` turns into an ERROR confirmation.
* ``build(message)``  a message → bytes inside ``ISO18626Message`` with
  ``ill:version="1.2"``, valid against the 1.2 schema.
* ``validate(xml, schema_path)`` → the schema's complaints, ``[]`` when valid.
* ``confirmation_for(message_or_error, status=…)`` → the matching confirmation.

XML is read with entities unresolved, no network and no DTD; a document with
a DOCTYPE is refused outright (no entity tricks, no billion laughs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from lxml import etree

from .codec import NS, VERSION, decode, encode, parse_datetime, qname
from .elements import (
    AgencyId,
    BibliographicInfo,
    BillingInfo,
    ConfirmationHeader,
    DeliveryInfo,
    Echo,
    ErrorData,
    Header,
    MessageInfo,
    PatronInfo,
    PublicationInfo,
    RequestedDeliveryInfo,
    RequestingAgencyInfo,
    ReturnInfo,
    ServiceInfo,
    StatusInfo,
    SupplierInfo,
    repeated,
)
from .errors import BadlyFormedMessage, MessageError
from .vocabulary import Action, ErrorType, MessageStatus, ReasonForMessage

__all__ = [
    "CONFIRMATIONS",
    "MESSAGE_TYPES",
    "Message",
    "Request",
    "RequestConfirmation",
    "RequestingAgencyMessage",
    "RequestingAgencyMessageConfirmation",
    "SupplyingAgencyMessage",
    "SupplyingAgencyMessageConfirmation",
    "build",
    "confirmation_for",
    "parse",
    "validate",
]

_message = dataclass(frozen=True, kw_only=True, slots=True)


@_message
class Request:
    """``request``: the requesting agency asks a supplier for an item."""

    ELEMENT: ClassVar[str] = "request"

    header: Header
    bibliographic_info: BibliographicInfo
    publication_info: PublicationInfo | None = None
    service_info: ServiceInfo | None = None
    supplier_infos: tuple[SupplierInfo, ...] = repeated("supplierInfo")
    requested_delivery_infos: tuple[RequestedDeliveryInfo, ...] = repeated("requestedDeliveryInfo")
    requesting_agency_info: RequestingAgencyInfo | None = None
    patron_info: PatronInfo | None = None
    billing_info: BillingInfo | None = None


@_message
class RequestConfirmation:
    """``requestConfirmation``: the supplier accepts (OK) or refuses (ERROR) a request message."""

    ELEMENT: ClassVar[str] = "requestConfirmation"

    confirmation_header: ConfirmationHeader
    error_data: ErrorData | None = None


@_message
class SupplyingAgencyMessage:
    """``supplyingAgencyMessage``: the supplier reports a status, answers, or states conditions."""

    ELEMENT: ClassVar[str] = "supplyingAgencyMessage"

    header: Header
    message_info: MessageInfo
    status_info: StatusInfo
    delivery_info: DeliveryInfo | None = None
    return_info: ReturnInfo | None = None


@_message
class SupplyingAgencyMessageConfirmation:
    """``supplyingAgencyMessageConfirmation``: the requester accepts or refuses a supplier's message."""

    ELEMENT: ClassVar[str] = "supplyingAgencyMessageConfirmation"

    confirmation_header: ConfirmationHeader
    reason_for_message: ReasonForMessage | None = None
    error_data: ErrorData | None = None


@_message
class RequestingAgencyMessage:
    """``requestingAgencyMessage``: the requester acts (Received, Renew, ShippedReturn, Cancel …)."""

    ELEMENT: ClassVar[str] = "requestingAgencyMessage"

    header: Header
    action: Action
    note: str | None = None


@_message
class RequestingAgencyMessageConfirmation:
    """``requestingAgencyMessageConfirmation``: the supplier accepts or refuses a requester's message."""

    ELEMENT: ClassVar[str] = "requestingAgencyMessageConfirmation"

    confirmation_header: ConfirmationHeader
    action: Action | None = None
    error_data: ErrorData | None = None


Message = (
    Request
    | RequestConfirmation
    | SupplyingAgencyMessage
    | SupplyingAgencyMessageConfirmation
    | RequestingAgencyMessage
    | RequestingAgencyMessageConfirmation
)

#: Element name → message class, for the six messages of the schema.
MESSAGE_TYPES: dict[str, type] = {
    cls.ELEMENT: cls
    for cls in (
        Request,
        RequestConfirmation,
        SupplyingAgencyMessage,
        SupplyingAgencyMessageConfirmation,
        RequestingAgencyMessage,
        RequestingAgencyMessageConfirmation,
    )
}

#: Element name of a message → the class of the confirmation that answers it.
CONFIRMATIONS: dict[str, type] = {
    Request.ELEMENT: RequestConfirmation,
    SupplyingAgencyMessage.ELEMENT: SupplyingAgencyMessageConfirmation,
    RequestingAgencyMessage.ELEMENT: RequestingAgencyMessageConfirmation,
}


_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)


def _read(xml: bytes) -> etree._Element:
    """Parse bytes safely; refuse anything that is not plain, well-formed XML."""
    if not isinstance(xml, (bytes, bytearray)):
        raise BadlyFormedMessage(f"a message is bytes, not {type(xml).__name__}")
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(bytes(xml), parser)
    except etree.XMLSyntaxError as exc:
        raise BadlyFormedMessage(f"not well-formed XML: {exc}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise BadlyFormedMessage("a DOCTYPE (DTD or entity declarations) is not allowed in an ISO 18626 message")
    return root


def _unwrap(root: etree._Element) -> etree._Element:
    if root.tag == qname("ISO18626Message"):
        children = [c for c in root if isinstance(c.tag, str)]
        if len(children) != 1:
            raise BadlyFormedMessage(f"ISO18626Message holds {len(children)} messages; exactly one expected")
        root = children[0]
    if root.tag.startswith(f"{{{NS}}}"):
        return root
    local = etree.QName(root).localname
    raise BadlyFormedMessage(f"<{local}> is not in the ISO 18626 namespace {NS}")


def parse(xml: bytes) -> Message:
    """Read one ISO 18626 message from bytes.

    Raises ``MessageError`` (``BadlyFormedMessage``, ``UnrecognisedDataElement``
    or ``UnrecognisedDataValue``) with ``kind`` and a salvaged ``echo`` set as
    far as the input allowed, ready for ``confirmation_for``.
    """
    element = _unwrap(_read(xml))
    kind = etree.QName(element).localname
    cls = MESSAGE_TYPES.get(kind)
    if cls is None:
        raise BadlyFormedMessage(f"<{kind}> is not one of the ISO 18626 messages ({', '.join(MESSAGE_TYPES)})")
    try:
        return decode(cls, element, kind)
    except MessageError as exc:
        exc.kind, exc.echo = kind, _salvage(element)
        raise


def _salvage(element: etree._Element) -> Echo:
    """Whatever of the header, action and reason can still be read from a message refused."""
    found: dict[str, object] = {}
    header = element.find(qname("header"))
    if header is None:
        header = element.find(qname("confirmationHeader"))
    readers = {
        "supplying_agency_id": ("supplyingAgencyId", lambda e: decode(AgencyId, e, "supplyingAgencyId")),
        "requesting_agency_id": ("requestingAgencyId", lambda e: decode(AgencyId, e, "requestingAgencyId")),
        "timestamp": ("timestamp", lambda e: parse_datetime(e.text or "")),
        "requesting_agency_request_id": ("requestingAgencyRequestId", lambda e: e.text or ""),
        "multiple_item_request_id": ("multipleItemRequestId", lambda e: e.text or ""),
    }
    for name, (local, read) in readers.items():
        child = header.find(qname(local)) if header is not None else None
        if child is not None:
            try:
                found[name] = read(child)
            except MessageError:
                pass
    action = element.findtext(qname("action"))
    reason = element.findtext(f"{qname('messageInfo')}/{qname('reasonForMessage')}")
    if action in Action.__members__:
        found["action"] = Action(action)
    if reason in ReasonForMessage.__members__:
        found["reason_for_message"] = ReasonForMessage(reason)
    return Echo(**found)


def build(message: Message) -> bytes:
    """Write a message as UTF-8 XML: ``ISO18626Message`` wrapper, ``ill:version="1.2"``."""
    wrapper = etree.Element(qname("ISO18626Message"), nsmap={None: NS, "ill": NS})
    wrapper.set(qname("version"), VERSION)
    wrapper.append(encode(message, message.ELEMENT))
    return etree.tostring(wrapper, xml_declaration=True, encoding="UTF-8", pretty_print=True)


#: The ISO 18626 schema (version 1.2) shipped inside the package: what ``validate`` is given by default.
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "ISO-18626-v1_2.xsd"


@lru_cache(maxsize=4)
def _schema(path: str):
    import xmlschema  # loaded on first validation only: a few hundred ms

    return xmlschema.XMLSchema(path, allow="local", defuse="always")


def validate(xml: bytes, schema_path: str | Path = SCHEMA_PATH) -> list[str]:
    """The schema's complaints about ``xml`` (``[]`` when valid); the schema is loaded once per path
    (by default the one shipped with the package, ``SCHEMA_PATH``).

    Nothing is fetched: the input is read as ``parse`` reads it, the schema
    only from its own directory.
    """
    try:
        root = _read(xml)
    except BadlyFormedMessage as exc:
        return [exc.error_value]
    schema = _schema(str(Path(schema_path).resolve()))
    return [f"{error.path or '/'}: {error.reason or error.message}" for error in schema.iter_errors(root)]


def _echo_of(message: Message) -> Echo:
    header: Header = message.header
    return Echo(
        supplying_agency_id=header.supplying_agency_id,
        requesting_agency_id=header.requesting_agency_id,
        timestamp=header.timestamp,
        requesting_agency_request_id=header.requesting_agency_request_id,
        multiple_item_request_id=header.multiple_item_request_id,
        action=getattr(message, "action", None),
        reason_for_message=message.message_info.reason_for_message if hasattr(message, "message_info") else None,
    )


def confirmation_for(
    message: Message | MessageError,
    *,
    status: MessageStatus | str,
    error_type: ErrorType | str | None = None,
    error_value: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """The confirmation that answers ``message``, built and ready to send.

    ``message`` is a parsed request or agency message, or the ``MessageError``
    its parsing raised (then ``error_type`` and ``error_value`` default to the
    error's). The ``confirmationHeader`` mirrors the incoming header; its
    ``timestampReceived`` is the incoming ``timestamp`` (``now`` when that
    could not be read) and its ``timestamp`` is ``now`` (default: the current
    UTC second). Input too broken to tell its kind, or a broken confirmation,
    is answered with a ``requestConfirmation``. Raises ``ValueError`` for a confirmation asked of
    a confirmation, ERROR without an error type, or OK with one.
    """
    status = MessageStatus(status)
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    if isinstance(message, MessageError):
        kind = message.kind if message.kind in CONFIRMATIONS else Request.ELEMENT
        echo = message.echo or Echo()
        if status is MessageStatus.OK:
            raise ValueError("a message that could not be read cannot be confirmed OK")
        error_type = error_type or message.error_type
        error_value = message.error_value if error_value is None else error_value
    elif message.ELEMENT in CONFIRMATIONS:
        kind, echo = message.ELEMENT, _echo_of(message)
    else:
        raise ValueError(f"a {message.ELEMENT} is itself a confirmation and is not confirmed")
    if status is MessageStatus.ERROR and error_type is None:
        raise ValueError("an ERROR confirmation needs an error_type")
    if status is MessageStatus.OK and error_type is not None:
        raise ValueError("an OK confirmation carries no error_type")
    header = ConfirmationHeader(
        supplying_agency_id=echo.supplying_agency_id,
        requesting_agency_id=echo.requesting_agency_id,
        timestamp=now,
        requesting_agency_request_id=echo.requesting_agency_request_id,
        multiple_item_request_id=echo.multiple_item_request_id,
        timestamp_received=echo.timestamp or now,
        message_status=status,
    )
    error = ErrorData(error_type=ErrorType(error_type), error_value=error_value) if error_type else None
    cls = CONFIRMATIONS[kind]
    extra = {}
    if cls is SupplyingAgencyMessageConfirmation:
        extra["reason_for_message"] = echo.reason_for_message
    elif cls is RequestingAgencyMessageConfirmation:
        extra["action"] = echo.action
    return build(cls(confirmation_header=header, error_data=error, **extra))
