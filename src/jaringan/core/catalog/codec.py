"""A canonical record as plain JSON data, and back.

The database keeps each member record's canonical form as JSON beside its raw
bytes; this module is the one place that knows how the dataclasses map to it.
"""

from __future__ import annotations

import hashlib
import json
import operator
from dataclasses import fields
from typing import Any

from .record import CanonicalRecord, Classification, Holding, Series

_TUPLES = {f.name for f in fields(CanonicalRecord) if str(f.type).startswith("tuple")}
#: Tuples of pairs (``abstracts``: language and text), kept in JSON as lists of two.
_PAIRS = frozenset({"abstracts"})
_NESTED = {"series": Series, "classifications": Classification, "holdings": Holding}
_NAMES = tuple(f.name for f in fields(CanonicalRecord))
_KNOWN = frozenset(_NAMES)
_FIELDS_OF = {cls: tuple(f.name for f in fields(cls)) for cls in _NESTED.values()}


#: All of a record's values in one call, in ``_NAMES`` order (a ``getattr`` for each name costs twice as much).
_VALUES = operator.attrgetter(*_NAMES)


def to_data(record: CanonicalRecord) -> dict[str, Any]:
    """Plain JSON-ready data; empty values are left out to keep rows small."""
    out = {}
    for key, value in zip(_NAMES, _VALUES(record)):
        if value is None or value == "" or value == ():
            continue
        if key in _NESTED:
            value = [_shallow(item) for item in value]
        elif key in _PAIRS:
            value = [list(pair) for pair in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


#: The encoders of ``data_text`` and ``description_number``, made once: ``json.dumps`` with any option makes
#: a new encoder for each call. They write what ``json.dumps`` with the same options writes.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_COMPACT_SORTED = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def data_text(data: dict[str, Any]) -> str:
    """`to_data`'s data as the JSON text the database keeps (compact, UTF-8 kept)."""
    return _COMPACT.encode(data)


#: What a record says of where it came from and who holds it, not of the book.
NOT_DESCRIPTION = frozenset({"holdings", "source_id", "library"})


def description_number(data: dict[str, Any]) -> int:
    """A 64-bit number for what `data` says of the book (`NOT_DESCRIPTION` aside): records with the same
    number describe it identically (copy cataloguing), so matching reads and compares one of them for all."""
    described = {key: value for key, value in data.items() if key not in NOT_DESCRIPTION}
    text = _COMPACT_SORTED.encode(described)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _shallow(item) -> dict[str, Any]:
    """A nested dataclass of plain values as a dict (what ``asdict`` gives, without its deep copying)."""
    return {f: getattr(item, f) for f in _FIELDS_OF[type(item)]}


def from_data(data: dict[str, Any], *, holdings: bool = True) -> CanonicalRecord:
    """The record `to_data` made; unknown keys (from a newer version) are ignored.

    ``holdings=False`` leaves the holdings out (matching never reads them).
    """
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _KNOWN or (key == "holdings" and not holdings):
            continue
        if key in _NESTED:
            cls = _NESTED[key]
            value = tuple(cls(**item) for item in value)
        elif key in _PAIRS:
            value = tuple(tuple(pair) for pair in value)
        elif key in _TUPLES:
            value = tuple(value)
        kwargs[key] = value
    return CanonicalRecord(**kwargs)
