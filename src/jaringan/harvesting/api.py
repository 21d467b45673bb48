"""JSON endpoints for a library's OAI-PMH sources: list them, add one (asked of the provider first)."""

from __future__ import annotations

from ninja import Router, Schema, Status

from jaringan.catalog.permissions import staff_library
from jaringan.network.auth import WRITE_AUTH
from jaringan.network.permissions import principal_for

from . import selectors, services
from .models import HarvestSource

router = Router()


class SourceIn(Schema):
    endpoint: str
    metadata_prefix: str = "oai_dc"
    name: str = ""
    set_spec: str = ""
    every_hours: int = 24
    harvest_mode: str = HarvestSource.Mode.AUTO


class SourceOut(Schema):
    id: int
    name: str
    endpoint: str
    metadata_prefix: str
    set_spec: str
    every_hours: int
    active: bool
    harvest_mode: str
    harvests_in_full: bool
    repository_name: str
    deleted_record: str
    granularity: str


@router.get("/libraries/{code}/sources", response=list[SourceOut], auth=WRITE_AUTH, tags=["harvesting"])
def source_list(request, code: str):
    """The library's OAI-PMH sources, with what each provider said of deletions and dates."""
    return list(selectors.library_sources(staff_library(principal_for(request.auth), code)))


@router.post("/libraries/{code}/sources", response={201: SourceOut}, auth=WRITE_AUTH, tags=["harvesting"])
def source_add(request, code: str, payload: SourceIn):
    """Add an OAI-PMH source; the provider is asked first, and a format it does not offer is refused (400)."""
    actor = principal_for(request.auth)
    source = services.source_save(actor=actor, library=staff_library(actor, code), data=payload.dict())
    return Status(201, source)
