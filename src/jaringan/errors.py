"""The domain's errors. They know nothing of HTTP; each edge maps them.

    DomainError
    ├── Invalid        bad input: `errors` maps a field (or "__all__") to messages
    ├── Forbidden      the acting person may not do this
    ├── NotFound       no such thing (or not visible to this person)
    └── Conflict       the state changed under the action (two people at once,
                       an action not allowed from the current state)
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str, *, code: str = "", errors: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code
        self.errors = errors or {}


class Invalid(DomainError):
    """The input is wrong; `errors` names each field and what is wrong with it."""

    @classmethod
    def from_django(cls, exc) -> "Invalid":
        """From a Django `ValidationError` (field errors or a plain list)."""
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        summary = "; ".join(f"{f}: {' '.join(m)}" if f != "__all__" else " ".join(m) for f, m in errors.items())
        return cls(summary, code="invalid", errors=errors)


class Forbidden(DomainError):
    """The acting person may not do this."""


class NotFound(DomainError):
    """No such object, or not one this person may see."""


class Conflict(DomainError):
    """The action does not fit the object's current state."""
