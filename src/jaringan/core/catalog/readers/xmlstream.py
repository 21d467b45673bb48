"""Stream the record elements of an XML file, safely and in bounded memory.

Shared by the MARCXML, Dublin Core and MODS readers:

* the prologue (before the first element) is read first; a ``<!DOCTYPE``
  raises :class:`ForbiddenDtd` before anything is parsed, so no entity
  declaration ever reaches the parser (billion laughs);
* the document is wrapped in an element of our own, so files of bare sibling
  ``<record>`` elements without a ``<collection>`` (Evergreen's
  ``serials_marc21.xml``) parse like any other;
* an ``lxml.etree.XMLPullParser`` runs with entities, DTD loading, network
  and huge trees off, fed one chunk at a time; each record element is handed
  over when it ends, then cleared and removed, so memory holds one record at
  a time.  (``iterparse`` is not used: from lxml 6 it raises a syntax error
  before handing over the events that came before it in the same chunk, and
  the complete records before a break were lost);
* malformed XML after the document began ends the stream with one error
  (the records before the break are kept); before that, it is :class:`NotXml`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from .errors import FileTooLarge, ForbiddenDtd, NotXml
from .streams import CHUNK_SIZE

__all__ = ["XmlUnit", "local_name", "namespace", "oai_header", "xml_units"]

WRAPPER = b"jaringan-stream"
#: A prologue (declaration, comments, processing instructions) longer than this is not a member file.
MAX_PROLOGUE_BYTES = 1 << 20
UTF8_BOM = b"\xef\xbb\xbf"
WHITESPACE = b" \t\r\n"


@dataclass(slots=True)
class XmlUnit:
    """One record element as it ended (``element``), or the one error that ended the stream.

    After an error, ``element`` is what was parsed of the unfinished record,
    if any, and ``error`` says where the XML broke.
    """

    element: etree._Element | None
    error: str | None = None


def local_name(element: etree._Element) -> str:
    """The tag without namespace, lower-cased ("" for comments and the like)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def namespace(element: etree._Element) -> str | None:
    """The namespace URI of the element, or None."""
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else None


def oai_header(unit: etree._Element) -> tuple[str | None, bool]:
    """(OAI identifier, deleted) from an envelope's ``header``, if it has one."""
    header = next((child for child in unit if local_name(child) == "header"), None)
    if header is None:
        return None, False
    identifier = next((c.text.strip() for c in header if local_name(c) == "identifier" and c.text), None)
    return identifier, header.get("status") == "deleted"


def _read_prologue(stream: BinaryIO, name: str) -> tuple[bytes, int]:
    """``(bytes read so far, index of the first element's "<")``, refusing any DTD."""
    where = f"{name}: " if name else ""
    data = stream.read(CHUNK_SIZE)
    at = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    while True:
        while at < len(data) and data[at] in WHITESPACE:
            at += 1
        if at + 10 > len(data):
            more = stream.read(CHUNK_SIZE)
            if more:
                data += more
                continue
        if at >= len(data):
            raise NotXml(f"{where}the file is empty or holds only blanks, not an XML document")
        rest = data[at:]
        if rest.startswith((b"<!DOCTYPE", b"<!doctype", b"<!ENTITY")):
            raise ForbiddenDtd(f"{where}the XML declares a DTD (<!DOCTYPE ...>); DTDs and entity declarations "
                               "are refused because they can expand a small file into gigabytes")
        closer = b"?>" if rest.startswith(b"<?") else b"-->" if rest.startswith(b"<!--") else None
        if closer is None:
            if rest[:1] == b"<" and (rest[1:2].isalpha() or rest[1:2] in (b"_", b":") or rest[1:2] >= b"\x80"):
                return data, at
            raise NotXml(f"{where}the file does not start as an XML document (found {rest[:20]!r})")
        end = data.find(closer, at)
        if end < 0:
            if len(data) > MAX_PROLOGUE_BYTES:
                raise FileTooLarge(f"{where}the XML prologue is longer than {MAX_PROLOGUE_BYTES:,} bytes")
            more = stream.read(CHUNK_SIZE)
            if not more:
                raise NotXml(f"{where}the file ends inside its XML declaration or a comment")
            data += more
            continue
        at = end + len(closer)


