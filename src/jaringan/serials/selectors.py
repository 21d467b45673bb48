"""Reads of the serials app; ``holders_of`` is what other apps (interlibrary loan) call."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from jaringan.catalog.models import Edition
from jaringan.core.serials import identity
from jaringan.core.serials.coverage import OPEN, Point, Range
from jaringan.core.serials.timeline import Timeline, build_timeline
from jaringan.network.models import Library

from .models import Holding, HoldingRange, HoldingsBatch, Serial, SerialEdition, SerialIssn, SerialRelation

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Holder:
    """A member whose holdings cover what was asked, with the statement that says so."""

    library_id: int
    code: str
    name: str
    statement: str
    electronic: bool


def serial_for(*, issn: str | None = None, title: str | None = None) -> Serial | None:
    """The serial an ISSN names, else the one serial with this title (None when none or several)."""
    normal = identity.normalise_issn(issn) if issn else None
    if normal:
        found = SerialIssn.objects.filter(issn=normal).select_related("serial").first()
        if found:
            return found.serial
    if title:
        found = list(Serial.objects.filter(key=identity.title_key(title))[:2])
        if len(found) == 1:
            return found[0]
    return None


def _as_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    digits = "".join(c if c.isdigit() else " " for c in str(value)).split()
    return int(digits[0]) if digits else None


def coverage_q(*, volume: int | None, year: int | None) -> Q:
    """Ranges that cover ``volume`` and ``year`` as ``core.serials.coverage.Range.covers`` says."""
    volume_in = Q(first_volume__lte=volume, last_volume__gte=volume) if volume is not None else None
    year_in = Q(first_year__lte=year, last_year__gte=year) if year is not None else None
    if volume_in is not None and year_in is not None:
        return (volume_in & (year_in | Q(first_year__isnull=True))) | (Q(first_volume__isnull=True) & year_in)
    return volume_in if volume_in is not None else year_in


def holder_ids(serial_id: int, *, volume=None, year=None) -> set[int]:
    """Library ids whose holdings of the serial cover ``volume`` / ``year`` (two index reads)."""
    volume, year = _as_int(volume), _as_int(year)
    if volume is None and year is None:
        return set(Holding.objects.filter(serial_id=serial_id).values_list("library_id", flat=True).distinct())
    q = coverage_q(volume=volume, year=year)
    rows = HoldingRange.objects.filter(q, serial_id=serial_id).values_list("library_id", "missing")
    held, lacking = set(), set()
    for library_id, missing in rows:
        (lacking if missing else held).add(library_id)
    return held - lacking


@dataclass(frozen=True)
class Part:
    """What an edition says of the journal it is (a serial) or appeared in (an article)."""

    edition_id: int
    serial: bool
    issns: tuple[str, ...] = ()
    journal: str | None = None
    volume: str | int | None = None
    year: int | None = None


def _serials_of(parts: list[Part]) -> dict[int, int]:
    """Edition id → its serial: a serial edition by its link, an article by an ISSN, else by its
    journal's title when one serial has it (as :func:`serial_for` finds one)."""
    out = dict(SerialEdition.objects.filter(edition_id__in=[p.edition_id for p in parts if p.serial])
               .values_list("edition_id", "serial_id"))
    articles = [p for p in parts if not p.serial]
    issns = {p.edition_id: [i for i in map(identity.normalise_issn, p.issns) if i] for p in articles}
    by_issn = dict(SerialIssn.objects.filter(issn__in={i for found in issns.values() for i in found})
                   .values_list("issn", "serial_id"))
    keys = {p.edition_id: identity.title_key(p.journal) for p in articles if p.journal}
    by_key: dict[str, set[int]] = {}
    for key, pk in Serial.objects.filter(key__in=set(keys.values())).values_list("key", "pk"):
        by_key.setdefault(key, set()).add(pk)
    for p in articles:
        found = next((by_issn[i] for i in issns[p.edition_id] if i in by_issn), None)
        titled = by_key.get(keys.get(p.edition_id, ""), ())
        if found is None and len(titled) == 1:
            found = next(iter(titled))
        if found is not None:
            out[p.edition_id] = found
    return out


