"""MODS v3.7 out: one ``mods`` element per canonical record.

SLiMS's copy-cataloguing client reads MODS with PHP SimpleXML, which takes the
*first* element of each kind, so the order here matters:

* the main ``titleInfo`` comes first; ``title`` then ``subTitle`` (SLiMS joins them);
* each ``name`` has one ``namePart`` with the whole heading, and its first
  ``roleTerm`` says "Primary Author" for the first name ("Additional Author"
  after), SLiMS's own author levels; a marcrelator code follows;
* the first ``identifier`` is a valid ISBN when there is one (SLiMS keeps the first identifier
  as the ISBN when its type is ``isbn``); ISBNs marked invalid (``invalid="yes"``) come last,
  after the record's address, so they are never taken for one; the first ``classification`` is the DDC;
* ``originInfo`` holds place/placeTerm, publisher, dateIssued, edition, issuance;
* ``language`` holds the ISO 639-2/B code (``type="code" authority="iso639-2b"``; "und" when
  not known) and the language's name (SLiMS files a language by its name: "Indonesia", "English");
* ``physicalDescription/form``: first the general material designation (``authority="gmd"``,
  spelled as SLiMS's own list: "Text", "Cartographic Material"...), then the MARC form of item
  (``authority="marcform"``: "print", "electronic") where the format says it;
* the first ``location`` holds only ``shelfLocator``: the call number made from the record's
  classification (DDC, else LCC, else its own 090), or no location of that kind when it has
  none; each holding library follows in its own ``location`` (``physicalLocation``), its shelf
  marks in ``holdingSimple/copyInformation`` (a shelf mark is the holder's, not the record's);
* ``recordInfo`` holds ``recordCreationDate`` (a w3cdtf date: a database's DATETIME column reads
  it as it is), ``recordChangeDate`` (w3cdtf to the second, UTC) and ``recordIdentifier`` (the
  edition's number, with its ``source``).

Everything else follows the MODS 3.7 schema's element order and vocabularies:
``typeOfResource``, ``genre`` (marcgt), ``physicalDescription/extent``, ``subject/topic``,
``classification`` (ddc, udc, lcc), ``relatedItem`` of type ``series`` and ``host`` (an article's
journal, volume, issue and pages), ``identifier`` (isbn, issn, lccn, oclc, doi, uri).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lxml import etree

from ..record import CanonicalRecord, Holding
from .common import is_corporate, language_code, language_name, nonfiling_length, part_of, safe_text

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
#: Carrier, then format → general material designation, as SLiMS's GMD list spells them.
CARRIER_GMD = {"computer": "Electronic Resource", "sound": "Sound Recording", "map": "Cartographic Material",
               "image": "Picture", "object": "Realia", "kit": "Kit", "mixed": "Multimedia",
               "projected": "Video Recording", "score": "Music", "text": "Text"}
FORMAT_GMD = {"book": "Text", "thesis": "Text", "serial": "Text", "article": "Text",
              "map": "Cartographic Material", "music": "Music", "video": "Video Recording", "other": "Multimedia"}
GMD_AUTHORITY = "gmd"
#: Formats read on paper unless the carrier says otherwise → MARC form of item term.
PRINTED_FORMATS = frozenset({"book", "thesis", "serial", "article", "map", "music"})
MARCFORM_AUTHORITY = "marcform"
W3CDTF = "w3cdtf"
#: ISO 639-2's code for a language not known: a receiving catalogue then files "Undetermined",
#: not a language with no name.
UNDETERMINED_LANGUAGE = "und"


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


def general_material(record: CanonicalRecord) -> str:
    """The record's general material designation ("Text", "Sound Recording", ...)."""
    return CARRIER_GMD.get(record.carrier or "") or FORMAT_GMD.get(record.format, FORMAT_GMD["other"])


def _form_of_item(record: CanonicalRecord) -> str | None:
    if record.carrier == "computer":
        return "electronic"
    if record.format in PRINTED_FORMATS and record.carrier in (None, "text", "score", "map"):
        return "print"
    return None


def _physical_description(mods: etree._Element, record: CanonicalRecord) -> None:
    description = _add(mods, "physicalDescription")
    _add(description, "form", general_material(record), authority=GMD_AUTHORITY)
    form = _form_of_item(record)
    if form:
        _add(description, "form", form, authority=MARCFORM_AUTHORITY)
    if safe_text(record.extent):
        _add(description, "extent", record.extent)


def _language(mods: etree._Element, record: CanonicalRecord) -> None:
    code = language_code(record.language) or UNDETERMINED_LANGUAGE
    language = _add(mods, "language")
    _add(language, "languageTerm", code, type="code", authority="iso639-2b")
    name = language_name(code)
    if name:
        _add(language, "languageTerm", name, type="text")


def w3cdtf_date(moment: dt.datetime | dt.date) -> str:
    """A w3cdtf complete date ("2026-12-06"), in UTC when ``moment`` has a time."""
    if isinstance(moment, dt.datetime):
        moment = (moment.astimezone(dt.timezone.utc) if moment.tzinfo else moment).date()
    return moment.isoformat()


def w3cdtf_instant(moment: dt.datetime) -> str:
    """A w3cdtf date and time to the second, in UTC ("2026-12-06T05:51:38Z")."""
    if moment.tzinfo:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


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


