"""How SLiMS 9 takes a record from an SRU server into its tables, and what a strict MariaDB says to that.

Written from the behaviour of SLiMS 9 (slims9_bulian), not from its code:

* Z39.50 SRU client (``z3950sru.php``, MODS read by ``modsXMLslims()`` in
  ``lib/modsxmlslims.inc.php``): PHP SimpleXML, which sees only elements without a
  namespace prefix and, asked for an element by name, gives the first one. From the
  ``mods`` element: the first ``titleInfo``'s ``title`` (": " and ``subTitle`` after it when
  there is one); each ``name``'s ``namePart`` with level 1 when its first ``role/roleTerm``
  reads "Primary Author"; ``originInfo``'s first ``place/placeTerm``, ``publisher``,
  ``dateIssued``, ``edition``; each ``languageTerm`` of the first ``language`` (type "code":
  the code, any other: the name); ``physicalDescription``'s first ``form`` (the GMD) and
  ``extent`` (the collation); the first ``relatedItem``'s title when its type is "series"; the
  first ``note``; the first ``classification``; the first ``identifier`` as ISBN/ISSN when its
  type is "isbn"; the first ``location``'s ``shelfLocator`` (the call number); ``recordInfo``'s
  ``recordIdentifier``, ``recordCreationDate``, ``recordChangeDate``.
  Saving: every text value trimmed; the GMD, publisher and place looked up by name in their
  tables (a name not there is added as a new row, an empty one too); the language looked up by
  its *name* in ``mst_language`` (SLiMS ships "Indonesia" with code ``id`` and "English" with
  ``en``; a name not there is added with no code); ``input_date`` is ``recordCreationDate`` as
  it came; then one plain ``INSERT`` into ``biblio``.
* MARC SRU client (``marcsru.php``, ``lib/marc/XMLParser.inc.php``): it adds
  ``&xmlformat=marc21`` to its request and counts the response's root element's own ``record``
  children (or the root when it is a ``record``), read as MARCXML; the first 020's $a is taken
  as the ISBN/ISSN.

``biblio``'s columns as SLiMS 9 creates them: ``title`` TEXT, ``edition`` VARCHAR(50),
``isbn_issn`` VARCHAR(20), ``publish_year`` VARCHAR(20), ``collation`` VARCHAR(50),
``series_title`` VARCHAR(200), ``call_number`` VARCHAR(50), ``classification`` VARCHAR(40),
``language_id`` CHAR(5), ``input_date`` DATETIME; ``mst_gmd.gmd_name`` VARCHAR(30),
``mst_language.language_name`` VARCHAR(20). A strict ``sql_mode`` (MariaDB 10.11's default)
refuses the row when a value is longer than its column or is not a date and time.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from lxml import etree

MODS_NS = "http://www.loc.gov/mods/v3"

#: biblio's text columns SLiMS fills → their length in characters.
BIBLIO_WIDTHS = {"edition": 50, "isbn_issn": 20, "publish_year": 20, "collation": 50, "series_title": 200,
                 "call_number": 50, "classification": 40, "language_id": 5}
TEXT_BYTES = 65_535
GMD_NAME_WIDTH = 30
LANGUAGE_NAME_WIDTH = 20
#: The languages a fresh SLiMS 9 knows: name → code.
SLIMS_LANGUAGES = {"indonesia": "id", "english": "en"}
#: The general material designations a fresh SLiMS 9 knows (compared as its collation compares: case aside).
SLIMS_GMDS = frozenset(name.casefold() for name in (
    "Text", "Art Original", "Chart", "Computer Software", "Diorama", "Filmstrip", "Flash Card", "Game", "Globe",
    "Kit", "Map", "Microform", "Manuscript", "Model", "Motion Picture", "Microscope Slide", "Music", "Picture",
    "Realia", "Slide", "Sound Recording", "Technical Drawing", "Transparency", "Video Recording", "Equipment",
    "Computer File", "Cartographic Material", "CD-ROM", "Multimedia", "Electronic Resource",
    "Digital Versatile Disc"))
#: What a DATETIME column takes as it is: a date, or a date and a time (" " or "T" between).
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$")


def _unprefixed(parent: etree._Element, name: str, ns: str = MODS_NS) -> list[etree._Element]:
    """SimpleXML's ``$parent->name``: children of that name with no namespace prefix."""
    return [c for c in parent if isinstance(c.tag, str) and c.prefix is None and c.tag == f"{{{ns}}}{name}"]


def _first(parent: etree._Element | None, *path: str, ns: str = MODS_NS) -> etree._Element | None:
    for name in path:
        if parent is None:
            return None
        found = _unprefixed(parent, name, ns)
        parent = found[0] if found else None
    return parent


def _text(element: etree._Element | None) -> str:
    """PHP's ``(string)`` of a SimpleXML element: its own text, "" when absent."""
    return (element.text or "") if element is not None else ""


