"""Errors raised by the ISO 18626 core.

Two families, each on its branch of the project's tree (:mod:`jaringan.core.errors`)::

    Conflict
    └── IllegalTransition            the lifecycle table has no such move from this state
    Invalid
    └── MessageError                 an incoming message cannot be accepted
        ├── BadlyFormedMessage       not XML, a DOCTYPE, wrong root or namespace, an element
        │                            missing or out of order, a date or number that is not one
        ├── UnrecognisedDataElement  an element the schema does not allow at that place
        ├── UnrecognisedDataValue    a code outside the standard's list (``Loaned`` misspelt)
        ├── UnsupportedActionType    an ``action`` outside the standard's list
        └── UnsupportedReasonForMessageType  a ``reasonForMessage`` outside the standard's list

A ``MessageError`` carries what an ERROR confirmation needs: ``error_type``
(spelled as the standard's ``type_errorType``), ``error_value`` (a short text
for the peer), ``kind`` (the message's element name when it could be read) and
``echo`` (whatever of the incoming header could be salvaged). Pass the error to
``messages.confirmation_for`` to answer the peer.
"""

from __future__ import annotations

from jaringan.core.errors import Conflict, Invalid

from .elements import Echo
from .vocabulary import ErrorType

__all__ = [
    "BadlyFormedMessage",
    "IllegalTransition",
    "MessageError",
    "UnrecognisedDataElement",
    "UnrecognisedDataValue",
    "UnsupportedActionType",
    "UnsupportedReasonForMessageType",
]


class IllegalTransition(Conflict):
    """The event is not allowed from this state (or not to this party, or not for this service).

    ``reason`` says why in words a librarian can act on; ``state`` and ``event``
    are the refused pair.
    """

    def __init__(self, reason: str, *, state: str | None = None, event: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state = state
        self.event = event


class MessageError(Invalid):
    """An incoming message cannot be accepted; answer it with an ERROR confirmation."""

    error_type: ErrorType = ErrorType.BadlyFormedMessage

    def __init__(self, error_value: str, *, kind: str | None = None, echo: Echo | None = None) -> None:
        super().__init__(f"{self.error_type}: {error_value}")
        self.error_value = error_value
        self.kind = kind
        self.echo = echo


class BadlyFormedMessage(MessageError):
    """The message is not well-formed XML or does not have the shape the schema requires."""

    error_type = ErrorType.BadlyFormedMessage


class UnrecognisedDataElement(MessageError):
    """The message holds an element the schema does not allow at that place."""

    error_type = ErrorType.UnrecognisedDataElement


class UnrecognisedDataValue(MessageError):
    """The message holds a code that is not in the standard's list for that element."""

    error_type = ErrorType.UnrecognisedDataValue


class UnsupportedActionType(MessageError):
    """A requesting agency's ``action`` is not one of the standard's actions."""

    error_type = ErrorType.UnsupportedActionType


class UnsupportedReasonForMessageType(MessageError):
    """A supplying agency's ``reasonForMessage`` is not one of the standard's reasons."""

    error_type = ErrorType.UnsupportedReasonForMessageType
