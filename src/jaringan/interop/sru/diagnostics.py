"""SRU diagnostics (``info:srw/diagnostic/1/N``): what went wrong, in the standard's own numbers.

A request the server cannot answer raises :class:`Diagnostic`; the view
writes it into the response (never an HTTP 500). Messages are the
standard's English names, sent as the standard spells them. Any other error
of the project's tree met while answering becomes a diagnostic through
:data:`DIAGNOSTICS` (see :func:`diagnostic_for`).
"""

from __future__ import annotations

from jaringan.core.errors import Conflict, Forbidden, Invalid, JaringanError, NotFound, Unavailable, lookup

__all__ = ["DIAGNOSTICS", "MESSAGES", "Diagnostic", "diagnostic_for"]

PREFIX = "info:srw/diagnostic/1/"

#: The diagnostics this server sends, with the standard's names.
MESSAGES = {
    1: "General system error",
    2: "System temporarily unavailable",
    3: "Authentication error",
    4: "Unsupported operation",
    5: "Unsupported version",
    6: "Unsupported parameter value",
    7: "Mandatory parameter not supplied",
    8: "Unsupported parameter",
    10: "Query syntax error",
    15: "Unsupported context set",
    16: "Unsupported index",
    19: "Unsupported relation",
    20: "Unsupported relation modifier",
    27: "Empty term unsupported",
    28: "Masking character not supported",
    29: "Masked words too short",
    31: "Anchoring character not supported",
    33: "Combination of proximity/adjacency and masking characters not supported",
    35: "Term contains only stopwords",
    36: "Term in invalid format for index or relation",
    37: "Unsupported boolean operator",
    38: "Too many boolean operators in query",
    39: "Proximity not supported",
    61: "First record position out of range",
    64: "Record temporarily unavailable",
    66: "Unknown schema for retrieval",
    71: "Unsupported record packing",
    72: "XPath retrieval unsupported",
    110: "Stylesheets not supported",
    120: "Response position out of range",
}


class Diagnostic(Invalid):
    """A fatal diagnostic: the operation stops and the response carries it.

    Nearly every diagnostic says the request asked for what this server cannot
    do, hence ``Invalid``; the few that do not (1, 2, 64) are made here from
    the error met, by :func:`diagnostic_for`.
    """

    def __init__(self, number: int, details: str = "") -> None:
        if number not in MESSAGES:
            raise ValueError(f"no such diagnostic here: {number}")
        super().__init__(f"{number} {MESSAGES[number]}: {details}", code=f"sru-{number}")
        self.number = number
        self.details = details

    @property
    def uri(self) -> str:
        return f"{PREFIX}{self.number}"

    @property
    def standard_message(self) -> str:
        """The standard's English name of the diagnostic (what ``<message>`` carries)."""
        return MESSAGES[self.number]


#: The diagnostic number of each branch of the project's errors (a ``Diagnostic`` is its own).
DIAGNOSTICS: dict[type[JaringanError], int] = {
    Invalid: 6,  # Unsupported parameter value
    Forbidden: 3,  # Authentication error
    NotFound: 64,  # Record temporarily unavailable
    Conflict: 1,  # General system error
    Unavailable: 2,  # System temporarily unavailable
    JaringanError: 1,
}


def diagnostic_for(error: JaringanError) -> Diagnostic:
    """The diagnostic that answers ``error``: itself when it is one, else its branch's number."""
    if isinstance(error, Diagnostic):
        return error
    return Diagnostic(lookup(DIAGNOSTICS, error, 1), error.message)
