"""Reads of bibliographies for pages, the API, feeds and exports."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Count, Q

from jaringan.catalog.models import Edition, RetiredEdition, SourceRecord
from jaringan.catalog.selectors import _holding_lines
from jaringan.core import citations
from jaringan.core.catalog import codec
from jaringan.core.errors import NotFound
from jaringan.network.permissions import Principal

from .models import Bibliography, Change, Entry, RenderedReference, Section
from .permissions import can_see

#: Retired editions followed to their successor at most this many times (a chain of merges).
SUCCESSOR_HOPS = 5
#: Changes in a feed.
FEED_CHANGES = 50


def bibliographies_visible(p: Principal):
    """Public lists and the person's own, newest change first, each with ``entry_count``."""
    mine = Q(owner_id=p.user_id) if p.user_id else Q(pk__in=[])
    return (Bibliography.objects.filter(Q(public=True) | mine).select_related("network")
            .annotate(entry_count=Count("entries")))


def bibliographies_of(p: Principal):
    """The person's own lists (the "add to bibliography" chooser), newest change first."""
    if not p.user_id:
        return Bibliography.objects.none()
    return Bibliography.objects.filter(owner_id=p.user_id).annotate(entry_count=Count("entries"))


def bibliography_get(p: Principal, pk: int) -> Bibliography:
    """The list ``pk`` if ``p`` may see it; NotFound otherwise (a private list's existence is not told)."""
    bibliography = Bibliography.objects.select_related("network", "owner").filter(pk=pk).first()
    if bibliography is None or not can_see(p, bibliography):
        raise NotFound(f"No bibliography {pk}.", code="not_found")
    return bibliography


def bibliography_by_token(token: str) -> Bibliography:
    """The list its sharing link names, public or private."""
    bibliography = Bibliography.objects.select_related("network", "owner").filter(share_token=token).first()
    if bibliography is None or not token:
        raise NotFound("No bibliography has this link (it may have been renewed).", code="not_found")
    return bibliography


def bibliography_fresh(bibliography: Bibliography) -> Bibliography:
    """The list as stored now (a form edits a copy of it, not the one the page was built from)."""
    return Bibliography.objects.get(pk=bibliography.pk)


def section_get(bibliography: Bibliography, pk) -> Section | None:
    """One of the list's sections, if it has one with this id."""
    return Section.objects.filter(pk=pk, bibliography=bibliography).first()


def entry_get(pk) -> Entry | None:
    """An entry (with its list), if there is one with this id."""
    return Entry.objects.select_related("bibliography").filter(pk=pk).first()


def edition_brief(pk: int) -> Edition | None:
    """An edition's id, title and year, if it is in the catalogue."""
    return Edition.objects.filter(pk=pk).only("pk", "title", "year").first()


def lists_holding(bibliographies, edition: Edition) -> set[int]:
    """The ids of those lists that hold the edition already."""
    return set(Entry.objects.filter(bibliography__in=bibliographies, edition_id=edition.pk)
               .values_list("bibliography_id", flat=True))


def published_on(network) -> list[Bibliography]:
    """The public lists a coordinator published on ``network``'s page."""
    return list(Bibliography.objects.filter(network=network, public=True).annotate(entry_count=Count("entries"))
                .order_by("title"))


def changes(bibliography: Bibliography, limit: int = FEED_CHANGES) -> list[Change]:
    return list(bibliography.changes.all()[:limit])


