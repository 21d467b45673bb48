"""Simple Dublin Core out, as OAI-PMH's ``oai_dc`` wants it.

The ``oai_dc:dc`` element holds only the fifteen DC 1.1 elements, each plain
text with an optional ``xml:lang`` — all the oai_dc schema allows.  The
mapping follows the Library of Congress MARC→DC crosswalk where it can:

* title: title, subtitle and part as read ("Title : subtitle");
* creator: every author, in order; subject: each heading, then the DDC numbers
  (as SLiMS sends them, and as this project reads them back into a classification);
* publisher, date (the year), language (its ISO 639-2/B code, "ind"), format (the extent);
* type: the DCMI type ("Text", "Image", ...) and, where it says more, the kind
  ("thesis", "article", "serial", "map");
* identifier: "ISBN 978…", "ISSN 1234-5678", the LCCN's permanent address, and the record's own address;
* relation: each series ("Series title ; 12");
* source: the journal an article is in, with its numbering; identifier: the DOI's address;
* subject: the author's keywords after the headings; description: each abstract, its language in
  ``xml:lang`` ("id", "en"), as journal platforms write them.
"""

from __future__ import annotations

from lxml import etree

from ..record import CanonicalRecord
from .common import host_citation, language_code, part_of, safe_text

__all__ = ["DC_NS", "OAI_DC_NS", "OAI_DC_SCHEMA", "DC_ELEMENTS", "to_dc"]

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: The Library of Congress's permanent address of an LCCN (a plain "LCCN 2001012345" reads like an ISBN-10).
LCCN_PERMALINK = "https://lccn.loc.gov/"
DOI_RESOLVER = "https://doi.org/"
#: The fifteen elements of Dublin Core 1.1, the only children oai_dc allows.
DC_ELEMENTS = ("title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
               "format", "identifier", "source", "language", "relation", "coverage", "rights")
#: Format (and carrier) → DCMI Type vocabulary term.
DCMI_TYPES = {"book": "Text", "serial": "Text", "article": "Text", "thesis": "Text", "map": "Image",
              "video": "MovingImage", "music": "Sound"}
CARRIER_DCMI_TYPES = {"score": "Text", "sound": "Sound", "image": "StillImage", "computer": "Software",
                      "object": "PhysicalObject", "projected": "MovingImage", "text": "Text"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: ISO 639-2 → the language tag ``xml:lang`` takes (BCP 47: the two-letter code where there is one).
XML_LANGUAGES = {"ind": "id", "eng": "en", "may": "ms", "jav": "jv", "sun": "su", "ara": "ar", "dut": "nl",
                 "fre": "fr", "ger": "de"}
#: Formats whose kind is worth a second dc:type beside the DCMI term.
KINDS = {"thesis": "thesis", "article": "article", "serial": "serial", "map": "map"}


def _dcmi_type(record: CanonicalRecord) -> str | None:
    if record.carrier in CARRIER_DCMI_TYPES and record.format in ("music", "other"):
        return CARRIER_DCMI_TYPES[record.carrier]
    return DCMI_TYPES.get(record.format)


def to_dc(record: CanonicalRecord, *, identifier: str | None = None, with_schema_location: bool = True) -> etree._Element:
    """An ``oai_dc:dc`` element for ``record``; ``identifier`` (the record's address) is added last."""
    nsmap = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap=nsmap)
    if with_schema_location:
        root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(name: str, value: object) -> None:
        text = safe_text(value)
        if text:
            etree.SubElement(root, f"{{{DC_NS}}}{name}").text = text

    add("title", " : ".join(p for p in (safe_text(record.title), safe_text(record.subtitle)) if p)
        + (f". {safe_text(record.part)}" if safe_text(record.part) else ""))
    for author in record.authors:
        add("creator", author)
    for heading in record.subjects:
        add("subject", heading)
    for c in record.classifications:
        if c.scheme == "ddc":
            add("subject", c.number)
    for keyword in record.keywords:
        add("subject", keyword)
    for language, text in record.abstracts:
        add("description", text)
        if language and safe_text(text):
            root[-1].set(XML_LANG, XML_LANGUAGES.get(language, language))
    add("publisher", record.publisher)
    if record.year:
        add("date", f"{record.year:04d}")
    add("type", _dcmi_type(record))
    add("type", KINDS.get(record.format))
    add("format", record.extent)
    for isbn in record.isbns:
        add("identifier", f"ISBN {isbn}")
    for issn in record.issns:
        add("identifier", f"ISSN {issn}")
    if record.lccn:
        add("identifier", f"{LCCN_PERMALINK}{record.lccn}")
    host = part_of(record)
    if host.get("doi"):
        add("identifier", f"{DOI_RESOLVER}{host['doi']}")
    add("identifier", identifier)
    if host.get("container"):
        add("source", ", ".join(p for p in (host["container"], host_citation(record)) if p))
    add("language", language_code(record.language))
    for series in record.series:
        add("relation", f"{series.title} ; {series.numbering}" if series.numbering else series.title)
    return root
