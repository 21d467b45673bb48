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

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan import outbound
from jaringan.catalog.permissions import can_catalogue
from jaringan.catalog.services.batches import batch_start, batches_reap
from jaringan.catalog.services.editions import editions_refresh
from jaringan.catalog.services.placement import record_withdraw, withdrawal_held
from jaringan.catalog.models import ImportBatch
from jaringan.catalog.pipeline import ImportPipeline
from jaringan.core import harvest as oai
from jaringan.core.catalog.readers.item import SourceItem
from jaringan.core.errors import Forbidden, Invalid, NotFound
from jaringan.errors import invalid_from
from jaringan.network.permissions import SYSTEM, Principal

from .models import HarvestRun, HarvestSource

FORMAT_OF_PREFIX = {"oai_dc": "dc", "marc21": "marcxml", "marcxml": "marcxml"}


def source_save(*, actor: Principal, library, data: dict, source: HarvestSource | None = None,
                **transport) -> HarvestSource:
    """Add or change a source; a new address or format is first asked of the provider (``Identify`` and
    ``ListMetadataFormats``): a format it does not offer, or an answer that is not OAI-PMH, is refused
    in words a librarian reads, and what it says of deletions and dates is kept on the source."""
    if not can_catalogue(actor, library):
        raise Forbidden(_("You may not add records for %(library)s.") % {"library": library.name})
    from django.core.exceptions import ValidationError

    source = source or HarvestSource(library=library)
    asked_before = (source.endpoint, source.metadata_prefix) if source.pk else None
    for key in ("name", "endpoint", "metadata_prefix", "set_spec", "every_hours", "active", "harvest_mode"):
        if key in data:
            setattr(source, key, data[key])
    try:
        source.full_clean()
    except ValidationError as exc:
        raise invalid_from(exc) from None
    outbound.address_check(source.endpoint, field="endpoint")
    if asked_before != (source.endpoint, source.metadata_prefix):
        provider_keep(source, provider_check(source.endpoint, source.metadata_prefix, **transport))
    source.save()
    return source


def provider_keep(source: HarvestSource, repository: oai.Repository) -> None:
    """Keep on the source (unsaved) what the provider's Identify said of its name, deletions and dates."""
    source.repository_name = (repository.name or "")[:200]
    source.deleted_record = (repository.deleted_record or "").lower()[:16]
    source.granularity = (repository.granularity or "")[:24]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " " + _("and") + " " + words[-1]


def provider_check(endpoint: str, metadata_prefix: str, **transport) -> oai.Repository:
    """What the provider says of itself, once it is known to offer ``metadata_prefix``; else ``Invalid``
    naming the field and what is wrong, never quoting the provider's answer."""
    transport.setdefault("policy", outbound.policy())
    transport.setdefault("retries", 0)  # a person is waiting for the answer
    transport.setdefault("timeout", 10)
    try:
        repository = oai.identify(endpoint, **transport)
        offered = [f.prefix for f in oai.list_metadata_formats(endpoint, **transport)]
    except oai.ProviderUnavailable as exc:
        if exc.status is not None:
            message = _("The server at %(endpoint)s answered with an error (HTTP %(status)s). Check the address, "
                        "or try again later.") % {"endpoint": endpoint, "status": exc.status}
        else:
            message = _("The server at %(endpoint)s could not be reached. Check the address, or try again "
                        "later.") % {"endpoint": endpoint}
        raise Invalid(message, code="invalid", errors={"endpoint": [message]}) from None
    except oai.MalformedResponse as exc:
        message = _("The address %(endpoint)s does not answer as an OAI-PMH server: it sent %(answer)s. Check "
                    "the address (a SLiMS catalogue's usually ends in oai.php or oai2.php).") % {
            "endpoint": endpoint, "answer": exc.answer or _("an unreadable answer")}
        raise Invalid(message, code="invalid", errors={"endpoint": [message]}) from None
    except oai.OAIError as exc:
        message = _("The server at %(endpoint)s refused to describe itself (OAI-PMH error %(code)s).") % {
            "endpoint": endpoint, "code": exc.code}
        raise Invalid(message, code="invalid", errors={"endpoint": [message]}) from None
    if metadata_prefix not in offered:
        message = _("This server offers %(offered)s, not %(asked)s.") % {
            "offered": _and(offered) if offered else _("no metadata format"), "asked": metadata_prefix}
        raise Invalid(message, code="invalid", errors={"metadata_prefix": [message]})
    return repository


