"""ISO 18626 interlibrary loan: vocabulary, request lifecycle, messages. Pure Python, no Django.

Modules, one concept each:

* ``vocabulary`` — the schema's code lists as ``StrEnum``s (``Status.ExpectToSupply`` …)
* ``errors``     — the exception tree (``IllegalTransition``, ``MessageError`` and kin)
* ``states``     — the lifecycle as one transition table; ``transition``, ``mermaid``, ``dot``
* ``elements``   — the data elements messages are made of (``Header``, ``AgencyId`` …)
* ``codec``      — dataclasses ↔ XML elements, timestamp normalisation
* ``messages``   — the six messages; ``parse``, ``build``, ``validate``, ``confirmation_for``
* ``schema/``    — the ISO 18626 XSD (v1.2) shipped with the package (``SCHEMA_PATH``)
"""

from .errors import (
    BadlyFormedMessage,
    IllegalTransition,
    MessageError,
    UnrecognisedDataElement,
    UnrecognisedDataValue,
    UnsupportedActionType,
    UnsupportedReasonForMessageType,
)
from .messages import (
    SCHEMA_PATH,
    Message,
    Request,
    RequestConfirmation,
    RequestingAgencyMessage,
    RequestingAgencyMessageConfirmation,
    SupplyingAgencyMessage,
    SupplyingAgencyMessageConfirmation,
    build,
    confirmation_for,
    parse,
    validate,
)
from .states import INITIAL, TERMINAL, TRANSITIONS, Party, Transition, dot, mermaid, transition
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
    "Action",
    "BadlyFormedMessage",
    "ErrorType",
    "INITIAL",
    "IllegalTransition",
    "Message",
    "MessageError",
    "MessageStatus",
    "Party",
    "ReasonForMessage",
    "Request",
    "RequestConfirmation",
    "RequestSubType",
    "RequestType",
    "RequestingAgencyMessage",
    "RequestingAgencyMessageConfirmation",
    "SCHEMA_PATH",
    "ServiceType",
    "Status",
    "SupplyingAgencyMessage",
    "SupplyingAgencyMessageConfirmation",
    "TERMINAL",
    "TRANSITIONS",
    "Transition",
    "UnrecognisedDataElement",
    "UnrecognisedDataValue",
    "UnsupportedActionType",
    "UnsupportedReasonForMessageType",
    "YesNo",
    "build",
    "confirmation_for",
    "dot",
    "mermaid",
    "parse",
    "transition",
    "validate",
]
