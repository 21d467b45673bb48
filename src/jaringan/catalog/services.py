"""Taking members' records into the union catalogue, and staff's corrections.

`ingest` streams items (from any reader in `jaringan.core.catalog.readers`,
a harvest or a push) through: quarantine if broken, withdraw if deleted,
skip if unchanged (same bytes), else store and match. Items are committed in
chunks; a run that breaks can be run again and finds what it stored already
(same library + source identifier → same record, same bytes → unchanged), so
nothing is duplicated. The counts always reconcile:
read = created + updated + unchanged + withdrawn + quarantined.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jaringan.core import liveness
from jaringan.core.collector import bulk_collection
from jaringan.core.catalog import codec
from jaringan.core.catalog.matching import MatchDecision, key_numbers, record_quality, same_work_key
from jaringan.core.catalog.matching.decision import match_unless_vetoed
from jaringan.core.catalog.matching.placement import MAX_DESCRIPTIONS_COMPARED, Member, judge, may_join
from jaringan.core.catalog.record import CanonicalRecord
from jaringan.core.errors import Forbidden, Invalid, NotFound
from jaringan.lru import LRU
from jaringan.network import permissions as perm
from jaringan.network.models import Library
from jaringan.network.permissions import Principal

from . import bulk, signals
from .models import (
    BlockKey, Edition, EditionChange, ImportBatch, MatchLink, Quarantine, RetiredEdition, SourceRecord, StaffDecision,
    Work,
)

#: Items committed together; a crash loses at most this much work (re-run resumes).
CHUNK = 500
#: Candidate editions compared for one record at the most.
MAX_CANDIDATE_EDITIONS = 40
#: Canonical forms kept by a process for matching, by description (about 2 KB each): while members'
#: files go in one after another, the same editions come up as candidates again and again.
DESCRIBED_KEPT = 100_000
_DESCRIBED = LRU(lambda: DESCRIBED_KEPT)


def can_catalogue(p: Principal, library: Library) -> bool:
    """Staff of the library, or a coordinator of a network it is admitted to."""
    return perm.acts_for_library(p, library)


def cataloguable(p: Principal, libraries) -> set[int]:
    """Of these libraries, the ids whose records `p` may correct (one query, not one per library)."""
    return perm.library_ids_acted_for(p, {lib.pk for lib in libraries})


def batch_start(*, actor: Principal, library: Library, source: str = ImportBatch.Source.FILE, name: str = "",
                format: str = "", waiting: bool = False) -> ImportBatch:
    """A running batch, recorded with this process; it notes when the previous one of the same
    library, source and name was interrupted. ``waiting``: no heartbeat yet, until a worker of this
    process takes it (``pipeline.run_waiting``)."""
    if not can_catalogue(actor, library):
        raise Forbidden(_("You may not add records for %(library)s.") % {"library": library.name})
    batches_reap(library=library)
    previous = ImportBatch.objects.filter(library=library, source=source, name=name[:255]).order_by("-started",
                                                                                                      "-pk").first()
    notice = interrupted_notice(previous) if previous and previous.status == ImportBatch.Status.INTERRUPTED else ""
    worker = liveness.Worker.current()
    return ImportBatch.objects.create(library=library, source=source, name=name[:255], format=format,
                                      created_by_id=actor.user_id, message=notice, worker_host=worker.host,
                                      worker_pid=worker.pid, heartbeat=None if waiting else timezone.now())


def interrupted_notice(previous: ImportBatch) -> str:
    """What the run after an interrupted one tells staff, stored in English and shown in the reader's
    language (``reasons.reason_display``)."""
    with translation.override("en"):
        return _("The previous run was interrupted at %(at)s (it had read %(read)s records; what it committed is "
                 "kept and recognised when seen again).") % {
            "at": timezone.localtime(previous.finished or previous.started).strftime("%Y-%m-%d %H:%M:%S"),
            "read": previous.read}


def batches_reap(*, library: Library | None = None, now=None) -> list[ImportBatch]:
    """Mark interrupted every running batch whose process is gone (see `core.liveness`); the ones marked.

    Run lazily wherever batches are listed or started, and by `jaringan harvest` and `jaringan ill-tick`.
    The batch keeps what it committed (its counts add up: each chunk commits with them); it ends at its
    last heartbeat.
    """
    now = now or timezone.now()
    here = liveness.Worker.current()
    running = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING)
    if library is not None:
        running = running.filter(library=library)
    reaped = []
    for batch in running.only("pk", "worker_host", "worker_pid", "heartbeat", "started", "read"):
        last = batch.heartbeat or batch.started
        if not liveness.gone(host=batch.worker_host, pid=batch.worker_pid, heartbeat=last, now=now, here=here):
            continue
        with translation.override("en"):  # stored in English, shown in the reader's language (reasons)
            message = _("Interrupted: the process running it (%(worker)s) stopped; it last committed at %(at)s.") % {
                "worker": f"{batch.worker_host}:{batch.worker_pid}" if batch.worker_pid else _("unknown"),
                "at": timezone.localtime(last).strftime("%Y-%m-%d %H:%M:%S")}
        if ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).update(
                status=ImportBatch.Status.INTERRUPTED, finished=last, message=message):
            reaped.append(batch.pk)
    return list(ImportBatch.objects.filter(pk__in=reaped))


@dataclass
class Outcome:
    kind: str  # created | updated | unchanged | withdrawn | quarantined
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
                    item = replace(item, record=None, deleted=False, keys=None, stored=None, error=_(
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


def quarantine_kept(batch: ImportBatch) -> int:
    """Quarantine rows this batch has kept (counted once from the database, then as they are added)."""
    if getattr(batch, "_quarantine_kept", None) is None:
        batch._quarantine_kept = Quarantine.objects.filter(batch=batch).count()
    return batch._quarantine_kept


def finish(batch: ImportBatch) -> None:
    batch.finished = timezone.now()  # the quarantine's sentence is written at display (catalog.texts)
    batch.save()
    signals.import_finished.send(sender=ImportBatch, batch=batch)


@transaction.atomic
def ingest_chunk(batch: ImportBatch, items: list) -> None:
    """Take a list of items in one transaction and add them to the batch's counts.

    Records new to the catalogue (the bulk of any first import) go through a
    set-at-a-time path: one query for all their candidates, bulk inserts.
    Everything else (changes, withdrawals, quarantine, records a cataloguer
    decided on) goes one by one.
    """
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
        done = _ingest_fresh(batch, [i for i in items if id(i) in fresh])
        batch.read += len(fresh)
        batch.created += len(fresh)
    editions_refresh(touched - done)
    batch.heartbeat = timezone.now()
    batch.save()


def _fresh_items(items: list, context: "_ChunkContext") -> set[int]:
    """Items that are new records, readable, and whose identifier appears once in the chunk."""
    counts: dict[str, int] = {}
    for item in items:
        counts[_source_id(item)] = counts.get(_source_id(item), 0) + 1
    return {
        id(item) for item in items
        if item.error is None and item.record is not None and not item.deleted
        and counts[_source_id(item)] == 1 and _source_id(item) not in context.existing
        and _source_id(item) not in context.decided
    }


def _ingest_fresh(batch: ImportBatch, items: list) -> set[int]:
    """Match and store new records together: candidates in one query, rows written set-wise.

    Returns the editions it touched; they are complete (preferred record, work,
    display fields, outbox), so the caller need not refresh them again.
    """
    library = batch.library
    prepared = []
    all_keys: set[int] = set()
    for item in items:
        keys = list(item.keys) if getattr(item, "keys", None) is not None else key_numbers(item.record)
        prepared.append((item, _source_id(item), keys))
        all_keys.update(keys)
    editions_of_key: dict[int, set[int]] = {}
    for key, edition_id in bulk.editions_by_key(sorted(all_keys), other_than_library=library.pk):
        editions_of_key.setdefault(key, set()).add(edition_id)
    candidates_of: list[list[int]] = []
    for _item, _sid, keys in prepared:
        shared: dict[int, int] = {}
        for key in keys:
            for edition_id in editions_of_key.get(key, ()):
                shared[edition_id] = shared.get(edition_id, 0) + 1
        ranked = sorted(shared, key=lambda e: (-shared[e], e))[:MAX_CANDIDATE_EDITIONS]
        candidates_of.append(ranked)
    # Members of candidate editions, first without their canonical form: (record id, library id, description).
    member_ids: dict[int, list[tuple[int, int, int | None]]] = {}
    for pk, library_id, edition_id, description in bulk.members_of(sorted({e for c in candidates_of for e in c})):
        member_ids.setdefault(edition_id, []).append((pk, library_id, description))
    preferred = bulk.preferred_of(sorted(member_ids))
    for edition_id, group in member_ids.items():  # the edition's preferred record first, then as they joined
        group.sort(key=lambda m, first=preferred.get(edition_id): (m[0] != first, m[0]))
    # Editions each record could join: none of this library's records in them yet.
    open_of = [[e for e in candidates if e in member_ids and all(m[1] != library.pk for m in member_ids[e])]
               for candidates in candidates_of]
    # The placement rule (core.catalog.matching.placement) first asks each edition's preferred record: compare
    # with it, then read the others only of the editions that are still in the running (most candidates
    # share a title and author but not a year or edition).
    first = {e: member_ids[e][0] for candidates in open_of for e in candidates}
    canonicals = _canonicals({(pk, description) for pk, _lib, description in first.values()})
    known: list[dict[int, MatchDecision]] = []  # for each record: its decisions by id of the canonical form
    for n, ((item, _sid, _keys), candidates) in enumerate(zip(prepared, open_of)):
        decisions: dict[int, MatchDecision] = {}
        kept = []
        for e in candidates:
            other = canonicals[first[e][0]]
            decision = decisions[id(other)] = match_unless_vetoed(item.record, other)
            if may_join(decision):
                kept.append(e)
        open_of[n] = kept
        known.append(decisions)
    # Of the editions still in the running, only the members the rule may compare are read: the preferred
    # record and the first of each other description, up to MAX_DESCRIPTIONS_COMPARED descriptions (the
    # rest share those descriptions or are never compared), so an edition held by a hundred libraries
    # costs what one held by eight does.
    compared = {e: _compared_members(member_ids[e], has_preferred=preferred.get(e) is not None)
                for candidates in open_of for e in candidates}
    canonicals.update(_canonicals({(pk, description) for group in compared.values()
                                   for pk, _lib, description in group if pk not in canonicals}))
    members = {}  # the compared members, and those described like one of them (they share its canonical form)
    for e, group in compared.items():
        shown = {description: canonicals[pk] for pk, _lib, description in group if description is not None}
        members[e] = [(pk, canonicals[pk] if pk in canonicals else shown[description], description)
                      for pk, _lib, description in member_ids[e] if pk in canonicals or description in shown]

    claimed: set[int] = set()  # editions given a record of this library in this chunk
    plans = []
    for (item, sid, keys), candidates, decisions in zip(prepared, open_of, known):
        best = None
        for edition_id in candidates:
            if edition_id in claimed:
                continue
            agreed = _matches_all(item.record, members[edition_id], known=decisions)
            if agreed and (best is None or agreed[0] > best[0]):
                best = (agreed[0], edition_id, agreed[1])
        if best:
            claimed.add(best[1])
        plans.append((item, sid, keys, best))

    record_ids = bulk.allocate_ids(SourceRecord, len(plans))
    new_edition_ids = iter(bulk.allocate_ids(Edition, sum(1 for p in plans if p[3] is None)))
    now = timezone.now()
    at = bulk.db_datetime(now)
    records, keys_rows, links = [], [], []
    # Each touched edition's members after this chunk: (quality, -record id, record id, canonical).
    standing: dict[int, list[tuple]] = {}
    created: set[int] = set()
    for record_id, (item, sid, keys, best) in zip(record_ids, plans):
        if best:
            edition_id = best[1]
            if edition_id not in standing:  # its preferred record (first) is the best of its members so far
                first_pk, first, _d = members[edition_id][0]
                standing[edition_id] = [(record_quality(first), -first_pk, first_pk, first)] if preferred.get(
                    edition_id) is not None else [(record_quality(c), -pk, pk, c) for pk, c, _d in members[edition_id]]
        else:
            edition_id = next(new_edition_ids)
            created.add(edition_id)
            standing[edition_id] = []
        standing[edition_id].append((record_quality(item.record), -record_id, record_id, item.record))
        stored = getattr(item, "stored", None)  # made by the reading processes
        if stored is not None:
            text, description = stored
        else:
            data = codec.to_data(item.record)
            text, description = codec.data_text(data), codec.description_number(data)
        _DESCRIBED.put(description, item.record)  # the next libraries' copies are compared with it
        records.append((
            record_id, library.pk, sid, item.format, item.raw, hashlib.sha1(item.raw).hexdigest(),
            text, description, edition_id, batch.pk, False, at, at,
        ))
        keys_rows += [(k, record_id) for k in keys]
        links.append((
            record_id, edition_id, MatchLink.Decided.MATCHED if best else MatchLink.Decided.NEW,
            best[0] if best else 0, bulk.db_json(best[2] if best else []), at,
        ))

    # The editions: display fields from each one's best record, and its work.
    chosen = {}
    for edition_id, group in standing.items():
        _q, _neg, pk, canonical = max(group, key=lambda t: (t[0], t[1]))
        chosen[edition_id] = (pk, canonical, same_work_key(canonical)[:255])
    _editions_write(chosen, created=created, at=at)
    bulk.insert_rows(SourceRecord, ["id", "library_id", "source_id", "format", "raw", "checksum", "data",
                                    "description", "edition_id", "batch_id", "withdrawn", "created", "updated"], records)
    bulk.insert_rows(BlockKey, ["key", "record_id"], keys_rows)
    bulk.insert_rows(MatchLink, ["record_id", "edition_id", "decided", "score", "comparisons", "at"], links)
    bulk.insert_rows(EditionChange, ["edition_id", "at"], [(pk, at) for pk in sorted(chosen)])
    signals.editions_changed.send(sender=Edition, edition_ids=sorted(chosen))
    return set(chosen)


def _compared_members(group: list[tuple[int, int, int | None]], *, has_preferred: bool) -> list[tuple]:
    """The members of an edition (preferred first) the placement rule may compare: one per description,
    at most ``MAX_DESCRIPTIONS_COMPARED``; every member when the edition has no preferred record yet."""
    if not has_preferred:
        return group
    seen: set = set()
    kept = []
    for pk, library_id, description in group:
        alike = description if description is not None else pk
        if alike in seen:
            continue
        seen.add(alike)
        kept.append((pk, library_id, description))
        if len(kept) >= MAX_DESCRIPTIONS_COMPARED:
            break
    return kept


def _canonicals(records: set[tuple[int, int | None]]) -> dict[int, CanonicalRecord]:
    """The canonical form, holdings aside, of these (record id, description number) by record id.

    Records with the same description share one canonical form (`codec.description_number`), found in
    `_DESCRIBED` when it was read or stored lately, else read from the database.
    """
    found: dict[int, CanonicalRecord] = {}
    shared: dict[int, CanonicalRecord] = {}
    wanted: list[int] = []
    for pk, description in records:
        canonical = None
        if description is not None:
            canonical = shared.get(description) or _DESCRIBED.get(description)
        if canonical is None:
            wanted.append(pk)
        else:
            found[pk] = shared[description] = canonical
    if wanted:
        described = dict(records)
        for pk, data in bulk.record_data(sorted(wanted)):
            description = described[pk]
            canonical = shared.get(description) if description is not None else None
            if canonical is None:
                canonical = codec.from_data(data, holdings=False)
                if description is not None:
                    shared[description] = canonical
                    _DESCRIBED.put(description, canonical)
            found[pk] = canonical
    return found


def _editions_write(chosen: dict[int, tuple[int, CanonicalRecord, str]], *, created: set[int], at) -> None:
    """Write editions' display fields, preferred record and work: `chosen` maps an edition id to
    (preferred record id, its canonical record, same-work key); ids in `created` are new rows."""
    work_ids = _works_for({key: canonical.title for _pk, canonical, key in chosen.values()})
    new_rows, changed_rows = [], []
    for edition_id, (pk, c, key) in chosen.items():
        values = (work_ids[key], pk, c.full_title[:500], c.year, c.format, c.language or "")
        if edition_id in created:
            new_rows.append((edition_id, *values, at, at))
        else:
            changed_rows.append((*values, at, edition_id))
    bulk.insert_rows(Edition, ["id", "work_id", "preferred_id", "title", "year", "format", "language", "created",
                               "updated"], new_rows)
    bulk.update_rows(Edition, ["work_id", "preferred_id", "title", "year", "format", "language", "updated"],
                     changed_rows)


def _works_for(titles: dict[str, str]) -> dict[str, int]:
    """Work ids for same-work keys, creating the works that do not exist yet."""
    found = dict(bulk.rows_where(Work, ["key", "id"], "key", list(titles)))
    missing = sorted(k for k in titles if k not in found)
    for key, pk in zip(missing, bulk.allocate_ids(Work, len(missing))):
        found[key] = pk
    bulk.insert_rows(Work, ["id", "key", "title"], [(found[k], k, titles[k][:500]) for k in missing])
    return found


@dataclass
class _ChunkContext:
    """What a chunk needs to know up front, read in a few queries instead of a few per record."""

    existing: dict[str, SourceRecord]
    decided: set[str]  # source ids of this library that a cataloguer merged or split by hand

    @classmethod
    def load(cls, library: Library, items: list) -> "_ChunkContext":
        ids = [_source_id(i) for i in items]
        # Plain queries first (none of a first import's records exist); whole rows only of those that do.
        found = [pk for pk, in bulk.rows_where(SourceRecord, ["id"], "source_id", ids, library_id=library.pk)]
        existing = {r.source_id: r for r in SourceRecord.objects.filter(pk__in=found)} if found else {}
        decided = {sid for sid, in bulk.rows_where(StaffDecision, ["source_id_a"], "source_id_a", ids,
                                                   library_a_id=library.pk)}
        decided |= {sid for sid, in bulk.rows_where(StaffDecision, ["source_id_b"], "source_id_b", ids,
                                                    library_b_id=library.pk)}
        return cls(existing=existing, decided=decided)


def _source_id(item) -> str:
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
    source_id = _source_id(item)
    existing = context.existing.get(source_id)
    if item.deleted:
        if existing and not existing.withdrawn:
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
    BlockKey.objects.bulk_create([BlockKey(key=n, record=record) for n in key_numbers(canonical)])
    old_edition = record.edition_id
    record_match(record=record, canonical=canonical, decided=source_id in context.decided)
    touched.add(record.edition_id)
    if old_edition and old_edition != record.edition_id:
        touched.add(old_edition)
    return Outcome(kind, record)


def _canonical(record: SourceRecord) -> CanonicalRecord:
    return codec.from_data(record.data)


def _decisions(record: SourceRecord, kind: str) -> list[SourceRecord]:
    """Records a cataloguer said are (merge) or are not (split) the same edition as this one."""
    rows = StaffDecision.objects.filter(kind=kind).filter(
        Q(library_a=record.library_id, source_id_a=record.source_id)
        | Q(library_b=record.library_id, source_id_b=record.source_id)
    )
    partners = Q(pk__in=[])
    for d in rows:
        if d.library_a_id == record.library_id and d.source_id_a == record.source_id:
            partners |= Q(library_id=d.library_b_id, source_id=d.source_id_b)
        else:
            partners |= Q(library_id=d.library_a_id, source_id=d.source_id_a)
    return list(SourceRecord.objects.filter(partners).exclude(pk=record.pk))


def _matches_all(canonical: CanonicalRecord, members: list[tuple[int, CanonicalRecord, int | None]], *,
                 known: dict[int, MatchDecision] | None = None) -> tuple[int, list] | None:
    """(score, evidence) when the placement rule puts the record into the edition of these members, else None.

    `members` are (record id, canonical form, description number or None), the edition's preferred
    record first; `known` holds decisions already made for `canonical`, by id of the other canonical form.
    Members that describe the book identically (copy cataloguing: one record copied by many libraries)
    share a description number (``codec.description_number``) and are compared once.
    """
    judgement = judge(canonical, [Member(pk, other, description) for pk, other, description in members], known=known)
    return (judgement.score, list(judgement.evidence)) if judgement else None


def record_match(*, record: SourceRecord, canonical: CanonicalRecord, decided: bool = True) -> Edition:
    """Put a record into the edition it belongs to (or a new one), recording why.

    `decided=False` says no cataloguer merged or split this record by hand (saves two queries).
    """
    merged_with = [r for r in _decisions(record, StaffDecision.Kind.MERGE) if r.edition_id and not r.withdrawn] \
        if decided else []
    if merged_with:
        target = merged_with[0]
        clash = SourceRecord.objects.filter(edition_id=target.edition_id, library_id=record.library_id).exclude(
            pk=record.pk).exists()
        if not clash:
            return _link(record, target.edition, MatchLink.Decided.STAFF, 0, [])
    split_from = {r.edition_id for r in _decisions(record, StaffDecision.Kind.SPLIT) if r.edition_id} \
        if decided else set()
    keys = key_numbers(canonical)
    candidate_ids = list(
        SourceRecord.objects.filter(block_keys__key__in=keys, edition__isnull=False, withdrawn=False)
        .exclude(library_id=record.library_id)
        .values_list("edition_id", flat=True)
        .distinct()[:MAX_CANDIDATE_EDITIONS]
    )
    best: tuple[int, Edition, list] | None = None
    members_by_edition: dict[int, list[SourceRecord]] = {}
    for member in SourceRecord.objects.filter(edition_id__in=candidate_ids, withdrawn=False).exclude(
            pk=record.pk).select_related("edition").order_by("pk"):
        members_by_edition.setdefault(member.edition_id, []).append(member)
    for edition_id, members in members_by_edition.items():
        if edition_id in split_from or any(m.library_id == record.library_id for m in members):
            continue
        members.sort(key=lambda m: (m.pk != m.edition.preferred_id, m.pk))  # the preferred record first
        agreed = _matches_all(canonical, [(m.pk, _canonical(m), m.description) for m in members])
        if agreed and (best is None or agreed[0] > best[0]):
            best = (agreed[0], members[0].edition, agreed[1])
    if best:
        return _link(record, best[1], MatchLink.Decided.MATCHED, best[0], best[2])
    if record.edition_id and not SourceRecord.objects.filter(edition_id=record.edition_id).exclude(pk=record.pk).exists():
        edition = record.edition  # alone in its edition already: keep the edition (and its id)
    else:
        edition = Edition.objects.create(title=canonical.full_title[:500], year=canonical.year,
                                         format=canonical.format, language=canonical.language or "")
    return _link(record, edition, MatchLink.Decided.NEW, 0, [])


def _link(record: SourceRecord, edition: Edition, decided: str, score: int, evidence: list) -> Edition:
    record.edition = edition
    record.save(update_fields=["edition"])
    MatchLink.objects.update_or_create(
        record=record,
        defaults={"edition": edition, "decided": decided, "score": score, "comparisons": evidence,
                  "at": timezone.now()},
    )
    return edition


def editions_refresh(edition_ids: set[int], *, successor: int | None = None) -> None:
    """Refresh many editions set-wise: preferred record, work and display fields; retire the empty ones.

    `successor`: the edition their records went to, when a merge emptied them.
    """
    by_edition: dict[int, list[tuple[int, CanonicalRecord]]] = {pk: [] for pk in edition_ids if pk}
    for pk, edition_id, data in SourceRecord.objects.filter(
            edition_id__in=list(by_edition), withdrawn=False).values_list("id", "edition_id", "data"):
        by_edition[edition_id].append((pk, codec.from_data(data)))
    empty = [pk for pk, members in by_edition.items() if not members]
    if empty:
        editions_retire(empty, successor=successor)
    editions_changed(by_edition)
    chosen: dict[int, tuple[int, CanonicalRecord, str]] = {}
    for edition_id, members in by_edition.items():
        if members:
            pk, canonical = max(members, key=lambda m: (record_quality(m[1]), -m[0]))
            chosen[edition_id] = (pk, canonical, same_work_key(canonical)[:255])
    _editions_write(chosen, created=set(), at=bulk.db_datetime(timezone.now()))


def editions_changed(edition_ids) -> None:
    """Put editions in the outbox, in the caller's transaction (see `EditionChange`)."""
    now = timezone.now()
    ids = sorted({pk for pk in edition_ids if pk})
    EditionChange.objects.bulk_create([EditionChange(edition_id=pk, at=now) for pk in ids])
    if ids:
        signals.editions_changed.send(sender=Edition, edition_ids=ids)


