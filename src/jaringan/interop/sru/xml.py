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

__all__ = ["Response", "SRU_NS", "diagnostic_element", "packed"]

SRU_NS = {"1": "http://www.loc.gov/zing/srw/", "2": "http://docs.oasis-open.org/ns/search-ws/sruResponse"}
DIAG_NS = {"1": "http://www.loc.gov/zing/srw/diagnostic/", "2": "http://docs.oasis-open.org/ns/search-ws/diagnostic"}
SCAN_NS_2 = "http://docs.oasis-open.org/ns/search-ws/scan"
EXACT_COUNT = "info:srw/vocabulary/resultCountPrecision/1/exact"
DIAGNOSTIC_SCHEMA = "info:srw/schema/1/diagnostics-v1.1"
_SLOT = "jaringan-record"
_SLOTS = re.compile(rb"<\?" + _SLOT.encode() + rb" (\d+)\?>")


def _major(version: str) -> str:
    return "2" if version.startswith("2") else "1"


def diagnostic_element(diagnostic: Diagnostic, version: str) -> etree._Element:
    ns = DIAG_NS[_major(version)]
    root = etree.Element(f"{{{ns}}}diagnostic", nsmap={"diag": ns})
    etree.SubElement(root, f"{{{ns}}}uri").text = diagnostic.uri
    if diagnostic.details:
        etree.SubElement(root, f"{{{ns}}}details").text = diagnostic.details
    etree.SubElement(root, f"{{{ns}}}message").text = diagnostic.message
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
            element.text = str(text)
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
