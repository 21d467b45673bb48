"""The canonical record: one shape for every member's catalogue record.

MARC 21, MARCXML and Dublin Core are normalised into :class:`CanonicalRecord`
(see ``marc.py`` and ``dublin_core.py``) and matching, clustering and the
search index only ever see this shape.  Records are frozen; a change is a new
record made with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "FORMATS",
    "CanonicalRecord",
    "Classification",
    "Holding",
    "Series",
    "pages_from_extent",
]

#: The format vocabulary, from leader 06/07 (and 008) in MARC.
FORMATS = ("book", "serial", "article", "thesis", "map", "music", "video", "other")

#: Pages below this are taken as a real count; above, as a misread number.
MAX_PLAUSIBLE_PAGES = 20_000

_PAGE_UNIT = r"(?:p\b|pp\b|pages?\b|hlm\b|halaman\b|h\.|leaves\b)"
_PAGINATION = re.compile(r"((?:\[?[0-9ivxlcdm]+\]?\s*,\s*)*\[?[0-9]+\]?)\s*" + _PAGE_UNIT, re.I)
_NUMBER = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class Series:
    """A series statement (490/830): its title and the numbering within it."""

    title: str
    numbering: str | None = None


@dataclass(frozen=True, slots=True)
class Classification:
    """A class number with its scheme: ``ddc``, ``udc`` or ``lcc``."""

    scheme: str
    number: str


@dataclass(frozen=True, slots=True)
class Holding:
    """One library's holding of the record: call number, location, item count."""

    call_number: str | None = None
    location: str | None = None
    items: int = 1


@dataclass(frozen=True, slots=True)
class CanonicalRecord:
    """A bibliographic record in the union catalogue's own terms.

    ``source_id`` says where the record came from (the member's record id);
    ``library`` is the member library that sent it, used by clustering to keep
    two records of one library apart.  ``format`` is the broad kind in
    ``FORMATS``; ``carrier`` refines it where MARC says more ("score" and
    "sound" are both music, but never the same edition), None when unknown.  Lists are tuples so the record is
    hashable and safe to share.
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
    890; "1 score (175 p.)" → 175; "iv, 44 hlm." → 44.  None when the extent
    gives no page count ("1 v. (unpaged)", "viii p., 1 l.").
    """
    if not extent:
        return None
    counts = [int(n) for group in _PAGINATION.findall(extent) for n in _NUMBER.findall(group)]
    counts = [n for n in counts if 0 < n < MAX_PLAUSIBLE_PAGES]
    return max(counts) if counts else None
