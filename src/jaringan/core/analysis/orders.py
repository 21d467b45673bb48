"""An order list as numbered lines of ISBNs: typed (one a line), a CSV file, or MARC records.

Each line keeps what was written, the ISBN-13 read from it, and, when none could be read, why
(``NOT_AN_ISBN``, ``NO_ISBN``, or a record the reader could not read: ``UNREADABLE``), so the
answer names the line at fault and keeps the rest.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from jaringan.core.catalog import readers
from jaringan.core.catalog.identifiers import normalise_isbn

__all__ = ["MAX_LINES", "NOT_AN_ISBN", "NO_ISBN", "UNREADABLE", "TOO_MANY", "OrderLine", "line", "read_order", "read_text"]

#: Lines of one order list at most.
MAX_LINES = 5_000

NOT_AN_ISBN = "not_an_isbn"
NO_ISBN = "no_isbn"
UNREADABLE = "unreadable"
TOO_MANY = "too_many"

_ISBN_HEADERS = ("isbn", "isbn13", "isbn_13", "isbn10", "ean")
_TITLE_HEADERS = ("title", "judul")


@dataclass(frozen=True, slots=True)
class OrderLine:
    line: int
    written: str
    isbn: str | None
    title: str = ""
    error: str | None = None


def line(number: int, written: str, title: str = "") -> OrderLine:
    written = written.strip()
    if not written:
        return OrderLine(number, written, None, title, NO_ISBN)
    isbn = normalise_isbn(written)
    return OrderLine(number, written, isbn, title, None if isbn else NOT_AN_ISBN)


def read_text(text: str) -> list[OrderLine]:
    """One ISBN a line (anything after a tab, ';' or ',' is taken as the title); blank lines skipped."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        cut = min((raw.find(sep) for sep in ("\t", ";", ",") if sep in raw), default=-1)
        written, title = (raw[:cut], raw[cut + 1:].strip()) if cut >= 0 else (raw, "")
        out.append(line(number, written, title))
    return out[:MAX_LINES + 1]


def _read_csv(text: str) -> list[OrderLine]:
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None) or []
    names = [h.strip().lower() for h in header]
    isbn_at = next((names.index(h) for h in _ISBN_HEADERS if h in names), None)
    title_at = next((names.index(h) for h in _TITLE_HEADERS if h in names), None)
    if isbn_at is None:  # no header: the ISBN is the first column, the title the second
        rows = csv.reader(io.StringIO(text))
        isbn_at, title_at, first = 0, 1, 1
    else:
        first = 2
    out = []
    for number, row in enumerate(rows, start=first):
        if not any(cell.strip() for cell in row):
            continue
        written = row[isbn_at] if isbn_at < len(row) else ""
        title = row[title_at].strip() if title_at is not None and title_at < len(row) else ""
        out.append(line(number, written, title))
        if len(out) > MAX_LINES:
            break
    return out


def _read_records(data: bytes, fmt: str | None) -> list[OrderLine]:
    out = []
    for item in readers.read(data, format=fmt):
        if item.error or item.record is None:
            if not item.deleted:
                out.append(OrderLine(item.position, item.source_id or "", None, "", UNREADABLE))
            continue
        record = item.record
        isbn = record.isbns[0] if record.isbns else None
        out.append(OrderLine(item.position, isbn or "", isbn, record.full_title, None if isbn else NO_ISBN))
        if len(out) > MAX_LINES:
            break
    return out


def read_order(data: bytes, name: str = "") -> list[OrderLine]:
    """An order file: MARC 21, MARCXML (one record a line), else CSV or plain lines of ISBNs.

    Raises ``readers.errors.UnreadableFile`` for a file that is neither.
    """
    head = data[:5]
    lower = name.lower()
    marc = head.isdigit() and b"\x1e" in data[:100_000]  # a leader's length, then field terminators
    if lower.endswith((".mrc", ".marc", ".xml")) or marc or data.lstrip()[:1] == b"<":
        return _read_records(data, None)
    text = data.decode("utf-8-sig", errors="replace")
    if "," in text.partition("\n")[0] or lower.endswith(".csv"):
        return _read_csv(text)
    return read_text(text)
