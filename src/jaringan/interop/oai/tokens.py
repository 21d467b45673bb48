"""Resumption tokens that need no server state: the list's query and where the last page ended.

A token carries the verb, the metadata prefix, the set, the ``from``/``until``
window, the (datestamp, id) of the last item sent, how many items were sent
before (the ``cursor``) and the list's size when it was started. It is signed
with the site's secret key (``django.core.signing``), so it cannot be forged
or edited, and since nothing is kept on the server it survives restarts and
works on any of several servers that share the key. Tokens do not expire: a
library on a poor connection may resume a harvest days later.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.core import signing

from jaringan.core.errors import Invalid

__all__ = ["BadToken", "ListState", "decode", "encode"]

SALT = "jaringan.interop.oai.resumption"
VERSION = 1


class BadToken(Invalid):
    """The token was not issued by this repository (or was altered)."""


@dataclass(frozen=True, slots=True)
class ListState:
    """Where a ListRecords/ListIdentifiers list stands.

    ``after`` is the (datestamp, id) of the last item sent, as an ISO
    datetime with microseconds and the edition id; ``from_``/``until`` are the
    window's instants (ISO, ``until`` exclusive); ``cursor`` counts the items
    sent before the next page; ``total`` is the list's size when it began.
    """

    verb: str
    prefix: str
    set_spec: str | None
    from_: str | None
    until: str | None
    after: tuple[str, int]
    cursor: int
    total: int

    @property
    def after_key(self) -> tuple[datetime, int]:
        return datetime.fromisoformat(self.after[0]), int(self.after[1])


def encode(state: ListState) -> str:
    """The signed, compressed token of a list's state."""
    data = asdict(state)
    data["v"] = VERSION
    return signing.dumps(data, salt=SALT, compress=True)


def decode(token: str, *, verb: str) -> ListState:
    """The state in a token; :class:`BadToken` when it is forged, altered, old-versioned or for another verb."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise BadToken(token) from None
    try:
        if data.pop("v") != VERSION:
            raise BadToken(token)
        state = ListState(**data)
        after = (str(state.after[0]), int(state.after[1]))
        datetime.fromisoformat(after[0])
        state = ListState(**{**asdict(state), "after": after})
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        raise BadToken(token) from None
    if state.verb != verb:
        raise BadToken(token)
    return state
