"""Normalise a pymarc ``Record`` into a :class:`CanonicalRecord`.

Every field is optional: a missing or malformed field gives ``None`` or an
empty tuple, never an exception.  The one exception is a record with no title
at all, which raises :class:`~jaringan.core.catalog.errors.NoTitle`.

Fields read: 245 $a$k$b$n$p$c, 100/110/111/700/710/711, 260/264, 250, 300,
020/022/010/035/001, 008 (date, language), 041, 6XX, 490/830, 082/080/050,
holdings from 852, 952 (Koha items) or 090/092/099 call numbers, 502.
"""

from __future__ import annotations

import re
from collections import Counter

from pymarc import Record

from .cleaning import clean, clean_name, clean_place, clean_publisher, year_from_text
from .errors import NoTitle
from .identifiers import normalise_issn, normalise_lccn, normalise_oclc, oclc_from_035, parse_isbn
from .marc_format import carrier_from_extent, carrier_from_leader, format_from_marc
from .record import CanonicalRecord, Classification, Holding, Series, pages_from_extent

__all__ = ["record_from_marc"]

DATE1 = slice(7, 11)
DATE2 = slice(11, 15)
#: 008/06 for a questionable date: the publication year lies between Date 1 and Date 2.
QUESTIONABLE_DATE = "q"
#: 008/06 for a set issued over several years (Date 1 to Date 2), and the Date 2 of one still coming out.
MULTIPLE_DATES, STILL_COMING_OUT = "m", "9999"
#: Years a guessed date may span at the most (a century: "[18--?]").
GUESSED_SPAN_MAX = 99
#: A year in a date statement, with what marks it as a copyright or phonogram date, or as a range's end.
_STATED_YEAR = re.compile(
    r"(?P<mark>(?<![a-z])(?:c|©|℗|p|cop\.?|copyright)\s*)?(?<![0-9])(?P<year>1[4-9][0-9]{2}|20[0-9]{2})(?![0-9])", re.I
)
#: What stands before the year that ends a range ("1892-1901", "1892 - 1901").
_RANGE_BEFORE = re.compile(r"[0-9]\s*-\s*$")
#: A decade or century left open in a date statement: "[189-?]", "[18--]", "19--".
_OPEN_DATE = re.compile(r"(?<![0-9])(1[4-9][0-9]?|20[0-9]?)-{1,2}(?![0-9])")
LANGUAGE_008 = slice(35, 38)
MIN_008_LENGTH = 11
LANGUAGE_CODE = re.compile(r"^[a-z]{3}$")
UNDETERMINED_LANGUAGES = frozenset({"und", "zxx", "mul", "   ", "|||"})
#: 008/06 date types whose Date 1 is not a publication year.
NO_PUBLICATION_DATE_TYPES = frozenset({"n", "b", "|"})
PUBLICATION_264 = "1"
AUTHOR_TAGS = ("100", "110", "111", "700", "710", "711")
CORPORATE_TAGS = frozenset({"110", "710", "111", "711"})
SUBJECT_TAGS = ("600", "610", "611", "630", "648", "650", "651", "653", "655")
SUBJECT_SUBFIELDS = ("a", "b", "t", "v", "x", "y", "z")
SUBJECT_SEPARATOR = " -- "
CLASSIFICATION_TAGS = {"082": "ddc", "080": "udc", "050": "lcc"}
LOCAL_CALL_NUMBER_TAGS = ("090", "092", "099")
OCLC_ORG_CODE = "OCoLC"
OCLC_CONTROL_NUMBER = re.compile(r"^\s*(?:ocm|ocn|on)")


