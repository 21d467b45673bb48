"""Recognise a member's file from its first bytes (and, failing that, its name).

Content first, because file names lie ("export.xml" holding MODS, "data.txt"
holding ISO 2709); the extension only decides what the bytes cannot.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .errors import UnknownFormat

__all__ = ["HEAD_BYTES", "sniff_format"]

#: How much of a file ``read`` looks at to recognise it.
HEAD_BYTES = 1 << 16
UTF8_BOM = b"\xef\xbb\xbf"
#: Leader: five digits of length, then status/type/level, "22" at 10-11, base address, "4500"-like entry map.
ISO2709_LEADER = re.compile(rb"^[0-9]{5}[ -~]{5}[0-9 ][0-9 ][0-9]{5}[ -~]{3}[0-9 ]{4}")
MARCXML_HINTS = (b"www.loc.gov/MARC21/slim", b"<leader", b":leader", b"<datafield", b":datafield", b"<controlfield")
MODS_HINTS = (b"www.loc.gov/mods/", b"<mods", b":mods")
DC_HINTS = (b"purl.org/dc/elements", b"oai_dc", b"<dc>", b"<dc ", b"<dc:title", b"<qualifieddc")
EXTENSIONS = {
    ".mrc": "marc21", ".marc": "marc21", ".dat": "marc21", ".iso": "marc21", ".iso2709": "marc21",
    ".csv": "csv", ".json": "slims", ".ris": "ris", ".bib": "bibtex", ".bibtex": "bibtex",
}
#: RIS: its first tag line opens a record ("TY  - JOUR").
RIS_START = re.compile(rb"^TY {1,2}- ?[A-Z]")
#: BibTeX: an entry ("@article{", "@Book (") after nothing but comments and blank lines.
BIBTEX_START = re.compile(rb"^(?:%[^\n]*\n\s*|@comment\s*\{[^}]*\}\s*)*@[A-Za-z]+\s*[{(]", re.I)
CSV_HEADER = re.compile(rb"^[^\r\n]*\btitle\b[^\r\n]*[,;]|^[^\r\n]*[,;][^\r\n]*\btitle\b", re.I)


def sniff_format(head: bytes, filename: str = "") -> str:
    """One of ``item.FORMATS`` for a file starting with ``head``.

    ISO 2709 by its leader; JSON with ``node_data`` as a SLiMS push; a first
    ``TY  -`` line as RIS; an ``@entry{`` (after comments) as BibTeX; XML by
    its namespaces or element names (MARCXML before MODS before Dublin Core,
    since envelopes mention more than one); a first line with a "title"
    column and a delimiter as CSV; then the extension.  Raises
    :class:`UnknownFormat` when nothing fits.
    """
    text = head[len(UTF8_BOM):] if head.startswith(UTF8_BOM) else head
    text = text.lstrip()
    if ISO2709_LEADER.match(text):
        return "marc21"
    if text.startswith((b"{", b"[")) and b"node_data" in text:
        return "slims"
    if RIS_START.match(text):
        return "ris"
    if BIBTEX_START.match(text):
        return "bibtex"
    if text.startswith(b"<"):
        for fmt, hints in (("marcxml", MARCXML_HINTS), ("mods", MODS_HINTS), ("dc", DC_HINTS)):
            if any(hint in text for hint in hints):
                return fmt
    elif CSV_HEADER.match(text):
        return "csv"
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    shown = f"{filename}: " if filename else ""
    raise UnknownFormat(f"{shown}cannot tell the format from the file's beginning {text[:40]!r}; "
                        "give it explicitly (marc21, marcxml, dc, mods, csv, slims, ris or bibtex)")
