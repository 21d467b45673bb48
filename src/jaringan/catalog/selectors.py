"""Reads of the union catalogue for pages, the API and the command line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Count, Prefetch

from jaringan.core.catalog import codec

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
    return ImportBatch.objects.filter(library=library).order_by("-started")[:limit]


def library_quarantine(library, *, resolved: bool = False):
    return Quarantine.objects.filter(library=library, resolved=resolved).select_related("batch")


def export_editions() -> Iterator[str]:
    """One JSON line per edition: its id and its member records with their identifiers and libraries."""
    records = SourceRecord.objects.filter(withdrawn=False).select_related("library").only(
        "pk", "source_id", "edition_id", "library__code")
    qs = Edition.objects.order_by("pk").prefetch_related(Prefetch("records", queryset=records))
    for edition in qs.iterator(chunk_size=2000):
        yield json.dumps({
            "edition": edition.pk,
            "records": [{"id": r.pk, "source_id": r.source_id, "library": r.library.code}
                        for r in edition.records.all()],
        }, ensure_ascii=False)