class _Chain(io.RawIOBase):
    """Bytes from a sequence of parts (bytes or streams), read one after another."""

    def __init__(self, parts: Iterable[bytes | BinaryIO]) -> None:
        self._parts = iter(parts)
        self._current: BinaryIO | None = None

    def readable(self) -> bool:
        """Always true: this is an input stream."""
        return True

    def readinto(self, buffer) -> int:
        """Fill ``buffer`` from the current part, moving on when it is spent."""
        while True:
            if self._current is None:
                part = next(self._parts, None)
                if part is None:
                    return 0
                self._current = io.BytesIO(part) if isinstance(part, bytes) else part
            data = self._current.read(len(buffer))
            if data:
                buffer[: len(data)] = data
                return len(data)
            self._current = None


def _events(parts: Iterable[bytes | BinaryIO]) -> Iterator[tuple[str, etree._Element]]:
    """("start" | "end", element) for the XML made of ``parts``, fed to the parser a chunk at a time.

    On a syntax error, every event the parser produced before it is yielded
    first, then the error is raised.
    """
    parser = etree.XMLPullParser(
        events=("start", "end"), resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True,
    )
    source = _Chain(parts)
    try:
        while chunk := source.read(CHUNK_SIZE):
            parser.feed(chunk)
            yield from parser.read_events()
        parser.close()
    except etree.XMLSyntaxError:
        yield from parser.read_events()
        raise
    yield from parser.read_events()


def _message(error: etree.XMLSyntaxError) -> str:
    text = str(error.msg or error)
    line = error.position[0] if error.position else None
    if WRAPPER.decode() in text or "Premature end" in text or "EndTag" in text:
        return f"the file ends in the middle of the XML document (truncated?) at line {line}"
    return f"the XML is malformed at line {line}: {text}"


def xml_units(stream: BinaryIO, *, is_unit: Callable[[etree._Element], bool], name: str = "") -> Iterator[XmlUnit]:
    """Each element for which ``is_unit`` is true at its start, handed over when it ends.

    Units do not nest: inside an open unit, ``is_unit`` is not asked.  A unit
    is cleared and dropped once the consumer asks for the next one.
    """
    head, at = _read_prologue(stream, name)
    events = _events([head[:at], b"<" + WRAPPER + b">", head[at:], stream, b"</" + WRAPPER + b">"])
    depth = 0
    unit: etree._Element | None = None
    started = False
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                started = started or depth >= 2
                if unit is None and depth >= 2 and is_unit(element):
                    unit = element
                continue
            depth -= 1
            if element is unit:
                yield XmlUnit(element)
                unit = None
            elif unit is not None or depth < 2:
                continue  # inside a record, or the wrapper and the document's root
            parent = element.getparent()
            element.clear()
            if parent is not None:
                parent.remove(element)
    except etree.XMLSyntaxError as error:
        if not started:
            where = f"{name}: " if name else ""
            raise NotXml(f"{where}not well-formed XML: {error}") from error
        yield XmlUnit(unit, _message(error))


def read_units(stream: BinaryIO, *, is_unit: Callable[[etree._Element], bool], make_item, fmt: str,
               name: str = "") -> Iterator:
    """Every record element of an XML stream made into an item, in order.

    A break in the XML yields one error item for what could not be read, and
    the stream ends there; the items before it stand.
    """
    from .item import SourceItem

    position = 0
    for unit in xml_units(stream, is_unit=is_unit, name=name):
        position += 1
        if unit.error:
            raw = etree.tostring(unit.element, encoding="utf-8") if unit.element is not None else b""
            yield SourceItem(position, None, None, fmt, raw, None, unit.error)
            return
        yield make_item(unit.element, position=position)
