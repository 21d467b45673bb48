"""The canonical record: one shape for every member's catalogue record.

MARC 21, MARCXML and Dublin Core are normalised into :class:`CanonicalRecord`
(see ``marc.py`` and ``dublin_core.py``; CSV, MODS and SLiMS pushes in
``readers/``) and matching, clustering and the
search index only ever see this shape.  Records are frozen; a change is a new
record made with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field, fields

__all__ = [
    "FORMATS",
    "CanonicalRecord",
    "Classification",
    "Holding",
    "Series",
    "normalise_doi",
    "pages_from_extent",
]

#: The format vocabulary, from leader 06/07 (and 008) in MARC.
FORMATS = ("book", "serial", "article", "thesis", "map", "music", "video", "other")

#: Pages below this are taken as a real count; above, as a misread number.
MAX_PLAUSIBLE_PAGES = 20_000

_PAGE_UNIT = r"(?:p\b|pp\b|pages?\b|hlm\b|halaman\b|h\.|leaves\b)"
_PAGINATION = re.compile(r"((?:\[?[0-9ivxlcdm]+\]?\s*,\s*)*\[?[0-9]+\]?)\s*" + _PAGE_UNIT, re.I)
_NUMBER = re.compile(r"[0-9]+")
#: The count after its unit, as older catalogues write it: "pp. 115", "pp. xii, 81"; not a page range ("p. 223-338").
_PAGES_AFTER_UNIT = re.compile(r"^\s*pp\.?\s*((?:[ivxlcdm]+\s*,\s*)*([0-9]+))(?![0-9]|\s*[-\u2013])", re.I)
#: Written before a DOI: a resolver address or a "doi:" label (all dropped).
_DOI_PREFIX = re.compile(r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi\s*:?\s*)", re.I)
_DOI = re.compile(r"^10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+$")
#: Punctuation a citation puts after a DOI, not part of it.
_DOI_TRAILING = ".,;"


def quick_pickling(cls):
    """Pickle a frozen, slotted dataclass as the tuple of its values (class decorator, outside
    ``@dataclass``).

    Records cross from the reading processes to the importer by pickle; the state methods
    ``dataclass`` gives such classes look their fields up again for every object. These read the
    values with one ``attrgetter`` and set them in one loop over names fixed when the class is made.
    """
    names = tuple(f.name for f in fields(cls))
    values = operator.attrgetter(*names)
    put = object.__setattr__

    def __getstate__(self):
        return values(self) if len(names) > 1 else (values(self),)

    def __setstate__(self, state):
        for name, value in zip(names, state):
            put(self, name, value)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__
    return cls


@quick_pickling
@dataclass(frozen=True, slots=True)
class Series:
    """A series statement (490/830): its title and the numbering within it."""

    title: str
    numbering: str | None = None


@quick_pickling
@dataclass(frozen=True, slots=True)
class Classification:
    """A class number with its scheme: ``ddc``, ``udc`` or ``lcc``."""

    scheme: str
    number: str


@quick_pickling
@dataclass(frozen=True, slots=True)
class Holding:
    """One library's holding of the record: call number, location, item count."""

    call_number: str | None = None
    location: str | None = None
    items: int = 1


