"""The search document: one per edition (merged entry), not per member record.

``document_from_records`` folds the member records of one edition and the
holdings of that edition into an :class:`EditionDocument`.  Display fields
(title, publisher, year, ...) come from the first record that has them, so
the caller decides which record is preferred by the order it passes them in;
list fields (authors, subjects, identifiers, ...) are the union of all the
records, in first-seen order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from jaringan.core.catalog.record import CanonicalRecord
from jaringan.core.catalog.text import fold

__all__ = ["EditionDocument", "document_from_records"]


@dataclass(frozen=True, slots=True)
class EditionDocument:
    """What the search index knows about one edition.

    ``libraries``, ``networks`` and ``library_kinds`` are codes (facet values);
    ``variant_titles`` are other records' titles that differ from ``title``
    (searchable as titles, not displayed).  ``container`` is an article's
    journal (a facet), ``abstracts`` the texts of its abstracts in every
    language and ``keywords`` its author's keywords (searched with subjects).
    ``holders`` are the codes of the libraries whose stated holdings of a
    journal cover the edition: for an article, its journal's volume and year;
    for a serial, any part of it (a facet: who holds it, beside who catalogued it).
    """

    edition_id: str
    title: str
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    publisher: str | None = None
    place: str | None = None
    isbns: tuple[str, ...] = ()
    issns: tuple[str, ...] = ()
    call_numbers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    year: int | None = None
    format: str | None = None
    language: str | None = None
    libraries: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    library_kinds: tuple[str, ...] = ()
    available: bool = False
    variant_titles: tuple[str, ...] = ()
    container: str | None = None
    abstracts: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty stripped values, duplicates (ignoring case/accents) dropped, order kept."""
    seen: dict[str, str] = {}
    for value in values:
        if value is None:
            continue
        text = str(value).strip()
        if text:
            seen.setdefault(fold(text), text)
    return tuple(seen.values())


def _first(values: Iterable):
    return next((v for v in values if v not in (None, "")), None)


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def document_from_records(
    edition_id: str | int,
    records: Sequence[CanonicalRecord],
    holdings: Sequence[Mapping] = (),
) -> EditionDocument:
    """The search document of one edition.

    ``holdings`` are dicts with ``library`` (code), ``network_codes`` (list),
    ``library_kind``, ``call_numbers`` (list or str) and optionally
    ``available`` (bool, default True).  When no holdings are given, the
    libraries that sent the records count as holding it.  Raises ValueError
    when ``records`` is empty.
    """
    if not records:
        raise ValueError(f"edition {edition_id}: no records")
    first = records[0]
    titles = _unique(r.full_title for r in records)
    libraries = _unique(h.get("library") for h in holdings)
    if not holdings:
        libraries = _unique(r.library for r in records)
    notes = _unique(
        [r.responsibility for r in records] + [r.edition for r in records] + [r.part for r in records]
    )
    return EditionDocument(
        edition_id=str(edition_id),
        title=first.title,
        subtitle=_first(r.subtitle for r in records),
        authors=_unique(a for r in records for a in r.authors),
        subjects=_unique(s for r in records for s in r.subjects),
        series=_unique(s.title for r in records for s in r.series),
        publisher=_first(r.publisher for r in records),
        place=_first(r.place for r in records),
        isbns=_unique(i for r in records for i in r.isbns),
        issns=_unique(i for r in records for i in r.issns),
        call_numbers=_unique(
            [c for h in holdings for c in _as_list(h.get("call_numbers"))]
            + [h.call_number for r in records for h in r.holdings]
            + [c.number for r in records for c in r.classifications]
        ),
        notes=notes,
        year=_first(r.year for r in records),
        format=first.format or _first(r.format for r in records),
        language=_first(r.language for r in records),
        libraries=libraries,
        networks=_unique(n for h in holdings for n in _as_list(h.get("network_codes"))),
        library_kinds=_unique(h.get("library_kind") for h in holdings),
        available=any(h.get("available", True) for h in holdings) if holdings else bool(libraries),
        variant_titles=tuple(t for t in titles if fold(t) != fold(first.full_title)),
        container=_first(r.container for r in records),
        abstracts=_unique(text for r in records for _lang, text in r.abstracts),
        keywords=_unique(k for r in records for k in r.keywords),
    )
