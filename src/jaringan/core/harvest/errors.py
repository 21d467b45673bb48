"""Errors raised while harvesting a member's OAI-PMH data provider.

One family under one class, so a scheduler can catch ``HarvestError``
for one provider, note the message against that member and go on with the
next.  Every message names the endpoint.  It is the project's ``Unavailable``
(see :mod:`jaringan.core.errors`): another system did not do its part::

    Unavailable
    └── HarvestError                  something went wrong talking to one provider
        ├── ProviderUnavailable       network failure, timeout or HTTP error, after the retries
        ├── MalformedResponse         the answer is not well-formed XML / not OAI-PMH
        └── OAIError                  the provider answered with an OAI-PMH <error>
            ├── BadArgument
            ├── BadResumptionToken
            ├── BadVerb
            ├── CannotDisseminateFormat
            ├── IdDoesNotExist
            ├── NoMetadataFormats
            ├── NoRecordsMatch        not raised by ``harvest``: an empty list is an empty harvest
            └── NoSetHierarchy

An error code outside the protocol's list (``undefinedError``) is an
``OAIError`` itself, with ``code`` keeping what the provider said.
"""

from __future__ import annotations

from jaringan.core.errors import Unavailable

__all__ = [
    "OAI_ERRORS",
    "BadArgument",
    "BadResumptionToken",
    "BadVerb",
    "CannotDisseminateFormat",
    "HarvestError",
    "IdDoesNotExist",
    "MalformedResponse",
    "NoMetadataFormats",
    "NoRecordsMatch",
    "NoSetHierarchy",
    "OAIError",
    "ProviderUnavailable",
    "oai_error",
]


class HarvestError(Unavailable):
    """Base class of the harvester's errors; ``endpoint`` is the provider's base URL."""

    def __init__(self, message: str, *, endpoint: str) -> None:
        self.endpoint = endpoint
        super().__init__(message)


class ProviderUnavailable(HarvestError):
    """The provider could not be reached or answered with an HTTP error, after every retry.

    Nothing is lost: the last ``Checkpoint`` the harvest yielded resumes the run.
    ``status`` is the HTTP status when there was one, else None (refused,
    reset, timed out).
    """

    def __init__(self, message: str, *, endpoint: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(message, endpoint=endpoint)


class MalformedResponse(HarvestError):
    """A page is not well-formed XML, or is XML but not an OAI-PMH response.

    ``page`` is the page's number in this harvest (1 = the first request made by
    this call) and ``request`` the OAI arguments that fetched it, so the
    provider's administrator can reproduce it.
    """

    def __init__(self, message: str, *, endpoint: str, page: int, request: dict[str, str],
                 answer: str | None = None) -> None:
        self.page = page
        self.request = dict(request)
        #: What came back, without quoting it (``HTTP 200, text/html, 1,234 bytes``); None when not known.
        self.answer = answer
        super().__init__(message, endpoint=endpoint)


class OAIError(HarvestError):
    """The provider answered with an OAI-PMH ``<error code="...">``.

    ``code`` is the code as sent, ``description`` the provider's own text.
    """

    #: What a person can do about it; appended to the message.
    hint = ""

    def __init__(self, description: str, *, endpoint: str, code: str, request: dict[str, str] | None = None) -> None:
        self.code = code
        self.description = description
        self.request = dict(request or {})
        asked = ", ".join(f"{k}={v!r}" for k, v in self.request.items())
        text = f"{endpoint} answered OAI-PMH error {code!r}"
        text += f" to {asked}" if asked else ""
        text += f": {description}" if description else ""
        text += f". {self.hint}" if self.hint else ""
        super().__init__(text, endpoint=endpoint)


class BadArgument(OAIError):
    """The request had an illegal, missing or repeated argument, or a badly formed one (often a date)."""

    hint = "Check the from/until dates against the provider's granularity (see identify())."


class BadResumptionToken(OAIError):
    """The resumption token is invalid or has expired.

    ``harvest`` handles it once per call by restarting the list from the
    checkpoint's ``from_``; it is raised when that is not possible.
    """

    hint = "The token has probably expired: harvest again from the checkpoint's from_."


class BadVerb(OAIError):
    """The provider does not know the verb: usually the endpoint is not an OAI-PMH base URL."""

    hint = "Is this the provider's OAI-PMH base URL (for SLiMS: .../oai.php or .../oai2.php)?"


class CannotDisseminateFormat(OAIError):
    """The provider (or this record) does not offer the requested metadata format."""

    hint = "Ask list_metadata_formats() which formats it offers (SLiMS offers only oai_dc)."


class IdDoesNotExist(OAIError):
    """The identifier is unknown to the provider (or not a legal identifier there)."""


class NoMetadataFormats(OAIError):
    """The provider has no metadata format for the item asked about."""


class NoRecordsMatch(OAIError):
    """No record matches the from/until/set/metadataPrefix combination.

    Not a failure: ``harvest`` turns it into an empty harvest and never raises it.
    """


class NoSetHierarchy(OAIError):
    """The provider does not support sets (SLiMS does not): harvest without ``set_spec``."""


#: OAI-PMH error codes, spelled as the protocol spells them, and the class raised for each.
OAI_ERRORS: dict[str, type[OAIError]] = {
    "badArgument": BadArgument,
    "badResumptionToken": BadResumptionToken,
    "badVerb": BadVerb,
    "cannotDisseminateFormat": CannotDisseminateFormat,
    "idDoesNotExist": IdDoesNotExist,
    "noMetadataFormats": NoMetadataFormats,
    "noRecordsMatch": NoRecordsMatch,
    "noSetHierarchy": NoSetHierarchy,
}


def oai_error(code: str, description: str, *, endpoint: str, request: dict[str, str] | None = None) -> OAIError:
    """The exception for an OAI-PMH error code (``OAIError`` itself for an unknown code)."""
    cls = OAI_ERRORS.get(code, OAIError)
    return cls(description, endpoint=endpoint, code=code, request=request)
