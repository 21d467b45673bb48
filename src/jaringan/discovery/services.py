"""Keeping the search index in step with the catalogue (the database is the system of record).

* :func:`outbox_drain` applies the catalogue's outbox (``EditionChange``
  rows, written in the same transaction as each change) to the index, commits
  the index, and only then deletes the rows it applied.  A crash anywhere in
  between only delays: rows left behind are applied again (applying is
  idempotent: the edition's document is rebuilt from the database).
* :func:`schedule_drain` registers a drain to run when the current
  transaction commits; it answers the catalogue's ``editions_changed``
  signal (sent wherever the catalogue writes the outbox; see ``apps``).
* :func:`reindex` rebuilds the whole index from the database into a fresh
  folder and swaps it in at once (readers never see half an index), then
  drains what changed meanwhile.

One writer at a time across processes: a file lock beside the index.  A
drain that finds the lock taken returns 0 at once — the holder drains.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections, transaction

from jaringan.catalog.models import Edition, EditionChange, SourceRecord
from jaringan.core.search import SearchIndex

from .documents import Libraries, build_documents
from .store import IndexOutdated, IndexStore, WriterBusy, store_for

__all__ = [
    "current_index",
    "drain_alongside",
    "ensure_index",
    "libraries_changed",
    "outbox_drain",
    "reindex",
    "schedule_drain",
]

log = logging.getLogger(__name__)

#: Outbox rows applied per index commit.
DRAIN_BATCH = 1000
#: Editions read from the database per batch while rebuilding (memory stays flat).
REINDEX_BATCH = 1000
#: Tantivy's indexing memory while rebuilding, and its threads.
REINDEX_HEAP = 200_000_000
REINDEX_THREADS = 2


def index_store() -> IndexStore:
    """The process-wide store of ``settings.SEARCH_INDEX_DIR``."""
    return store_for(settings.SEARCH_INDEX_DIR)


def current_index() -> SearchIndex:
    """The index readers search: process-wide, and fresh (sees what other processes committed).

    An index left by an older version (another schema) is rebuilt first.
    """
    try:
        return index_store().index()
    except IndexOutdated:
        log.warning("search index: built by an older version; rebuilding it from the database")
        reindex()
        return index_store().index()


# --- the outbox ------------------------------------------------------------------------


def outbox_drain(*, limit: int | None = None) -> int:
    """Apply pending ``EditionChange`` rows to the index in id order; return how many rows were applied.

    Returns 0 without waiting when another process (or thread) is writing
    the index: it will drain.  ``limit`` caps the rows applied in this call.
    """
    store = index_store()
    applied = 0
    # Looked at again after the lock is let go: rows committed by a process that found the lock
    # taken while this one held it are this one's to apply (no change is left waiting).
    while EditionChange.objects.exists():
        try:
            with store.write_lock(wait=False):
                applied += _drain(current_index(), None if limit is None else limit - applied)
        except WriterBusy:
            break
        if limit is not None and applied >= limit:
            break
    return applied


def _drain(index: SearchIndex, limit: int | None) -> int:
    applied = 0
    libraries: Libraries | None = None
    while limit is None or applied < limit:
        size = DRAIN_BATCH if limit is None else min(DRAIN_BATCH, limit - applied)
        rows = list(EditionChange.objects.order_by("pk").values_list("pk", "edition_id")[:size])
        if not rows:
            break
        edition_ids = list(dict.fromkeys(e for _pk, e in rows))
        if libraries is None:
            libraries = Libraries.load()
        documents = build_documents(edition_ids, libraries)
        _apply(index, edition_ids, documents)
        # Only now, with the index committed, do the rows go (a crash before: they are applied again).
        EditionChange.objects.filter(pk__in=[pk for pk, _e in rows]).delete()
        applied += len(rows)
    return applied


def _apply(index: SearchIndex, edition_ids: Iterable[int], documents) -> None:
    with index.writer() as writer:
        for edition_id in edition_ids:
            writer.delete(edition_id)  # gone, retired, or about to be replaced
        for document in documents:
            writer.add(document)


def _drain_quietly() -> None:
    try:
        outbox_drain()
    except Exception:  # the catalogue's change is committed; the outbox keeps it for the next drain
        log.exception("search index: draining the outbox failed; the changes stay queued")


def schedule_drain() -> None:
    """Drain the outbox when the current transaction commits (at once outside one).

    Cheap when there is nothing left to apply (one query): calling it for
    every change of a transaction costs little more than calling it once.
    Does nothing inside :func:`drain_alongside` (another process drains).
    """
    if _drained_elsewhere:
        return
    if connection.in_atomic_block:
        transaction.on_commit(_drain_quietly, robust=True)
    else:
        _drain_quietly()


#: True while a :func:`drain_alongside` process applies the outbox for this one.
_drained_elsewhere = False
#: Seconds the draining process waits when it finds the outbox empty.
ALONGSIDE_POLL = 0.1


@contextmanager
def drain_alongside(enabled: bool = True) -> Iterator[bool]:
    """Apply the outbox in a second process while the body writes the catalogue (a large import).

    Building search documents (text analysis) then runs on another core,
    beside reading, matching and storing, instead of after each commit.  On
    leaving, waits until the outbox is applied, as a drain after each commit
    would have.  Yields whether a process was started: not when ``enabled``
    is false, inside a transaction, or on an in-memory database (which a
    second process cannot see); the outbox is then drained after each commit
    as usual.
    """
    global _drained_elsewhere
    name = str(connection.settings_dict.get("NAME") or "")
    if (not enabled or _drained_elsewhere or connection.in_atomic_block
            or (connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name))):
        yield False
        return
    connections.close_all()  # the child opens its own
    context = multiprocessing.get_context("fork")
    finished = context.Event()
    process = context.Process(target=_drain_until, args=(finished,), name="jaringan-drain", daemon=True)
    # What the importer holds (its caches) stays shared with the child: frozen, the child's garbage
    # collector never visits those objects, so it never writes to (and so copies) their pages.
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
    _drained_elsewhere = True
    try:
        yield True
    finally:
        _drained_elsewhere = False
        finished.set()
        process.join()
        if process.exitcode:
            log.warning("search index: the draining process stopped with code %s; draining here", process.exitcode)
        _drain_quietly()  # anything it left (none, unless it failed or another writer held the lock)


def _drain_until(finished) -> None:
    """In the draining process: apply the outbox until told the import finished and nothing is left."""
    while True:  # (the indexes the parent opened were forgotten at the fork: see ``store``)
        last_round = finished.is_set()
        try:
            applied = outbox_drain()
        except Exception:
            log.exception("search index: draining alongside an import failed; the parent drains")
            raise
        if not applied:
            if last_round:
                break
            finished.wait(ALONGSIDE_POLL)
    connections.close_all()


def libraries_changed(library_ids: Iterable[int]) -> int:
    """Queue the editions these libraries hold (their networks, kind or lending changed); return how many."""
    ids = sorted(set(SourceRecord.objects.filter(library_id__in=list(library_ids), withdrawn=False,
                                                 edition__isnull=False).values_list("edition_id", flat=True)))
    EditionChange.objects.bulk_create([EditionChange(edition_id=pk) for pk in ids], batch_size=1000)
    schedule_drain()
    return len(ids)


# --- rebuilding ------------------------------------------------------------------------


def reindex(*, progress: Callable[[int, int], None] | None = None, batch: int = REINDEX_BATCH) -> int:
    """Rebuild the index from the database into a fresh folder, swap it in, drain; return the editions indexed.

    ``progress(done, total)`` is called after each batch.  Waits for a
    drain in progress to finish.  Readers keep searching the old index until
    the swap.
    """
    store = index_store()
    with store.write_lock(wait=True):
        path = store.new_generation()
        try:
            index = SearchIndex(path)
            total = Edition.objects.count()
            done = indexed = 0
            libraries = Libraries.load()
            with index.writer(heap_size=REINDEX_HEAP, num_threads=REINDEX_THREADS) as writer:
                last = 0
                while True:
                    ids = list(Edition.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
                    if not ids:
                        break
                    last = ids[-1]
                    for document in build_documents(ids, libraries):
                        writer.add(document)
                        indexed += 1
                    done += len(ids)
                    if progress:
                        progress(done, max(total, done))
        except BaseException:
            store.discard(path)
            raise
        store.swap(path.name)
        _drain(store.index(), None)
    # Changes committed by processes that found the lock taken after the drain above are this one's.
    outbox_drain()
    return indexed


def ensure_index() -> int:
    """At server start: build the index if there is none, else apply what the outbox holds."""
    store = index_store()
    if store.current_generation() is None:
        return reindex()
    current_index()  # rebuilt here if an older version left it
    return outbox_drain()
