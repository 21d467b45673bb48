"""Taking members' records into the union catalogue.

`ingest` streams items (from any reader in `jaringan.core.catalog.readers`,
a harvest or a push) through: quarantine if broken, withdraw if deleted,
skip if unchanged (same bytes), else store and match. Items are committed in
chunks; a run that breaks can be run again and finds what it stored already
(same library + source identifier → same record, same bytes → unchanged), so
nothing is duplicated. The counts always reconcile:
read = created + updated + unchanged + withdrawn + held + quarantined, where
*held* are deletions kept back for the library's confirmation (`placement.withdrawal_held`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.core.catalog import codec
from jaringan.core.catalog.matching import key_numbers
from jaringan.core.collector import bulk_collection
from jaringan.network.models import Library

from .. import bulk
from ..models import BlockKey, ImportBatch, Quarantine, SourceRecord, StaffDecision
from .batches import finish, quarantine_kept
from .editions import editions_refresh
from .new_records import new_records_ingest
from .placement import record_match, record_withdraw, withdrawal_held

#: Items committed together; a crash loses at most this much work (re-run resumes). Larger chunks write
#: fewer pages of the key index a record; each holds SQLite's one write lock (docs/scale.md, "Commits of
#: 2,000 records").
CHUNK = 2000


@dataclass
class Outcome:
    kind: str  # created | updated | unchanged | withdrawn | held | quarantined
    record: SourceRecord | None = None


def ingest(*, batch: ImportBatch, items: Iterable, progress: Callable[[ImportBatch], None] | None = None,
           chunk: int = CHUNK) -> ImportBatch:
    """Take every item of a stream into the catalogue for `batch.library`; return the finished batch."""
    with bulk_collection():
        return _ingest(batch=batch, items=items, progress=progress, chunk=chunk)


def _ingest(*, batch: ImportBatch, items: Iterable, progress: Callable[[ImportBatch], None] | None,
            chunk: int) -> ImportBatch:
    pending: list = []
    seen: dict[str, int] = {}  # source id → the position that used it first in this stream
    try:
        for item in items:
            if item.source_id and not item.deleted and item.error is None:
                first = seen.setdefault(item.source_id, item.position)
                if first != item.position:
                    item = replace(item, record=None, deleted=False, keys=None, stored=None, work=None, error=_(
                        "record %(position)s repeats the identifier %(id)s of record %(first)s in the same file; "
                        "kept here so that neither is lost") % {
                        "position": item.position, "id": item.source_id, "first": first})
            pending.append(item)
            if len(pending) >= chunk:
                ingest_chunk(batch, pending)
                pending = []
                if progress:
                    progress(batch)
        if pending:
            ingest_chunk(batch, pending)
        batch.status = ImportBatch.Status.DONE
    except Exception as exc:  # a file-level failure: what was committed stays, the batch says why
        batch.status = ImportBatch.Status.FAILED
        batch.message = " ".join(filter(None, [batch.message, str(exc)]))[:2000]
        finish(batch)
        raise
    finish(batch)
    if progress:
        progress(batch)
    return batch


@transaction.atomic
def ingest_chunk(batch: ImportBatch, items: list) -> None:
    """Take a list of items in one transaction and add them to the batch's counts.

    Records new to the catalogue (the bulk of any first import) go through a
    set-at-a-time path (`new_records`): one query for all their candidates, bulk
    inserts. Everything else (changes, withdrawals, quarantine, records a
    cataloguer decided on) goes one by one. One transaction places records at a time (`bulk.placing_alone`),
    whatever process or door it comes from.
    """
    bulk.placing_alone()
    touched: set[int] = set()
    context = _ChunkContext.load(batch.library, items)
    fresh = _fresh_items(items, context)
    for item in items:
        if id(item) in fresh:
            continue
        outcome = record_ingest(batch=batch, item=item, touched=touched, context=context)
        batch.read += 1
        setattr(batch, outcome.kind, getattr(batch, outcome.kind) + 1)
    done: set[int] = set()
    if fresh:
        done = new_records_ingest(batch, [(i, source_id_of(i)) for i in items if id(i) in fresh])
        batch.read += len(fresh)
        batch.created += len(fresh)
    editions_refresh(touched - done)
    batch.heartbeat = timezone.now()
    batch.save()


def _fresh_items(items: list, context: "_ChunkContext") -> set[int]:
    """Items that are new records, readable, and whose identifier appears once in the chunk."""
    counts: dict[str, int] = {}
    for item in items:
        counts[source_id_of(item)] = counts.get(source_id_of(item), 0) + 1
    return {
        id(item) for item in items
        if item.error is None and item.record is not None and not item.deleted
        and counts[source_id_of(item)] == 1 and source_id_of(item) not in context.existing
        and source_id_of(item) not in context.decided
    }


@dataclass
class _ChunkContext:
    """What a chunk needs to know up front, read in a few queries instead of a few per record."""

    existing: dict[str, SourceRecord]
    decided: set[str]  # source ids of this library that a cataloguer merged or split by hand

    @classmethod
    def load(cls, library: Library, items: list) -> "_ChunkContext":
        ids = [source_id_of(i) for i in items]
        # Plain queries first (none of a first import's records exist); whole rows only of those that do.
        found = [pk for pk, in bulk.rows_where(SourceRecord, ["id"], "source_id", ids, library_id=library.pk)]
        existing = {r.source_id: r for r in SourceRecord.objects.filter(pk__in=found)} if found else {}
        decided = {sid for sid, in bulk.rows_where(StaffDecision, ["source_id_a"], "source_id_a", ids,
                                                   library_a_id=library.pk)}
        decided |= {sid for sid, in bulk.rows_where(StaffDecision, ["source_id_b"], "source_id_b", ids,
                                                    library_b_id=library.pk)}
        return cls(existing=existing, decided=decided)


def source_id_of(item) -> str:
    """The item's identifier in its library: its own, else one made from its bytes."""
    if item.source_id:
        return str(item.source_id)[:255]
    return "sha1:" + hashlib.sha1(item.raw or b"").hexdigest()


