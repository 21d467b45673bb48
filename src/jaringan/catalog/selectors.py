"""Reads of the union catalogue for pages, the API and the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Count, Max, Prefetch

from jaringan.core.catalog import codec
from jaringan.core.catalog.record import Holding

from .models import Edition, ImportBatch, MatchLink, Quarantine, SourceRecord


def edition_detail(edition: Edition) -> dict:
    """The merged edition: preferred record, every holding, the work's other editions, and why."""
    records = list(
        SourceRecord.objects.filter(edition=edition, withdrawn=False).select_related("library", "link")
        .order_by("library__name")
    )
    preferred = next((r for r in records if r.pk == edition.preferred_id), records[0] if records else None)
    holdings = []
    for r in records:
        data = r.data
        lines = data.get("holdings") or [{}]
        holdings.append({
            "record": r, "library": r.library,
            "call_numbers": [h.get("call_number") for h in lines if h.get("call_number")],
            "items": sum(int(h.get("items") or 1) for h in lines),
            "link": getattr(r, "link", None),
        })
    others = []
    if edition.work_id:
        others = list(
            Edition.objects.filter(work_id=edition.work_id).exclude(pk=edition.pk)
            .annotate(holding_count=Count("records")).order_by("-year")[:50]
        )
    return {
        "edition": edition,
        "record": codec.from_data(preferred.data) if preferred else None,
        "preferred": preferred,
        "holdings": holdings,
        "other_editions": others,
    }


def editions_recent(limit: int = 50):
    return Edition.objects.annotate(holding_count=Count("records")).order_by("-updated", "-pk")[:limit]


def library_batches(library, limit: int = 50):
    """The library's latest batches, each with ``kept``: its quarantine rows (for ``texts.batch_message``)."""
    return ImportBatch.objects.filter(library=library).annotate(kept=Count("quarantine")).order_by("-started")[:limit]


def library_quarantine(library, *, resolved: bool = False):
    return Quarantine.objects.filter(library=library, resolved=resolved).select_related("batch")


def export_editions() -> Iterator[str]:
    """One JSON line per edition: its id, its work's id (editions of one work: reprints, translations, a
    paper's versions) and its member records with their identifiers and libraries."""
    records = SourceRecord.objects.filter(withdrawn=False).select_related("library").only(
        "pk", "source_id", "edition_id", "library__code")
    qs = Edition.objects.order_by("pk").prefetch_related(Prefetch("records", queryset=records))
    for edition in qs.iterator(chunk_size=2000):
        yield json.dumps({
            "edition": edition.pk,
            "work": edition.work_id,
            "records": [{"id": r.pk, "source_id": r.source_id, "library": r.library.code}
                        for r in edition.records.all()],
        }, ensure_ascii=False)


def _holding_lines(lines) -> list[Holding]:
    """The holdings of a member record's data, skipping malformed lines; one plain holding when none."""
    out = []
    for line in lines if isinstance(lines, list) else ():
        try:
            out.append(Holding(call_number=line.get("call_number") or None, location=line.get("location") or None,
                               items=max(int(line.get("items") or 1), 1)))
        except (AttributeError, TypeError, ValueError):
            continue
    return out or [Holding()]


def edition_export_source(edition: Edition) -> dict | None:
    """What exporting an edition needs: its preferred record (canonical, raw bytes, format) and every holding.

    ``holdings`` are ``(library code, Holding)`` pairs, one per holding line of
    each member record.  None when no member holds the edition any more.
    """
    rows = list(SourceRecord.objects.filter(edition=edition, withdrawn=False)
                .order_by("library__code").values_list("pk", "library__code", "data__holdings"))
    if not rows:
        return None
    ids = [pk for pk, _code, _lines in rows]
    preferred = SourceRecord.objects.only("raw", "format", "data").get(
        pk=edition.preferred_id if edition.preferred_id in ids else ids[0])
    return {
        "record": codec.from_data(preferred.data),
        "raw": bytes(preferred.raw) or None,
        "format": preferred.format,
        "holdings": [(code, h) for _pk, code, lines in rows for h in _holding_lines(lines)],
    }


def new_acquisitions(*, libraries=None, limit: int = 50) -> list[dict]:
    """The editions most recently taken into holdings, newest first, with the preferred record.

    ``libraries`` (a queryset of libraries, or None for all) limits whose
    holdings count.  Each entry: ``edition``, ``record`` (canonical),
    ``added`` (when the newest such holding was created) and ``holders``
    (names of every library holding the edition).
    """
    holdings = SourceRecord.objects.filter(withdrawn=False, edition__isnull=False)
    if libraries is not None:
        holdings = holdings.filter(library__in=libraries)
    latest = list(holdings.values("edition_id").annotate(added=Max("created"))
                  .order_by("-added", "-edition_id")[:limit])
    ids = [row["edition_id"] for row in latest]
    editions = Edition.objects.in_bulk(ids)
    holders: dict[int, list[str]] = {}
    first_record: dict[int, int] = {}
    for edition_id, pk, name in (SourceRecord.objects.filter(edition_id__in=ids, withdrawn=False)
                                 .order_by("library__name").values_list("edition_id", "pk", "library__name")):
        holders.setdefault(edition_id, []).append(name)
        first_record.setdefault(edition_id, pk)
    wanted = {e.pk: e.preferred_id if e.preferred_id else first_record.get(e.pk) for e in editions.values()}
    data = dict(SourceRecord.objects.filter(pk__in=[pk for pk in wanted.values() if pk]).values_list("pk", "data"))
    out = []
    for row in latest:
        edition = editions.get(row["edition_id"])
        record_data = data.get(wanted.get(row["edition_id"])) or data.get(first_record.get(row["edition_id"]))
        if edition is None or record_data is None:
            continue
        out.append({"edition": edition, "record": codec.from_data(record_data), "added": row["added"],
                    "holders": holders.get(edition.pk, [])})
    return out
