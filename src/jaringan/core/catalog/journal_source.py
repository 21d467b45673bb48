"""Where an article appeared, from the one string journal platforms write it in.

Open Journal Systems, which most Indonesian journals run, puts an article's
journal, volume, issue, year and pages into ``dc:source``, and the journal's
ISSNs into more ``dc:source`` elements of their own::

    Jurnal Kedokteran Brawijaya; Vol 28 No 2 (2014); 100-110
    Jurnal Pendidikan IPA Indonesia; Vol. 5 No. 2 (2016): October 2016; 185-191
    Berkala Ilmu Perpustakaan dan Informasi; Vol 14, No 1 (2018); 1-12
    Jurnal Ilmu Komputer; Volume 3, Nomor 2, Tahun 2019
    2087-3379

:func:`parse_source` takes such a string apart; :func:`merge_sources` folds
the parts of every ``dc:source`` of a record into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cleaning import clean, year_from_text
from .identifiers import normalise_issn

__all__ = ["SourceParts", "merge_sources", "parse_source"]

_ISSN = re.compile(r"^(?:[pe]\s*-?\s*)?(?:issn)?\s*:?\s*([0-9]{4}\s*-?\s*[0-9]{3}[0-9Xx])(?:\s*\((?:print|online|cetak|daring)\))?$",
                   re.I)
_PAGES = re.compile(r"^(?:pp?\.?|hal(?:aman)?\.?|hlm\.?|pages?)?\s*([0-9ivxlcdm]+)\s*(?:[-–—]\s*([0-9ivxlcdm]+))?$", re.I)
#: A part that numbers an issue: "Vol 5 No 2 (2019)", "Vol. 5, No. 2", "Volume 3, Nomor 2, Tahun 2019", "No 12 (2015)".
_NUMBERING = re.compile(r"\b(?:vol(?:ume)?|volum|jilid|no|nomor|num(?:ber)?|issue|edisi)\b\.?\s*[0-9]", re.I)
_VOLUME = re.compile(r"\b(?:vol(?:ume)?|volum|jilid)\b\.?\s*([0-9]+[A-Za-z]?(?:\s*[-/]\s*[0-9]+)?)", re.I)
_ISSUE = re.compile(r"\b(?:no|nomor|num(?:ber)?|issue|edisi)\b\.?\s*([0-9]+[A-Za-z]?(?:\s*[-/]\s*[0-9]+)?)", re.I)
_YEAR_IN_BRACKETS = re.compile(r"\(\s*([12][0-9]{3})\s*\)")
#: Pages within a citation written with commas: "…, p. 45-53", "…, pp. 1–12", "…, hlm. 3-9".
_PAGES_WITHIN = re.compile(r"\b(?:pp?|hal|hlm)\.?\s*([0-9]+)\s*[-–—]\s*([0-9]+)", re.I)


@dataclass(frozen=True, slots=True)
class SourceParts:
    """What one ``dc:source`` said; None (or empty) for what it did not."""

    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    year: int | None = None
    pages: str | None = None
    issns: tuple[str, ...] = ()

    @property
    def numbered(self) -> bool:
        """True when it names a volume or an issue: the source of an article, not a collection's name."""
        return bool(self.volume or self.issue)


def _numbering(part: str) -> tuple[str | None, str | None, int | None]:
    # What follows the year is the issue's own title ("(2019): Edisi Juli"): not numbering.
    head = part.split("):", 1)[0] + ")" if "):" in part else part
    volume = _VOLUME.search(head)
    issue = _ISSUE.search(head)
    year = _YEAR_IN_BRACKETS.search(head)
    found_year = int(year.group(1)) if year else year_from_text(head)
    tidy = (lambda m: re.sub(r"\s+", "", m.group(1)) if m else None)
    return tidy(volume), tidy(issue), found_year


def _citation(text: str) -> SourceParts | None:
    """A source written as one citation with commas ("Jurnal X, Vol. 30, no. 1 (2019), p. 45-53", as
    this project's own Dublin Core writes it), or None."""
    numbering = _NUMBERING.search(text)
    if numbering is None or numbering.start() == 0:
        return None
    volume, issue, year = _numbering(text[numbering.start():])
    pages = _PAGES_WITHIN.search(text, numbering.start())
    return SourceParts(clean(text[:numbering.start()].rstrip(" ,")), volume, issue, year,
                       f"{pages.group(1)}-{pages.group(2)}" if pages else None)


def parse_source(text: str | None) -> SourceParts:
    """The parts of one ``dc:source`` string (see the module's examples); never raises."""
    if text and ";" not in text and (cited := _citation(" ".join(text.split()))):
        return cited
    container = volume = issue = pages = None
    year = None
    issns: list[str] = []
    numbered_seen = False
    for raw in (text or "").split(";"):
        part = " ".join(raw.split())
        if not part:
            continue
        issn = _ISSN.match(part)
        if issn and normalise_issn(issn.group(1)):
            issns.append(normalise_issn(issn.group(1)))
            continue
        pages_found = _PAGES.match(part) if numbered_seen or container else None
        if pages_found and (pages_found.group(2) or numbered_seen):
            first, last = pages_found.group(1), pages_found.group(2)
            pages = f"{first}-{last}" if last else first
            continue
        if _NUMBERING.search(part):
            volume, issue, year = _numbering(part)
            numbered_seen = True
            continue
        if container is None:
            container = clean(part)
    return SourceParts(container, volume, issue, year, pages, tuple(dict.fromkeys(issns)))


def merge_sources(texts) -> SourceParts:
    """The parts of several ``dc:source`` strings of one record: the first that gives each part wins."""
    parsed = [parse_source(t) for t in texts]

    def first(name):
        return next((getattr(p, name) for p in parsed if getattr(p, name)), None)

    numbered = [p for p in parsed if p.numbered]
    container = next((p.container for p in numbered if p.container), None) or first("container")
    return SourceParts(container, first("volume"), first("issue"), first("year"), first("pages"),
                       tuple(dict.fromkeys(i for p in parsed for i in p.issns)))
