"""RIS: the tagged citation format reference managers and journal sites export (``ris``).

A record runs from ``TY  - JOUR`` to ``ER  -``; every line between is a tag
of two characters, two spaces, a hyphen and a space, then the value.  A line
without a tag continues the value before it (exports wrap long abstracts).
The file is read a line at a time, so its size does not matter.

=========================== ==================================================
tag                         becomes
=========================== ==================================================
TY                          the format: JOUR, EJOUR, MGZN, NEWS, CPAPER, CONF,
                            CHAP, INPR → article; BOOK, EBOOK, EDBOOK → book;
                            THES → thesis; MAP → map; VIDEO → video; other → other
ID                          the record's id in the member's file (``source_id``)
TI, T1 / ST                 title / short title (when there is no TI)
AU, A1                      authors, one a line (A2, editors and the like, not)
JF, T2, JO, JA, J2, BT      the journal or proceedings (``container``), the
                            full title preferred
PY, Y1, DA                  the year (the first four-digit year found)
VL / IS                     volume / issue
SP, EP                      the page range ("100-110") in ``extent``
SN                          ISSN or ISBN, told apart by their shape
DO / UR                     DOI / address online
AB, N2                      abstracts (language from LA, when given)
KW                          keywords, one a line (or separated by ``;``)
LA                          language (code or name)
PB / CY / ET                publisher / place / edition
=========================== ==================================================

A record without a title, one that the next ``TY`` starts before its ``ER``,
one the file ends inside, and lines outside any record that are not blank are
error items naming their lines; the rest of the file is read on.  ``raw`` is
the record's lines as written (UTF-8), which this reader reads again.

Encoding: UTF-8 with or without byte-order mark; a line that is not UTF-8 is
read as Windows-1252 (EndNote on Windows), Latin-1 as a last resort.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from ..cleaning import clean, clean_name, clean_place, clean_publisher, year_from_text
from ..dublin_core import language_code
from ..identifiers import normalise_issn, parse_isbn
from ..record import CanonicalRecord, normalise_doi
from .item import SourceItem

__all__ = ["TYPES", "read_ris"]

FORMAT = "ris"
#: "TY  - JOUR": a tag, two spaces, a hyphen and (usually) a space.  Some writers put one space only.
TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?: (.*)|\s*)$")
#: The longest line read; a longer one is cut there (an abstract of 64,000 characters is plenty).
MAX_LINE_CHARS = 1 << 16
#: Lines of one record kept at most; a record longer than this is refused (a file without ER lines).
MAX_RECORD_LINES = 5_000
TYPES = {
    "JOUR": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article", "CPAPER": "article",
    "CONF": "article", "CHAP": "article", "INPR": "article", "ABST": "article", "JFULL": "serial",
    "SER": "serial", "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "THES": "thesis", "MAP": "map",
    "VIDEO": "video", "MPCT": "video", "MUSIC": "music", "SOUND": "music",
}
CONTAINER_TAGS = ("JF", "T2", "JO", "JA", "J2", "BT")
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def _decoded(line: bytes) -> str:
    for encoding in ("utf-8", *FALLBACK_ENCODINGS):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return line.decode("latin-1")  # never reached: Latin-1 decodes any byte


def _lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """(line number, text without its line end) of a binary stream; a BOM on the first line dropped."""
    number = 0
    while True:
        data = stream.readline(MAX_LINE_CHARS)
        if not data:
            return
        if len(data) >= MAX_LINE_CHARS and not data.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_CHARS)) and not rest.endswith(b"\n"):
                pass
        number += 1
        text = _decoded(data)
        if number == 1:
            text = text.lstrip("\ufeff")
        # Old Mac exports end lines with CR alone: one "line" holding several.
        for part in text.rstrip("\r\n").split("\r") if "\r" in text.rstrip("\r\n") else [text.rstrip("\r\n")]:
            yield number, part


class _Entry:
    """The tags of one record being read, in order, with its lines as written."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.last_line = first_line
        self.tags: list[list[str]] = []
        self.text: list[str] = []

    def add(self, number: int, line: str) -> None:
        self.text.append(line)
        self.last_line = number
        found = TAG_LINE.match(line)
        if found:
            self.tags.append([found.group(1), (found.group(2) or "").strip()])
        elif self.tags and line.strip():  # a wrapped value goes on
            self.tags[-1][1] = f"{self.tags[-1][1]} {line.strip()}".strip()

    def values(self, *tags: str) -> list[str]:
        return [value for tag, value in self.tags if tag in tags and value]

    def first(self, *tags: str) -> str | None:
        for tag in tags:  # in the order of preference given, not of the file
            found = self.values(tag)
            if found:
                return found[0]
        return None

    @property
    def lines(self) -> str:
        if self.first_line == self.last_line:
            return f"line {self.first_line:,}"
        return f"lines {self.first_line:,}–{self.last_line:,}"

    @property
    def raw(self) -> bytes:
        return ("\r\n".join(self.text) + "\r\n").encode("utf-8")


