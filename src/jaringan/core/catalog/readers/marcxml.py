"""MARCXML: ``<collection>`` of ``<record>``, bare sibling ``<record>``\\ s, or records inside
OAI-PMH or SRU envelopes; namespaced (``http://www.loc.gov/MARC21/slim``) or not.

The unit read is the outermost ``record`` element.  When it is an envelope
(an OAI-PMH or SRU ``record``), the MARC record is the first ``record``
inside it that has a ``leader``, ``controlfield`` or ``datafield``; an OAI
header with ``status="deleted"`` marks the item deleted, and the OAI
identifier is the ``source_id`` when the record has no 001 or 035.
``raw`` is the serialized unit (envelope included).

Each record is turned into a pymarc ``Record`` straight from the parsed
element (no second XML parse), then normalised with ``record_from_marc``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree
from pymarc import Field, Indicators, Record, Subfield

from ..errors import NoTitle
from ..marc import record_from_marc
from .iso2709 import DELETED_STATUS, NOT_BIBLIOGRAPHIC
from .item import SourceItem
from .xmlstream import local_name, oai_header, read_units

__all__ = ["item_from_marcxml", "marc_from_element", "read_marcxml"]

FORMAT = "marcxml"
MARC_CHILDREN = frozenset({"leader", "controlfield", "datafield"})
LEADER_LENGTH = 24


def _is_marc_record(element: etree._Element) -> bool:
    return local_name(element) == "record" and any(local_name(child) in MARC_CHILDREN for child in element)


def _text(element: etree._Element) -> str:
    return element.text or ""


def marc_from_element(element: etree._Element) -> Record:
    """A pymarc ``Record`` built from a MARCXML ``record`` element (any namespace or none)."""
    record = Record(to_unicode=True, force_utf8=True)
    for child in element:
        name = local_name(child)
        if name == "leader":
            leader = _text(child)
            record.leader = (leader + " " * LEADER_LENGTH)[:LEADER_LENGTH]
        elif name == "controlfield":
            record.add_field(Field(tag=child.get("tag", "   "), data=_text(child)))
        elif name == "datafield":
            subfields = [
                Subfield(code=sub.get("code", " "), value=_text(sub)) for sub in child if local_name(sub) == "subfield"
            ]
            indicators = Indicators(child.get("ind1", " ")[:1] or " ", child.get("ind2", " ")[:1] or " ")
            record.add_field(Field(tag=child.get("tag", "   "), indicators=indicators, subfields=subfields))
    return record


def _source_id(record: Record) -> str | None:
    for field in record.get_fields("001"):
        if field.is_control_field() and (field.data or "").strip():
            return field.data.strip()
    for field in record.get_fields("035"):
        if not field.is_control_field():
            for value in field.get_subfields("a"):
                if value.strip():
                    return value.strip()
    return None


def item_from_marcxml(unit: etree._Element, *, position: int) -> SourceItem:
    """The :class:`SourceItem` of one ``record`` unit (never raises for bad data)."""
    raw = etree.tostring(unit, encoding="utf-8")
    oai_id, oai_deleted = oai_header(unit)
    element = unit if _is_marc_record(unit) else next((e for e in unit.iter() if _is_marc_record(e)), None)
    if element is None:
        if oai_deleted:
            return SourceItem(position, None, oai_id, FORMAT, raw, None, None, True)
        return SourceItem(position, None, oai_id, FORMAT, raw, None,
                          "the record element holds no MARC leader, control or data fields")
    try:
        marc = marc_from_element(element)
    except Exception as error:  # pymarc's field classes reject odd tags or codes
        return SourceItem(position, None, oai_id, FORMAT, raw, None, f"pymarc cannot build the record: {error}")
    leader = str(marc.leader)
    deleted = oai_deleted or leader[5:6] == DELETED_STATUS
    source_id = _source_id(marc) or oai_id
    kind = NOT_BIBLIOGRAPHIC.get(leader[6:7])
    if kind:
        message = f"this is {kind} record (leader/06 {leader[6]!r}), not a bibliographic record"
        return SourceItem(position, None, source_id, FORMAT, raw, None, message, deleted)
    try:
        record = record_from_marc(marc, source_id=source_id)
    except NoTitle:
        error = None if deleted else "no title (245 $a, $k and $b are missing or empty)"
        return SourceItem(position, None, source_id, FORMAT, raw, None, error, deleted)
    return SourceItem(position, None, source_id, FORMAT, raw, record, None, deleted)


def read_marcxml(stream: BinaryIO, *, name: str = "") -> Iterator[SourceItem]:
    """Every MARC record of a MARCXML stream, in order, bad ones included as error items."""
    return read_units(stream, is_unit=lambda e: local_name(e) == "record", make_item=item_from_marcxml, fmt=FORMAT, name=name)
