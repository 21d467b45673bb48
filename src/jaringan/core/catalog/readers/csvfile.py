"""CSV: a simple spreadsheet export, one row per holding (copy or shelf location).

Columns
-------

The first row names the columns.  Names are matched without regard to case,
surrounding blanks, spaces or hyphens ("Call Number" = ``call_number``); the
order does not matter; every column except ``title`` may be left out.

=============== ==============================================================
column          content
=============== ==============================================================
id              the library's own record number; rows with the same id are one
                record with several holdings (the rows need not be adjacent).
                A row without id is a record of its own.
title           title proper (required)
subtitle        other title information
authors         personal or corporate names, separated by ``;``
                ("Toer, Pramoedya Ananta; Lane, Max"); a closing "et al." or
                "dkk." is dropped
year            year of publication ("2005", "c2005", "[2005?]")
publisher       publisher name
place           place of publication
edition         edition statement ("Cet. 2", "Ed. revisi")
isbn            ISBN-10 or ISBN-13, hyphens allowed; several separated by ``;``
issn            ISSN ("0853-2834")
series          series title, optionally ``;`` and the number ("Seri pustakawan ; 3")
subjects        subject headings, separated by ``;``
classification  class number: DDC ("899.2213", "2X4.1"), UDC ("02:004") or LCC ("Z665 .S85")
call_number     the call number of this copy (one per row)
location        the branch or shelf location of this copy
language        ISO 639-2 code ("ind") or name ("Indonesia", "Inggris")
pages           number of pages ("352") or the extent as written ("xii, 352 hlm.")
type            book, serial, article, thesis, map, music or video (Indonesian
                words too: buku, majalah, jurnal, artikel, skripsi, tesis,
                disertasi, peta, musik, film); empty means article when a
                venue is given, or when the file has a venue column and the
                row shows nothing of a book (ISBN, publisher, place,
                edition, series); else book
venue           for articles and papers: the journal's or proceedings' title,
                full or abbreviated ("Journal of Documentation", "J. Doc.");
                the column may also be called ``journal`` or ``container``
volume          the journal's volume ("75"); for other records the volume of a
                set ("Jilid 2")
issue           the journal's issue ("3")
doi             the DOI, bare or as a link ("https://doi.org/10.1108/...");
                kept in lower case without the link part
url             where the record can be read online (http or https)
abstract        the abstract, in the row's ``language``; ``abstract_id``
                (also ``abstrak``) and ``abstract_en`` hold an Indonesian and
                an English one
keywords        the author's keywords, separated by ``;`` (also ``kata_kunci``)
=============== ==============================================================

For an article the ``pages`` column holds its page range ("45-67" or
"pp. 45-67"), kept as written; a book's holds its page count.

Encoding: UTF-8, with or without byte-order mark; when the file is not valid
UTF-8 it is read as Windows-1252 (Excel's default), or Latin-1 as a last
resort.  Delimiter: comma or semicolon (Excel in Indonesian locale writes
semicolons), decided from the header row.

HTML character references in cells, as citation databases export them
("Jos&#233; Marr&#243;n", "&amp;"), are decoded before anything else, so
their ``;`` never splits a name.

Unknown columns are ignored; their names are listed once in
``CsvReader.unknown_columns`` and in a sentence in ``CsvReader.warnings``.

Rows of a record are taken together: bibliographic columns come from its
first row with a title; every row with a call number or location adds a
holding (identical call number and location add up to ``items``).  A record
whose rows have no title is an error item naming the line numbers.  ``raw`` is
a small CSV document (the header and the record's rows, UTF-8) that this
reader can read again.

The file is read as a stream, up to ``MAX_CSV_BYTES``, in bounded memory: its
rows wait on disk until every row of each record is known (a record's rows may
be spread over the file; see :mod:`.csvrows`).  A row that cannot be read (a
field of more than 131,072 characters, a line of more than 4 MiB, an
unclosed quote that runs on) is an error item naming its lines and column,
and the rows after it are read as usual.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from collections.abc import Iterator

from ..cleaning import clean, clean_name, clean_place, clean_publisher, year_from_text
from ..dublin_core import LANGUAGES
from ..identifiers import normalise_issn, parse_isbn
from ..record import CanonicalRecord, Classification, Holding, Series, normalise_doi, pages_from_extent
from .csvrows import Row, Spool, csv_rows
from .errors import BadHeader
from .item import SourceItem
from .streams import LimitedStream, opened

__all__ = ["ALIASES", "COLUMNS", "CsvReader", "guess_classification", "read_csv"]

FORMAT = "csv"
COLUMNS = (
    "id", "title", "subtitle", "authors", "year", "publisher", "place", "edition", "isbn", "issn", "series",
    "subjects", "classification", "call_number", "location", "language", "pages", "type", "venue", "volume",
    "issue", "doi", "url", "abstract", "abstract_id", "abstract_en", "keywords",
)
#: Columns only a book (or another whole publication) fills.
BOOK_COLUMNS = ("isbn", "publisher", "place", "edition", "series")
#: Other names of documented columns (after the blanks-and-hyphens folding of ``_column_key``).
ALIASES = {
    "journal": "venue", "container": "venue", "journal_title": "venue", "container_title": "venue",
    "jurnal": "venue", "vol": "volume", "vol.": "volume", "abstrak": "abstract_id", "abstract_ind": "abstract_id",
    "abstract_eng": "abstract_en", "kata_kunci": "keywords", "keyword": "keywords",
}
#: Abstract columns and the language each holds (None: the row's ``language``).
ABSTRACT_COLUMNS = (("abstract", None), ("abstract_id", "ind"), ("abstract_en", "eng"))
MAX_CSV_BYTES = 200_000_000
LIST_SEPARATOR = ";"
UTF8_BOM = "\ufeff"
#: Words of the ``type`` column → format.
TYPES = {
    "book": "book", "buku": "book", "monograph": "book", "monograf": "book",
    "serial": "serial", "journal": "serial", "jurnal": "serial", "majalah": "serial", "magazine": "serial",
    "periodical": "serial", "terbitan berkala": "serial",
    "article": "article", "artikel": "article",
    "thesis": "thesis", "skripsi": "thesis", "tesis": "thesis", "disertasi": "thesis", "dissertation": "thesis",
    "map": "map", "peta": "map", "music": "music", "musik": "music", "video": "video", "film": "video",
}
#: A DDC number as written, with spaces or "/" between segments and maybe an edition ("005.13/3 22").
DDC_WRITTEN = re.compile(r"^((?:[0-9]{3}|2X[0-9]?)(?:\.[0-9]+(?:[ /'][0-9]+)*)?)(?:\s+[A-Za-z].*)?$")
#: A DDC edition number written after the class number ("005.13/3 22"): two digits at the end.
DDC_EDITION = re.compile(r"(?<=[0-9])\s+[0-9]{2}$")
#: "et al." or Indonesian "dkk." (dan kawan-kawan) ending a shortened author list, or standing alone.
ET_AL = re.compile(r"(?:^|[\s,]+)(?:et\.?\s*al|dkk|d\.?\s*k\.?\s*k)\.?\s*$", re.I)
#: LCC: class letters, digits, then a cutter ("Z665 .S85", "QA76.73.P98").
LCC = re.compile(r"^[A-Z]{1,3}[0-9]+(?:\.[0-9]+)?\s*\.?[A-Z][0-9]")


def _column_key(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lstrip(UTF8_BOM).strip().lower())
    return ALIASES.get(key, key)


def _values(keys: list[str], row: list[str]) -> dict[str, str]:
    """A row by column key; of two columns with one key (``venue`` and ``journal``) the first filled wins."""
    values: dict[str, str] = {}
    for key, cell in zip(keys, row):
        if key in COLUMNS and (key not in values or not values[key].strip()):
            values[key] = _CHARACTER_REFERENCE.sub(_unescape, cell) if "&" in cell else cell
    return values


#: An HTML character reference as citation databases export them ("Jos&#233;", "&amp;"); a bare "&" stays.
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _unescape(found: re.Match) -> str:
    return html.unescape(found.group())


def _record_key(id_columns: list[int], cells: list[str]) -> str | None:
    """The record id of a row (its first filled ``id`` column), which brings its rows together."""
    for n in id_columns:
        if n < len(cells) and cells[n].strip():
            return clean(cells[n]) or None
    return None


def _shown(header: list[str] | None, limit: int = 200) -> str:
    """The header as found, cut short when long (it may be a whole binary file's first "line")."""
    if header == []:
        return "a first line that cannot be read as CSV: is the file a CSV file?"
    text = repr(header)
    return text if len(text) <= limit else text[:limit] + "…"


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip()]