def current_edition_ids(edition_ids: list[int]) -> dict[int, int | None]:
    """Each edition number → the edition it is now (itself, its successor after merges) or None if gone."""
    wanted = set(edition_ids)
    alive = set(Edition.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    out: dict[int, int | None] = {pk: pk for pk in alive}
    missing = wanted - alive
    following = {pk: pk for pk in missing}
    for _hop in range(SUCCESSOR_HOPS):
        if not following:
            break
        successors = dict(RetiredEdition.objects.filter(edition_id__in=set(following.values()))
                          .values_list("edition_id", "successor_id"))
        live = set(Edition.objects.filter(pk__in={s for s in successors.values() if s}).values_list("pk", flat=True))
        step = {}
        for origin, now in following.items():
            successor = successors.get(now)
            if successor in live:
                out[origin] = successor
            elif successor:
                step[origin] = successor
        following = step
    for pk in wanted:
        out.setdefault(pk, None)
    return out


def ordered_entries(bibliography: Bibliography) -> tuple[list[Section], list[Entry]]:
    """Sections in order and the entries in reading order: unsectioned first, then section by section."""
    sections = list(bibliography.sections.all())
    rank = {s.pk: n for n, s in enumerate(sections, start=1)}
    entries = sorted(bibliography.entries.all(), key=lambda e: (rank.get(e.section_id, 0), e.position, e.pk))
    return sections, entries


def _records(edition_ids: set[int], *, marc: bool) -> dict[int, dict]:
    """Per edition: its preferred record's data (and raw bytes, format and holdings when ``marc``)."""
    rows = list(SourceRecord.objects.filter(edition_id__in=edition_ids, withdrawn=False)
                .values_list("pk", "edition_id", "library__code", "data__holdings"))
    preferred = dict(Edition.objects.filter(pk__in=edition_ids).values_list("pk", "preferred_id"))
    chosen: dict[int, int] = {}
    holdings: dict[int, list] = {}
    for pk, edition_id, code, lines in rows:
        if edition_id not in chosen or pk == preferred.get(edition_id):
            chosen[edition_id] = pk
        holdings.setdefault(edition_id, []).extend((code, h) for h in _holding_lines(lines))
    fields = ("pk", "data", "raw", "format") if marc else ("pk", "data")
    found = {row["pk"]: row for row in SourceRecord.objects.filter(pk__in=chosen.values()).values(*fields)}
    out = {}
    for edition_id, pk in chosen.items():
        row = found.get(pk)
        if row is not None:
            out[edition_id] = {"data": row["data"], "raw": bytes(row["raw"]) if marc and row.get("raw") else None,
                               "format": row.get("format"), "holdings": sorted(holdings.get(edition_id, []),
                                                                               key=lambda pair: pair[0])}
    return out


def exports_of(edition_ids: list[int]) -> list[citations.Entry]:
    """The export entries of these editions (those that still have a record), in the order given."""
    records = _records(set(edition_ids), marc=False)
    return [citations.Entry(id=str(pk), record=codec.from_data(records[pk]["data"]))
            for pk in edition_ids if pk in records]


def resolved(bibliography: Bibliography, *, url_for=None, marc: bool = False) -> dict:
    """Everything a page or an export needs, in reading order.

    ``rows``: one dict per entry (``entry``, ``section``, ``edition_id`` now or
    None when gone, ``record`` canonical or None, ``export`` a
    :class:`~jaringan.core.citations.Entry` or None); ``sections``; ``exportable``:
    the export entries of the rows that have a record. ``url_for(edition_id)``
    gives each record's address.
    """
    sections, entries = ordered_entries(bibliography)
    now = current_edition_ids([e.edition_id for e in entries])
    records = _records({pk for pk in now.values() if pk}, marc=marc)
    by_section = {s.pk: s for s in sections}
    rows = []
    for entry in entries:
        edition_id = now.get(entry.edition_id)
        source = records.get(edition_id) if edition_id else None
        record = codec.from_data(source["data"]) if source else None
        export = None
        if record is not None:
            export = citations.Entry(id=str(edition_id), record=record,
                                     url=url_for(edition_id) if url_for else None,
                                     raw=source["raw"], source_format=source["format"],
                                     holdings=tuple(source["holdings"]) if marc else ())
        rows.append({"entry": entry, "section": by_section.get(entry.section_id), "edition_id": edition_id,
                     "record": record, "export": export})
    return {"sections": sections, "rows": rows, "exportable": [r["export"] for r in rows if r["export"]]}


def references(exports: list[citations.Entry], style: str, locale: str) -> list[str]:
    """Each entry's reference in ``style`` (HTML fragments, in order): kept ones read, the rest rendered and kept."""
    # Without the catalogue's address: a reference names the work, not the page it was found on (and the
    # same item reads the same whichever host name the page was asked by).
    items = citations.writers.csl_items([replace(e, url=None) for e in exports])
    keys = [citations.item_key(item) for item in items]
    kept = dict(RenderedReference.objects.filter(key__in=set(keys), style=style, locale=locale)
                .values_list("key", "html"))
    fresh = {}
    for key, item in zip(keys, items):
        if key not in kept and key not in fresh:
            fresh[key] = citations.render_entry(item, style, locale)
    if fresh:
        RenderedReference.objects.bulk_create(
            [RenderedReference(key=k, style=style, locale=locale, html=v) for k, v in fresh.items()],
            ignore_conflicts=True)
        kept.update(fresh)
    return [kept[key] for key in keys]
