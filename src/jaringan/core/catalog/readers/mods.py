"""MODS v3 (``mods`` or ``modsCollection``, bare or in OAI-PMH / SRU envelopes).

SLiMS's copy-cataloguing speaks MODS over SRU, so member systems can export it.
Read from the ``mods`` element's own children (never from inside a
``relatedItem``, except the series):

* ``titleInfo`` (the one without ``type`` first): nonSort + title, subTitle,
  partNumber/partName;
* ``name``: displayForm, or family, given (other nameParts in order); every
  name is an author, in order, whatever its role;
* ``originInfo``: publisher, place (text ``placeTerm``), dateIssued (the
  ``keyDate`` one first), edition, issuance (``serial``/``continuing`` → serial);
* ``physicalDescription/extent`` → extent and pages;
* ``identifier`` type isbn (``invalid="yes"`` kept as invalid), issn, lccn;
* ``language/languageTerm`` (ISO 639-2 code, or a name as Dublin Core reads it);
* ``subject``: its topic/geographic/temporal/genre parts joined with " -- ";
* ``classification`` with authority ddc, udc or lcc;
* ``relatedItem type="series"`` → series title and number;
* ``genre`` and ``typeOfResource`` → format and carrier;
* ``recordInfo/recordIdentifier`` → ``source_id`` (else the OAI identifier).

``raw`` is the serialized unit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from ..cleaning import clean, clean_name, clean_place, clean_publisher, year_from_text
from ..dublin_core import LANGUAGES
from ..errors import NoTitle
from ..identifiers import normalise_issn, normalise_lccn, parse_isbn
from ..record import CanonicalRecord, Classification, Series, pages_from_extent
from .item import SourceItem
from .xmlstream import local_name, oai_header, read_units

__all__ = ["item_from_mods", "read_mods", "record_from_mods"]

FORMAT = "mods"
CLASSIFICATION_SCHEMES = ("ddc", "udc", "lcc")
SUBJECT_PARTS = ("topic", "geographic", "temporal", "genre")
SUBJECT_SEPARATOR = " -- "
SERIAL_ISSUANCE = frozenset({"serial", "continuing", "integrating resource"})
#: typeOfResource → (format, carrier).
RESOURCE_TYPES = {
    "text": ("book", "text"),
    "cartographic": ("map", "map"),
    "notated music": ("music", "score"),
    "sound recording-musical": ("music", "sound"),
    "sound recording-nonmusical": ("other", "sound"),
    "sound recording": ("music", "sound"),
    "moving image": ("video", "projected"),
    "still image": ("other", "image"),
    "software, multimedia": ("other", "computer"),
    "three dimensional object": ("other", "object"),
    "mixed material": ("other", "mixed"),
}
#: Words of ``genre`` that decide the format over typeOfResource; first match wins.
GENRE_FORMATS = (
    ("thesis", "thesis"), ("dissertation", "thesis"), ("skripsi", "thesis"), ("tesis", "thesis"),
    ("disertasi", "thesis"), ("article", "article"), ("artikel", "article"), ("periodical", "serial"),
    ("journal", "serial"), ("majalah", "serial"), ("newspaper", "serial"), ("map", "map"), ("atlas", "map"),
)


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


def _text(element: etree._Element | None) -> str | None:
    return clean("".join(element.itertext())) if element is not None else None


def _first_text(element: etree._Element, name: str) -> str | None:
    return next((t for t in (_text(c) for c in _children(element, name)) if t), None)


def _title(mods: etree._Element) -> tuple[str | None, str | None, str | None]:
    infos = _children(mods, "titleinfo")
    infos.sort(key=lambda info: info.get("type") is not None)  # the main title before alternatives
    for info in infos:
        title = _first_text(info, "title")
        if not title:
            continue
        non_sort = _first_text(info, "nonsort")
        if non_sort:
            title = f"{non_sort} {title}" if not non_sort.endswith(("'", "’")) else non_sort + title
        parts = [t for t in (_first_text(info, "partnumber"), _first_text(info, "partname")) if t]
        return title, _first_text(info, "subtitle"), ". ".join(parts) or None
    return None, None, None


def _name(name: etree._Element) -> str | None:
    display = _first_text(name, "displayform")
    if display:
        return clean_name(display)
    parts = {(p.get("type") or ""): _text(p) for p in _children(name, "namepart")}
    if parts.get("family"):
        given = parts.get("given")
        return clean_name(f"{parts['family']}, {given}" if given else parts["family"])
    plain = [t for t in (_text(p) for p in _children(name, "namepart") if not p.get("type")) if t]
    return clean_name(". ".join(plain)) if plain else None


def _origin(mods: etree._Element) -> dict:
    found: dict = {"publisher": None, "place": None, "year": None, "edition": None, "serial": False}
    for origin in _children(mods, "origininfo"):
        found["publisher"] = found["publisher"] or clean_publisher(_first_text(origin, "publisher"))
        for place in _children(origin, "place"):
            for term in _children(place, "placeterm"):
                if term.get("type") != "code":
                    found["place"] = found["place"] or clean_place(_text(term))
        dates = _children(origin, "dateissued") + _children(origin, "datecreated")
        dates.sort(key=lambda d: d.get("keyDate") != "yes")
        found["year"] = found["year"] or next((y for y in (year_from_text(_text(d)) for d in dates) if y), None)
        found["edition"] = found["edition"] or _first_text(origin, "edition")
        issuance = (_first_text(origin, "issuance") or "").lower()
        found["serial"] = found["serial"] or issuance in SERIAL_ISSUANCE
    return found


def _identifiers(mods: etree._Element) -> dict:
    isbns: list[str] = []
    invalid: list[str] = []
    issns: list[str] = []
    lccn = None
    for identifier in _children(mods, "identifier"):
        kind, text = (identifier.get("type") or "").lower(), _text(identifier)
        if not text:
            continue
        if kind == "isbn":
            parsed = parse_isbn(text)
            if parsed and parsed.isbn13 and identifier.get("invalid") != "yes":
                isbns.append(parsed.isbn13)
            elif parsed or any(ch.isdigit() for ch in text):
                invalid.append(text)
        elif kind == "issn":
            issn = normalise_issn(text)
            if issn:
                issns.append(issn)
        elif kind == "lccn":
            lccn = lccn or normalise_lccn(text)
    return {"isbns": tuple(dict.fromkeys(isbns)), "invalid_isbns": tuple(invalid),
            "issns": tuple(dict.fromkeys(issns)), "lccn": lccn}


def _language(mods: etree._Element) -> str | None:
    for language in _children(mods, "language"):
        for term in _children(language, "languageterm"):
            text = (_text(term) or "").lower()
            code = text if term.get("type") == "code" and len(text) == 3 else LANGUAGES.get(text)
            if code:
                return code
    return None


def _subjects(mods: etree._Element) -> tuple[str, ...]:
    headings: list[str] = []
    for subject in _children(mods, "subject"):
        parts = [t for t in (_text(c) for c in subject if local_name(c) in SUBJECT_PARTS) if t]
        heading = SUBJECT_SEPARATOR.join(parts)
        if heading and heading not in headings:
            headings.append(heading)
    return tuple(headings)


def _classifications(mods: etree._Element) -> tuple[Classification, ...]:
    found: list[Classification] = []
    for element in _children(mods, "classification"):
        scheme, number = (element.get("authority") or "").lower(), _text(element)
        if scheme in CLASSIFICATION_SCHEMES and number:
            if scheme == "ddc":
                number = number.replace("/", "").replace("'", "")
            if Classification(scheme, number) not in found:
                found.append(Classification(scheme, number))
    return tuple(found)


def _series(mods: etree._Element) -> tuple[Series, ...]:
    found: list[Series] = []
    for related in _children(mods, "relateditem"):
        if related.get("type") != "series":
            continue
        for info in _children(related, "titleinfo"):
            title = _first_text(info, "title")
            if title:
                found.append(Series(title=title, numbering=_first_text(info, "partnumber")))
                break
    return tuple(found)


def _format(mods: etree._Element, serial: bool) -> tuple[str, str | None]:
    resource = (_first_text(mods, "typeofresource") or "").lower()
    fmt, carrier = RESOURCE_TYPES.get(resource, ("book", None))
    genres = " ".join(_text(g) or "" for g in _children(mods, "genre")).lower()
    for word, genre_format in GENRE_FORMATS:
        if word in genres:
            return genre_format, carrier
    if serial and fmt == "book":
        return "serial", carrier
    return fmt, carrier


def record_from_mods(mods: etree._Element, *, source_id: str | None = None, library: str | None = None) -> CanonicalRecord:
    """The canonical form of one MODS ``mods`` element.

    ``source_id`` defaults to ``recordInfo/recordIdentifier``.  Raises
    ``NoTitle`` when no ``titleInfo/title`` has text.
    """
    record_info = next(iter(_children(mods, "recordinfo")), None)
    if record_info is not None:
        source_id = source_id or _first_text(record_info, "recordidentifier")
    title, subtitle, part = _title(mods)
    if not title:
        raise NoTitle(source_id)
    origin = _origin(mods)
    extent = next((t for d in _children(mods, "physicaldescription") if (t := _first_text(d, "extent"))), None)
    responsibility = next((_text(n) for n in _children(mods, "note") if n.get("type") == "statement of responsibility"),
                          None)
    fmt, carrier = _format(mods, origin["serial"])
    return CanonicalRecord(
        title=title,
        source_id=source_id,
        library=library,
        subtitle=subtitle,
        part=part,
        responsibility=responsibility,
        authors=tuple(dict.fromkeys(n for n in map(_name, _children(mods, "name")) if n)),
        publisher=origin["publisher"],
        place=origin["place"],
        year=origin["year"],
        edition=origin["edition"],
        extent=extent,
        pages=pages_from_extent(extent),
        language=_language(mods),
        subjects=_subjects(mods),
        series=_series(mods),
        classifications=_classifications(mods),
        format=fmt,
        carrier=carrier,
        **_identifiers(mods),
    )


def _is_unit(element: etree._Element) -> bool:
    return local_name(element) in ("record", "mods")


def item_from_mods(unit: etree._Element, *, position: int) -> SourceItem:
    """The :class:`SourceItem` of one ``mods`` element or envelope ``record`` (never raises for bad data)."""
    raw = etree.tostring(unit, encoding="utf-8")
    oai_id, deleted = oai_header(unit)
    mods = unit if local_name(unit) == "mods" else next((e for e in unit.iter() if local_name(e) == "mods"), None)
    if mods is None:
        error = None if deleted else "the record holds no MODS metadata (no mods element)"
        return SourceItem(position, None, oai_id, FORMAT, raw, None, error, deleted)
    record_info = next(iter(_children(mods, "recordinfo")), None)
    source_id = (_first_text(record_info, "recordidentifier") if record_info is not None else None) or oai_id
    try:
        record = record_from_mods(mods, source_id=source_id)
    except NoTitle:
        error = None if deleted else "no title (titleInfo/title is missing or empty)"
        return SourceItem(position, None, source_id, FORMAT, raw, None, error, deleted)
    return SourceItem(position, None, source_id, FORMAT, raw, record, None, deleted)


def read_mods(stream: BinaryIO, *, name: str = "") -> Iterator[SourceItem]:
    """Every MODS record of an XML stream, in order, bad ones included as error items."""
    return read_units(stream, is_unit=_is_unit, make_item=item_from_mods, fmt=FORMAT, name=name)