@dataclass(frozen=True)
class Covered:
    """The serial an edition is or appeared in, and the codes of the members whose holdings cover it."""

    serial_id: int
    codes: tuple[str, ...]


def holders_by_edition(parts: list[Part]) -> dict[int, Covered]:
    """Edition id → its serial and the members whose holdings cover it (see :func:`holder_ids`),
    set-wise: six queries for any number of editions. An edition of no known serial is left out."""
    serial_of = _serials_of(parts)
    if not serial_of:
        return {}
    serial_ids = set(serial_of.values())
    anyone: dict[int, set[int]] = {}
    for serial_id, library_id in Holding.objects.filter(serial_id__in=serial_ids).values_list("serial_id",
                                                                                             "library_id"):
        anyone.setdefault(serial_id, set()).add(library_id)
    ranges: dict[int, list[tuple]] = {}
    for row in HoldingRange.objects.filter(serial_id__in=serial_ids).values_list(
            "serial_id", "library_id", "missing", "first_volume", "last_volume", "first_year", "last_year"):
        ranges.setdefault(row[0], []).append(row[1:])
    held: dict[int, set[int]] = {}
    for p in parts:
        serial_id = serial_of.get(p.edition_id)
        if serial_id is None:
            continue
        volume, year = _as_int(p.volume), _as_int(p.year)
        if p.serial or (volume is None and year is None):
            held[p.edition_id] = anyone.get(serial_id, set())
        else:
            held[p.edition_id] = _covering(ranges.get(serial_id, ()), volume=volume, year=year)
    codes = dict(Library.objects.filter(pk__in={i for ids in held.values() for i in ids}).values_list("pk", "code"))
    return {pk: Covered(serial_of[pk], tuple(sorted(codes[i] for i in ids))) for pk, ids in held.items()}


def editions_of_serials(serial_ids) -> list[int]:
    """The editions whose members holding them follow these serials' holdings: the serials' own
    editions and the articles that appeared in them (found as :func:`holders_by_edition` finds them)."""
    serial_ids = set(serial_ids) - {None}
    if not serial_ids:
        return []
    out = set(SerialEdition.objects.filter(serial_id__in=serial_ids).values_list("edition_id", flat=True))
    rows = (Edition.objects.filter(format="article").order_by("pk")
            .values_list("pk", "year", "preferred__data__issns", "preferred__data__container"))
    parts = [Part(pk, serial=False, issns=tuple(issns or ()), journal=container, year=year)
             for pk, year, issns, container in rows.iterator(chunk_size=2000) if issns or container]
    out.update(pk for pk, serial_id in _serials_of(parts).items() if serial_id in serial_ids)
    return sorted(out)


def _covering(rows, *, volume: int | None, year: int | None) -> set[int]:
    """Libraries among range rows (library, missing, bounds) whose ranges cover ``volume`` / ``year``
    and do not lack it, as :func:`holder_ids` asks the database."""
    held, lacking = set(), set()
    for library_id, missing, fv, lv, fy, ly in rows:
        span = Range(start=Point(volume=fv, year=fy), end=Point(volume=lv, year=ly))
        if span.covers(volume=volume, year=year):
            (lacking if missing else held).add(library_id)
    return held - lacking


def holders_of(*, issn: str | None = None, title: str | None = None, volume=None, year=None,
               serial: Serial | None = None) -> list[Holder] | None:
    """Members whose holdings cover ``volume`` and ``year`` of the serial named by ISSN or title.

    None when no such serial is known, or no member has stated holdings of it (the caller decides
    what that means); an empty list when members' holdings are known and none covers it. ``volume``
    and ``year`` may be written as people write them ("12", "vol. 12", "2019").
    """
    serial = serial or serial_for(issn=issn, title=title)
    if serial is None or not Holding.objects.filter(serial=serial).exists():
        return None
    ids = holder_ids(serial.pk, volume=volume, year=year)
    if not ids:
        return []
    statements: dict[int, list[tuple[str, bool]]] = {}
    rows = (Holding.objects.filter(serial=serial, library_id__in=ids).order_by("library_id", "line")
            .values_list("library_id", "display", "text", "electronic"))
    for library_id, display, text, electronic in rows:
        statements.setdefault(library_id, []).append((display or text, electronic))
    out = []
    for pk, code, name in Library.objects.filter(pk__in=ids).order_by("name").values_list("pk", "code", "name"):
        mine = statements.get(pk, [])
        out.append(Holder(pk, code, name, "; ".join(text for text, _e in mine if text),
                          bool(mine) and all(e for _t, e in mine)))
    return out


