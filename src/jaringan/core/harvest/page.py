"""Read one OAI-PMH response page: headers, records, resumption token, Identify, sets.

Pure functions over a parsed page (no network).  Elements are matched by
local name, so a provider that drops the OAI namespace (it happens: see the
``sample-oai-no-namespace.xml`` fixture) reads like one that keeps it.
Metadata is normalised with the catalogue's own readers: ``oai_dc`` /
simple DC through ``record_from_dublin_core`` (SLiMS's
``dc:identifier_isbn`` and DDC-as-subject included), MARCXML through pymarc
and ``record_from_marc``.  A record that cannot be normalised still comes
out, with ``record=None`` and ``error`` saying why: the batch never stops
for one bad record.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass

import pymarc
from lxml import etree

from ..catalog.dublin_core import DC_CONTAINERS, record_from_dublin_core
from ..catalog.marc import record_from_marc
from ..catalog.record import CanonicalRecord

__all__ = [
    "HarvestedRecord",
    "Header",
    "MetadataFormat",
    "OaiSet",
    "Repository",
    "canonical_bytes",
    "children",
    "child_text",
    "header_from_element",
    "list_items",
    "record_from_element",
    "repository_from_identify",
    "resumption_token",
]

MARC_CONTAINERS = frozenset({"record", "collection"})


@dataclass(frozen=True, slots=True)
class Header:
    """An OAI-PMH record header. ``datestamp`` is None when the provider sends none (SLiMS)."""

    identifier: str
    datestamp: str | None
    deleted: bool
    sets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HarvestedRecord:
    """One record of a ListRecords/GetRecord answer, normalised when possible.

    ``raw`` is the ``<record>`` element as the provider sent it, serialised
    canonically (C14N, the namespaces it uses declared once on it, without
    the whitespace around it: ``canonical_bytes``), kept so a record can be re-read later without
    harvesting again; the same record at another place in another page gives
    the same bytes, so its checksum says "unchanged".  ``record`` is None for a deleted record (``deleted``),
    and for a record that could not be normalised (``error`` says why).
    ``identifier`` is the OAI identifier, the key under which the union
    catalogue updates the record in place; it is ``""`` when a sloppy
    provider left it out (``error`` says so).
    """

    identifier: str
    datestamp: str | None
    deleted: bool
    sets: tuple[str, ...]
    raw: bytes
    record: CanonicalRecord | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Repository:
    """What ``Identify`` says about a provider.

    ``granularity`` is ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ``;
    ``deleted_record`` is ``no``, ``transient`` or ``persistent``.  Fields the
    provider leaves out are None.
    """

    name: str | None
    base_url: str | None
    protocol_version: str | None
    granularity: str | None
    earliest_datestamp: str | None
    deleted_record: str | None
    admin_emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OaiSet:
    """A set the provider offers for selective harvesting."""

    spec: str
    name: str | None


@dataclass(frozen=True, slots=True)
class MetadataFormat:
    """A metadata format the provider offers (``prefix`` is what ``metadata_prefix`` takes)."""

    prefix: str
    schema: str | None
    namespace: str | None


def _local(element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(element, name: str) -> list:
    """The child elements of ``element`` whose local name is ``name``."""
    return [c for c in element if _local(c) == name]


def child_text(element, name: str) -> str | None:
    """The stripped text of the first child named ``name``; None when absent or empty."""
    for child in children(element, name):
        text = "".join(child.itertext()).strip()
        if text:
            return text
    return None


def list_items(root, verb: str, item: str) -> list:
    """The ``item`` elements (``record``, ``header``, ``set``…) under the verb's element of a page."""
    return [element for container in children(root, verb) for element in children(container, item)]


def resumption_token(root, verb: str) -> str | None:
    """The page's resumption token; None when the list is complete (no or empty token)."""
    for container in children(root, verb):
        for token in children(container, "resumptionToken"):
            text = (token.text or "").strip()
            return text or None
    return None


