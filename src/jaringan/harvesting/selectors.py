"""Reads of a library's OAI-PMH sources and their runs."""

from __future__ import annotations

from django.db.models import QuerySet

from jaringan.network.models import Library

from .models import HarvestRun, HarvestSource

#: Harvest runs shown on a library's records page, the latest first.
RUNS_SHOWN = 30


def library_sources(library: Library) -> QuerySet[HarvestSource]:
    """The library's sources, in the model's order."""
    return HarvestSource.objects.filter(library=library)


def library_runs(library: Library, *, limit: int = RUNS_SHOWN) -> QuerySet[HarvestRun]:
    """The latest runs over the library's sources, each with its source and batch."""
    return HarvestRun.objects.filter(source__library=library).select_related("source", "batch")[:limit]


def source_get(pk: int) -> HarvestSource | None:
    """The source with this id (with its library), if there is one."""
    return HarvestSource.objects.select_related("library").filter(pk=pk).first()


def source_find(*, library: Library, data: dict) -> HarvestSource | None:
    """The library's source at the same address, format and set as ``data``, if there is one."""
    return HarvestSource.objects.filter(library=library, endpoint=data.get("endpoint", ""),
                                        metadata_prefix=data.get("metadata_prefix", ""),
                                        set_spec=data.get("set_spec") or "").first()
