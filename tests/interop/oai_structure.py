"""A strict structural check of OAI-PMH 2.0 responses, element by element, in the order the
protocol's schema (OAI-PMH.xsd) requires. No copy of the schema is at hand, so its content
models are written out here: each list is (name, least, most) in sequence.
"""

from __future__ import annotations

import re

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
UTC_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
UTC_DATESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")
SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
ERROR_CODES = {"cannotDisseminateFormat", "idDoesNotExist", "badArgument", "badVerb", "noMetadataFormats",
               "noRecordsMatch", "badResumptionToken", "noSetHierarchy"}
REQUEST_ATTRIBUTES = {"verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"}
MANY = 10**9

CONTENT = {
    "Identify": [("repositoryName", 1, 1), ("baseURL", 1, 1), ("protocolVersion", 1, 1), ("adminEmail", 1, MANY),
                 ("earliestDatestamp", 1, 1), ("deletedRecord", 1, 1), ("granularity", 1, 1),
                 ("compression", 0, MANY), ("description", 0, MANY)],
    "ListMetadataFormats": [("metadataFormat", 1, MANY)],
    "metadataFormat": [("metadataPrefix", 1, 1), ("schema", 1, 1), ("metadataNamespace", 1, 1)],
    "ListSets": [("set", 1, MANY), ("resumptionToken", 0, 1)],
    "set": [("setSpec", 1, 1), ("setName", 1, 1), ("setDescription", 0, MANY)],
    "GetRecord": [("record", 1, 1)],
    "ListRecords": [("record", 1, MANY), ("resumptionToken", 0, 1)],
    "ListIdentifiers": [("header", 1, MANY), ("resumptionToken", 0, 1)],
    "record": [("header", 1, 1), ("metadata", 0, 1), ("about", 0, MANY)],
    "header": [("identifier", 1, 1), ("datestamp", 1, 1), ("setSpec", 0, MANY)],
}


class Invalid(AssertionError):
    pass


def _local(element) -> str:
    return etree.QName(element).localname


def _sequence(parent, model) -> None:
    children = [c for c in parent if isinstance(c.tag, str)]
    for child in children:
        if etree.QName(child).namespace != OAI:
            raise Invalid(f"{_local(parent)}: child {child.tag} is not in the OAI-PMH namespace")
    position = 0
    for name, least, most in model:
        count = 0
        while position < len(children) and _local(children[position]) == name:
            position += 1
            count += 1
        if not least <= count <= most:
            raise Invalid(f"{_local(parent)}: {count} {name} element(s), expected {least}..{most}")
    if position != len(children):
        raise Invalid(f"{_local(parent)}: unexpected {_local(children[position])} at position {position}")


def _check(element) -> None:
    name = _local(element)
    if name in CONTENT:
        _sequence(element, CONTENT[name])
    if name == "header":
        status = element.get("status")
        if status not in (None, "deleted") or set(element.attrib) - {"status"}:
            raise Invalid(f"header attributes {dict(element.attrib)}")
        if not UTC_DATESTAMP.match(element.findtext(f"{{{OAI}}}datestamp")):
            raise Invalid("bad datestamp")
        for spec in element.findall(f"{{{OAI}}}setSpec"):
            if not SET_SPEC.match(spec.text or ""):
                raise Invalid(f"bad setSpec {spec.text!r}")
    if name == "record":
        header = element.find(f"{{{OAI}}}header")
        metadata = element.find(f"{{{OAI}}}metadata")
        if (header.get("status") == "deleted") != (metadata is None):
            raise Invalid("a record has metadata if and only if it is not deleted")
        if metadata is not None and len([c for c in metadata if isinstance(c.tag, str)]) != 1:
            raise Invalid("metadata holds exactly one element")
    if name == "set" and not SET_SPEC.match(element.findtext(f"{{{OAI}}}setSpec") or ""):
        raise Invalid("bad setSpec in ListSets")
    if name == "metadataFormat" and not PREFIX.match(element.findtext(f"{{{OAI}}}metadataPrefix") or ""):
        raise Invalid("bad metadataPrefix")
    if name == "resumptionToken":
        if set(element.attrib) - {"expirationDate", "completeListSize", "cursor"}:
            raise Invalid(f"resumptionToken attributes {dict(element.attrib)}")
        for attribute in ("completeListSize", "cursor"):
            if attribute in element.attrib and not element.get(attribute).isdigit():
                raise Invalid(f"resumptionToken {attribute} is not a number")
        if len(element):
            raise Invalid("resumptionToken has children")
    if name == "Identify":
        if element.findtext(f"{{{OAI}}}deletedRecord") not in ("no", "persistent", "transient"):
            raise Invalid("deletedRecord")
        if element.findtext(f"{{{OAI}}}granularity") not in ("YYYY-MM-DD", "YYYY-MM-DDThh:mm:ssZ"):
            raise Invalid("granularity")
        if element.findtext(f"{{{OAI}}}protocolVersion") != "2.0":
            raise Invalid("protocolVersion")
    if name in ("metadata", "about", "description", "setDescription"):
        return  # their content belongs to other schemas
    for child in element:
        if isinstance(child.tag, str):
            _check(child)


def check(content: bytes) -> etree._Element:
    """Parse and check a response; return its root. Raises AssertionError naming the first fault."""
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    if root.tag != f"{{{OAI}}}OAI-PMH":
        raise Invalid(f"root is {root.tag}")
    children = [c for c in root if isinstance(c.tag, str)]
    if len(children) < 3 or [_local(c) for c in children[:2]] != ["responseDate", "request"]:
        raise Invalid("responseDate and request come first")
    if not UTC_SECONDS.match(children[0].text or ""):
        raise Invalid("responseDate is not UTC to the second")
    request = children[1]
    if set(request.attrib) - REQUEST_ATTRIBUTES or not (request.text or "").startswith("http"):
        raise Invalid(f"request element {dict(request.attrib)} {request.text!r}")
    rest = children[2:]
    if all(_local(c) == "error" for c in rest):
        for error in rest:
            if error.get("code") not in ERROR_CODES:
                raise Invalid(f"unknown error code {error.get('code')}")
        return root
    if len(rest) != 1 or _local(rest[0]) != request.get("verb"):
        raise Invalid(f"expected one {request.get('verb')} element, got {[_local(c) for c in rest]}")
    _check(rest[0])
    return root
