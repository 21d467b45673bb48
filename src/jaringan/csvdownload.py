"""Lists as CSV downloads that a spreadsheet opens as they are meant.

UTF-8 with a byte-order mark (Excel reads a file without one in the machine's
code page), the header row in the page's language, dates and times in ISO 8601,
amounts and counts as plain numbers (no thousands separator, no currency), and
nothing at all for an empty value. The rows are written while they are read,
so a list of any length goes out in bounded memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

BOM = "\ufeff"
#: Rows written into one chunk of the response.
CHUNK_ROWS = 200


class _Line:
    """What `csv.writer` writes to: it keeps the last line for the caller to send."""

    def write(self, text: str) -> str:
        return text


def cell(value) -> str | int | float:
    """One value as a spreadsheet reads it without guessing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return value


def lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The file as chunks of text: the mark, the header row, then the rows a chunk at a time."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([str(h) for h in header])
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([cell(v) for v in row]))
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_download(name: str, header: Iterable, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A streamed ``name.csv`` attachment of ``rows`` under ``header``; kept by no shared cache."""
    response = StreamingHttpResponse((text.encode("utf-8") for text in lines(header, rows)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
