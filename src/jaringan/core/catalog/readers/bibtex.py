"""BibTeX: the citation lists of LaTeX writers and reference managers (``bibtex``).

Parsed by bibtexparser 2 (its default steps, then LaTeX decoded to text:
``Jos{\\'e}`` is "José", ``{Informasi}`` is "Informasi").  One entry is one
record; ``@string`` abbreviations are resolved; ``@comment`` and ``@preamble``
are skipped.

=============================== ==============================================
field                           becomes
=============================== ==============================================
the entry's key                 ``source_id``
entry type                      article → article; inproceedings, conference,
                                incollection, inbook → article (the book or
                                proceedings as ``container``); book, booklet,
                                proceedings → book; phdthesis, mastersthesis,
                                thesis → thesis; other types → article when a
                                journal is named, else other
title, author (``and`` between) title, authors
journal / booktitle             ``container``
volume, number (or issue)       volume, issue
pages                           page range ("100--110" → "100-110")
year (or date)                  year
doi / url                       DOI / address online
issn / isbn                     identifiers
abstract, abstract_id,          abstracts (``abstract`` in the entry's
abstract_en, abstrak            ``language``; the others say theirs)
keywords                        keywords (separated by ``;`` or ``,``)
language, publisher, address,   language, publisher, place, edition
edition
=============================== ==============================================

An entry the parser cannot read (an unclosed brace, a field without a value)
is an error item naming its line; so is an entry without a title; the rest of
the file is read on.  ``raw`` is the entry as written.  The file is read
whole (bibtexparser parses a string), up to ``MAX_BIBTEX_BYTES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import bibtexparser
from bibtexparser import middlewares

from ..cleaning import clean, clean_name, clean_place, clean_publisher, year_from_text
from ..dublin_core import language_code
from ..identifiers import normalise_issn, parse_isbn
from ..record import CanonicalRecord, normalise_doi
from .item import SourceItem
from .streams import opened, read_all

__all__ = ["MAX_BIBTEX_BYTES", "read_bibtex"]

FORMAT = "bibtex"
MAX_BIBTEX_BYTES = 100_000_000
ARTICLE_TYPES = frozenset({"article", "inproceedings", "conference", "incollection", "inbook"})
BOOK_TYPES = frozenset({"book", "booklet", "proceedings"})
THESIS_TYPES = frozenset({"phdthesis", "mastersthesis", "thesis"})
#: Abstract fields that say their language.
ABSTRACT_FIELDS = {"abstract_id": "ind", "abstrak": "ind", "abstract_ind": "ind", "abstract_en": "eng",
                   "abstract_eng": "eng"}
_BRACES = str.maketrans("", "", "{}")


def _text(fields: dict, *names: str) -> str | None:
    for name in names:
        field = fields.get(name)
        if field is not None and isinstance(field.value, str) and field.value.strip():
            return " ".join(field.value.translate(_BRACES).split())
    return None


def _authors(fields: dict) -> tuple[str, ...]:
    field = fields.get("author")
    if field is None:
        return ()
    names = field.value if isinstance(field.value, list) else re.split(r"\s+and\s+", str(field.value))
    cleaned = (clean_name(" ".join(str(n).translate(_BRACES).split())) for n in names)
    return tuple(dict.fromkeys(n for n in cleaned if n and n.lower() != "others"))


def _identifiers(fields: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    issns = [i for i in (normalise_issn(p) for p in re.split(r"[;,\s]+", _text(fields, "issn") or "")) if i]
    isbns = []
    for piece in re.split(r"[;,]\s*", _text(fields, "isbn") or ""):
        parsed = parse_isbn(piece)
        if parsed and parsed.isbn13:
            isbns.append(parsed.isbn13)
    return tuple(dict.fromkeys(isbns)), tuple(dict.fromkeys(issns))


def _record(entry) -> CanonicalRecord:
    fields = entry.fields_dict
    kind = entry.entry_type.lower()
    container = _text(fields, "journal", "journaltitle", "booktitle")
    if kind in ARTICLE_TYPES:
        fmt = "article"
    elif kind in BOOK_TYPES:
        fmt = "book"
    elif kind in THESIS_TYPES:
        fmt = "thesis"
    else:
        fmt = "article" if container else "other"
    language = language_code(_text(fields, "language", "langid"))
    abstracts = []
    if text := _text(fields, "abstract"):
        abstracts.append((language, text))
    for name, code in ABSTRACT_FIELDS.items():
        if text := _text(fields, name):
            abstracts.append((code, text))
    keywords = (clean(k) for k in re.split(r"[;,]", _text(fields, "keywords", "keyword") or ""))
    isbns, issns = _identifiers(fields)
    pages = _text(fields, "pages")
    url = _text(fields, "url")
    article = fmt == "article"
    return CanonicalRecord(
        title=clean(_text(fields, "title")),
        source_id=entry.key,
        subtitle=clean(_text(fields, "subtitle")),
        authors=_authors(fields),
        publisher=clean_publisher(_text(fields, "publisher", "school", "institution")),
        place=clean_place(_text(fields, "address", "location")),
        year=year_from_text(_text(fields, "year", "date")),
        edition=clean(_text(fields, "edition")),
        extent=re.sub(r"\s*[-–—]{1,3}\s*", "-", pages) if pages and article else None,
        isbns=isbns,
        issns=issns,
        language=language,
        format=fmt,
        container=container if article else None,
        volume=clean(_text(fields, "volume")) if article else None,
        issue=clean(_text(fields, "number", "issue")) if article else None,
        part=clean(_text(fields, "volume")) if not article else None,
        doi=normalise_doi(_text(fields, "doi")),
        url=url if url and url.startswith(("http://", "https://")) else None,
        abstracts=tuple(dict.fromkeys(abstracts)),
        keywords=tuple(dict.fromkeys(k for k in keywords if k)),
    )


def _line_of(block) -> int:
    return (block.start_line or 0) + 1  # bibtexparser counts from 0


def _raw(block) -> bytes:
    return (getattr(block, "raw", None) or "").encode("utf-8")


def read_bibtex(source, *, name: str = "") -> Iterator[SourceItem]:
    """Every entry of a BibTeX file (path, stream or bytes), in order, broken ones as error items."""
    with opened(source) as (stream, found_name):
        data = read_all(stream, MAX_BIBTEX_BYTES, name or found_name)
    text = data.decode("utf-8-sig", errors="replace")
    stack = [middlewares.ResolveStringReferencesMiddleware(True), middlewares.RemoveEnclosingMiddleware(True),
             middlewares.LatexDecodingMiddleware(True)]
    library = bibtexparser.parse_string(text, parse_stack=stack)
    position = 0
    for block in library.blocks:
        kind = type(block).__name__
        if kind == "Entry":
            position += 1
            if not _text(block.fields_dict, "title"):
                yield SourceItem(position, None, block.key, FORMAT, _raw(block), None,
                                 f"line {_line_of(block):,}: entry {block.key!r} has no title")
                continue
            yield SourceItem(position, None, block.key, FORMAT, _raw(block), _record(block))
        elif "Failed" in kind:
            position += 1
            error = getattr(block, "error", None)
            reason = " ".join(str(getattr(error, "abort_reason", None) or error or "a syntax error").split())[:300]
            yield SourceItem(position, None, None, FORMAT, _raw(block), None,
                             f"line {_line_of(block):,}: the entry cannot be read ({reason}); "
                             "it was set aside and the rest of the file read")
