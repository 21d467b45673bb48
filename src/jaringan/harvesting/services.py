"""Harvesting members' OAI-PMH providers into the union catalogue.

A run takes the records of one page, commits them with the page's checkpoint
in one transaction, then asks for the next page. Killed or cut off at any
moment, the source keeps the last committed checkpoint; the next run resumes
from it, and what it sees again is recognised (same identifier → same record,
same bytes → unchanged). A finished run moves the source's `next_from`
forward, so the next run is incremental (providers without datestamps, such
as SLiMS, are harvested in full every time).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan import outbound
from jaringan.catalog import services as catalog
from jaringan.catalog.models import ImportBatch
from jaringan.core.catalog import harvest as oai
from jaringan.errors import Forbidden, Invalid
from jaringan.network.permissions import Principal

from .models import HarvestRun, HarvestSource

FORMAT_OF_PREFIX = {"oai_dc": "dc", "marc21": "marcxml", "marcxml": "marcxml"}


@dataclass(frozen=True)
class _Item:
    """A harvested record in the shape the catalogue's ingest takes."""

    position: int
    source_id: str
    raw: bytes
    record: object
    format: str
    error: str | None
    deleted: bool
    offset: None = None


def source_save(*, actor: Principal, library, data: dict, source: HarvestSource | None = None) -> HarvestSource:
    if not catalog.can_catalogue(actor, library):
        raise Forbidden(_("You may not add records for %(library)s.") % {"library": library.name})
    from django.core.exceptions import ValidationError

    source = source or HarvestSource(library=library)
    for key in ("name", "endpoint", "metadata_prefix", "set_spec", "every_hours", "active"):
        if key in data:
            setattr(source, key, data[key])
    try:
        source.full_clean()
    except ValidationError as exc:
        raise Invalid.from_django(exc) from None
    outbound.address_check(source.endpoint, field="endpoint")
    source.save()
    return source


def source_harvest(*, source: HarvestSource, actor: Principal | None = None, **transport) -> HarvestRun:
    """One run over a source: resume its unfinished run or start from `next_from`.

    Every request goes through the outbound policy of the settings (``JARINGAN_OUTBOUND_ALLOW``).
    """
    from jaringan.network.demo import SYSTEM

    actor = actor or SYSTEM
    transport.setdefault("policy", outbound.policy())
    runs_reap(library=source.library)
    resume = oai.Checkpoint(**source.checkpoint) if source.checkpoint else None
    batch = catalog.batch_start(actor=actor, library=source.library, source=ImportBatch.Source.OAI,
                                name=source.endpoint, format=FORMAT_OF_PREFIX[source.metadata_prefix])
    run = HarvestRun.objects.create(source=source, batch=batch, resumed=resume is not None, note=batch.message)
    fmt = FORMAT_OF_PREFIX[source.metadata_prefix]
    page: list[_Item] = []
    position = batch.read
    try:
        for got in oai.harvest(endpoint=source.endpoint, metadata_prefix=source.metadata_prefix,
                               set_spec=source.set_spec or None, from_=source.next_from or None, resume=resume,
                               library=source.library.code, **transport):
            if isinstance(got, oai.Checkpoint):
                _commit_page(run, source, batch, page, got)
                page = []
                continue
            position += 1
            page.append(_Item(position=position, source_id=got.identifier, raw=got.raw, record=got.record,
                              format=fmt, error=got.error, deleted=got.deleted))
    except oai.HarvestError as exc:
        run.status, run.error, run.finished = HarvestRun.Status.FAILED, str(exc)[:4000], timezone.now()
        run.save()
        batch.status, batch.message = ImportBatch.Status.FAILED, " ".join(filter(None, [run.note, str(exc)]))[:2000]
        batch.finished = timezone.now()
        batch.save()
        return run
    run.status, run.finished = HarvestRun.Status.DONE, timezone.now()
    run.save()
    batch.status, batch.finished = ImportBatch.Status.DONE, timezone.now()
    batch.save()
    return run


@transaction.atomic
def _commit_page(run: HarvestRun, source: HarvestSource, batch: ImportBatch, page: list, checkpoint) -> None:
    if page:
        catalog.ingest_chunk(batch, page)
    else:  # the page held no record: still a sign of life
        ImportBatch.objects.filter(pk=batch.pk).update(heartbeat=timezone.now())
    run.pages += 1
    run.save(update_fields=["pages"])
    if checkpoint.complete:
        source.checkpoint = None
        source.next_from = checkpoint.next_from or ""
        source.last_success = timezone.now()
    else:
        source.checkpoint = asdict(checkpoint)
    source.save(update_fields=["checkpoint", "next_from", "last_success"])


def runs_reap(*, library=None, now=None) -> list[HarvestRun]:
    """Mark interrupted the running batches whose process is gone, and the harvest runs of those batches."""
    catalog.batches_reap(library=library, now=now)
    runs = HarvestRun.objects.filter(status=HarvestRun.Status.RUNNING,
                                     batch__status=ImportBatch.Status.INTERRUPTED).select_related("batch")
    if library is not None:
        runs = runs.filter(source__library=library)
    reaped = []
    for run in runs:
        if HarvestRun.objects.filter(pk=run.pk, status=HarvestRun.Status.RUNNING).update(
                status=HarvestRun.Status.INTERRUPTED, finished=run.batch.finished, error=run.batch.message):
            reaped.append(run.pk)
    return list(HarvestRun.objects.filter(pk__in=reaped))


def harvest_due(*, library_code: str | None = None, now=None, **transport) -> list[HarvestRun]:
    """Run every source that is due (or has an unfinished run), optionally of one library; first mark
    interrupted the runs whose process died."""
    runs_reap()
    sources = HarvestSource.objects.filter(active=True).select_related("library")
    if library_code:
        sources = sources.filter(library__code=library_code)
    return [source_harvest(source=s, **transport) for s in sources if s.is_due(now)]