def editions_retire(edition_ids, *, successor: int | None = None) -> None:
    """Delete editions that hold no record any more, keeping a tombstone of each."""
    editions = list(Edition.objects.filter(pk__in=list(edition_ids)).only("id", "title"))
    if not editions:
        return
    now = timezone.now()
    RetiredEdition.objects.filter(edition_id__in=[e.pk for e in editions]).delete()
    RetiredEdition.objects.bulk_create([
        RetiredEdition(edition_id=e.pk, title=e.title, retired=now, successor_id=successor) for e in editions
    ])
    Edition.objects.filter(pk__in=[e.pk for e in editions]).delete()


def edition_refresh(edition: Edition, *, successor: int | None = None) -> None:
    """`editions_refresh` for one edition, whose object is brought up to date (when it still exists)."""
    editions_refresh({edition.pk}, successor=successor)
    try:
        edition.refresh_from_db()
    except Edition.DoesNotExist:
        pass


def record_withdraw(*, record: SourceRecord, touched: set[int] | None = None) -> None:
    """The member withdrew the record: its holding leaves the edition; the record is kept, marked."""
    old = record.edition_id
    record.withdrawn = True
    record.edition = None
    record.updated = timezone.now()
    record.save(update_fields=["withdrawn", "edition", "updated"])
    MatchLink.objects.filter(record=record).delete()
    if old:
        if touched is not None:
            touched.add(old)
        else:
            edition_refresh(Edition.objects.get(pk=old))