def serial_search(q: str = "", *, limit: int = SEARCH_LIMIT):
    """Serials by ISSN or title words, with how many members hold each."""
    qs = Serial.objects.annotate(members=Count("holdings__library", distinct=True))
    q = (q or "").strip()
    issn = identity.normalise_issn(q) if q else None
    if issn:
        qs = qs.filter(issns__issn=issn)
    elif q:
        for word in identity.title_key(q).split()[:8]:
            qs = qs.filter(key__contains=word)
    return list(qs.order_by("-members", "key", "id")[:limit])


def serial_for_edition(edition) -> Serial | None:
    """The serial an edition belongs to; no query at all for an edition that is not a serial."""
    if getattr(edition, "format", None) != "serial":
        return None
    link = SerialEdition.objects.filter(edition_id=edition.pk).select_related("serial").first()
    return link.serial if link else None


@dataclass(frozen=True)
class ArticleHolders:
    """The serial an article appeared in, and who holds its volume and year (None: no member has stated
    holdings of the serial)."""

    serial: Serial
    volume: int | None
    year: int | None
    holders: list[Holder] | None


def article_holders(record) -> ArticleHolders | None:
    """For an article's record (``core.catalog.record.CanonicalRecord``): its journal in the union catalogue
    of serials (by an ISSN, then its title) and the members whose holdings cover its volume and year."""
    if record.format == "serial" or not (record.container or (record.format == "article" and record.issns)):
        return None
    serial = next((found for found in (serial_for(issn=issn) for issn in record.issns) if found), None)
    serial = serial or (serial_for(title=record.container) if record.container else None)
    if serial is None:
        return None
    volume, year = _as_int(record.volume), record.year
    return ArticleHolders(serial, volume, year, holders_of(serial=serial, volume=volume, year=year))


def serial_detail(serial: Serial, *, this_year: int) -> dict:
    holdings = list(Holding.objects.filter(serial=serial).select_related("library").order_by("library__name", "line"))
    members: dict[int, dict] = {}
    for h in holdings:
        m = members.setdefault(h.library_id, {"library": h.library, "holdings": [], "spans": []})
        m["holdings"].append(h)
    ranges = HoldingRange.objects.filter(serial=serial, missing=False, first_year__isnull=False).values_list(
        "library_id", "first_year", "last_year")
    for library_id, first, last in ranges:
        if library_id in members:
            members[library_id]["spans"].append((first, last if last != OPEN else this_year))
    rows = [(m["library"].name, m["spans"]) for m in members.values()]
    timeline: Timeline = build_timeline(rows, this_year=this_year)
    for m, row in zip(members.values(), timeline.rows):
        m["bars"] = row
    return {
        "serial": serial,
        "issns": sorted(SerialIssn.objects.filter(serial=serial).values_list("issn", flat=True)),
        "editions": list(SerialEdition.objects.filter(serial=serial).select_related("edition")
                         .values_list("edition_id", "edition__title")),
        "earlier": [r.earlier for r in SerialRelation.objects.filter(later=serial).select_related("earlier")],
        "later": [r.later for r in SerialRelation.objects.filter(earlier=serial).select_related("later")],
        "members": list(members.values()),
        "timeline": timeline,
    }


def library_batches(library: Library, limit: int = 30):
    return list(HoldingsBatch.objects.filter(library=library)[:limit])


def serial_get(pk) -> Serial | None:
    """The serial with this id, if there is one."""
    return Serial.objects.filter(pk=pk).first()