def _pages(entry: _Entry) -> str | None:
    start, end = clean(entry.first("SP")), clean(entry.first("EP"))
    if start and end and end != start and "-" not in start:
        return f"{start}-{end}"
    return start or end


def _identifiers(entry: _Entry) -> tuple[tuple[str, ...], tuple[str, ...]]:
    isbns: list[str] = []
    issns: list[str] = []
    for value in entry.values("SN"):
        for piece in re.split(r"[;,]\s*|\s+(?=[0-9]{4}-[0-9]{3}[0-9Xx])", value):
            issn = normalise_issn(piece)
            if issn:
                issns.append(issn)
                continue
            parsed = parse_isbn(piece)
            if parsed and parsed.isbn13:
                isbns.append(parsed.isbn13)
    return tuple(dict.fromkeys(isbns)), tuple(dict.fromkeys(issns))


def _keywords(entry: _Entry) -> tuple[str, ...]:
    words = (clean(w) for value in entry.values("KW") for w in value.split(";"))
    return tuple(dict.fromkeys(w for w in words if w))


def _record(entry: _Entry) -> CanonicalRecord:
    kind = (entry.first("TY") or "").upper()
    fmt = TYPES.get(kind, "other")
    language = language_code(entry.first("LA"))
    container = clean(entry.first(*CONTAINER_TAGS)) if fmt == "article" else None
    title = clean(entry.first("TI", "T1") or entry.first("ST"))
    authors = tuple(dict.fromkeys(n for n in (clean_name(v) for v in entry.values("AU", "A1")) if n))
    isbns, issns = _identifiers(entry)
    abstracts = tuple(dict.fromkeys((language, " ".join(text.split())) for text in entry.values("AB", "N2")))
    url = next((u for u in entry.values("UR", "L2") if u.startswith(("http://", "https://"))), None)
    doi = normalise_doi(entry.first("DO")) or next((d for d in map(normalise_doi, entry.values("UR")) if d), None)
    dates = entry.values("PY", "Y1", "DA")
    return CanonicalRecord(
        title=title,
        source_id=clean(entry.first("ID")),
        authors=authors,
        publisher=clean_publisher(entry.first("PB")),
        place=clean_place(entry.first("CY")),
        year=next((y for y in map(year_from_text, dates) if y), None),
        edition=clean(entry.first("ET")),
        extent=_pages(entry) if fmt == "article" else None,
        isbns=isbns,
        issns=issns,
        language=language,
        format=fmt,
        container=container,
        volume=clean(entry.first("VL")) if fmt in ("article", "serial") else None,
        issue=clean(entry.first("IS")) if fmt in ("article", "serial") else None,
        part=clean(entry.first("VL")) if fmt not in ("article", "serial") else None,
        doi=doi,
        url=url,
        abstracts=abstracts,
        keywords=_keywords(entry),
    )


def _item(position: int, entry: _Entry, problem: str | None) -> SourceItem:
    source_id = clean(entry.first("ID"))
    if problem:
        return SourceItem(position, None, source_id, FORMAT, entry.raw, None,
                          f"{entry.lines}: {problem}; the record was set aside and the rest of the file read")
    if not clean(entry.first("TI", "T1") or entry.first("ST")):
        return SourceItem(position, None, source_id, FORMAT, entry.raw, None,
                          f"{entry.lines}: no title (no TI or T1 line)")
    return SourceItem(position, None, source_id, FORMAT, entry.raw, _record(entry))


def read_ris(stream: BinaryIO, *, name: str = "") -> Iterator[SourceItem]:
    """Every record of a RIS stream, in order, broken ones included as error items."""
    position = 0
    entry: _Entry | None = None
    stray: _Entry | None = None  # lines outside any record
    for number, line in _lines(stream):
        tag = TAG_LINE.match(line)
        if tag and tag.group(1) == "TY":
            if stray is not None:
                position += 1
                yield _item(position, stray, "text outside a record (no TY line before it)")
                stray = None
            if entry is not None:
                position += 1
                yield _item(position, entry, f"no ER line before the next record starts at line {number:,}")
            entry = _Entry(number)
            entry.add(number, line)
        elif entry is not None:
            if tag and tag.group(1) == "ER":
                entry.add(number, line)
                position += 1
                yield _item(position, entry, None)
                entry = None
            elif len(entry.text) >= MAX_RECORD_LINES:
                entry.add(number, line)
                position += 1
                yield _item(position, entry, f"more than {MAX_RECORD_LINES:,} lines without an ER line")
                entry = None
            else:
                entry.add(number, line)
        elif line.strip():
            if stray is None:
                stray = _Entry(number)
            if len(stray.text) < MAX_RECORD_LINES:
                stray.add(number, line)
            else:
                stray.last_line = number
    if stray is not None:
        position += 1
        yield _item(position, stray, "text outside a record (no TY line before it)")
    if entry is not None:
        position += 1
        yield _item(position, entry, "the file ends inside this record (no ER line)")