def source_harvest(*, source: HarvestSource, actor: Principal | None = None, full: bool | None = None,
                   pipeline: ImportPipeline | None = None, **transport) -> HarvestRun:
    """One run over a source: resume its unfinished run or start from `next_from`.

    ``full`` asks for every record (True) or only the changes since the last run (False); None follows the
    source's harvest mode.  After a complete full run of a provider that keeps no deleted records, the
    source's records it no longer lists are withdrawn (``run.withdrawn``); a run that failed, was resumed
    or was only incremental withdraws nothing.
    Every request goes through the outbound policy of the settings (``JARINGAN_OUTBOUND_ALLOW``).
    Pages go into the catalogue through the import `pipeline` (the one files, uploads and pushes use).
    """
    actor = actor or SYSTEM
    transport.setdefault("policy", outbound.policy())
    runs_reap(library=source.library)
    full = source.harvests_in_full if full is None else full
    resume = oai.Checkpoint(**source.checkpoint) if source.checkpoint else None
    if resume is not None and full and resume.from_:  # an unfinished incremental run cannot end a full one
        resume = None
    from_ = None if full else (source.next_from or None)
    asks_everything = (resume.from_ if resume else from_) is None
    if asks_everything and not source.deleted_record:
        _learn_deletion_policy(source, transport)
    batch = batch_start(actor=actor, library=source.library, source=ImportBatch.Source.OAI,
                        name=source.endpoint, format=FORMAT_OF_PREFIX[source.metadata_prefix])
    run = HarvestRun.objects.create(source=source, batch=batch, resumed=resume is not None, note=batch.message,
                                    full=asks_everything)
    fmt = FORMAT_OF_PREFIX[source.metadata_prefix]
    page: list[SourceItem] = []
    listed: set[str] = set()
    position = batch.read
    pipeline = pipeline or ImportPipeline()
    try:
        with pipeline.taking():
            for got in oai.harvest(endpoint=source.endpoint, metadata_prefix=source.metadata_prefix,
                                   set_spec=source.set_spec or None, from_=from_, resume=resume,
                                   library=source.library.code, **transport):
                if isinstance(got, oai.Checkpoint):
                    _commit_page(pipeline, run, source, batch, page, got)
                    page = []
                    continue
                position += 1
                listed.add(got.identifier)
                page.append(SourceItem(position=position, offset=None, source_id=got.identifier, format=fmt,
                                       raw=got.raw, record=got.record, error=got.error, deleted=got.deleted))
    except oai.HarvestError as exc:
        run.status, run.error, run.finished = HarvestRun.Status.FAILED, str(exc)[:4000], timezone.now()
        run.save()
        batch.status, batch.message = ImportBatch.Status.FAILED, " ".join(filter(None, [run.note, str(exc)]))[:2000]
        batch.finished = timezone.now()
        batch.save()
        return run
    if run.full and not run.resumed and source.keeps_no_deletions:
        run.withdrawn = _withdraw_unlisted(source, listed)
    run.status, run.finished = HarvestRun.Status.DONE, timezone.now()
    run.save()
    batch.status, batch.finished = ImportBatch.Status.DONE, timezone.now()
    batch.save()
    return run


def _learn_deletion_policy(source: HarvestSource, transport: dict) -> None:
    """A source saved before providers were asked: ask ``Identify`` now (if it fails, the run says why)."""
    try:
        repository = oai.identify(source.endpoint, **transport)
    except oai.HarvestError:
        return
    provider_keep(source, repository)
    source.save(update_fields=["repository_name", "deleted_record", "granularity"])


@transaction.atomic
def _withdraw_unlisted(source: HarvestSource, listed: set[str]) -> int:
    """Withdraw the records this source brought that a complete list no longer holds; how many (a copy its
    library committed to keep stays until the library confirms)."""
    from jaringan.catalog import bulk
    from jaringan.catalog.models import SourceRecord

    bulk.placing_alone()
    held = SourceRecord.objects.filter(library=source.library, withdrawn=False, batch__harvest_run__source=source)
    gone = [pk for pk, source_id in held.values_list("pk", "source_id") if source_id not in listed]
    touched: set[int] = set()
    withdrawn = 0
    for record in SourceRecord.objects.filter(pk__in=gone):
        if not withdrawal_held(record=record):
            record_withdraw(record=record, touched=touched)
            withdrawn += 1
    editions_refresh(touched)
    return withdrawn


@transaction.atomic
def _commit_page(pipeline: ImportPipeline, run: HarvestRun, source: HarvestSource, batch: ImportBatch, page: list,
                 checkpoint) -> None:
    if page:
        pipeline.take_page(batch, page)
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
    batches_reap(library=library, now=now)
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


def harvest_now(*, source_id: int | None = None, library_code: str | None = None, full: bool | None = None,
                **transport) -> list[HarvestRun]:
    """Run a source, or every active source of a library, now, whether due or not (``full`` as in
    ``source_harvest``).  Raises ``NotFound`` naming what was not found."""
    runs_reap()
    sources = HarvestSource.objects.select_related("library")
    if source_id is not None:
        sources = sources.filter(pk=source_id)
        if not sources:
            raise NotFound(_("There is no harvest source %(id)s.") % {"id": source_id})
    else:
        sources = sources.filter(active=True, library__code=library_code)
        if not sources:
            raise NotFound(_("Library %(code)s has no active harvest source.") % {"code": library_code})
    return [source_harvest(source=s, full=full, **transport) for s in sources]


def harvest_due(*, library_code: str | None = None, now=None, **transport) -> list[HarvestRun]:
    """Run every source that is due (or has an unfinished run), optionally of one library; first mark
    interrupted the runs whose process died."""
    runs_reap()
    sources = HarvestSource.objects.filter(active=True).select_related("library")
    if library_code:
        sources = sources.filter(library__code=library_code)
    return [source_harvest(source=s, **transport) for s in sources if s.is_due(now)]
