"""MARC 21 out: the member's own record when it sent MARC, else one built from the canonical form.

A record that came in as MARC 21 or MARCXML goes out as the member catalogued
it (every local field kept), with three changes only when asked:

* ``holdings`` replace the member's own 852/952 item fields with one 852 per
  copy of each union holding ($a library code, $b location, $h call number,
  $t copy number) — reading the record back counts the copies again;
* ``control_number`` becomes the 001 (with ``agency`` as 003) and the
  member's own 001/003 moves to an 035 "(ORG)number", as OCLC does;
* ``agency`` is added to 040 as a modifying agency ($d);
* ``changed`` (the union record's last change) becomes the 005.

Whatever the source, an 020 $a that holds no valid ISBN goes out as $z (cancelled/invalid ISBN):
a receiving catalogue takes 020 $a as the book's ISBN.

Any other record (Dublin Core, MODS, CSV, SLiMS) is built field by field:
leader 06/07 from the format, 008 with the year and language, 010/020/022/024 (DOI)/035,
040, 050/080/082, 1XX/245 with indicators and ISBD punctuation, 250, 264,
300, 490, 502, 650, 7XX, 773 (the journal an article is in), 852.  Reading a built record back with
:func:`~jaringan.core.catalog.marc.record_from_marc` gives the same canonical
fields (the round-trip tests hold it to that).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from lxml import etree
from pymarc import Field, Indicators, Record, Subfield

from ..cleaning import clean
from ..errors import CatalogError
from ..identifiers import parse_isbn
from ..readers.iso2709 import detect_encoding
from ..readers.marcxml import marc_from_element
from ..readers.xmlstream import local_name
from ..record import CanonicalRecord, Holding
from .common import host_citation, is_corporate, is_writable, nonfiling_length, part_of, safe_text, writable

__all__ = [
    "MARCXML_NS",
    "RecordTooLong",
    "build_marc",
    "holding_fields",
    "local_call_number",
    "marc_bytes",
    "marcxml_bytes",
    "to_marc",
    "to_marcxml",
]

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
MARC_SOURCE_FORMATS = frozenset({"marc21", "marcxml"})
#: ISO 2709 describes a record's length in five digits.
MAX_RECORD_BYTES = 99_999
#: Leader/06 and leader/07 by format; music and "other" refine leader/06 by carrier.
FORMAT_LEADER = {
    "book": ("a", "m"), "thesis": ("a", "m"), "serial": ("a", "s"), "article": ("a", "a"),
    "map": ("e", "m"), "music": ("c", "m"), "video": ("g", "m"), "other": ("p", "m"),
}
CARRIER_TYPES = {
    "music": {"sound": "j", "score": "c"},
    "other": {"sound": "i", "image": "k", "computer": "m", "kit": "o", "mixed": "p", "object": "r"},
}
#: Leader/17 "minimal level" and leader/18 "ISBD punctuation included": what a built record is.
ENCODING_LEVEL = "7"
CATALOGUING_FORM = "i"
#: 008/15-17 "no place, unknown or undetermined"; 008/39 "other" cataloguing source.
UNKNOWN_PLACE = "xx "
CATALOGUING_SOURCE = "d"
UNDETERMINED_LANGUAGE = "und"
#: 008/07-10 holds four digits.
MAX_008_YEAR = 9999
THESIS_CONTENTS = "m   "
CLASSIFICATION_TAGS = {"lcc": "050", "udc": "080", "ddc": "082"}
HOLDING_TAGS = frozenset({"852", "952"})
SUBJECT_SEPARATOR = " -- "
_LOCAL_ORG = "local"


class RecordTooLong(CatalogError):
    """The record is longer than the 99,999 bytes ISO 2709 can describe (use MARCXML instead)."""


def _subfields(*pairs: tuple[str, str | None]) -> list[Subfield]:
    return [Subfield(code, safe_text(value)) for code, value in pairs if value and safe_text(value)]


def _datafield(tag: str, ind1: str, ind2: str, *pairs: tuple[str, str | None]) -> Field | None:
    subfields = _subfields(*pairs)
    return Field(tag=tag, indicators=Indicators(ind1, ind2), subfields=subfields) if subfields else None


def _leader(record: CanonicalRecord) -> str:
    type_of_record, level = FORMAT_LEADER.get(record.format, FORMAT_LEADER["other"])
    type_of_record = CARRIER_TYPES.get(record.format, {}).get(record.carrier or "", type_of_record)
    return f"00000n{type_of_record}{level} a2200000{ENCODING_LEVEL}{CATALOGUING_FORM} 4500"


def _fixed_008(record: CanonicalRecord, entered: dt.date) -> str:
    if record.year and 0 < record.year <= MAX_008_YEAR:
        dates = f"s{record.year:04d}    "
    else:
        dates = "nuuuuuuuu"
    material = "|" * 17
    if record.format == "thesis":
        material = material[:6] + THESIS_CONTENTS + material[10:]
    language = record.language if record.language and len(record.language) == 3 else UNDETERMINED_LANGUAGE
    return f"{entered:%y%m%d}{dates}{UNKNOWN_PLACE}{material}{language[:3]} {CATALOGUING_SOURCE}"


def _isbd(text: str | None, end: str) -> str | None:
    """``text`` followed by ISBD punctuation ``end`` (" :", " /", ".") unless it already ends so."""
    text = safe_text(text)
    if not text:
        return None
    if not end or (end == "." and text.endswith((".", "?", "!"))):
        return text
    # Only punctuation a reader strips again: "Medan." yes, but not "0." or '"..."."'.
    return text + end if clean(text + end) == clean(text) else text


def _title_field(record: CanonicalRecord, has_main_entry: bool) -> Field:
    follows_a = " :" if record.subtitle else ("." if record.part else (" /" if record.responsibility else "."))
    pairs = [("a", _isbd(record.title, follows_a))]
    if record.subtitle:
        pairs.append(("b", _isbd(record.subtitle, "." if record.part else (" /" if record.responsibility else "."))))
    if record.part:
        code = "n" if any(ch.isdigit() for ch in record.part) else "p"
        pairs.append((code, _isbd(record.part, " /" if record.responsibility else ".")))
    if record.responsibility:
        pairs.append(("c", _isbd(record.responsibility, ".")))
    ind2 = str(nonfiling_length(safe_text(record.title), record.language))
    return Field(tag="245", indicators=Indicators("1" if has_main_entry else "0", ind2), subfields=_subfields(*pairs))


def _name_field(name: str, *, main: bool) -> Field | None:
    name = safe_text(name)
    if not name:
        return None
    if is_corporate(name):
        head, *units = [part for part in name.split(". ") if part]
        tag = "110" if main else "710"
        return _datafield(tag, "2", " ", ("a", head), *(("b", unit) for unit in units))
    tag = "100" if main else "700"
    return _datafield(tag, "1" if "," in name else "0", " ", ("a", name))


def _subject_field(heading: str) -> Field | None:
    parts = [p for p in (safe_text(x) for x in heading.split(SUBJECT_SEPARATOR)) if p]
    if not parts:
        return None
    return _datafield("650", " ", "4", ("a", parts[0]), *(("x", p) for p in parts[1:]))


def _classification_field(scheme: str, number: str) -> Field | None:
    tag = CLASSIFICATION_TAGS.get(scheme)
    if tag is None:
        return None
    if scheme == "lcc":
        class_number, _, item = safe_text(number).partition(" ")
        return _datafield(tag, " ", "4", ("a", class_number), ("b", item))
    if scheme == "ddc":
        return _datafield(tag, "0", "4", ("a", number))
    return _datafield(tag, " ", " ", ("a", number))


def holding_fields(holdings: Sequence[tuple[str, Holding]]) -> list[Field]:
    """852 fields for (library code, holding) pairs: one per copy, numbered in $t."""
    fields: list[Field] = []
    for library, holding in holdings:
        for copy in range(1, max(holding.items, 1) + 1):
            field = _datafield("852", " ", " ", ("a", library), ("b", holding.location),
                               ("h", holding.call_number), ("t", str(copy)))
            if field is not None:
                fields.append(field)
    return fields


def build_marc(record: CanonicalRecord, *, control_number: str | None = None, agency: str | None = None,
               entered: dt.date | None = None) -> Record:
    """A MARC 21 bibliographic record made from the canonical fields alone."""
    marc = Record(to_unicode=True, force_utf8=True, leader=_leader(record))
    fields: list[Field | None] = []
    if control_number:
        fields.append(Field(tag="001", data=safe_text(control_number)))
        if agency:
            fields.append(Field(tag="003", data=safe_text(agency)))
    fields.append(Field(tag="008", data=_fixed_008(record, entered or dt.date.today())))
    if record.lccn:
        fields.append(_datafield("010", " ", " ", ("a", record.lccn)))
    fields += [_datafield("020", " ", " ", ("a", isbn)) for isbn in record.isbns]
    fields += [_datafield("020", " ", " ", ("z", isbn)) for isbn in record.invalid_isbns]
    fields += [_datafield("022", " ", " ", ("a", issn)) for issn in record.issns]
    host = part_of(record)
    if host.get("doi"):
        fields.append(_datafield("024", "7", " ", ("a", host["doi"]), ("2", "doi")))
    fields += [_datafield("035", " ", " ", ("a", f"(OCoLC){number}")) for number in record.oclc_numbers]
    if agency:
        fields.append(_datafield("040", " ", " ", ("a", agency), ("c", agency)))
    order = {"lcc": 0, "udc": 1, "ddc": 2}
    for c in sorted(record.classifications, key=lambda c: order.get(c.scheme, 9)):
        fields.append(_classification_field(c.scheme, c.number))
    authors = [a for a in record.authors if safe_text(a)]
    main = _name_field(authors[0], main=True) if authors else None
    fields.append(main)
    fields.append(_title_field(record, has_main_entry=main is not None))
    fields.append(_datafield("250", " ", " ", ("a", record.edition)))
    if record.place or record.publisher or record.year:
        pairs = [("a", _isbd(record.place, " :" if record.publisher else ("," if record.year else ""))),
                 ("b", _isbd(record.publisher, "," if record.year else "")),
                 ("c", f"{record.year}." if record.year else None)]
        fields.append(_datafield("264", " ", "1", *pairs))
    fields.append(_datafield("300", " ", " ", ("a", record.extent)))
    for series in record.series:
        fields.append(_datafield("490", "0", " ", ("a", _isbd(series.title, " ;" if series.numbering else "")),
                                 ("v", series.numbering)))
    if record.format == "thesis":
        fields.append(_datafield("502", " ", " ", ("a", "Thesis")))
    fields += [_subject_field(s) for s in record.subjects]
    fields += [_name_field(a, main=False) for a in authors[1:]]
    if host.get("container") or record.format == "article" and host_citation(record):
        fields.append(_datafield("773", "0", " ", ("t", host.get("container")), ("g", host_citation(record))))
    for field in fields:
        if field is not None:
            marc.add_field(field)
    return marc


def _parse_source(raw: bytes, source_format: str) -> Record | None:
    """The member's own record as pymarc reads it, or None when the bytes cannot be read."""
    try:
        if source_format == "marc21":
            encoding, _ = detect_encoding(raw)
            if encoding is None:
                return None
            return Record(data=raw, to_unicode=True, force_utf8=encoding == "utf-8", hide_utf8_warnings=True)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(raw, parser)
        for element in root.iter():
            if local_name(element) == "record" and any(
                local_name(child) in ("leader", "controlfield", "datafield") for child in element
            ):
                return marc_from_element(element)
    except Exception:  # pymarc and lxml raise many kinds for bad bytes; all mean "build it instead"
        return None
    return None


