"""A canonical record as plain JSON data, and back.

The database keeps each member record's canonical form as JSON beside its raw
bytes; this module is the one place that knows how the dataclasses map to it.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from .record import CanonicalRecord, Classification, Holding, Series

_TUPLES = {f.name for f in fields(CanonicalRecord) if str(f.type).startswith("tuple")}
_NESTED = {"series": Series, "classifications": Classification, "holdings": Holding}


def to_data(record: CanonicalRecord) -> dict[str, Any]:
    """Plain JSON-ready data; empty values are left out to keep rows small."""
    out = {}
    for key, value in asdict(record).items():
        if value in (None, (), [], ""):
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def from_data(data: dict[str, Any]) -> CanonicalRecord:
    """The record `to_data` made; unknown keys (from a newer version) are ignored."""
    known = {f.name for f in fields(CanonicalRecord)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            continue
        if key in _NESTED:
            cls = _NESTED[key]
            value = tuple(cls(**item) for item in value)
        elif key in _TUPLES:
            value = tuple(value)
        kwargs[key] = value
    return CanonicalRecord(**kwargs)