class _Fields:
    """A record's fields by tag, gathered in one pass: pymarc's ``get_fields`` walks all of a
    record's fields on each call, and normalising a record asks for some forty tags.

    The data fields (those with subfields) are kept apart from the control fields as they are
    gathered, so that the readers of subfields below need not ask each field which it is."""

    __slots__ = ("_by_tag", "_data_by_tag", "leader")

    def __init__(self, record: Record):
        by_tag: dict[str, list] = {}
        data_by_tag: dict[str, list] = {}
        for field in record.fields:
            found = by_tag.get(field.tag)
            if found is None:
                by_tag[field.tag] = [field]
            else:
                found.append(field)
            if not field.control_field:
                found = data_by_tag.get(field.tag)
                if found is None:
                    data_by_tag[field.tag] = [field]
                else:
                    found.append(field)
        self._by_tag = by_tag
        self._data_by_tag = data_by_tag
        self.leader = record.leader

    def get_fields(self, tag: str) -> list | tuple:
        """The fields of one tag, in the record's order (not to be changed)."""
        return self._by_tag.get(tag, ())

    def data_fields(self, tag: str) -> list | tuple:
        """The data fields of one tag (control fields left out), in the record's order (not to be changed)."""
        return self._data_by_tag.get(tag, ())


def _control(record: _Fields, tag: str) -> str | None:
    for field in record.get_fields(tag):
        data = getattr(field, "data", None)
        if isinstance(data, str):
            return data
    return None


def _subfield(field, code: str) -> str | None:
    """The first non-blank value of subfield ``code`` of a data field (read from its ``subfields``, pairs of
    code and value in pymarc and rmarc alike: ``get_subfields`` would make a list of all of them first)."""
    for subfield in field.subfields:
        if subfield.code == code:
            value = subfield.value
            if isinstance(value, str) and value.strip():
                return value
    return None


def _first(record: _Fields, tag: str, code: str) -> str | None:
    for field in record.data_fields(tag):
        value = _subfield(field, code)
        if value:
            return value
    return None


def _first_field(record: _Fields, tag: str):
    fields = record.data_fields(tag)
    return fields[0] if fields else None


def _joined(field, codes: str, separator: str = " ") -> str | None:
    if field is None:
        return None
    values = [cleaned for v in field.get_subfields(*codes) if isinstance(v, str) and (cleaned := clean(v))]
    return clean(separator.join(values)) or None


def _title_parts(record: _Fields) -> tuple[str | None, str | None, str | None, str | None]:
    field = _first_field(record, "245")
    if field is None:
        return None, None, None, None
    title = clean(_subfield(field, "a") or _subfield(field, "k"))
    subtitle = clean(_subfield(field, "b"))
    part = _joined(field, "np", separator=". ")
    if title is None and subtitle:
        title, subtitle = subtitle, None
    return title, subtitle, part, clean(_subfield(field, "c"))


def _authors(record: _Fields) -> tuple[str, ...]:
    names: list[str] = []
    for tag in AUTHOR_TAGS:
        for field in record.data_fields(tag):
            codes = "ab" if tag in CORPORATE_TAGS else "a"
            name = clean_name(_joined(field, codes, separator=". "))
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _publication(record: _Fields) -> tuple[str | None, str | None, str | None]:
    """(publisher, place, date statement) from 260, else 264 with ind2 = 1."""
    candidates = list(record.data_fields("260"))
    fields_264 = record.data_fields("264")
    candidates += [f for f in fields_264 if f.indicator2 == PUBLICATION_264]
    candidates += [f for f in fields_264 if f.indicator2 != PUBLICATION_264]
    publisher = place = date = None
    for field in candidates:
        publisher = publisher or clean_publisher(_subfield(field, "b"))
        place = place or clean_place(_subfield(field, "a"))
        date = date or _subfield(field, "c")
    return publisher, place, date


def _year(fixed: str | None, date_statement: str | None) -> int | None:
    if fixed and len(fixed) >= MIN_008_LENGTH and fixed[6] not in NO_PUBLICATION_DATE_TYPES:
        year = year_from_text(fixed[DATE1])
        if year is not None:
            return year
    return year_from_text(date_statement)


def _other_years(year: int | None, date_statement: str | None) -> tuple[int, ...]:
    """The publication years the date statement names besides ``year``: "1932 i.e. 1961", or "[1963]"
    where the fixed field says 1965; neither a copyright date ("1947, c1943") nor the end of a range
    ("1892-1901", the years a set came out over)."""
    found = []
    text = date_statement or ""
    for match in _STATED_YEAR.finditer(text):
        stated = int(match.group("year"))
        ends_range = _RANGE_BEFORE.search(text[: match.start()]) is not None
        if not match.group("mark") and not ends_range and stated != year and stated not in found:
            found.append(stated)
    return tuple(found)