def _clean_fields(marc: Record) -> None:
    """Make every tag, indicator and value of a member's record writable (no delimiters or controls
    inside). A field is looked at once, as one text: a field needs rewriting only when that finds
    something (rarely: most records are clean, and rebuilding every subfield cost a third of an export)."""
    for field in marc.fields:
        if not is_writable(field.tag):
            field.tag = writable(field.tag)
        if field.is_control_field():
            field.data = _control_text(field.data or "")
            continue
        ind1, ind2 = field.indicator1 or " ", field.indicator2 or " "
        if not is_writable(ind1 + ind2):
            field.indicator1, field.indicator2 = writable(ind1) or " ", writable(ind2) or " "
        subfields = field.subfields
        if any(s.value is None or s.code is None for s in subfields) or not is_writable(
                "".join(s.code + s.value for s in subfields)):
            field.subfields = [Subfield(writable(s.code or " ") or " ", writable(s.value or "")) for s in subfields]


#: What a control field cannot carry, each kept as a space so that fixed positions stay in place.
_CONTROL_UNWRITABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def _control_text(value: str) -> str:
    """A control field's value with controls blanked, keeping every fixed position in place."""
    return _CONTROL_UNWRITABLE.sub(" ", value)


def _values(marc: Record, tag: str, code: str) -> list[str]:
    return [v for f in marc.get_fields(tag) if not f.is_control_field() for v in f.get_subfields(code)]


