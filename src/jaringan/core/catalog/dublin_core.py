"""Normalise simple / oai_dc Dublin Core into a :class:`CanonicalRecord`.

Written for what member systems really send (see ECOSYSTEM.md):

* namespaces may be missing altogether (elements are matched by local name);
* SLiMS puts the ISBN (or ISSN) in a non-standard ``dc:identifier_isbn``;
* SLiMS sends the DDC class number as a ``dc:subject`` ("005.133"), which
  becomes a classification, not a subject;
* titles arrive as one string "Title : subtitle";
* journal platforms (Open Journal Systems) send articles: ``dc:source``
  "Jurnal X; Vol 5 No 2 (2019); 100-110" and the ISSN as another
  ``dc:source`` (see ``journal_source``), the DOI and the article's address as
  ``dc:identifier``, the abstract as ``dc:description``, often twice with
  ``xml:lang`` ("en-US", "id-ID"), keywords as ``dc:subject``.

XML is parsed with entities, network access and huge trees switched off.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from lxml import etree

from .cleaning import clean, clean_name, clean_publisher, year_from_text
from .errors import NoTitle, UnreadableRecord
from .identifiers import normalise_issn, parse_isbn
from .journal_source import merge_sources
from .record import CanonicalRecord, Classification, normalise_doi, pages_from_extent

__all__ = ["dublin_core_records", "language_code", "parse_xml", "record_from_dublin_core"]

#: Elements holding sentences, not catalogue values.
_PROSE = frozenset({"description", "abstract"})
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MARKUP = re.compile(r"<[^>]{0,200}>")

DC_CONTAINERS = frozenset({"dc", "qualifieddc"})
#: A DDC number, optionally followed by a SLiMS-style cutter ("005.133 SUL p").
DDC_NUMBER = re.compile(r"^\s*[0-9]{3}(?:\.[0-9]+)?(?:\s+[A-Z]{1,4}(?:\s*[a-z])?)?\s*$")
ISSN_HINT = re.compile(r"\bissn\b|^\s*[0-9]{4}-[0-9]{3}[0-9xX]\s*$", re.I)
SUBTITLE_SEPARATOR = re.compile(r"\s+:\s+|\s*:\s+")
#: Language names and two-letter codes members write, mapped to ISO 639-2.
LANGUAGES = {
    "id": "ind", "ind": "ind", "indonesia": "ind", "indonesian": "ind", "bahasa indonesia": "ind",
    "en": "eng", "eng": "eng", "english": "eng", "inggris": "eng", "bahasa inggris": "eng",
    "ms": "may", "may": "may", "msa": "may", "melayu": "may", "malay": "may",
    "jv": "jav", "jav": "jav", "jawa": "jav", "javanese": "jav",
    "su": "sun", "sun": "sun", "sunda": "sun", "ar": "ara", "ara": "ara", "arab": "ara", "arabic": "ara",
    "nl": "dut", "dut": "dut", "nld": "dut", "belanda": "dut", "dutch": "dut",
    "fr": "fre", "fre": "fre", "fra": "fre", "french": "fre", "de": "ger", "ger": "ger", "deu": "ger",
    "german": "ger", "fi": "fin", "fin": "fin", "finnish": "fin",
}
#: Words of ``dc:type`` that decide the format; the first that matches wins.
TYPE_FORMATS = (
    ("article", "article"), ("artikel", "article"), ("journal", "serial"), ("serial", "serial"),
    ("periodical", "serial"), ("thesis", "thesis"), ("skripsi", "thesis"), ("tesis", "thesis"),
    ("disertasi", "thesis"), ("dissertation", "thesis"), ("map", "map"), ("peta", "map"),
    ("music", "music"), ("sound", "music"), ("video", "video"), ("moving image", "video"),
    ("film", "video"), ("text", "book"), ("book", "book"), ("buku", "book"), ("image", "other"),
)
MAX_XML_BYTES = 50_000_000


def parse_xml(data: bytes) -> etree._Element:
    """Parse XML bytes safely: no entities resolved, no network, bounded size."""
    if len(data) > MAX_XML_BYTES:
        raise UnreadableRecord(f"XML document of {len(data):,} bytes is larger than {MAX_XML_BYTES:,}")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableRecord(f"not well-formed XML: {exc}") from exc


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname.lower() if "}" in tag else tag.split(":")[-1].lower()


def dublin_core_records(root: etree._Element) -> Iterator[tuple[str | None, etree._Element]]:
    """(OAI identifier or None, DC container) for each DC record under ``root``."""
    for element in root.iter():
        if _local(element) not in DC_CONTAINERS:
            continue
        identifier = None
        record = next((a for a in element.iterancestors() if _local(a) == "record"), None)
        if record is not None:
            header_ids = [e for e in record.iter() if _local(e) == "identifier" and _local(e.getparent()) == "header"]
            identifier = clean(header_ids[0].text) if header_ids else None
        yield identifier, element


def _values(container: etree._Element) -> dict[str, list[tuple[str, dict]]]:
    found: dict[str, list[tuple[str, dict]]] = {}
    for child in container:
        name = _local(child)
        joined = "".join(child.itertext())
        # Sentences keep their final period; other values lose ISBD punctuation.
        text = " ".join(joined.split()) if name in _PROSE else clean(joined)
        if name and text:
            found.setdefault(name, []).append((text, dict(child.attrib)))
    return found


def _split_title(text: str) -> tuple[str, str | None]:
    parts = SUBTITLE_SEPARATOR.split(text, maxsplit=1)
    if len(parts) == 2 and clean(parts[0]) and clean(parts[1]):
        return clean(parts[0]), clean(parts[1])
    return text, None


def _identifiers(values: dict) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    isbns: list[str] = []
    invalid: list[str] = []
    issns: list[str] = []
    for name in ("identifier_isbn", "identifier"):
        for text, attrib in values.get(name, []):
            kind = (attrib.get("type") or "").lower()
            if text.lower().startswith(("http", "urn:", "doi:", "oai:")) and "isbn" not in text.lower():
                continue
            if text.startswith("10.") and normalise_doi(text):  # a bare DOI
                continue
            if kind == "issn" or ISSN_HINT.search(text):
                issn = normalise_issn(text)
                if issn and issn not in issns:
                    issns.append(issn)
                continue
            for piece in re.split(r"[;/,]\s*", text):
                parsed = parse_isbn(piece)
                if parsed is None:
                    continue
                if parsed.isbn13 and parsed.isbn13 not in isbns:
                    isbns.append(parsed.isbn13)
                elif not parsed.isbn13:
                    invalid.append(parsed.raw)
    return tuple(isbns), tuple(invalid), tuple(issns)


def _format(values: dict) -> str:
    types = " ".join(t for t, _ in values.get("type", [])).lower()
    for word, fmt in TYPE_FORMATS:
        if word in types:
            return fmt
    return "book"


def language_code(text: str | None) -> str | None:
    """ISO 639-2 of a language as members and platforms write it: "id", "ind", "Indonesia", "en-US",
    "en_US", "English"; None when unknown."""
    key = (text or "").strip().lower()
    if not key:
        return None
    return LANGUAGES.get(key) or LANGUAGES.get(re.split(r"[-_]", key, maxsplit=1)[0])


def _language(values: dict) -> str | None:
    for text, _ in values.get("language", []):
        code = language_code(text)
        if code:
            return code
    return None


def _plain(text: str) -> str:
    """An abstract without the HTML platforms leave in it ("<p>Abstrak&nbsp;...</p>")."""
    if "<" in text or "&" in text:
        text = html.unescape(_MARKUP.sub(" ", text))
    return " ".join(text.split())


def _abstracts(values: dict) -> tuple[tuple[str | None, str], ...]:
    found = []
    for text, attrib in values.get("description", []) + values.get("abstract", []):
        plain = _plain(text)
        if plain:
            found.append((language_code(attrib.get(XML_LANG) or attrib.get("lang")), plain))
    return tuple(dict.fromkeys(found))


def _links(values: dict) -> tuple[str | None, str | None]:
    """(DOI, address online) among ``dc:identifier`` and ``dc:relation``."""
    doi = url = None
    for text, _ in values.get("identifier", []) + values.get("relation", []):
        value = text.strip()
        found = normalise_doi(value) if ("doi" in value.lower() or value.startswith("10.")) else None
        if found:
            doi = doi or found
        elif value.startswith(("http://", "https://")) and url is None:
            url = value
    return doi, url


def record_from_dublin_core(
    container: etree._Element, *, source_id: str | None = None, library: str | None = None
) -> CanonicalRecord:
    """The canonical form of one DC record (an ``oai_dc:dc`` or ``dc`` element).

    Raises ``NoTitle`` when no ``dc:title`` has text.
    """
    values = _values(container)
    titles = values.get("title", [])
    if not titles:
        raise NoTitle(source_id)
    title, subtitle = _split_title(titles[0][0])
    fmt = _format(values)
    source = merge_sources(t for t, _ in values.get("source", []))
    if fmt == "book" and not values.get("type") and source.numbered:
        fmt = "article"  # an untyped record that names its volume or issue
    article = fmt == "article"
    subjects: list[str] = []
    keywords: list[str] = []
    classifications: list[Classification] = []
    for text, _ in values.get("subject", []):
        if DDC_NUMBER.match(text):
            classifications.append(Classification("ddc", text.split()[0]))
        elif article:  # an article's subjects are its author's keywords ("literasi; perpustakaan")
            keywords.extend(k for k in (clean(p) for p in text.split(";")) if k and k not in keywords)
        elif text not in subjects:
            subjects.append(text)
    names = values.get("creator", []) + values.get("contributor", [])
    authors = tuple(dict.fromkeys(n for n in (clean_name(t) for t, _ in names) if n))
    isbns, invalid_isbns, issns = _identifiers(values)
    extent = next((t for t, _ in values.get("format", []) + values.get("extent", []) if pages_from_extent(t)), None)
    dates = [t for t, _ in values.get("date", []) + values.get("issued", [])]
    doi, url = _links(values)
    if article:
        issns = tuple(dict.fromkeys(issns + source.issns))
    return CanonicalRecord(
        title=title,
        subtitle=subtitle,
        source_id=source_id,
        library=library,
        authors=authors,
        publisher=clean_publisher(next((t for t, _ in values.get("publisher", [])), None)),
        year=next((y for y in map(year_from_text, dates) if y), None) or (source.year if article else None),
        extent=source.pages if article else extent,
        pages=None if article else pages_from_extent(extent),
        isbns=isbns,
        invalid_isbns=invalid_isbns,
        issns=issns,
        language=_language(values),
        subjects=tuple(subjects),
        classifications=tuple(classifications),
        format=fmt,
        container=source.container if article else None,
        volume=source.volume if article else None,
        issue=source.issue if article else None,
        doi=doi,
        url=url if article else None,
        abstracts=_abstracts(values),
        keywords=tuple(keywords),
    )

