"""SRU diagnostics (``info:srw/diagnostic/1/N``): what went wrong, in the standard's own numbers.

A request the server cannot answer raises :class:`Diagnostic`; the view
writes it into the response (never an HTTP 500). Messages are the
standard's English names, sent as the standard spells them.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "Diagnostic"]

PREFIX = "info:srw/diagnostic/1/"

#: The diagnostics this server sends, with the standard's names.
MESSAGES = {
    1: "General system error",
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


class Diagnostic(Exception):
    """A fatal diagnostic: the operation stops and the response carries it."""

    def __init__(self, number: int, details: str = "") -> None:
        if number not in MESSAGES:
            raise ValueError(f"no such diagnostic here: {number}")
        super().__init__(f"{number} {MESSAGES[number]}: {details}")
        self.number = number
        self.details = details

    @property
    def uri(self) -> str:
        return f"{PREFIX}{self.number}"

    @property
    def message(self) -> str:
        return MESSAGES[self.number]
