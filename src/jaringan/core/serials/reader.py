"""Read a holdings file of any kind the network receives, recognised from its first bytes:

* MARC 21 holdings (MFHD) or bibliographic records with holdings embedded, as MARCXML or
  ISO 2709 (``mfhd``): see :mod:`.mfhd`;
* KBART, a provider's title list, or a member's CSV of typed holdings (``table``): see :mod:`.kbart`.

:func:`read` yields a :class:`~.lines.HoldingsLine` or a :class:`~.lines.Problem` for every
record or line; a broken record stops nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from jaringan.core.catalog.readers.iso2709 import DECODER, split_records
from jaringan.core.catalog.readers.marcxml import marc_from_element
from jaringan.core.catalog.readers.xmlstream import local_name, xml_units

from . import mfhd
from .coverage import Statement
from .identity import facts_from_marc
from .kbart import read_table
from .lines import HoldingsError, HoldingsLine, Problem

__all__ = ["FORMATS", "sniff", "read"]

FORMATS = ("mfhd", "table")
_ISO2709 = re.compile(rb"^\s*\d{5}[a-z ][a-z]")
HOLDINGS_TYPES = "uvxy"
HOLDINGS_TAGS = ("853", "854", "855", "863", "864", "865", "866", "867", "868")


def sniff(head: bytes) -> str:
    """``mfhd`` or ``table`` for a file starting with ``head``; HoldingsError when neither fits."""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    stripped = text.lstrip()
    if stripped.startswith(b"<"):
        return "mfhd"
    if _ISO2709.match(stripped) and b"\x1e" in text:
        return "mfhd"
    if b"\t" in text or b"," in text:
        return "table"
    raise HoldingsError(f"cannot tell the format from the file's beginning {stripped[:40]!r}: "
                        "expected MARC holdings (MARCXML or ISO 2709), KBART or a CSV of holdings")


def _fields(record) -> list[mfhd.Field]:
    out = []
    for f in record.get_fields(*HOLDINGS_TAGS):
        out.append(mfhd.Field(f.tag, f.indicator1 or " ", f.indicator2 or " ",
                              tuple((s.code, s.value) for s in f.subfields)))
    return out


def line_from_marc(record, *, position: int) -> HoldingsLine | Problem:
    leader = str(record.leader)
    fields = _fields(record)
    location = " ".join(v for f in record.get_fields("852") for v in f.get_subfields("b", "c", "h")).strip()
    controls = [f.data.strip() for f in record.get_fields("001") if f.data and f.data.strip()]
    statement = mfhd.statement(fields) if fields else Statement()
    text = "; ".join(" ".join(v for c, v in f.subfields if c == "a") for f in fields if f.tag == "866")
    if leader[6:7] in HOLDINGS_TYPES:
        links = [f.data.strip() for f in record.get_fields("004") if f.data and f.data.strip()]
        bib_ids = tuple(dict.fromkeys(links + controls[:1]))
        if not bib_ids:
            return Problem(position, "a holdings record with no 004 naming its bibliographic record")
        return HoldingsLine(position, "", (), statement, text or statement.display(), bib_ids=bib_ids,
                            location=location)
    if not fields:
        return Problem(position, "a bibliographic record without holdings fields (853-868): left out",
                       controls[0] if controls else "")
    facts = facts_from_marc(record, id=position)
    ids = controls + [v for f in record.get_fields("035") for v in f.get_subfields("a")]
    return HoldingsLine(position, facts.title, facts.issns, statement, text or statement.display(),
                        bib_ids=tuple(dict.fromkeys(ids)), location=location)


def _read_marcxml(stream) -> Iterator[HoldingsLine | Problem]:
    position = 0
    for unit in xml_units(stream, is_unit=lambda e: local_name(e) == "record", name="holdings"):
        position += 1
        if unit.error:
            yield Problem(position, unit.error)
            return
        try:
            yield line_from_marc(marc_from_element(unit.element), position=position)
        except Exception as error:  # a record pymarc cannot make sense of: reported, the rest goes on
            yield Problem(position, f"unreadable record ({type(error).__name__}: {error})")


def _read_iso2709(stream) -> Iterator[HoldingsLine | Problem]:
    for index, (offset, raw, framing_error) in enumerate(split_records(stream), start=1):
        if framing_error:
            yield Problem(index, f"{framing_error} (byte {offset:,})")
            continue
        try:
            record = DECODER(data=raw, to_unicode=True, force_utf8=True, hide_utf8_warnings=True)
        except Exception as error:  # pymarc and rmarc raise many kinds for bad bytes
            yield Problem(index, f"unreadable record at byte {offset:,} ({type(error).__name__})")
            continue
        yield line_from_marc(record, position=index)


def read(data: bytes, *, format: str | None = None) -> Iterator[HoldingsLine | Problem]:
    """Every holding of a file's bytes (``format`` one of ``FORMATS``, else recognised)."""
    fmt = format or sniff(data[:4096])
    if fmt == "table":
        return read_table(data)
    if fmt != "mfhd":
        raise HoldingsError(f"unknown holdings format {fmt!r}; one of {', '.join(FORMATS)}")
    head = data.lstrip()[:1] if not data.startswith(b"\xef\xbb\xbf") else data[3:].lstrip()[:1]
    if head == b"<":
        return _read_marcxml(io.BytesIO(data))
    return _read_iso2709(io.BytesIO(data))
