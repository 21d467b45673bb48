"""The rows of a CSV file, read as a stream in bounded memory, and brought together by record.

:func:`csv_rows` reads a binary stream a line at a time (never more than
``MAX_LINE_CHARS`` characters of one line), decodes each line as UTF-8 or,
when it is not, as Windows-1252 (Latin-1 as a last resort), and parses the
lines with :mod:`csv`.  A row that cannot be parsed — a field longer than
``FIELD_LIMIT`` characters, a line longer than ``MAX_LINE_CHARS`` — becomes a
:class:`Row` with ``error`` naming its lines and, where it can, its column;
the rows after it are read as usual.

:class:`Spool` keeps rows on disk (a private temporary SQLite database) and
gives them back grouped by a key, groups in the order of their first row, so
that the rows of one record may lie anywhere in a file of any size while the
memory used stays that of one group.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

__all__ = ["FIELD_LIMIT", "MAX_LINE_CHARS", "RAW_KEPT", "Row", "Spool", "csv_rows"]

#: The longest field (in characters) a row may have: :mod:`csv`'s own default limit.
FIELD_LIMIT = csv.field_size_limit()
#: The longest line read; what follows on the same line is skipped and the row refused.
MAX_LINE_CHARS = 1 << 22
#: Characters of a refused row kept (to show and download from the quarantine).
RAW_KEPT = 1 << 18
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
#: Rows written to the spool in one statement.
SPOOL_BATCH = 2_000
_READ_CHARS = 1 << 16


@dataclass(frozen=True, slots=True)
class Row:
    """One row: its cells, or why it could not be read, and the lines it spans (1-based)."""

    first_line: int
    last_line: int
    cells: list[str] | None
    error: str | None = None
    #: The row's text as written (at most ``RAW_KEPT`` characters), for a row that could not be read.
    text: str = ""

    @property
    def lines(self) -> str:
        """"line 7" or "lines 7–9"."""
        if self.first_line == self.last_line:
            return f"line {self.first_line:,}"
        return f"lines {self.first_line:,}–{self.last_line:,}"


def _line_text(line: str) -> str:
    """A line decoded as UTF-8 with undecodable bytes escaped, decoded again as Windows-1252 if it had any."""
    if line.isascii():
        return line
    try:
        line.encode("utf-8")  # refuses the escaped bytes (lone surrogates), and only them
        return line
    except UnicodeEncodeError:
        data = line.encode("utf-8", "surrogateescape")
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never reached: Latin-1 decodes any byte


class _Lines:
    """The decoded lines of a stream, each at most ``MAX_LINE_CHARS`` long; remembers what it handed out."""

    def __init__(self, stream: BinaryIO) -> None:
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
        self.taken: list[str] = []
        self.cut = False  # a line handed out since the last `take_row` was longer than MAX_LINE_CHARS
        self.number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._text.readline(MAX_LINE_CHARS)
        if not line:
            raise StopIteration
        if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            self.cut = True
            while (rest := self._text.readline(_READ_CHARS)) and not rest.endswith(("\n", "\r")):
                pass
        self.number += 1
        line = _line_text(line)
        self.taken.append(line)
        return line

    def take_row(self) -> tuple[str, bool]:
        """The text of the lines handed out since the last call, and whether one of them was cut."""
        text, cut = "".join(self.taken), self.cut
        self.taken, self.cut = [], False
        return text, cut


def _delimiter(header_line: str) -> str:
    try:
        header = next(csv.reader([header_line]), [""])
    except csv.Error:
        return ","
    semicolons = sum(cell.count(";") for cell in header)
    return ";" if semicolons and semicolons >= len(header) - 1 else ","


def _field_lengths(text: str, delimiter: str) -> list[int]:
    """The length of each field of one row's text, parsed as :mod:`csv` would, without its limit."""
    field = re.compile(r'"(?:[^"]*"")*[^"]*"?|[^' + re.escape(delimiter) + r'\r\n]*')
    lengths: list[int] = []
    position = 0
    while True:
        found = field.match(text, position)
        lengths.append(found.end() - position)
        position = found.end()
        if position < len(text) and text[position] == delimiter:
            position += 1
            continue
        return lengths


