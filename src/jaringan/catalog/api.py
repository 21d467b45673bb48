"""JSON endpoints of the union catalogue: send a file of records, read batches, quarantine and editions."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jaringan.core.errors import Forbidden, NotFound
from jaringan.network.auth import WRITE_AUTH
from jaringan.network.models import Library
from jaringan.network.permissions import principal_for

from . import selectors
from .permissions import STAFF_ONLY, can_catalogue, staff_library
from .pipeline import batch_progress, upload_submit
from .services.batches import batches_reap
from .models import ImportBatch
from .texts import batch_message

router = Router()


class BatchOut(Schema):
    id: int
    library: str
    source: str
    name: str
    format: str
    status: str
    started: str
    finished: str | None
    read: int
    created: int
    updated: int
    unchanged: int
    withdrawn: int
    held: int
    quarantined: int
    message: str

    @staticmethod
    def resolve_library(obj) -> str:
        return obj.library.code

    @staticmethod
    def resolve_message(obj) -> str:
        return batch_message(obj)

    @staticmethod
    def resolve_started(obj) -> str:
        return obj.started.isoformat()

    @staticmethod
    def resolve_finished(obj) -> str | None:
        return obj.finished.isoformat() if obj.finished else None


class QuarantineOut(Schema):
    id: int
    batch: int
    position: int
    offset: int | None
    source_id: str
    reason: str

    @staticmethod
    def resolve_batch(obj) -> int:
        return obj.batch_id


class HoldingOut(Schema):
    library: str
    source_id: str
    call_numbers: list[str]
    items: int
    decided: str | None
    score: int | None


class EditionOut(Schema):
    id: int
    title: str
    year: int | None
    format: str
    language: str
    work: int | None
    record: dict
    holdings: list[HoldingOut]
    other_editions: list[int]


def _staff_library(request, code: str) -> Library:
    return staff_library(principal_for(request.auth), code)


class BatchQueued(Schema):
    id: int
    status: str
    url: str


class BatchProgressOut(Schema):
    id: int
    library: str
    name: str
    source: str
    format: str
    status: str
    waiting: bool
    started: str
    finished: str | None
    read: int
    created: int
    new_editions: int | None
    joined_editions: int | None
    updated: int
    unchanged: int
    withdrawn: int
    held: int
    quarantined: int
    bytes_read: int | None
    bytes_total: int | None
    percent: int | None
    records_per_second: float | None
    seconds_left: int | None
    retryable: bool
    message: str


@router.post("/libraries/{code}/records", response={202: BatchQueued}, auth=WRITE_AUTH, tags=["catalogue"])
def records_upload(request, code: str, response: HttpResponse, file: File[UploadedFile],
                   format: Form[str | None] = None):
    """Send a file of the library's records (MARC 21, MARCXML, Dublin Core, MODS, CSV, RIS, BibTeX).

    The file is saved and read in the background: the answer (202) names the batch, whose URL
    (also in ``Location``) gives its progress and, once it ends, its report."""
    library = _staff_library(request, code)
    batch = upload_submit(actor=principal_for(request.auth), library=library, upload=file, name=file.name or "",
                          format=format or None, source=ImportBatch.Source.API)
    url = reverse("api:batch_detail", kwargs={"batch_id": batch.pk})
    response["Location"] = url
    return Status(202, {"id": batch.pk, "status": batch.status, "url": url})


@router.get("/batches/{batch_id}", response=BatchProgressOut, auth=WRITE_AUTH, tags=["catalogue"],
            url_name="batch_detail")
def batch_detail(request, batch_id: int):
    """How far a batch has gone (records read, share of the file, rate, time left), then its report."""
    batch = selectors.batch_get(batch_id)
    if batch is None:
        raise NotFound(f"No batch {batch_id}.")
    if not can_catalogue(principal_for(request.auth), batch.library):
        raise Forbidden(STAFF_ONLY)
    progress = batch_progress(batch)
    return {**progress.as_dict(), "message": batch_message(progress.batch)}


@router.get("/libraries/{code}/batches", response=list[BatchOut], auth=WRITE_AUTH, tags=["catalogue"])
def batch_list(request, code: str):
    library = _staff_library(request, code)
    batches_reap(library=library)  # a batch whose process died shows as interrupted
    return list(selectors.library_batches(library))


@router.get("/libraries/{code}/quarantine", response=list[QuarantineOut], auth=WRITE_AUTH, tags=["catalogue"])
def quarantine_list(request, code: str):
    return list(selectors.library_quarantine(_staff_library(request, code))[:1000])


@router.get("/editions/{edition_id}", response=EditionOut, tags=["catalogue"])
def edition_detail(request, edition_id: int):
    edition = selectors.edition_get(edition_id)
    if edition is None:
        raise NotFound(f"No edition {edition_id}.")
    from jaringan.core.catalog import codec

    d = selectors.edition_detail(edition)
    return {
        "id": edition.pk, "title": edition.title, "year": edition.year, "format": edition.format,
        "language": edition.language, "work": edition.work_id,
        "record": codec.to_data(d["record"]) if d["record"] else {},
        "holdings": [
            {"library": h["library"].code, "source_id": h["record"].source_id, "call_numbers": h["call_numbers"],
             "items": h["items"], "decided": h["link"].decided if h["link"] else None,
             "score": h["link"].score if h["link"] else None}
            for h in d["holdings"]
        ],
        "other_editions": [e.pk for e in d["other_editions"]],
    }
