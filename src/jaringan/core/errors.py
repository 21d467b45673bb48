"""The one tree of errors Jaringan raises on purpose. Pure: knows nothing of HTTP, SRU or terminals.

Every exception class of the project derives from :class:`JaringanError`
through exactly one of five branches, which say what kind of failure it is,
so that each edge maps the branches once instead of each class::

    JaringanError          anything raised on purpose: ``message``, ``code``, ``errors``
    ├── Invalid            the input is wrong (a field, a file, a record, a query, a message)
    ├── Forbidden          the acting person or system may not do this
    ├── NotFound           no such thing, or not one the asker may see
    ├── Conflict           the thing's current state does not allow this (or changed meanwhile)
    └── Unavailable        something it needs (another system, a program, a lock) is missing,
                           busy, not answering or answering nonsense: try again later

The families below a branch (``CatalogError``, ``MessageError``,
``HarvestError`` …) keep their own docstring trees beside their classes.

Each edge holds one table from branch (or a more precise class) to what it
answers with:

- HTTP statuses, ``jaringan.errors.HTTP_STATUS``: the JSON API (``jaringan.api_errors``), the
  pages (``jaringan.errorpages``), and what the protocols below have no word for;
- SRU diagnostics, ``jaringan.interop.sru.diagnostics.DIAGNOSTICS``;
- OAI-PMH error codes, ``jaringan.interop.oai.protocol.OAI_CODES``;
- ISO 18626 ErrorData, ``jaringan.ill.iso18626.inbound.ERROR_TYPES`` (and ``.endpoint.TURNED_AWAY``);
- the command line's exit codes, ``jaringan.cli.EXIT_CODES``.

:func:`lookup` finds an error's row: the table's entry for the nearest class
in the error's ancestry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

__all__ = ["Conflict", "Forbidden", "Invalid", "JaringanError", "NotFound", "Unavailable", "lookup"]

V = TypeVar("V")


class JaringanError(Exception):
    """Base of every error Jaringan raises on purpose.

    ``message`` says what happened in words a person can act on (translated
    when a Django-side service raised it; the core's own errors speak English
    and the edges say them again); ``code`` is a short machine-readable name
    (the branch's own when none is given); ``errors`` maps each field at fault
    to its messages (``"__all__"`` when no one field is).
    """

    #: The machine-readable code of the branch, when the raiser gives none.
    code = "error"

    def __init__(self, message: str = "", *, code: str = "", errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        self.errors = errors or {}


class Invalid(JaringanError):
    """The input is wrong: ``errors`` names each field (or ``"__all__"``) and what is wrong with it."""

    code = "invalid"


class Forbidden(JaringanError):
    """The acting person (or the calling system) may not do this."""

    code = "forbidden"


class NotFound(JaringanError):
    """No such thing, or not one the asker may see."""

    code = "not_found"


class Conflict(JaringanError):
    """The action does not fit the thing's current state, or the state changed under it."""

    code = "conflict"


class Unavailable(JaringanError):
    """Something the action needs is missing, busy or not answering; the same action may work later."""

    code = "unavailable"


def lookup(table: Mapping[type[BaseException], V], error: BaseException, default: V) -> V:
    """The entry of ``table`` for the nearest of ``error``'s classes (itself, then its bases), else ``default``."""
    for cls in type(error).__mro__:
        if cls in table:
            return table[cls]
    return default