@quick_pickling
@dataclass(frozen=True, slots=True)
class CanonicalRecord:
    """A bibliographic record in the union catalogue's own terms.

    ``source_id`` says where the record came from (the member's record id);
    ``library`` is the member library that sent it, used by clustering to keep
    two records of one library apart.  ``format`` is the broad kind in
    ``FORMATS``; ``carrier`` refines it where MARC says more ("score" and
    "sound" are both music, but never the same edition), None when unknown.  Lists are tuples so the record is
    hashable and safe to share.

    Articles (and papers in proceedings) name where they appeared:
    ``container`` is the journal's or proceedings' title as written ("J. Doc."
    or "Journal of Documentation"), ``volume`` and ``issue`` as written, and
    the page range goes into ``extent`` ("45-67", ``pages`` stays None: it is
    a page count).  ``doi`` is normalised by :func:`normalise_doi`; ``url``
    is where the article (or the record) can be read online.

    ``abstracts`` are ``(language, text)`` pairs, the language an ISO 639-2
    code ("ind", "eng") or None when the source did not say; an Indonesian
    article usually has two.  ``keywords`` are the author's own, as written
    (subject headings go in ``subjects``).  Both are left out of the stored
    data when empty, so a record without them is stored, and numbered by
    ``codec.description_number``, exactly as before they existed.

    ``year`` is the year the record gives first (MARC 008, else the date
    statement).  ``other_years`` are the further publication years its date
    statement names ("1932 [i.e. 1961]", a date statement that says 1963
    where the fixed field says 1965), copyright dates and the ends of ranges
    aside; ``year_until`` is the last year a guessed date may mean ("[18--?]":
    ``year`` 1800, ``year_until`` 1899; "[189-?]": 1890 to 1899), None when
    the year is not a guess; ``year_last`` is the last year of a set issued over
    several years (MARC 008/06 ``m``, "1892-1901": ``year`` 1892, ``year_last``
    1901), None otherwise.  All three are left out of the stored data when
    empty, like the abstracts.
    """

    title: str
    source_id: str | None = None
    library: str | None = None
    subtitle: str | None = None
    part: str | None = None
    responsibility: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    place: str | None = None
    year: int | None = None
    other_years: tuple[int, ...] = ()
    year_until: int | None = None
    year_last: int | None = None
    edition: str | None = None
    extent: str | None = None
    pages: int | None = None
    isbns: tuple[str, ...] = ()
    invalid_isbns: tuple[str, ...] = ()
    issns: tuple[str, ...] = ()
    lccn: str | None = None
    oclc_numbers: tuple[str, ...] = ()
    language: str | None = None
    subjects: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    classifications: tuple[Classification, ...] = ()
    format: str = "book"
    carrier: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    doi: str | None = None
    url: str | None = None
    abstracts: tuple[tuple[str | None, str], ...] = ()
    keywords: tuple[str, ...] = ()
    holdings: tuple[Holding, ...] = field(default=(), compare=False)

    @property
    def full_title(self) -> str:
        """Title, subtitle and part joined as a person would read them."""
        parts = [self.title]
        if self.subtitle:
            parts.append(self.subtitle)
        if self.part:
            parts.append(self.part)
        return " : ".join(parts)


def pages_from_extent(extent: str | None) -> int | None:
    """The largest numbered sequence of an extent statement.

    "xii, 345 p. : ill." → 345; "320, 11 p." → 320; "2 v. (xx, 890 p.)" →
    890; "1 score (175 p.)" → 175; "iv, 44 hlm." → 44; "pp. xii, 81" → 81.  None when the extent
    gives no page count ("1 v. (unpaged)", "viii p., 1 l.").
    """
    if not extent:
        return None
    counts = [int(n) for group in _PAGINATION.findall(extent) for n in _NUMBER.findall(group)]
    counts = [n for n in counts if 0 < n < MAX_PLAUSIBLE_PAGES]
    if not counts:
        after_unit = _PAGES_AFTER_UNIT.match(extent)
        counts = [int(after_unit.group(2))] if after_unit and 0 < int(after_unit.group(2)) < MAX_PLAUSIBLE_PAGES else []
    return max(counts) if counts else None


def normalise_doi(raw: str | None) -> str | None:
    """A DOI in lower case without resolver or label, or None when ``raw`` holds none.

    DOIs are case-insensitive; "https://doi.org/10.1108/JD-05-2019-0081",
    "doi:10.1108/jd-05-2019-0081" and "10.1108/JD-05-2019-0081." are all
    "10.1108/jd-05-2019-0081".  Percent-escaped slashes (old dx.doi.org
    links) are undone.
    """
    if not raw:
        return None
    text = _DOI_PREFIX.sub("", raw.strip()).replace("%2F", "/").replace("%2f", "/").rstrip(_DOI_TRAILING)
    text = text.strip().lower()
    return text if _DOI.match(text) else None
