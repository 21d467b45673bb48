"""The data elements messages are built of, one frozen dataclass per schema type.

Field order follows the schema's ``xs:sequence``; a field ``snake_case`` is the
element ``camelCase`` (``codec`` derives one from the other), unless its
metadata names the element (repeated elements: ``supplier_infos`` ↔
``supplierInfo``). ``X | None`` is optional, ``tuple[X, ...]`` repeats, anything
else is required. ``SchemeValue`` is the schema's ``type_schemeValuePair``: a
value with an optional ``scheme`` URI, used for the open code lists
(``reasonUnfilled``, ``serviceLevel``, ``agencyIdType`` …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .vocabulary import (
    Action,
    ErrorType,
    MessageStatus,
    ReasonForMessage,
    RequestSubType,
    RequestType,
    ServiceType,
    Status,
    YesNo,
)

__all__ = [
    "Address",
    "AgencyId",
    "BibliographicInfo",
    "BibliographicItemId",
    "BibliographicRecordId",
    "BillingInfo",
    "ConfirmationHeader",
    "Costs",
    "DeliveryInfo",
    "Echo",
    "ElectronicAddress",
    "ErrorData",
    "Header",
    "MessageInfo",
    "PatronInfo",
    "PhysicalAddress",
    "PublicationInfo",
    "RequestedDeliveryInfo",
    "RequestingAgencyAuthentication",
    "RequestingAgencyInfo",
    "ReturnInfo",
    "SchemeValue",
    "ServiceInfo",
    "StatusInfo",
    "SupplierInfo",
]

_element = dataclass(frozen=True, kw_only=True, slots=True)


def repeated(element: str):
    """A repeated element: a tuple field named for the plural, written as ``element`` each time."""
    return field(default=(), metadata={"element": element})


@_element
class SchemeValue:
    """``type_schemeValuePair``: a code from an open list, with the URI of its list if known."""

    value: str
    scheme: str | None = None


@_element
class AgencyId:
    """``type_agencyId``: an agency named in some registry (``agencyIdType``), e.g. ISIL."""

    agency_id_type: SchemeValue
    agency_id_value: str


@_element
class Costs:
    """``type_costs``: an amount in a currency (ISO 4217 in ``currencyCode``)."""

    currency_code: SchemeValue
    monetary_value: Decimal


@_element
class RequestingAgencyAuthentication:
    """``requestingAgencyAuthentication``: account and code agreed between the agencies."""

    account_id: str | None = None
    security_code: str | None = None


@_element
class Header:
    """``header`` of every request and agency message.

    ``multipleItemRequestId`` is required by schema 1.2 but absent from 1.0/1.1
    messages that peers still send; it reads as ``""`` and is written empty.
    """

    supplying_agency_id: AgencyId
    requesting_agency_id: AgencyId
    multiple_item_request_id: str = ""
    timestamp: datetime
    requesting_agency_request_id: str
    supplying_agency_request_id: str | None = None
    requesting_agency_authentication: RequestingAgencyAuthentication | None = None


@_element
class ConfirmationHeader:
    """``confirmationHeader``: mirrors the confirmed message's header, with its verdict."""

    supplying_agency_id: AgencyId | None = None
    requesting_agency_id: AgencyId | None = None
    timestamp: datetime
    requesting_agency_request_id: str | None = None
    multiple_item_request_id: str | None = None
    timestamp_received: datetime
    message_status: MessageStatus


@_element
class ErrorData:
    """``errorData``: why a confirmation says ERROR."""

    error_type: ErrorType
    error_value: str | None = None


@_element
class BibliographicItemId:
    """``bibliographicItemId``: an identifier of the item, e.g. an ISBN."""

    bibliographic_item_identifier: str
    bibliographic_item_identifier_code: SchemeValue


@_element
class BibliographicRecordId:
    """``bibliographicRecordId``: an identifier of a catalogue record, e.g. an OCLC number."""

    bibliographic_record_identifier_code: SchemeValue
    bibliographic_record_identifier: str


@_element
class BibliographicInfo:
    """``bibliographicInfo``: what is asked for."""

    supplier_unique_record_id: str | None = None
    title: str | None = None
    author: str | None = None
    subtitle: str | None = None
    series_title: str | None = None
    edition: str | None = None
    title_of_component: str | None = None
    author_of_component: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages_requested: str | None = None
    estimated_no_pages: str | None = None
    bibliographic_item_ids: tuple[BibliographicItemId, ...] = repeated("bibliographicItemId")
    sponsor: str | None = None
    information_source: str | None = None
    bibliographic_record_ids: tuple[BibliographicRecordId, ...] = repeated("bibliographicRecordId")