# --- staff corrections ------------------------------------------------------------

def _check_staff(actor: Principal, *records: SourceRecord) -> None:
    if not actor.authenticated:
        raise Forbidden(_("Sign in to correct the catalogue."))
    if actor.is_superuser:
        return
    if not any(can_catalogue(actor, r.library) for r in records):
        raise Forbidden(_("Only staff of a holding library or the network's coordinator may do this."))


@transaction.atomic
def records_merge(*, actor: Principal, record: SourceRecord, into: SourceRecord, note: str = "") -> Edition:
    """A cataloguer says `record` is the same edition as `into`; kept across re-imports."""
    _check_staff(actor, record, into)
    if record.library_id == into.library_id:
        raise Invalid(_("Two records of one library are never merged into one edition."))
    if into.edition_id is None:
        raise NotFound(_("That record is withdrawn."))
    if SourceRecord.objects.filter(edition_id=into.edition_id, library_id=record.library_id).exclude(
            pk=record.pk).exists():
        raise Invalid(_("That edition already has a record from %(library)s.") % {"library": record.library.name})
    StaffDecision.objects.filter(kind=StaffDecision.Kind.SPLIT).filter(
        Q(library_a=record.library, source_id_a=record.source_id, library_b=into.library, source_id_b=into.source_id)
        | Q(library_b=record.library, source_id_b=record.source_id, library_a=into.library, source_id_a=into.source_id)
    ).delete()
    StaffDecision.objects.create(kind=StaffDecision.Kind.MERGE, library_a=record.library, source_id_a=record.source_id,
                                 library_b=into.library, source_id_b=into.source_id, by_id=actor.user_id, note=note)
    old = record.edition_id
    edition = _link(record, into.edition, MatchLink.Decided.STAFF, 0, [])
    for pk in {old, edition.pk} - {None}:
        found = Edition.objects.filter(pk=pk).first()
        if found:
            edition_refresh(found, successor=edition.pk)
    return edition


