"""MODS v3.7 out: one ``mods`` element per canonical record.

SLiMS's copy-cataloguing client reads MODS with PHP SimpleXML, which takes the
*first* element of each kind, so the order here matters:

* the main ``titleInfo`` comes first; ``title`` then ``subTitle`` (SLiMS joins them);
* each ``name`` has one ``namePart`` with the whole heading, and its first
  ``roleTerm`` says "Primary Author" for the first name ("Additional Author"
  after), SLiMS's own author levels; a marcrelator code follows;
* the first ``identifier`` is an ISBN when there is one (SLiMS keeps only an
  ``isbn`` first identifier); the first ``classification`` is the DDC;
* ``originInfo`` holds place/placeTerm, publisher, dateIssued, edition, issuance;
* ``location`` holds physicalLocation (library code) and shelfLocator (call number).

Everything else follows the MODS 3.7 schema's element order and vocabularies:
``typeOfResource``, ``genre`` (marcgt), ``language/languageTerm`` (iso639-2b),
``physicalDescription/extent``, ``subject/topic``, ``classification``
(ddc, udc, lcc), ``relatedItem`` of type ``series`` and ``host`` (an article's
journal, volume, issue and pages), ``identifier`` (isbn, issn, lccn, oclc,
doi), ``recordInfo``.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from ..record import CanonicalRecord, Holding
from .common import is_corporate, nonfiling_length, part_of, safe_text

__all__ = ["MODS_NS", "MODS_VERSION", "to_mods"]

MODS_NS = "http://www.loc.gov/mods/v3"
MODS_VERSION = "3.7"
MODS_SCHEMA = "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XLINK_NS = "http://www.w3.org/1999/xlink"
M = "{%s}" % MODS_NS
SUBJECT_SEPARATOR = " -- "
PRIMARY_ROLE = "Primary Author"
ADDITIONAL_ROLE = "Additional Author"
AUTHOR_CODE = "aut"
#: (format, carrier) → typeOfResource; the format alone when the carrier adds nothing.
RESOURCE_TYPES = {
    ("music", "sound"): "sound recording-musical",
    ("music", None): "notated music",
    ("other", "sound"): "sound recording-nonmusical",
    ("other", "image"): "still image",
    ("other", "computer"): "software, multimedia",
    ("other", "object"): "three dimensional object",
    ("other", "kit"): "mixed material",
    ("other", "mixed"): "mixed material",
    ("other", None): "mixed material",
    ("map", None): "cartographic",
    ("video", None): "moving image",
}
#: Format → marcgt genre term (the MARC genre term list).
GENRES = {"thesis": "thesis", "serial": "periodical", "map": "map", "video": "motion picture"}
#: Component parts have no marcgt term; a plain genre word says what they are.
ARTICLE_GENRE = "article"
ISSUANCE = {"serial": "continuing", "article": "monographic"}
CLASSIFICATION_ORDER = {"ddc": 0, "udc": 1, "lcc": 2}


def _add(parent: etree._Element, name: str, text: object = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, M + name, {k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = safe_text(text)
    return element


def _title_info(mods: etree._Element, record: CanonicalRecord) -> None:
    title = safe_text(record.title)
    info = _add(mods, "titleInfo")
    skip = nonfiling_length(title, record.language)
    if skip:
        _add(info, "nonSort", title[:skip].rstrip())
        title = title[skip:]
    _add(info, "title", title)
    if safe_text(record.subtitle):
        _add(info, "subTitle", record.subtitle)
    if safe_text(record.part):
        part = safe_text(record.part)
        _add(info, "partNumber" if any(ch.isdigit() for ch in part) else "partName", part)


def _names(mods: etree._Element, record: CanonicalRecord) -> None:
    authors = [a for a in (safe_text(a) for a in record.authors) if a]
    for position, author in enumerate(authors):
        name = _add(mods, "name", type="corporate" if is_corporate(author) else "personal",
                    usage="primary" if position == 0 else None)
        _add(name, "namePart", author)
        role = _add(name, "role")
        _add(role, "roleTerm", PRIMARY_ROLE if position == 0 else ADDITIONAL_ROLE, type="text")
        _add(role, "roleTerm", AUTHOR_CODE, type="code", authority="marcrelator")


def _resource_type(record: CanonicalRecord) -> str:
    if record.format in ("book", "serial", "article", "thesis"):
        return "text"
    return RESOURCE_TYPES.get((record.format, record.carrier)) or RESOURCE_TYPES.get((record.format, None), "text")


def _origin(mods: etree._Element, record: CanonicalRecord) -> None:
    origin = _add(mods, "originInfo", eventType="publication")
    if safe_text(record.place):
        _add(_add(origin, "place"), "placeTerm", record.place, type="text")
    if safe_text(record.publisher):
        _add(origin, "publisher", record.publisher)
    if record.year:
        _add(origin, "dateIssued", f"{record.year:04d}", encoding="w3cdtf", keyDate="yes")
    if safe_text(record.edition):
        _add(origin, "edition", record.edition)
    _add(origin, "issuance", ISSUANCE.get(record.format, "monographic"))


def _host(mods: etree._Element, record: CanonicalRecord) -> None:
    """``relatedItem type="host"``: the journal an article is in, with volume, issue and pages."""
    host = part_of(record)
    if not host.get("container"):
        return
    related = _add(mods, "relatedItem", type="host")
    _add(_add(related, "titleInfo"), "title", host["container"])
    if host.get("volume") or host.get("issue") or record.format == "article" and safe_text(record.extent):
        part = _add(related, "part")
        for kind in ("volume", "issue"):
            if host.get(kind):
                _add(_add(part, "detail", type=kind), "number", host[kind])
        if record.format == "article" and safe_text(record.extent):
            _add(_add(part, "extent", unit="pages"), "list", record.extent)


def _identifiers(mods: etree._Element, record: CanonicalRecord) -> None:
    for isbn in record.isbns:
        _add(mods, "identifier", isbn, type="isbn")
    for isbn in record.invalid_isbns:
        if safe_text(isbn):
            _add(mods, "identifier", isbn, type="isbn", invalid="yes")
    for issn in record.issns:
        _add(mods, "identifier", issn, type="issn")
    if record.lccn:
        _add(mods, "identifier", record.lccn, type="lccn")
    for number in record.oclc_numbers:
        _add(mods, "identifier", number, type="oclc")
    if part_of(record).get("doi"):
        _add(mods, "identifier", part_of(record)["doi"], type="doi")


def to_mods(record: CanonicalRecord, *, identifier: str | None = None, url: str | None = None,
            holdings: Sequence[tuple[str, Holding]] = (), agency: str | None = None,
            with_schema_location: bool = True) -> etree._Element:
    """A MODS 3.7 ``mods`` element for ``record``.

    ``identifier`` goes to ``recordInfo/recordIdentifier`` (with ``agency``
    as ``recordContentSource``); ``url`` to ``location/url`` (the record's
    page); ``holdings`` (library code, Holding) to ``location`` elements.
    """
    nsmap = {None: MODS_NS, "xsi": XSI_NS, "xlink": XLINK_NS}
    mods = etree.Element(M + "mods", nsmap=nsmap, version=MODS_VERSION)
    if with_schema_location:
        mods.set(f"{{{XSI_NS}}}schemaLocation", f"{MODS_NS} {MODS_SCHEMA}")
    _title_info(mods, record)
    _names(mods, record)
    _add(mods, "typeOfResource", _resource_type(record))
    if record.format in GENRES:
        _add(mods, "genre", GENRES[record.format], authority="marcgt")
    elif record.format == "article":
        _add(mods, "genre", ARTICLE_GENRE)
    _origin(mods, record)
    if record.language:
        _add(_add(mods, "language"), "languageTerm", record.language, type="code", authority="iso639-2b")
    if safe_text(record.extent):
        _add(_add(mods, "physicalDescription"), "extent", record.extent)
    if safe_text(record.responsibility):
        _add(mods, "note", record.responsibility, type="statement of responsibility")
    for heading in record.subjects:
        parts = [p for p in (safe_text(x) for x in heading.split(SUBJECT_SEPARATOR)) if p]
        if parts:
            subject = _add(mods, "subject")
            for part in parts:
                _add(subject, "topic", part)
    for c in sorted(record.classifications, key=lambda c: CLASSIFICATION_ORDER.get(c.scheme, 9)):
        if c.scheme in CLASSIFICATION_ORDER and safe_text(c.number):
            _add(mods, "classification", c.number, authority=c.scheme)
    for series in record.series:
        if safe_text(series.title):
            info = _add(_add(mods, "relatedItem", type="series"), "titleInfo")
            _add(info, "title", series.title)
            if safe_text(series.numbering):
                _add(info, "partNumber", series.numbering)
    _host(mods, record)
    _identifiers(mods, record)
    for library, holding in holdings:
        location = _add(mods, "location")
        _add(location, "physicalLocation", library)
        if safe_text(holding.call_number):
            _add(location, "shelfLocator", holding.call_number)
        if safe_text(holding.location):
            copy = _add(_add(location, "holdingSimple"), "copyInformation")
            _add(copy, "subLocation", holding.location)
    if url:
        _add(_add(mods, "location"), "url", url, usage="primary display", access="object in context")
    if identifier or agency:
        info = _add(mods, "recordInfo")
        if agency:
            _add(info, "recordContentSource", agency)
        if identifier:
            _add(info, "recordIdentifier", identifier)
    return mods