@_element
class PublicationInfo:
    """``publicationInfo``: publisher, type, date and place."""

    publisher: str | None = None
    publication_type: SchemeValue | None = None
    publication_date: str | None = None
    place_of_publication: str | None = None


@_element
class ServiceInfo:
    """``serviceInfo``: what kind of service, how fast, by when."""

    request_type: RequestType | None = None
    request_sub_types: tuple[RequestSubType, ...] = repeated("requestSubType")
    requesting_agency_previous_request_id: str | None = None
    service_type: ServiceType
    service_level: SchemeValue | None = None
    preferred_format: SchemeValue | None = None
    need_before_date: datetime | None = None
    copyright_compliance: SchemeValue | None = None
    any_edition: YesNo | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    note: str | None = None


@_element
class ElectronicAddress:
    """``electronicAddress``: an e-mail address, URL and the like."""

    electronic_address_type: SchemeValue
    electronic_address_data: str


@_element
class PhysicalAddress:
    """``physicalAddress``: a postal address (region ISO 3166-2, country ISO 3166-1)."""

    line1: str | None = None
    line2: str | None = None
    locality: str | None = None
    postal_code: str | None = None
    region: SchemeValue | None = None
    country: SchemeValue | None = None


@_element
class Address:
    """``address``: exactly one of an electronic or a physical address."""

    electronic_address: ElectronicAddress | None = None
    physical_address: PhysicalAddress | None = None

    def __post_init__(self) -> None:
        if (self.electronic_address is None) == (self.physical_address is None):
            raise ValueError("an address is either electronic or physical, exactly one of them")


@_element
class SupplierInfo:
    """``supplierInfo``: a candidate supplier the requester suggests."""

    sort_order: int | None = None
    supplier_code: AgencyId | None = None
    supplier_description: str | None = None
    bibliographic_record_id: BibliographicRecordId | None = None
    call_number: str | None = None
    summary_holdings: str | None = None
    availability_note: str | None = None


@_element
class RequestedDeliveryInfo:
    """``requestedDeliveryInfo``: where to deliver, in order of preference."""

    sort_order: int | None = None
    address: Address | None = None


@_element
class RequestingAgencyInfo:
    """``requestingAgencyInfo``: the requesting library's name and contact."""

    name: str | None = None
    contact_name: str | None = None
    addresses: tuple[Address, ...] = repeated("address")


@_element
class PatronInfo:
    """``patronInfo``: the reader the request is for."""

    patron_id: str | None = None
    surname: str | None = None
    given_name: str | None = None
    patron_type: SchemeValue | None = None
    send_to_patron: YesNo | None = None
    addresses: tuple[Address, ...] = repeated("address")


@_element
class BillingInfo:
    """``billingInfo``: how and up to what amount the requester pays."""

    payment_method: SchemeValue | None = None
    maximum_costs: Costs | None = None
    billing_method: SchemeValue | None = None
    billing_name: str | None = None
    address: Address | None = None


@_element
class MessageInfo:
    """``messageInfo``: why the supplier writes, and its conditions (``offeredCosts``, ``retryAfter``)."""

    reason_for_message: ReasonForMessage
    answer_yes_no: YesNo | None = None
    note: str | None = None
    reason_unfilled: SchemeValue | None = None
    reason_retry: SchemeValue | None = None
    offered_costs: Costs | None = None
    retry_after: datetime | None = None
    retry_before: datetime | None = None


@_element
class StatusInfo:
    """``statusInfo``: the supplier's status and dates."""

    status: Status
    expected_delivery_date: datetime | None = None
    due_date: datetime | None = None
    last_change: datetime


@_element
class DeliveryInfo:
    """``deliveryInfo``: what was sent, when and how."""

    date_sent: datetime
    item_id: str | None = None
    sent_via: SchemeValue | None = None
    sent_to_patron: bool | None = None
    loan_condition: SchemeValue | None = None
    delivered_format: SchemeValue | None = None
    delivery_costs: Costs | None = None


@_element
class ReturnInfo:
    """``returnInfo``: where a loan goes back to."""

    return_agency_id: AgencyId | None = None
    name: str | None = None
    physical_address: PhysicalAddress | None = None


@_element
class Echo:
    """What a confirmation mirrors from the message it confirms; ``None`` where unknown."""

    supplying_agency_id: AgencyId | None = None
    requesting_agency_id: AgencyId | None = None
    timestamp: datetime | None = None
    requesting_agency_request_id: str | None = None
    multiple_item_request_id: str | None = None
    action: Action | None = None
    reason_for_message: ReasonForMessage | None = None
