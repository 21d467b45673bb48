"""A list of records out as one file: BibTeX, RIS, CSL-JSON, MARC 21 (ISO 2709), MARCXML, plain text.

Each record's own writing is the catalogue's (``core.catalog.export``): a
bibliography's file holds exactly what the record page's single downloads hold,
one after another, in the list's order.  What is added here is only what a
collection needs: unique BibTeX keys, one ``<collection>`` around MARCXML
records, and a record too long for ISO 2709 written from its canonical form
(never silently left out: :class:`MarcFile` names what could not be written).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from ..catalog.export import MARCXML_NS, RecordTooLong, marc_bytes, to_bibtex, to_csl, to_marcxml, to_ris
from ..catalog.export.marc import MAX_RECORD_BYTES, build_marc
from ..catalog.record import CanonicalRecord, Holding

__all__ = ["Entry", "MarcFile", "bibtex", "csl_items", "csl_json", "marc21", "marcxml", "ris", "text"]


@dataclass(frozen=True)
class Entry:
    """One reference of a list: the record, its identifier in the list and what MARC needs besides."""

    id: str
    record: CanonicalRecord
    url: str | None = None
    raw: bytes | None = None
    source_format: str | None = None
    holdings: Sequence[tuple[str, Holding]] = ()


@dataclass
class MarcFile:
    """ISO 2709 bytes and the ids of entries that could not be written (too long even when rebuilt)."""

    data: bytes
    left_out: list[str] = field(default_factory=list)


def bibtex(entries: Sequence[Entry]) -> str:
    """One ``@type{key, …}`` per entry; the key is the entry's id, made unique within the file."""
    seen: set[str] = set()
    out = []
    for entry in entries:
        key, n = f"jaringan{entry.id}", 1
        while key in seen:
            n += 1
            key = f"jaringan{entry.id}_{n}"
        seen.add(key)
        out.append(to_bibtex(entry.record, key=key, url=entry.url))
    return "\n".join(out)


def ris(entries: Sequence[Entry]) -> str:
    """The entries' RIS references one after another (``TY`` … ``ER``, CR LF line ends)."""
    return "".join(to_ris(entry.record, url=entry.url) for entry in entries)


def csl_items(entries: Sequence[Entry]) -> list[dict]:
    """The entries as CSL-JSON items (Indonesian single names as ``family`` only, bodies as ``literal``)."""
    return [to_csl(entry.record, id=entry.id, url=entry.url) for entry in entries]


def csl_json(entries: Sequence[Entry]) -> str:
    """A CSL-JSON array, the input of citeproc and of reference managers (Zotero, Mendeley)."""
    return json.dumps(csl_items(entries), ensure_ascii=False, indent=1)


def _marc_options(entry: Entry) -> dict:
    return {"raw": entry.raw, "source_format": entry.source_format, "holdings": entry.holdings,
            "control_number": entry.id}


def marc21(entries: Sequence[Entry], *, agency: str | None = None) -> MarcFile:
    """ISO 2709 records, UTF-8; a member's record too long is rebuilt from the canonical form."""
    out, left_out = [], []
    for entry in entries:
        options = _marc_options(entry)
        try:
            out.append(marc_bytes(entry.record, agency=agency, **options))
            continue
        except RecordTooLong:
            pass
        built = build_marc(entry.record, control_number=entry.id, agency=agency).as_marc()
        if len(built) <= MAX_RECORD_BYTES:
            out.append(built)
        else:
            left_out.append(entry.id)
    return MarcFile(b"".join(out), left_out)


def marcxml(entries: Sequence[Entry], *, agency: str | None = None) -> bytes:
    """A MARCXML ``<collection>`` of the entries' records (no length limit: every entry is there)."""
    root = etree.Element(f"{{{MARCXML_NS}}}collection", nsmap={None: MARCXML_NS})
    for entry in entries:
        root.append(to_marcxml(entry.record, agency=agency, **_marc_options(entry)))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def text(references: Sequence[str], *, numeric: bool = False) -> str:
    """Plain-text references, one a paragraph; numbered "[1] …" for a numeric style."""
    if numeric:
        return "\n\n".join(f"[{n}] {ref}" for n, ref in enumerate(references, start=1)) + "\n"
    return "\n\n".join(references) + "\n"