def _year_until(year: int | None, fixed: str | None, date_statement: str | None) -> int | None:
    """The last year a guessed date may mean: 008/06 ``q`` (between Date 1 and Date 2), a decade or
    century left open in 008 ("189u") or in the date statement ("[189-?]", "[18--]"); None otherwise."""
    if year is None:
        return None
    open_date = _OPEN_DATE.search(date_statement or "")
    if open_date:
        known = open_date.group(1)
        start = int(known.ljust(4, "0"))
        if start <= year < start + 10 ** (4 - len(known)):
            return start + 10 ** (4 - len(known)) - 1
    if fixed and len(fixed) >= 15:
        date1, date2 = fixed[DATE1], fixed[DATE2]
        if "u" in date1 and date1.replace("u", "0").isdigit():
            return int(date1.replace("u", "9"))
        if fixed[6] == QUESTIONABLE_DATE and date2.replace("u", "9").isdigit() and int(date2.replace("u", "9")) > year:
            return min(int(date2.replace("u", "9")), year + GUESSED_SPAN_MAX)
    return None


def _year_last(year: int | None, fixed: str | None) -> int | None:
    """The last year of a set issued over several years (008/06 ``m``, Date 2 after Date 1); None for any
    other date, and for a set still coming out ("9999") or whose end is unknown."""
    if year is None or not fixed or len(fixed) < 15 or fixed[6] != MULTIPLE_DATES:
        return None
    last = fixed[DATE2]
    if not last.isdigit() or last == STILL_COMING_OUT or int(last) <= year:
        return None
    return int(last)


def _language(record: _Fields, fixed: str | None) -> str | None:
    code = fixed[LANGUAGE_008].lower() if fixed and len(fixed) >= LANGUAGE_008.stop else ""
    if LANGUAGE_CODE.match(code) and code not in UNDETERMINED_LANGUAGES:
        return code
    code = (_first(record, "041", "a") or "")[:3].lower()
    return code if LANGUAGE_CODE.match(code) else None


