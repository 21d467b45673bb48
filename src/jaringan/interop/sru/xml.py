"""SRU responses in the XML of each version.

1.1 and 1.2 answer in ``http://www.loc.gov/zing/srw/`` (prefix ``zs``, as the
Library of Congress and yaz write it), 2.0 in
``http://docs.oasis-open.org/ns/search-ws/sruResponse`` (and ``.../scan``
for scan). Elements come in the order of each version's schema.

A record already serialised (bytes) goes into the document as it is: the
envelope holds a processing instruction in its place, replaced in the
serialised response (text and attribute values are escaped by lxml, so
nothing else in the envelope can read ``<?``), and it is never parsed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from .diagnostics import Diagnostic

__all__ = ["MarcCollection", "Response", "SRU_NS", "diagnostic_element", "not_xml", "packed"]

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
SRU_NS = {"1": "http://www.loc.gov/zing/srw/", "2": "http://docs.oasis-open.org/ns/search-ws/sruResponse"}
DIAG_NS = {"1": "http://www.loc.gov/zing/srw/diagnostic/", "2": "http://docs.oasis-open.org/ns/search-ws/diagnostic"}
SCAN_NS_2 = "http://docs.oasis-open.org/ns/search-ws/scan"
EXACT_COUNT = "info:srw/vocabulary/resultCountPrecision/1/exact"
DIAGNOSTIC_SCHEMA = "info:srw/schema/1/diagnostics-v1.1"
#: What XML 1.0 cannot carry: C0 controls but tab, line feed and carriage return; lone surrogates; U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SLOT = "jaringan-record"
_SLOTS = re.compile(rb"<\?" + _SLOT.encode() + rb" (\d+)\?>")


def _major(version: str) -> str:
    return "2" if version.startswith("2") else "1"


def not_xml(text: str) -> re.Match | None:
    """The first character of ``text`` that XML 1.0 cannot carry (a NUL byte...), or None."""
    return _NOT_XML.search(text)


def _xml_text(value: object) -> str:
    """``value`` as text an XML document can hold: each character it cannot, as U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def diagnostic_element(diagnostic: Diagnostic, version: str) -> etree._Element:
    ns = DIAG_NS[_major(version)]
    root = etree.Element(f"{{{ns}}}diagnostic", nsmap={"diag": ns})
    etree.SubElement(root, f"{{{ns}}}uri").text = diagnostic.uri
    if diagnostic.details:
        etree.SubElement(root, f"{{{ns}}}details").text = _xml_text(diagnostic.details)
    etree.SubElement(root, f"{{{ns}}}message").text = diagnostic.standard_message
    return root


def packed(data: etree._Element, escaping: str) -> etree._Element | str:
    """A record as ``recordData`` holds it: the element itself, or its text (``string``)."""
    return etree.tostring(data, encoding="unicode") if escaping == "string" else data


@dataclass
class Record:
    """One record of a response: ``data`` is an element, its escaped text (``string``), or the
    element serialised as UTF-8 without an XML declaration (bytes, sent as they are)."""

    schema: str
    data: etree._Element | str | bytes
    position: int


class Response:
    """One response document, built element by element in schema order."""

    def __init__(self, operation: str, version: str) -> None:
        self.version = version
        self.major = _major(version)
        self.ns = SRU_NS[self.major]
        if operation == "scan" and self.major == "2":
            self.ns = SCAN_NS_2
        prefix = "scan" if self.ns == SCAN_NS_2 else ("sru" if self.major == "2" else "zs")
        self.root = etree.Element(f"{{{self.ns}}}{operation}Response", nsmap={prefix: self.ns})
        self._serialised: list[bytes] = []
        self.add("version", version)

    def add(self, name: str, text: object = None, parent: etree._Element | None = None) -> etree._Element:
        element = etree.SubElement(self.root if parent is None else parent, f"{{{self.ns}}}{name}")
        if text is not None:
            element.text = _xml_text(text)  # a request's values are echoed: whatever it held
        return element

    def record(self, parent: etree._Element, record: Record, *, escaping: str) -> None:
        """``record``: recordSchema, recordPacking (1.x) or recordXMLEscaping (2.0), recordData, recordPosition."""
        element = self.add("record", parent=parent)
        self.add("recordSchema", record.schema, element)
        self.add("recordXMLEscaping" if self.major == "2" else "recordPacking", escaping, element)
        holder = self.add("recordData", parent=element)
        if isinstance(record.data, str):
            holder.text = record.data
        elif isinstance(record.data, bytes):
            holder.append(etree.ProcessingInstruction(_SLOT, str(len(self._serialised))))
            self._serialised.append(record.data)
        else:
            holder.append(record.data)
        if record.position:
            self.add("recordPosition", record.position, element)

    def records(self, records: Iterable[Record], *, escaping: str) -> None:
        records = list(records)
        if records:
            parent = self.add("records")
            for record in records:
                self.record(parent, record, escaping=escaping)

    def echo(self, name: str, values: Mapping[str, object]) -> None:
        echo = self.add(name)
        self.add("version", self.version, echo)
        for key, value in values.items():
            if value not in (None, ""):
                self.add(key, value, echo)

    def diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        diagnostics = list(diagnostics)
        if diagnostics:
            holder = self.add("diagnostics")
            for diagnostic in diagnostics:
                holder.append(diagnostic_element(diagnostic, self.version))

    def count_precision(self) -> None:
        if self.major == "2":
            self.add("resultCountPrecision", EXACT_COUNT)

    def bytes(self) -> bytes:
        data = etree.tostring(self.root, encoding="utf-8", xml_declaration=True)
        if self._serialised:
            data = _SLOTS.sub(lambda slot: self._serialised[int(slot.group(1))], data)
        return data


class MarcCollection:
    """MARCXML records (serialised ``record`` elements) as one ``collection`` document: what a
    1.x request with ``xmlformat=marc21`` (SLiMS's MARC SRU client) is answered with."""

    def __init__(self, records: Iterable[bytes]) -> None:
        self._records = list(records)

    def bytes(self) -> bytes:
        opening = f'<?xml version="1.0" encoding="utf-8"?>\n<collection xmlns="{MARCXML_NS}">'.encode()
        return opening + b"".join(self._records) + b"</collection>"
