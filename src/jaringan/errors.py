"""The Django side of the error tree of :mod:`jaringan.core.errors`: each branch's HTTP status (one
table for the JSON API, the pages and the protocols' own failures), each branch said in the reader's
language (a page's heading, the command line's "error" line), and Django's validation errors taken in.

The tree itself lives in the core; import its classes from there.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jaringan.core.errors import Conflict, Forbidden, Invalid, JaringanError, NotFound, Unavailable, lookup

__all__ = ["HTTP_STATUS", "TITLES", "invalid_from", "status_of", "title_of"]

#: The HTTP status of each branch (an error of no branch is the server's fault).
HTTP_STATUS = {
    Invalid: 400,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Unavailable: 503,
    JaringanError: 500,
}

#: What each branch means, in a few words for a person (a page's heading, the CLI's "error:" line).
TITLES = {
    Invalid: _("The input was refused"),
    Forbidden: _("Not allowed"),
    NotFound: _("Not found"),
    Conflict: _("Not possible now"),
    Unavailable: _("Not available at the moment"),
    JaringanError: _("Something went wrong"),
}


def status_of(error: JaringanError) -> int:
    """The HTTP status that answers ``error``."""
    return lookup(HTTP_STATUS, error, HTTP_STATUS[JaringanError])


def title_of(error: JaringanError) -> str:
    """The words of ``error``'s branch, in the active language."""
    return str(lookup(TITLES, error, TITLES[JaringanError]))


def invalid_from(exc) -> Invalid:
    """A Django ``ValidationError`` (field errors or a plain list) as :class:`Invalid`."""
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    summary = "; ".join(f"{f}: {' '.join(m)}" if f != "__all__" else " ".join(m) for f, m in errors.items())
    return Invalid(summary, errors=errors)
