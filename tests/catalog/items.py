"""Items as the catalogue's readers yield them, made from the real LoC Indonesian records
(the demo's, shipped with the package: these tests need nothing from outside the project)."""

from __future__ import annotations

import lzma
from dataclasses import dataclass, replace
from pathlib import Path

import pymarc

import jaringan
from jaringan.core.catalog.marc import record_from_marc
from jaringan.core.catalog.record import CanonicalRecord

INDONESIA = Path(jaringan.__file__).parent / "demo" / "data" / "loc-indonesia-2016.mrc.xz"


@dataclass(frozen=True)
class Item:
    position: int
    source_id: str | None
    raw: bytes
    record: CanonicalRecord | None
    format: str = "marc21"
    offset: int | None = None
    error: str | None = None
    deleted: bool = False


def loc_items(count: int, *, prefix: str = "") -> list[Item]:
    out = []
    with lzma.open(INDONESIA, "rb") as fh:
        for n, rec in enumerate(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True), start=1):
            if rec is None:
                continue
            control = rec["001"].data.strip() if rec["001"] else str(n)
            out.append(Item(position=n, source_id=prefix + control, raw=rec.as_marc(),
                            record=record_from_marc(rec, source_id=prefix + control)))
            if len(out) == count:
                break
    return out


def retyped(item: Item, *, source_id: str, **changes) -> Item:
    """The same book as another library typed it: its own id, its own bytes, small differences."""
    record = replace(item.record, source_id=source_id, **changes)
    return replace(item, source_id=source_id, record=record, raw=item.raw + source_id.encode())