def guess_classification(value: str | None) -> tuple[Classification, ...]:
    """The class number of a free-text cell, its scheme guessed from its shape.

    DDC: three digits, optional decimals; spaces, "/" and "'" segmentation
    marks and a trailing edition number are dropped ("899.221 3" and
    "005.13/3 22" → "899.2213", "005.133"); the Indonesian "2X" adaptation for
    Islam counts as DDC.  LCC: one to three capitals then digits.  Other
    numbers starting with a digit are taken as UDC ("02:004").
    """
    number = clean(value)
    if not number:
        return ()
    ddc = DDC_WRITTEN.match(DDC_EDITION.sub("", number))
    if ddc:
        return (Classification("ddc", re.sub(r"[\s/']", "", ddc.group(1))),)
    if LCC.match(number):
        return (Classification("lcc", number),)
    if number[0].isdigit():
        return (Classification("udc", number),)
    return ()


def _isbns(value: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    valid: list[str] = []
    invalid: list[str] = []
    for piece in _split(value):
        parsed = parse_isbn(piece)
        if parsed and parsed.isbn13:
            valid.append(parsed.isbn13)
        elif any(ch.isdigit() for ch in piece):
            invalid.append(piece)
    return tuple(dict.fromkeys(valid)), tuple(invalid)


def _authors(value: str | None) -> tuple[str, ...]:
    """Names separated by ``;``, without the "et al." / "dkk." of a shortened citation."""
    names = (clean_name(ET_AL.sub("", name)) for name in _split(value))
    return tuple(dict.fromkeys(n for n in names if n))


def _language(value: str | None) -> str | None:
    text = (value or "").strip().lower()
    return LANGUAGES.get(text) or (text if re.fullmatch(r"[a-z]{3}", text) else None)


def _series(value: str | None) -> tuple[Series, ...]:
    title, _, number = (value or "").partition(LIST_SEPARATOR)
    title = clean(title)
    return (Series(title=title, numbering=clean(number)),) if title else ()


def _pages(value: str | None) -> tuple[str | None, int | None]:
    text = clean(value)
    if not text:
        return None, None
    if text.isdigit():
        return f"{text} p.", int(text)
    return text, pages_from_extent(text)


def _citation(row: dict[str, str]) -> bool:
    """A row of a citation list (the file has a venue column) whose venue is left empty and that shows
    nothing of a book (ISBN, publisher, place, edition, series): an article whose venue is unknown."""
    return "venue" in row and not any((row.get(k) or "").strip() for k in BOOK_COLUMNS)


def _abstracts(row: dict[str, str], language: str | None) -> tuple[tuple[str | None, str], ...]:
    found = []
    for column, code in ABSTRACT_COLUMNS:
        text = " ".join((row.get(column) or "").split())
        if text:
            found.append((code or language, text))
    return tuple(dict.fromkeys(found))


def _url(value: str | None) -> str | None:
    text = (value or "").strip()
    return text if text.startswith(("http://", "https://")) and " " not in text else None


def _record(row: dict[str, str], source_id: str | None, holdings: tuple[Holding, ...]) -> CanonicalRecord:
    isbns, invalid_isbns = _isbns(row.get("isbn"))
    language = _language(row.get("language"))
    issn = normalise_issn(row.get("issn"))
    kind = (row.get("type") or "").strip().lower()
    venue = clean(row.get("venue"))
    fmt = TYPES.get(kind, "other") if kind else "article" if venue or _citation(row) else "book"
    volume = clean(row.get("volume"))
    if fmt == "article":
        extent, pages = clean(row.get("pages")), None  # a page range, not a page count
        part, article_volume, issue = None, volume, clean(row.get("issue"))
    else:
        extent, pages = _pages(row.get("pages"))
        part, article_volume, issue = volume, None, None
    return CanonicalRecord(
        title=clean(row["title"]),
        source_id=source_id,
        subtitle=clean(row.get("subtitle")),
        part=part,
        authors=_authors(row.get("authors")),
        publisher=clean_publisher(row.get("publisher")),
        place=clean_place(row.get("place")),
        year=year_from_text(row.get("year")),
        edition=clean(row.get("edition")),
        extent=extent,
        pages=pages,
        isbns=isbns,
        invalid_isbns=invalid_isbns,
        issns=(issn,) if issn else (),
        language=language,
        subjects=tuple(dict.fromkeys(s for s in map(clean, _split(row.get("subjects"))) if s)),
        series=_series(row.get("series")),
        classifications=guess_classification(row.get("classification")),
        format=fmt,
        container=venue,
        volume=article_volume,
        issue=issue,
        doi=normalise_doi(row.get("doi")),
        url=_url(row.get("url")),
        abstracts=_abstracts(row, language),
        keywords=tuple(dict.fromkeys(k for k in map(clean, _split(row.get("keywords"))) if k)),
        holdings=holdings,
    )


class CsvReader:
    """An iterator of :class:`SourceItem`, one per record of a CSV file (see the module docstring).

    The file is read when iteration starts or when ``unknown_columns`` or
    ``warnings`` is first asked for; a file without a ``title`` column
    raises :class:`BadHeader` then.
    """

    def __init__(self, source, *, name: str = "") -> None:
        self._source = source
        self._name = name
        self._items: Iterator[SourceItem] | None = None
        self._unknown: tuple[str, ...] = ()

    def _load(self) -> None:
        if self._items is not None:
            return
        spool = Spool()
        try:
            with opened(self._source) as (stream, name):
                self._name = self._name or name
                limited = io.BufferedReader(LimitedStream(stream, MAX_CSV_BYTES, self._name))
                header, delimiter, rows = csv_rows(limited)
                keys = [_column_key(h) for h in header or []]
                if "title" not in keys:
                    where = f"{self._name}: " if self._name else ""
                    raise BadHeader(f"{where}the first row must name the columns, among them 'title' "
                                    f"(found {_shown(header)})")
                self._unknown = tuple(h.strip() for h, k in zip(header, keys) if k not in COLUMNS and h.strip())
                id_columns = [n for n, key in enumerate(keys) if key == "id"]
                spool.add((None if row.error else _record_key(id_columns, row.cells), row)
                          for row in rows if row.error or any(cell.strip() for cell in row.cells))
        except BaseException:
            spool.close()
            raise
        self._items = self._generate(header, keys, delimiter, spool)

    def _generate(self, header: list[str], keys: list[str], delimiter: str, spool: Spool) -> Iterator[SourceItem]:
        try:
            for position, group in enumerate(spool.groups(), start=1):
                yield self._item(position, header, keys, delimiter, group)
        finally:
            spool.close()

    def _item(self, position: int, header: list[str], keys: list[str], delimiter: str, group: list[Row]) -> SourceItem:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        if group[0].error:  # a row that could not be read: kept as written, after the header
            row = group[0]
            raw = (out.getvalue() + row.text).encode("utf-8")
            message = f"{row.lines}: {row.error}; the row was set aside and the rest of the file read"
            return SourceItem(position, None, None, FORMAT, raw, None, message)
        writer.writerows(row.cells for row in group)
        raw = out.getvalue().encode("utf-8")
        rows = [_values(keys, row.cells) for row in group]
        source_id = clean(rows[0].get("id")) or None
        main = next((row for row in rows if clean(row.get("title"))), None)
        if main is None:
            lines = ", ".join(f"{row.first_line:,}" for row in group)
            where = f"line {lines}" if len(group) == 1 else f"lines {lines}"
            message = f"{where}: no title (the 'title' column is empty)"
            return SourceItem(position, None, source_id, FORMAT, raw, None, message)
        copies = Counter((clean(r.get("call_number")), clean(r.get("location"))) for r in rows)
        holdings = tuple(Holding(call_number=c, location=loc, items=n) for (c, loc), n in copies.items() if c or loc)
        return SourceItem(position, None, source_id, FORMAT, raw, _record(main, source_id, holdings))

    @property
    def unknown_columns(self) -> tuple[str, ...]:
        """Header names that are not documented columns (ignored), as written in the file."""
        self._load()
        return self._unknown

    @property
    def warnings(self) -> list[str]:
        """Sentences about the file as a whole (today: the ignored columns), for the member to read."""
        self._load()
        if not self._unknown:
            return []
        names = ", ".join(repr(n) for n in self._unknown)
        return [f"columns {names} are not known and were ignored (known: {', '.join(COLUMNS)})"]

    def __iter__(self) -> CsvReader:
        return self

    def __next__(self) -> SourceItem:
        self._load()
        return next(self._items)


def read_csv(source, *, name: str = "") -> CsvReader:
    """A :class:`CsvReader` over a path or binary stream."""
    return CsvReader(source, name=name)