def _latest_transaction(moment: dt.datetime) -> Field:
    """The 005 of ``moment`` (yyyymmddhhmmss.f, in UTC when it knows its zone)."""
    if moment.tzinfo:
        moment = moment.astimezone(dt.timezone.utc)
    return Field(tag="005", data=f"{moment:%Y%m%d%H%M%S}.0")


def _invalid_isbns_to_z(marc: Record) -> None:
    """020 $a values that hold no valid ISBN become $z, as MARC 21 says an invalid ISBN is kept."""
    for field in marc.get_fields("020"):
        if field.is_control_field():
            continue
        moved = []
        for subfield in field.subfields:
            if subfield.code == "a" and not _valid_isbn(subfield.value):
                subfield = Subfield("z", subfield.value)
            moved.append(subfield)
        field.subfields = moved


def _valid_isbn(text: str | None) -> bool:
    parsed = parse_isbn(text)
    return parsed is not None and parsed.valid


def _adapt_member_record(marc: Record, *, holdings: Sequence[tuple[str, Holding]],
                         control_number: str | None, agency: str | None,
                         changed: dt.datetime | None = None) -> Record:
    _clean_fields(marc)
    _invalid_isbns_to_z(marc)
    if changed is not None:
        marc.remove_fields("005")
        marc.add_ordered_field(_latest_transaction(changed))
    if holdings:
        marc.remove_fields(*HOLDING_TAGS)
        for field in holding_fields(holdings):
            marc.add_ordered_field(field)
    if control_number:
        old = next((f.data.strip() for f in marc.get_fields("001") if f.data and f.data.strip()), None)
        org = next((f.data.strip() for f in marc.get_fields("003") if f.data and f.data.strip()), None)
        marc.remove_fields("001", "003")
        marc.add_ordered_field(Field(tag="001", data=safe_text(control_number)))
        if agency:
            marc.add_ordered_field(Field(tag="003", data=safe_text(agency)))
        moved = f"({org or _LOCAL_ORG}){old}"
        if old and moved not in (v.replace(" ", "") for v in _values(marc, "035", "a")):
            marc.add_ordered_field(_datafield("035", " ", " ", ("a", moved)))
    if agency:
        cataloguing = next((f for f in marc.get_fields("040") if not f.is_control_field()), None)
        if cataloguing is None:
            marc.add_ordered_field(_datafield("040", " ", " ", ("a", agency), ("c", agency)))
        elif agency not in _values(marc, "040", "a") + _values(marc, "040", "c") + _values(marc, "040", "d"):
            cataloguing.add_subfield("d", agency)
    marc.leader = str(marc.leader)[:9] + "a" + str(marc.leader)[10:]
    return marc