def record_ingest(*, batch: ImportBatch, item, touched: set[int], context: _ChunkContext | None = None) -> Outcome:
    """One item: quarantine, withdraw, skip, update or create (and match)."""
    library = batch.library
    context = context or _ChunkContext.load(library, [item])
    if item.error or item.record is None and not item.deleted:
        if quarantine_kept(batch) < settings.QUARANTINE_ROWS_PER_BATCH:  # past it counted, not kept (texts)
            Quarantine.objects.create(
                batch=batch, library=library, position=item.position, offset=getattr(item, "offset", None),
                source_id=(item.source_id or "")[:255], reason=item.error or _("The record could not be read."),
                raw=item.raw or b"",
            )
            batch._quarantine_kept += 1
        return Outcome("quarantined")
    source_id = source_id_of(item)
    existing = context.existing.get(source_id)
    if item.deleted:
        if existing and not existing.withdrawn:
            if withdrawal_held(record=existing, batch=batch):
                return Outcome("held", existing)
            record_withdraw(record=existing, touched=touched)
        return Outcome("withdrawn", existing)
    checksum = hashlib.sha1(item.raw).hexdigest()
    canonical = item.record
    if existing and existing.checksum == checksum and not existing.withdrawn:
        return Outcome("unchanged", existing)
    now = timezone.now()
    data = codec.to_data(canonical)
    if existing:
        existing.raw, existing.checksum, existing.data, existing.format = item.raw, checksum, data, item.format
        existing.batch, existing.withdrawn, existing.updated = batch, False, now
        existing.save()
        record = existing
        kind = "updated"
    else:
        record = SourceRecord.objects.create(
            library=library, source_id=source_id, format=item.format, raw=item.raw, checksum=checksum, data=data,
            batch=batch, created=now, updated=now,
        )
        context.existing[source_id] = record  # the same id twice in one file is one record
        kind = "created"
    if kind == "updated":
        BlockKey.objects.filter(record=record).delete()
    old_edition = record.edition_id
    record_match(record=record, canonical=canonical, decided=source_id in context.decided)
    # The keys are written once the record is placed (its candidates are found from the keys in memory), so
    # that the edition it is in does not count the record's own keys among a candidate's: it would rank
    # first and push the editions the record now agrees with below the candidates' cut, and a changed
    # record would land where a new one would not.
    BlockKey.objects.bulk_create([BlockKey(key=n, record=record, edition_id=record.edition_id, library_id=library.pk)
                                  for n in key_numbers(canonical)])
    touched.add(record.edition_id)
    if old_edition and old_edition != record.edition_id:
        touched.add(old_edition)
    return Outcome(kind, record)