def _isbns(record: _Fields) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(valid ISBN-13s from 020 $a, raw texts of invalid or cancelled ones incl. 020 $z)."""
    valid: list[str] = []
    invalid: list[str] = []
    for field in record.data_fields("020"):
        for code in ("a", "z"):
            for raw in field.get_subfields(code):
                if not isinstance(raw, str) or not raw.strip():
                    continue
                parsed = parse_isbn(raw)
                if parsed is not None and code == "a" and parsed.isbn13:
                    if parsed.isbn13 not in valid:
                        valid.append(parsed.isbn13)
                elif parsed is not None or any(ch.isdigit() for ch in raw):
                    invalid.append(parsed.raw if parsed else raw.strip())
    return tuple(valid), tuple(invalid)


def _issns(record: _Fields) -> tuple[str, ...]:
    found = (normalise_issn(raw) for raw in _all_subfields(record, "022", "a") + _all_subfields(record, "022", "l"))
    return tuple(dict.fromkeys(issn for issn in found if issn))


def _oclc_numbers(record: _Fields) -> tuple[str, ...]:
    """OCLC numbers from 035 "(OCoLC)…", and from 001 when 003 is OCoLC or 001 is "ocm…"."""
    numbers = [n for n in (oclc_from_035(v) for v in _all_subfields(record, "035", "a")) if n]
    control = _control(record, "001") or ""
    if (_control(record, "003") or "").strip() == OCLC_ORG_CODE or OCLC_CONTROL_NUMBER.match(control):
        number = normalise_oclc(control)
        if number:
            numbers.insert(0, number)
    return tuple(dict.fromkeys(numbers))


def _identifiers(record: _Fields) -> dict:
    isbns, invalid_isbns = _isbns(record)
    return {
        "isbns": isbns,
        "invalid_isbns": invalid_isbns,
        "issns": _issns(record),
        "lccn": normalise_lccn(_first(record, "010", "a")),
        "oclc_numbers": _oclc_numbers(record),
    }


def _all_subfields(record: _Fields, tag: str, code: str) -> list[str]:
    return [
        v
        for f in record.data_fields(tag)
        for v in f.get_subfields(code)
        if isinstance(v, str)
    ]


def _subjects(record: _Fields) -> tuple[str, ...]:
    subjects: list[str] = []
    for tag in SUBJECT_TAGS:
        for field in record.data_fields(tag):
            heading = _joined(field, SUBJECT_SUBFIELDS, separator=SUBJECT_SEPARATOR)
            if heading and heading not in subjects:
                subjects.append(heading)
    return tuple(subjects)


def _series(record: _Fields) -> tuple[Series, ...]:
    found: dict[str, Series] = {}
    for tag in ("490", "830", "440"):
        for field in record.data_fields(tag):
            title = clean(_subfield(field, "a"))
            if title and title.casefold() not in found:
                found[title.casefold()] = Series(title=title, numbering=clean(_subfield(field, "v")))
    return tuple(found.values())


def _classifications(record: _Fields) -> tuple[Classification, ...]:
    found: list[Classification] = []
    for tag, scheme in CLASSIFICATION_TAGS.items():
        for field in record.data_fields(tag):
            codes = "ab" if scheme == "lcc" else "a"
            number = _joined(field, codes)
            if number and scheme == "ddc":
                number = number.replace("/", "").replace("'", "")
            if number and Classification(scheme, number) not in found:
                found.append(Classification(scheme, number))
    return tuple(found)


def _holdings(record: _Fields) -> tuple[Holding, ...]:
    items: Counter[tuple[str | None, str | None]] = Counter()
    for field in record.data_fields("952"):  # Koha: one field per item
        location = clean(_subfield(field, "a") or _subfield(field, "b"))
        items[(clean(_subfield(field, "o")), location)] += 1
    for field in record.data_fields("852"):
        call_number = _joined(field, "khim") or _joined(field, "j")  # Evergreen writes $j
        items[(call_number, clean(_subfield(field, "b") or _subfield(field, "a")))] += 1
    if not items:
        for tag in LOCAL_CALL_NUMBER_TAGS:
            for field in record.data_fields(tag):
                if _joined(field, "ab"):
                    items[(_joined(field, "ab"), None)] += 1
                    break
            if items:
                break
    return tuple(Holding(call_number=c, location=loc, items=n) for (c, loc), n in items.items())


def record_from_marc(record: Record, *, source_id: str | None = None, library: str | None = None) -> CanonicalRecord:
    """The canonical form of one MARC record.

    ``source_id`` defaults to the 001 control number.  Raises ``NoTitle``
    when the record has no 245 $a, $k or $b.
    """
    record = _Fields(record)
    source_id = source_id or clean(_control(record, "001"))
    title, subtitle, part, responsibility = _title_parts(record)
    if not title:
        raise NoTitle(source_id)
    leader = str(record.leader or "")
    fixed = _control(record, "008")
    publisher, place, date_statement = _publication(record)
    extent = _joined(_first_field(record, "300"), "a")
    year = _year(fixed, date_statement)
    return CanonicalRecord(
        title=title,
        source_id=source_id,
        library=library,
        subtitle=subtitle,
        part=part,
        responsibility=responsibility,
        authors=_authors(record),
        publisher=publisher,
        place=place,
        year=year,
        other_years=_other_years(year, date_statement),
        year_until=_year_until(year, fixed, date_statement),
        year_last=_year_last(year, fixed),
        edition=_joined(_first_field(record, "250"), "ab"),
        extent=extent,
        pages=pages_from_extent(extent),
        language=_language(record, fixed),
        subjects=_subjects(record),
        series=_series(record),
        classifications=_classifications(record),
        format=format_from_marc(leader=leader, fixed_008=fixed, has_thesis_note=bool(record.get_fields("502"))),
        carrier=carrier_from_extent(extent) or carrier_from_leader(leader),
        holdings=_holdings(record),
        **_identifiers(record),
    )

