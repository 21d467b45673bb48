"""The code lists of ISO 18626, spelled exactly as the schema (version 1.2) spells them.

Each enumeration here mirrors one ``xs:simpleType`` of ``ISO-18626-v1_2.xsd``;
``SCHEMA_TYPES`` names it, and a test reads the schema and checks that both
sides hold the same values in the same order.

Not here, on purpose: ``reasonUnfilled``, ``reasonRetry``, ``serviceLevel``,
``sentVia`` and the other ``type_schemeValuePair`` elements. The schema leaves
them open (a value plus an optional ``scheme`` URI); their code lists are kept
by the standard's maintenance agency, outside the schema, so they are carried
as ``SchemeValue`` in ``messages`` and not pinned here.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "Action",
    "ErrorType",
    "MessageStatus",
    "ReasonForMessage",
    "RequestSubType",
    "RequestType",
    "SCHEMA_TYPES",
    "ServiceType",
    "Status",
    "YesNo",
]


class Status(StrEnum):
    """``type_status``: where the supplying agency says the request stands."""

    RequestReceived = "RequestReceived"
    ExpectToSupply = "ExpectToSupply"
    WillSupply = "WillSupply"
    Loaned = "Loaned"
    Overdue = "Overdue"
    Recalled = "Recalled"
    RetryPossible = "RetryPossible"
    Unfilled = "Unfilled"
    CopyCompleted = "CopyCompleted"
    LoanCompleted = "LoanCompleted"
    CompletedWithoutReturn = "CompletedWithoutReturn"
    Cancelled = "Cancelled"


class Action(StrEnum):
    """``type_action``: what a requesting agency tells the supplier it did or wants."""

    StatusRequest = "StatusRequest"
    Received = "Received"
    Cancel = "Cancel"
    Renew = "Renew"
    ShippedReturn = "ShippedReturn"
    ShippedForward = "ShippedForward"
    Notification = "Notification"


class ReasonForMessage(StrEnum):
    """``type_reasonForMessage``: why a supplying agency sends a message."""

    RequestResponse = "RequestResponse"
    StatusRequestResponse = "StatusRequestResponse"
    RenewResponse = "RenewResponse"
    CancelResponse = "CancelResponse"
    StatusChange = "StatusChange"
    Notification = "Notification"


class ServiceType(StrEnum):
    """``type_serviceType``: a copy to keep, a loan to return, or whichever the supplier prefers."""

    Copy = "Copy"
    Loan = "Loan"
    CopyOrLoan = "CopyOrLoan"


class MessageStatus(StrEnum):
    """``type_messageStatus``: whether a confirmation accepts the message it confirms."""

    OK = "OK"
    ERROR = "ERROR"


class ErrorType(StrEnum):
    """``type_errorType``: why a confirmation refuses a message."""

    UnsupportedActionType = "UnsupportedActionType"
    UnsupportedReasonForMessageType = "UnsupportedReasonForMessageType"
    UnrecognisedDataElement = "UnrecognisedDataElement"
    UnrecognisedDataValue = "UnrecognisedDataValue"
    BadlyFormedMessage = "BadlyFormedMessage"


class RequestType(StrEnum):
    """``type_requestType``: a first request, a retry after ``RetryPossible``, or a reminder."""

    New = "New"
    Retry = "Retry"
    Reminder = "Reminder"


class RequestSubType(StrEnum):
    """``type_requestSubType`` (added in schema 1.2)."""

    BookingRequest = "BookingRequest"
    MultipleItemRequest = "MultipleItemRequest"
    PatronRequest = "PatronRequest"
    TransferRequest = "TransferRequest"
    SupplyingLibrarysChoice = "SupplyingLibrarysChoice"


class YesNo(StrEnum):
    """``type_yesNo``: the standard's own yes/no (not ``xs:boolean``)."""

    Y = "Y"
    N = "N"


#: Each enumeration beside the name of the schema type it mirrors.
SCHEMA_TYPES: dict[type[StrEnum], str] = {
    Status: "type_status",
    Action: "type_action",
    ReasonForMessage: "type_reasonForMessage",
    ServiceType: "type_serviceType",
    MessageStatus: "type_messageStatus",
    ErrorType: "type_errorType",
    RequestType: "type_requestType",
    RequestSubType: "type_requestSubType",
    YesNo: "type_yesNo",
}