@transaction.atomic
def record_split(*, actor: Principal, record: SourceRecord, note: str = "") -> Edition:
    """A cataloguer takes a record out of its edition; it will not be matched back to those records."""
    _check_staff(actor, record)
    if record.edition_id is None:
        raise NotFound(_("That record is withdrawn."))
    others = list(SourceRecord.objects.filter(edition_id=record.edition_id).exclude(pk=record.pk))
    if not others:
        raise Invalid(_("This record is alone in its edition already."))
    for other in others:
        StaffDecision.objects.create(kind=StaffDecision.Kind.SPLIT, library_a=record.library,
                                     source_id_a=record.source_id, library_b=other.library,
                                     source_id_b=other.source_id, by_id=actor.user_id, note=note)
    old = record.edition
    edition = Edition.objects.create(title=old.title, year=old.year, format=old.format, language=old.language)
    _link(record, edition, MatchLink.Decided.STAFF, 0, [])
    edition_refresh(edition)
    edition_refresh(old)
    return edition


# --- files and quarantine -------------------------------------------------------------

def import_file(*, actor: Principal, library: Library, stream, name: str = "", format: str | None = None,
                source: str = ImportBatch.Source.FILE, progress: Callable[[ImportBatch], None] | None = None,
                chunk: int = CHUNK, workers: int = 1) -> ImportBatch:
    """Read a file of records (any format the readers know) into the catalogue for a library, now.

    The import pipeline (``catalog.pipeline.ImportPipeline``) with `workers` processes decoding MARC 21.
    A file that cannot be read at all fails its batch with the reason and raises `Invalid`; records
    already committed from it stay, and running the file again resumes without duplicates.
    """
    from .pipeline import ImportPipeline

    return ImportPipeline(workers=workers, follow_index=False, chunk=chunk).import_file(
        actor=actor, library=library, stream=stream, name=name, format=format, source=source, progress=progress)