def local_call_number(raw: bytes | None, source_format: str | None) -> str | None:
    """The 090 ($a $b: a local call number in LC form) of a member's MARC record, or None."""
    if not raw or source_format not in MARC_SOURCE_FORMATS:
        return None
    marc = _parse_source(raw, source_format)
    for field in marc.get_fields("090") if marc is not None else ():
        if not field.is_control_field():
            text = " ".join(safe_text(v) for v in field.get_subfields("a", "b") if safe_text(v))
            if text:
                return text
    return None


def to_marc(record: CanonicalRecord, *, raw: bytes | None = None, source_format: str | None = None,
            holdings: Sequence[tuple[str, Holding]] = (), control_number: str | None = None,
            agency: str | None = None, entered: dt.date | None = None,
            changed: dt.datetime | None = None) -> Record:
    """A pymarc ``Record`` of ``record``: the member's own MARC when there is one, else built.

    ``raw``/``source_format`` are the member record's bytes and format
    (``marc21`` or ``marcxml`` to start from them); ``holdings`` are
    ``(library code, Holding)`` pairs written as 852s; ``control_number`` and
    ``agency`` (the network's MARC organisation code) identify the union
    record; ``entered`` is 008/00-05 of a built record (today by default); ``changed`` is the
    005 (the union record's last change).
    """
    if raw and source_format in MARC_SOURCE_FORMATS:
        marc = _parse_source(raw, source_format)
        if marc is not None and marc.get_fields("245"):
            return _adapt_member_record(marc, holdings=holdings, control_number=control_number, agency=agency,
                                        changed=changed)
    marc = build_marc(record, control_number=control_number, agency=agency, entered=entered)
    _clean_fields(marc)  # (built from clean text: a look at each field, which finds nothing to change)
    if changed is not None:
        marc.add_ordered_field(_latest_transaction(changed))
    for field in holding_fields(holdings):
        marc.add_field(field)
    return marc