def _refusal(text: str, cut: bool, delimiter: str, header: list[str], reason: str) -> str:
    if cut:
        return f"a line is longer than {MAX_LINE_CHARS:,} characters"
    lengths = _field_lengths(text, delimiter)
    long = [(n, size) for n, size in enumerate(lengths) if size > FIELD_LIMIT]
    if long:
        parts = []
        for n, size in long:
            name = header[n].strip() if n < len(header) and header[n].strip() else f"number {n + 1}"
            parts.append(f"the column {name!r} holds about {size:,} characters")
        return (f"{' and '.join(parts)}, more than the {FIELD_LIMIT:,} a field may have "
                f"(an unclosed quote makes a field run on over the lines after it)")
    return reason


def csv_rows(stream: BinaryIO) -> tuple[list[str] | None, str, Iterator[Row]]:
    """``(header, delimiter, rows)`` of a CSV stream; the header is None for an empty file.

    The rows are read from the stream as they are iterated.  The delimiter
    (comma or semicolon, as Excel in an Indonesian locale writes) is decided
    from the header row; a header that cannot be parsed is ``[]``.
    """
    lines = _Lines(stream)
    first = next(lines, None)
    if first is None:
        return None, ",", iter(())
    delimiter = _delimiter(first)
    _text, cut = lines.take_row()
    try:
        header = [] if cut else next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error:
        header = []
    return header, delimiter, _rows(lines, csv.reader(lines, delimiter=delimiter), header, delimiter)


def _rows(lines: _Lines, reader, header: list[str], delimiter: str) -> Iterator[Row]:
    first_line = lines.number + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            text, cut = lines.take_row()
            reason = _refusal(text, cut, delimiter, header, str(exc))
            yield Row(first_line, lines.number, None, reason, text[:RAW_KEPT])
            first_line = lines.number + 1
            continue
        text, cut = lines.take_row()
        if cut:
            yield Row(first_line, lines.number, None, _refusal(text, cut, delimiter, header, ""), text[:RAW_KEPT])
        else:
            yield Row(first_line, lines.number, cells)
        first_line = lines.number + 1


class Spool:
    """Rows kept on disk under a key, given back by key in the order each key first came.

    A row with key None is a group of its own.  Use as a context manager; the
    temporary database is deleted on leaving.
    """

    def __init__(self) -> None:
        # A private temporary database: on disk once it outgrows its cache, deleted when closed.
        self._db = sqlite3.connect("", check_same_thread=False)
        self._db.execute("CREATE TABLE row (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, first_line INTEGER, "
                         "last_line INTEGER, cells TEXT, error TEXT, text TEXT)")
        self._count = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def add(self, rows: Iterable[tuple[str | None, Row]]) -> None:
        """Keep ``(key, row)`` pairs."""
        batch = []
        for key, row in rows:
            self._count += 1
            spooled_key = f"={key}" if key is not None else f"#{self._count}"
            batch.append((self._count, spooled_key, row.first_line, row.last_line,
                          json.dumps(row.cells, ensure_ascii=False) if row.cells is not None else None,
                          row.error, row.text))
            if len(batch) >= SPOOL_BATCH:
                self._db.executemany("INSERT INTO row VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
                batch = []
        if batch:
            self._db.executemany("INSERT INTO row VALUES (?, ?, ?, ?, ?, ?, ?)", batch)

    def groups(self) -> Iterator[list[Row]]:
        """The rows of each key together, in file order, keys in the order of their first row."""
        self._db.execute("CREATE INDEX row_key ON row (key, seq)")
        cursor = self._db.execute(
            "SELECT r.key, r.first_line, r.last_line, r.cells, r.error, r.text FROM row r "
            "JOIN (SELECT key, MIN(seq) AS first FROM row GROUP BY key) g ON g.key = r.key "
            "ORDER BY g.first, r.seq")
        group: list[Row] = []
        current = None
        for key, first_line, last_line, cells, error, text in cursor:
            if key != current and group:
                yield group
                group = []
            current = key
            group.append(Row(first_line, last_line, json.loads(cells) if cells is not None else None, error, text))
        if group:
            yield group

