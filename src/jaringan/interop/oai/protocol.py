"""OAI-PMH 2.0 requests: the verbs, their arguments, datestamps, identifiers and the error codes.

A request's arguments (as a mapping of name → list of values,
which is what both a query string and a form body give) are checked here and
turned into an :class:`OaiRequest`, or refused with an :class:`OaiError`
carrying one of the protocol's error codes, spelt as the specification spells
them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _

from jaringan.core.errors import Invalid, JaringanError, NotFound, lookup

from ..sru.xml import not_xml

__all__ = [
    "ERROR_CODES",
    "GRANULARITY",
    "OAI_CODES",
    "VERBS",
    "DateBound",
    "OaiError",
    "OaiRequest",
    "format_datestamp",
    "oai_error_for",
    "parse_datestamp",
    "parse_request",
]

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

#: The protocol's error codes (OAI-PMH 2.0, section 3.6).
ERROR_CODES = (
    "badArgument",
    "badResumptionToken",
    "badVerb",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noRecordsMatch",
    "noMetadataFormats",
    "noSetHierarchy",
)

_LISTS = {"required": ("metadataPrefix",), "optional": ("from", "until", "set"), "exclusive": "resumptionToken"}

#: verb → its required and optional arguments, and the exclusive one (resumptionToken) if any.
VERBS: dict[str, dict] = {
    "Identify": {"required": (), "optional": (), "exclusive": None},
    "ListMetadataFormats": {"required": (), "optional": ("identifier",), "exclusive": None},
    "ListSets": {"required": (), "optional": (), "exclusive": "resumptionToken"},
    "GetRecord": {"required": ("identifier", "metadataPrefix"), "optional": (), "exclusive": None},
    "ListIdentifiers": _LISTS,
    "ListRecords": _LISTS,
}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Invalid):
    """A request the repository answers with an OAI-PMH ``<error code="...">`` (``code``).

    Every code of the protocol names something wrong with the request, hence ``Invalid``.
    """

    def __init__(self, code: str, message: str) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"not an OAI-PMH error code: {code}")
        super().__init__(message, code=code)


#: The OAI-PMH error code of each branch of the project's errors a request can cause (an ``OaiError``
#: has its own); the other branches are not the request's fault and have no code in the protocol.
OAI_CODES: dict[type[JaringanError], str] = {
    Invalid: "badArgument",
    NotFound: "idDoesNotExist",
}


def oai_error_for(error: JaringanError) -> OaiError | None:
    """The OAI-PMH error that answers ``error``; None when the protocol has no code for it."""
    if isinstance(error, OaiError):
        return error
    code = lookup(OAI_CODES, error, None)
    return OaiError(code, error.message) if code else None


@dataclass(frozen=True, slots=True)
class DateBound:
    """A ``from``/``until`` argument: the text sent, its granularity, and the instant it stands for.

    ``instant`` is inclusive for ``from``; for ``until`` it is the first
    instant *after* the bound (``until=2024-05-01`` covers the whole day), so a
    datestamp matches when ``from.instant <= datestamp < until.instant``.
    """

    text: str
    day: bool
    instant: datetime


@dataclass(frozen=True, slots=True)
class OaiRequest:
    """A checked request: its verb and arguments (each given once)."""

    verb: str
    arguments: dict[str, str]
    from_: DateBound | None = None
    until: DateBound | None = None

    @property
    def resumption_token(self) -> str | None:
        return self.arguments.get("resumptionToken")

    def get(self, name: str) -> str | None:
        return self.arguments.get(name)


def format_datestamp(value: datetime) -> str:
    """An aware datetime as an OAI-PMH datestamp in UTC, to the second."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(text: str, *, upper: bool) -> DateBound:
    """A ``from`` (``upper=False``) or ``until`` (``upper=True``) argument; ValueError when malformed."""
    if _DAY.match(text):
        start = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        return DateBound(text, True, start + timedelta(days=1) if upper else start)
    if _SECOND.match(text):
        start = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return DateBound(text, False, start + timedelta(seconds=1) if upper else start)
    raise ValueError(text)


def parse_request(params: Mapping[str, Sequence[str]]) -> OaiRequest:
    """Check a request's arguments against its verb; raise :class:`OaiError` when they do not fit."""
    verbs = params.get("verb") or []
    if len(verbs) != 1:
        raise OaiError("badVerb", _("The verb argument is missing or repeated."))
    verb = verbs[0]
    if verb not in VERBS:
        raise OaiError("badVerb", _("The verb is not one of OAI-PMH's six verbs."))
    spec = VERBS[verb]
    allowed = {*spec["required"], *spec["optional"]} | ({spec["exclusive"]} if spec["exclusive"] else set())
    arguments: dict[str, str] = {}
    for name, values in params.items():
        if any(not_xml(text) for text in (name, *values)):
            raise OaiError("badArgument", _("An argument holds a character XML cannot carry (a NUL byte or "
                                            "another control character)."))
        if name == "verb":
            continue
        if name not in allowed:
            raise OaiError("badArgument", _("The request has an argument this verb does not take."))
        if len(values) != 1:
            raise OaiError("badArgument", _("An argument is repeated."))
        arguments[name] = values[0]
    exclusive = spec["exclusive"]
    if exclusive and exclusive in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", _("A resumption token must be the only argument besides the verb."))
        return OaiRequest(verb, arguments)
    missing = [name for name in spec["required"] if not arguments.get(name)]
    if missing:
        raise OaiError("badArgument", _("A required argument is missing."))
    from_ = until = None
    try:
        if "from" in arguments:
            from_ = parse_datestamp(arguments["from"], upper=False)
        if "until" in arguments:
            until = parse_datestamp(arguments["until"], upper=True)
    except ValueError:
        raise OaiError("badArgument", _("from and until take YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")) from None
    if from_ and until:
        if from_.day != until.day:
            raise OaiError("badArgument", _("from and until must have the same granularity."))
        if from_.instant >= until.instant:
            raise OaiError("badArgument", _("from is later than until."))
    return OaiRequest(verb, arguments, from_, until)
