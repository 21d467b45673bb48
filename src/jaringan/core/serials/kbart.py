"""Title lists with coverage, as providers and members send them: KBART (NISO RP-9-2014) and its
near relations, read despite their quirks.

* line endings CR only (classic Mac), CRLF or LF; a UTF-8 byte-order mark; Windows-1252 text;
* a preamble before the header (a timestamp, "SO Name,..." key/value lines): the header is the
  first of the first 40 lines that names a title column and an ISSN or coverage column;
* tab- or comma-separated, found from the header line;
* KBART columns (``publication_title``, ``print_identifier``, ``online_identifier``,
  ``date_first_issue_online``, ``num_first_vol_online``, ..., ``embargo_info``,
  ``coverage_notes`` or ``notes``, ``publication_type``) or a title list's own (Project MUSE:
  ``Title``, ``Print ISSN``, ``Electronic ISSN``, ``Coverage Statement``), or a member's CSV of
  typed holdings (``title``/``judul``, ``issn``, ``holdings``/``kepemilikan``...), or a journal list
  with years only (DOAJ's ``Start Year`` and ``End Year``).

A row of a monograph (``publication_type`` Monograph) is reported and left out: it is no
serial's holding. A row with no title and no ISSN is a :class:`Problem`; an ISSN with a
wrong check digit is kept as written and warned about.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from .coverage import Point, Range, Statement
from .freetext import parse as parse_text
from .identity import issn_candidates
from .lines import HoldingsError, HoldingsLine, Problem

__all__ = ["read_table", "is_table_header"]

HEADER_SCAN = 40
_TITLE = ("publication_title", "title", "judul", "journal", "jurnal", "majalah", "nama jurnal", "serial")
_PRINT = ("print_identifier", "print issn", "issn", "p-issn", "pissn", "issn cetak")
_ONLINE = ("online_identifier", "online_identifier.issn", "electronic issn", "e-issn", "eissn", "online issn",
           "issn elektronik")
_STATEMENT = ("holdings", "holdings statement", "statement", "coverage", "coverage statement", "kepemilikan",
              "koleksi", "holding", "summary holdings", "terbitan yang dimiliki")
_NOTE = ("coverage_notes", "notes", "note", "catatan", "keterangan")
_LOCATION = ("location", "lokasi", "call_number", "call number")
_URL = ("title_url", "url", "platform_title_url")
_START_YEAR = ("start year", "tahun mulai", "first year")
_END_YEAR = ("end year", "tahun akhir", "last year")
_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)")
_INT = re.compile(r"\d+")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _norm(name: str) -> str:
    return name.strip().strip("\ufeff").lower()


def is_table_header(cells: list[str]) -> bool:
    names = {_norm(c) for c in cells}
    has_title = any(n in names for n in _TITLE)
    return has_title and any(n in names for n in _PRINT + _ONLINE + _STATEMENT + ("date_first_issue_online",))


def _header_line(lines: list[str]) -> tuple[int, str]:
    for number, line in enumerate(lines[:HEADER_SCAN]):
        delimiter = "\t" if "\t" in line else ","
        cells = next(csv.reader([line], delimiter=delimiter), [])
        if is_table_header(cells):
            return number, delimiter
    raise HoldingsError("no header line naming a title column and an ISSN or holdings column was found "
                        f"in the first {HEADER_SCAN} lines")


def _pick(row: dict[str, str], names) -> str:
    for n in names:
        v = row.get(n)
        if v and v.strip() and v.strip().lower() not in ("n/a", "na", "-"):
            return v.strip()
    return ""


def _number(text: str) -> int | None:
    found = _INT.search(text or "")
    return int(found.group()) if found else None


def _year(text: str) -> int | None:
    found = _YEAR.search(text or "")
    return int(found.group()) if found else None


def _kbart_statement(row: dict[str, str]) -> tuple[Statement, str]:
    first = Point(_number(row.get("num_first_vol_online", "")), _number(row.get("num_first_issue_online", "")),
                  _year(row.get("date_first_issue_online", "")))
    last = Point(_number(row.get("num_last_vol_online", "")), _number(row.get("num_last_issue_online", "")),
                 _year(row.get("date_last_issue_online", "")))
    text = " ".join(filter(None, (row.get("date_first_issue_online", "").strip(),
                                  row.get("num_first_vol_online", "").strip() and "v." + row["num_first_vol_online"].strip(),
                                  "-",
                                  row.get("date_last_issue_online", "").strip(),
                                  row.get("num_last_vol_online", "").strip() and "v." + row["num_last_vol_online"].strip())))
    if first.is_empty():
        return Statement(), ""
    # KBART: an empty end means the coverage runs to the present (less any embargo).
    if last.is_empty():
        return Statement(ranges=(Range(first, None, True),)), text
    return Statement(ranges=(Range(first, last),)), text


def read_table(data: bytes) -> Iterator[HoldingsLine | Problem]:
    """Every row of a KBART file, title list or typed-holdings CSV, in order."""
    text = _decode(data)
    lines = text.splitlines()
    start, delimiter = _header_line(lines)
    body = "\n".join(lines[start:])
    # Tab-separated lists do not quote (KBART): a title with a stray quote must not swallow the next lines.
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, quoting=quoting)
    header = [_norm(c) for c in next(reader)]
    kbart = "publication_title" in header
    for cells in reader:
        number = start + reader.line_num  # 1-based line of the file
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            yield Problem(number, f"{len(cells)} columns where the header has {len(header)}",
                          delimiter.join(cells)[:500])
            continue
        row: dict[str, str] = {}
        for name, value in zip(header, cells):
            row.setdefault(name, value)  # the first of a repeated column
        title = _pick(row, _TITLE)
        written = [w for w in (_pick(row, _PRINT), _pick(row, _ONLINE)) if w]
        issns, bad = issn_candidates(written)
        kind = _norm(row.get("publication_type", ""))
        if kind == "monograph":
            yield Problem(number, "a monograph, not a serial: left out", title[:200])
            continue
        if not title and not issns:
            yield Problem(number, "no title and no ISSN", delimiter.join(cells)[:500])
            continue
        statement_text = _pick(row, _STATEMENT)
        if kbart and not statement_text:
            statement, statement_text = _kbart_statement(row)
            embargo = _pick(row, ("embargo_info",))
            if embargo:
                statement = Statement(ranges=statement.ranges, notes=(f"embargo {embargo}",))
        else:
            if not statement_text:
                statement_text = " - ".join(filter(None, (_pick(row, ("first issue in muse",)),
                                                          _pick(row, ("final issue in muse",)))))
            if not statement_text and _pick(row, _START_YEAR):
                # A journal list with years only (DOAJ's Start Year / End Year): an empty end runs to date.
                statement_text = f"{_pick(row, _START_YEAR)}-{_pick(row, _END_YEAR)}"
            statement = parse_text(statement_text)
        electronic = kbart or bool(_pick(row, _ONLINE)) and not _pick(row, _PRINT) and not _pick(row, _STATEMENT)
        warning = ("ISSN with a wrong check digit kept as written: " + ", ".join(bad)) if bad else ""
        yield HoldingsLine(number, title, tuple(issns), statement, statement_text, electronic=electronic,
                           note=_pick(row, _NOTE), location=_pick(row, _LOCATION), url=_pick(row, _URL),
                           warning=warning)
