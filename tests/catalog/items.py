"""Items as the catalogue's readers yield them (`SourceItem`), made from the real LoC Indonesian records
(the demo's, shipped with the package: these tests need nothing from outside the project)."""

from __future__ import annotations

import lzma
from dataclasses import replace
from pathlib import Path

import pymarc

import jaringan
from jaringan.core.catalog.marc import record_from_marc
from jaringan.core.catalog.readers.item import SourceItem

INDONESIA = Path(jaringan.__file__).parent / "demo" / "data" / "loc-indonesia-2016.mrc.xz"


def loc_items(count: int, *, prefix: str = "") -> list[SourceItem]:
    out = []
    with lzma.open(INDONESIA, "rb") as fh:
        for n, rec in enumerate(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True), start=1):
            if rec is None:
                continue
            control = rec["001"].data.strip() if rec["001"] else str(n)
            out.append(SourceItem(position=n, offset=None, source_id=prefix + control, format="marc21",
                                  raw=rec.as_marc(), record=record_from_marc(rec, source_id=prefix + control)))
            if len(out) == count:
                break
    return out


def retyped(item: SourceItem, *, source_id: str, **changes) -> SourceItem:
    """The same book as another library typed it: its own id, its own bytes, small differences."""
    record = replace(item.record, source_id=source_id, **changes)
    return replace(item, source_id=source_id, record=record, raw=item.raw + source_id.encode())