def header_from_element(header) -> Header:
    """A ``Header`` from a ``<header>`` element (identifier ``""`` when missing)."""
    return Header(
        identifier=child_text(header, "identifier") or "",
        datestamp=child_text(header, "datestamp"),
        deleted=(header.get("status") or "").strip().lower() == "deleted",
        sets=tuple(t for t in ((s.text or "").strip() for s in children(header, "setSpec")) if t),
    )


def _metadata_container(record):
    for metadata in children(record, "metadata"):
        for element in metadata:
            if isinstance(element.tag, str):
                return element
    return None


def _normalise(container, *, identifier: str, library: str | None) -> CanonicalRecord:
    kind = _local(container).lower()
    source_id = identifier or None
    if kind in DC_CONTAINERS:
        return record_from_dublin_core(container, source_id=source_id, library=library)
    if kind in MARC_CONTAINERS:
        marc_records = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(container)))
        if not marc_records or marc_records[0] is None:
            raise ValueError("the MARCXML metadata holds no readable record")
        return record_from_marc(marc_records[0], source_id=source_id, library=library)
    raise ValueError(f"metadata in <{_local(container)}> is neither Dublin Core nor MARCXML")


def canonical_bytes(element) -> bytes:
    """``element`` alone, canonically (C14N), without the whitespace after it, and with the namespaces
    it uses declared once on itself: neither its place in the page nor where the page declared its
    namespaces changes the bytes (nor, so, the checksum)."""
    clone = copy.deepcopy(element)
    clone.tail = None
    used: dict[str | None, str] = {}
    clash = False
    for node in clone.iter():
        if not isinstance(node.tag, str):
            continue
        pairs = [(node.prefix, etree.QName(node).namespace)]
        for name in node.attrib:
            namespace = etree.QName(name).namespace
            if namespace:
                pairs.append((next((p for p, u in node.nsmap.items() if u == namespace and p), None), namespace))
        for prefix, namespace in pairs:
            if namespace is not None and used.setdefault(prefix, namespace) != namespace:
                clash = True  # one prefix, two namespaces: leave the declarations where they are
    etree.cleanup_namespaces(clone, top_nsmap=None if clash else used)
    try:
        return etree.tostring(clone, method="c14n", with_tail=False)
    except etree.C14NError:  # C14N refuses relative namespace URIs; keep the tidied serialisation
        return etree.tostring(clone, encoding="utf-8", with_tail=False)


def record_from_element(element, *, library: str | None = None) -> HarvestedRecord:
    """A ``HarvestedRecord`` from a ``<record>`` element of ListRecords or GetRecord."""
    header_elements = children(element, "header")
    header = header_from_element(header_elements[0]) if header_elements else Header("", None, False)
    raw = canonical_bytes(element)
    record = error = None
    container = _metadata_container(element)
    if not header.identifier:
        error = "the header has no identifier"
    if not header.deleted and container is None:
        error = "; ".join(filter(None, [error, "the record has no metadata"]))
    elif not header.deleted:
        try:
            record = _normalise(container, identifier=header.identifier, library=library)
        # One bad record must not stop the batch (pymarc raises many kinds): keep the message.
        except Exception as exc:  # noqa: BLE001
            error = "; ".join(filter(None, [error, f"{type(exc).__name__}: {exc}"]))
    return HarvestedRecord(
        identifier=header.identifier,
        datestamp=header.datestamp,
        deleted=header.deleted,
        sets=header.sets,
        raw=raw,
        record=record,
        error=error,
    )


def repository_from_identify(root) -> Repository | None:
    """A ``Repository`` from an Identify page; None when the page has no ``<Identify>``."""
    found = children(root, "Identify")
    if not found:
        return None
    identify = found[0]
    return Repository(
        name=child_text(identify, "repositoryName"),
        base_url=child_text(identify, "baseURL"),
        protocol_version=child_text(identify, "protocolVersion"),
        granularity=child_text(identify, "granularity"),
        earliest_datestamp=child_text(identify, "earliestDatestamp"),
        deleted_record=child_text(identify, "deletedRecord"),
        admin_emails=tuple(t for t in ((e.text or "").strip() for e in children(identify, "adminEmail")) if t),
    )