@dataclass
class Saved:
    """What SLiMS would write: the biblio row, the names it looks up, and why MariaDB would refuse it."""

    biblio: dict[str, str]
    gmd: str
    language_name: str | None
    language_code: str | None
    authors: list[tuple[str, int]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def mods_read(mods: etree._Element) -> dict:
    """The array ``modsXMLslims()`` makes of a ``mods`` element."""
    data: dict = {"authors": []}
    info = _first(mods, "titleInfo")
    data["title"] = _text(_first(info, "title"))
    if _first(info, "subTitle") is not None:
        data["title"] += ": " + _text(_first(info, "subTitle"))
    for name in _unprefixed(mods, "name"):
        level = 1 if _text(_first(name, "role", "roleTerm")) == "Primary Author" else 2
        data["authors"].append((_text(_first(name, "namePart")), level))
    origin = _first(mods, "originInfo")
    data["publish_place"] = _text(_first(origin, "place", "placeTerm"))
    data["publisher"] = _text(_first(origin, "publisher"))
    data["publish_year"] = _text(_first(origin, "dateIssued"))
    data["edition"] = _text(_first(origin, "edition"))
    language = _first(mods, "language")
    if language is not None and _unprefixed(language, "languageTerm"):
        data["language"] = {}
        for term in _unprefixed(language, "languageTerm"):
            data["language"]["code" if term.get("type") == "code" else "name"] = _text(term)
    data["gmd"] = _text(_first(mods, "physicalDescription", "form"))
    data["collation"] = _text(_first(mods, "physicalDescription", "extent"))
    related = _first(mods, "relatedItem")
    if related is not None and related.get("type") == "series":
        data["series_title"] = _text(_first(related, "titleInfo", "title"))
    data["notes"] = _text(_first(mods, "note"))
    data["classification"] = _text(_first(mods, "classification"))
    identifier = _first(mods, "identifier")
    if identifier is not None and identifier.get("type") == "isbn":
        data["isbn_issn"] = _text(identifier)
    data["call_number"] = _text(_first(mods, "location", "shelfLocator"))
    record_info = _first(mods, "recordInfo")
    if record_info is not None:
        data["id"] = _text(_first(record_info, "recordIdentifier"))
        data["create_date"] = _text(_first(record_info, "recordCreationDate"))
        data["modified_date"] = _text(_first(record_info, "recordChangeDate"))
    return data


def valid_datetime(value: str) -> bool:
    """Whether a strict MariaDB DATETIME column takes ``value`` as it is."""
    found = _DATETIME.match(value)
    if not found:
        return False
    year, month, day, hour, minute, second = (int(v) if v else 0 for v in found.groups())
    return (1 <= month <= 12 and 1 <= day <= calendar.monthrange(max(year, 1), month)[1] and year >= 1000
            and hour < 24 and minute < 60 and second < 60)


def _check_widths(saved: Saved) -> None:
    for column, width in BIBLIO_WIDTHS.items():
        value = saved.biblio.get(column)
        if value is not None and len(value) > width:
            saved.refused.append(f"{column}: {len(value)} characters > {width}: {value!r}")
    if len(saved.biblio.get("title", "").encode()) > TEXT_BYTES:
        saved.refused.append("title longer than a TEXT column")


def mods_save(mods: etree._Element) -> Saved:
    """What saving this MODS record from SLiMS's Z39.50 SRU screen writes, and what MariaDB refuses."""
    data = mods_read(mods)
    row = {key: value.strip() for key, value in data.items() if isinstance(value, str)}
    for unused in ("gmd", "publisher", "publish_place", "id", "create_date", "modified_date", "origin"):
        row.pop(unused, None)
    language = data.get("language", {})
    name = (language.get("name") or "").strip()
    code = SLIMS_LANGUAGES.get(name.casefold())
    row["language_id"] = code or ""  # a name SLiMS lacks is added as a row with no code
    row["input_date"] = (data.get("create_date") or "").strip()
    saved = Saved(biblio=row, gmd=data["gmd"].strip(), language_name=name or None, language_code=code,
                  authors=data["authors"])
    if not valid_datetime(row["input_date"]):
        saved.refused.append(f"input_date: incorrect datetime value {row['input_date']!r}")
    _check_widths(saved)
    if not saved.gmd:
        saved.notes.append("a GMD with no name is created")
    elif len(saved.gmd) > GMD_NAME_WIDTH:
        saved.notes.append(f"GMD name cut to {GMD_NAME_WIDTH} characters")
    if not name:
        saved.notes.append("a language with no name and no code is created")
    elif code is None:
        saved.notes.append(f"language {name!r} is new to SLiMS: added by name, its code left for the librarian")
    return saved


# --- the MARC SRU client --------------------------------------------------------------------


def marc_records(root: etree._Element) -> list[etree._Element]:
    """The records ``Marc\\XMLParser`` counts in a response: the root's own unprefixed ``record``
    children, or the root itself when it is a ``record``."""
    records = [c for c in root if isinstance(c.tag, str) and c.prefix is None and etree.QName(c).localname == "record"]
    if not records and etree.QName(root).localname == "record":
        return [root]
    return records