def _identifiers(mods: etree._Element, record: CanonicalRecord, url: str | None) -> None:
    for isbn in record.isbns:
        _add(mods, "identifier", isbn, type="isbn")
    for issn in record.issns:
        _add(mods, "identifier", issn, type="issn")
    if record.lccn:
        _add(mods, "identifier", record.lccn, type="lccn")
    for number in record.oclc_numbers:
        _add(mods, "identifier", number, type="oclc")
    if part_of(record).get("doi"):
        _add(mods, "identifier", part_of(record)["doi"], type="doi")
    if url:
        _add(mods, "identifier", url, type="uri")
    for isbn in record.invalid_isbns:
        if safe_text(isbn):
            _add(mods, "identifier", isbn, type="isbn", invalid="yes")


def to_mods(record: CanonicalRecord, *, identifier: str | None = None, url: str | None = None,
            holdings: Sequence[tuple[str, Holding]] = (), agency: str | None = None,
            with_schema_location: bool = True, call_number: str | None = None,
            created: dt.datetime | None = None, changed: dt.datetime | None = None,
            identifier_source: str | None = None) -> etree._Element:
    """A MODS 3.7 ``mods`` element for ``record``.

    ``identifier`` goes to ``recordInfo/recordIdentifier`` (``identifier_source`` as its
    ``source``, ``agency`` as ``recordContentSource``); ``created``/``changed`` to
    ``recordCreationDate``/``recordChangeDate``; ``url`` (the record's page) to
    ``location/url`` and an ``identifier`` of type uri; ``call_number`` (see
    :func:`~.common.call_number`) to the first ``location``; ``holdings`` (library code,
    Holding) to one ``location`` each.
    """
    nsmap = {None: MODS_NS, "xsi": XSI_NS, "xlink": XLINK_NS}
    mods = etree.Element(M + "mods", nsmap=nsmap, version=MODS_VERSION)
    if with_schema_location:
        mods.set(f"{{{XSI_NS}}}schemaLocation", f"{MODS_NS} {MODS_SCHEMA}")
    _title_info(mods, record)
    _names(mods, record)
    _add(mods, "typeOfResource", _resource_type(record))
    _genre(mods, record)
    _origin(mods, record)
    _language(mods, record)
    _physical_description(mods, record)
    if safe_text(record.responsibility):
        _add(mods, "note", record.responsibility, type="statement of responsibility")
    _subjects(mods, record)
    _classifications(mods, record)
    _series(mods, record)
    _host(mods, record)
    _identifiers(mods, record, url)
    _locations(mods, call_number=call_number, holdings=holdings, url=url)
    if identifier or agency or created or changed:
        _record_info(mods, identifier=identifier, identifier_source=identifier_source, agency=agency,
                     created=created, changed=changed)
    return mods


def _genre(mods: etree._Element, record: CanonicalRecord) -> None:
    if record.format in GENRES:
        _add(mods, "genre", GENRES[record.format], authority="marcgt")
    elif record.format == "article":
        _add(mods, "genre", ARTICLE_GENRE)


def _subjects(mods: etree._Element, record: CanonicalRecord) -> None:
    """One ``subject`` per heading, a ``topic`` per part of it ("Sejarah -- Indonesia")."""
    for heading in record.subjects:
        parts = [p for p in (safe_text(x) for x in heading.split(SUBJECT_SEPARATOR)) if p]
        if parts:
            subject = _add(mods, "subject")
            for part in parts:
                _add(subject, "topic", part)


def _classifications(mods: etree._Element, record: CanonicalRecord) -> None:
    """The classification numbers MODS knows, DDC first (SLiMS takes the first as the DDC)."""
    for c in sorted(record.classifications, key=lambda c: CLASSIFICATION_ORDER.get(c.scheme, 9)):
        if c.scheme in CLASSIFICATION_ORDER and safe_text(c.number):
            _add(mods, "classification", c.number, authority=c.scheme)


def _series(mods: etree._Element, record: CanonicalRecord) -> None:
    for series in record.series:
        if safe_text(series.title):
            info = _add(_add(mods, "relatedItem", type="series"), "titleInfo")
            _add(info, "title", series.title)
            if safe_text(series.numbering):
                _add(info, "partNumber", series.numbering)


def _locations(mods: etree._Element, *, call_number: str | None, holdings: Sequence[tuple[str, Holding]],
               url: str | None) -> None:
    """The record's call number first (alone in its ``location``), then each holding library, then the page."""
    if safe_text(call_number):
        _add(_add(mods, "location"), "shelfLocator", call_number)
    for library, holding in holdings:
        location = _add(mods, "location")
        _add(location, "physicalLocation", library)
        if safe_text(holding.location) or safe_text(holding.call_number):
            copy = _add(_add(location, "holdingSimple"), "copyInformation")
            if safe_text(holding.location):
                _add(copy, "subLocation", holding.location)
            if safe_text(holding.call_number):
                _add(copy, "shelfLocator", holding.call_number)
    if url:
        _add(_add(mods, "location"), "url", url, usage="primary display", access="object in context")


def _record_info(mods: etree._Element, *, identifier: str | None, identifier_source: str | None,
                 agency: str | None, created: dt.datetime | None, changed: dt.datetime | None) -> None:
    info = _add(mods, "recordInfo")
    if agency:
        _add(info, "recordContentSource", agency)
    if created:
        _add(info, "recordCreationDate", w3cdtf_date(created), encoding=W3CDTF)
    if changed:
        _add(info, "recordChangeDate", w3cdtf_instant(changed), encoding=W3CDTF)
    if identifier:
        _add(info, "recordIdentifier", identifier, source=identifier_source)