def quarantine_retry(*, actor: Principal, quarantine: Quarantine) -> str:
    """Read a quarantined record again (after a fix) within the batch it came in.

    Still broken, it stays the same quarantine row, with the new reason and one
    more attempt. Taken in, it leaves the quarantine and its batch counts it as
    what it became (new or updated) instead of quarantined: no second batch, no
    second row, the batch's counts still add up.
    """
    import io

    from jaringan.core.catalog import readers
    from jaringan.core.catalog.errors import CatalogError

    if not can_catalogue(actor, quarantine.library):
        raise Forbidden(_("You may not add records for %(library)s.") % {"library": quarantine.library.name})
    with transaction.atomic():
        try:  # a retry that another click already took in is gone
            quarantine = Quarantine.objects.select_for_update().select_related("batch", "library").get(
                pk=quarantine.pk)
        except Quarantine.DoesNotExist:
            raise NotFound(_("That record is no longer in quarantine.")) from None
        try:
            items = list(readers.read(io.BytesIO(bytes(quarantine.raw)), format=quarantine.batch.format or None))
        except CatalogError as exc:
            items, reason = [], str(exc)
        else:
            reason = ""
        item = items[0] if items else None
        if item is None or item.error or (item.record is None and not item.deleted):
            quarantine.reason = (item.error if item is not None and item.error else reason) or _(
                "Nothing readable in the record.")
            quarantine.attempts += 1
            quarantine.last_tried = timezone.now()
            quarantine.save(update_fields=["reason", "attempts", "last_tried"])
            return "quarantined"
        touched: set[int] = set()
        outcome = record_ingest(batch=quarantine.batch, item=item, touched=touched)
        editions_refresh(touched)
        ImportBatch.objects.filter(pk=quarantine.batch_id).update(
            quarantined=F("quarantined") - 1, **{outcome.kind: F(outcome.kind) + 1})
        quarantine.delete()
    return "taken"
