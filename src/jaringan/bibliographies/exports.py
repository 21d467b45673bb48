"""A bibliography as a file, in every format: the one place pages, the API and the benchmark get them from."""

from __future__ import annotations

from dataclasses import dataclass

from jaringan.core import citations
from jaringan.core.citations import writers

from . import selectors
from .models import Bibliography

#: Formats of a whole list: key → (content type, file extension).
FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl": ("application/vnd.citationstyles.csl+json; charset=utf-8", "csl.json"),
    "marc": ("application/marc", "mrc"),
    "marcxml": ("application/marcxml+xml; charset=utf-8", "marc.xml"),
    "txt": ("text/plain; charset=utf-8", "txt"),
}
MARC_FORMATS = frozenset({"marc", "marcxml"})


@dataclass
class ExportFile:
    body: bytes
    content_type: str
    filename: str
    #: Entries not in the file: gone from the catalogue, or too long for ISO 2709 (their edition numbers).
    left_out: list[str]


def export(bibliography: Bibliography, fmt: str, *, url_for=None, style: str | None = None,
           locale: str = citations.DEFAULT_LOCALE) -> ExportFile:
    """The list in ``fmt`` (a key of ``FORMATS``; "txt" is the references in ``style``)."""
    content_type, extension = FORMATS[fmt]
    data = selectors.resolved(bibliography, url_for=url_for, marc=fmt in MARC_FORMATS)
    entries = data["exportable"]
    left_out = [str(r["entry"].edition_id) for r in data["rows"] if r["export"] is None]
    if fmt == "bib":
        body = writers.bibtex(entries).encode()
    elif fmt == "ris":
        body = writers.ris(entries).encode()
    elif fmt == "csl":
        body = writers.csl_json(entries).encode()
    elif fmt == "marc":
        marc = writers.marc21(entries)
        body, left_out = marc.data, left_out + marc.left_out
    elif fmt == "marcxml":
        body = writers.marcxml(entries)
    else:
        style = style if style in citations.STYLES else bibliography.style
        references = [citations.html_to_text(r) for r in selectors.references(entries, style, locale)]
        body = writers.text(references, numeric=citations.style_for(style).numeric).encode()
        extension = f"{style}.{extension}"
    return ExportFile(body, content_type, f"bibliography-{bibliography.pk}.{extension}", left_out)