def marc_bytes(record: CanonicalRecord, **options) -> bytes:
    """ISO 2709 bytes (UTF-8, leader/09 ``a``) of :func:`to_marc`; raises ``RecordTooLong``."""
    data = to_marc(record, **options).as_marc()
    if len(data) > MAX_RECORD_BYTES:
        raise RecordTooLong(f"the MARC record would be {len(data):,} bytes; ISO 2709 allows {MAX_RECORD_BYTES:,}")
    return data


_NS = "{%s}" % MARCXML_NS
_RECORD, _LEADER, _CONTROLFIELD, _DATAFIELD, _SUBFIELD = (
    _NS + name for name in ("record", "leader", "controlfield", "datafield", "subfield"))
_NSMAP = {None: MARCXML_NS}


def _marc_to_xml(marc: Record) -> etree._Element:
    """The record as a MARCXML ``record`` element. Its tags, indicators and values are writable already
    (:func:`to_marc` cleans a member's record and builds the others from clean text): each is written as
    it is, not looked at again (that second look cost as much as writing)."""
    root = etree.Element(_RECORD, nsmap=_NSMAP)
    sub = etree.SubElement
    sub(root, _LEADER).text = safe_text(str(marc.leader)).ljust(24)[:24]
    for field in marc.fields:
        if field.is_control_field():
            sub(root, _CONTROLFIELD, tag=field.tag).text = field.data or ""
            continue
        element = sub(root, _DATAFIELD, tag=field.tag, ind1=field.indicator1 or " ", ind2=field.indicator2 or " ")
        for subfield in field.subfields:
            sub(element, _SUBFIELD, code=subfield.code).text = subfield.value
    return root


def to_marcxml(record: CanonicalRecord, **options) -> etree._Element:
    """An lxml ``record`` element in the MARC 21 slim namespace; same options as :func:`to_marc`."""
    return _marc_to_xml(to_marc(record, **options))


def marcxml_bytes(record: CanonicalRecord, **options) -> bytes:
    """:func:`to_marcxml` serialised as a UTF-8 XML document."""
    return etree.tostring(to_marcxml(record, **options), encoding="utf-8", xml_declaration=True)
