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

A rebuild, and a drain alongside a large import, fork :data:`BUILD_WORKERS`
processes that build the documents (reading the database and analysing the
text, the costly part) and hand them over as JSON; the writer only adds them.
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, connections, transaction

from jaringan.catalog.models import Edition, EditionChange, SourceRecord
from jaringan.core.collector import bulk_collection, for_bulk_work
from jaringan.core.search import SearchIndex
from jaringan.core.search.index import document_fields

from .documents import Libraries, build_documents
from .selectors import index_store
from .store import IndexOutdated, WriterBusy

__all__ = [
    "drain_alongside",
    "ensure_index",
    "libraries_changed",
    "outbox_drain",
    "reindex",
    "schedule_drain",
    "writable_index",
]

log = logging.getLogger(__name__)

#: Outbox rows applied per index commit.
DRAIN_BATCH = 1000
#: Editions read from the database per batch while rebuilding (memory stays flat).
REINDEX_BATCH = 1000
#: Tantivy's indexing memory while rebuilding, and its threads.
REINDEX_HEAP = 200_000_000
REINDEX_THREADS = 2
#: Processes building search documents (the text analysis) for a rebuild and for a drain alongside an
#: import, forked by the one writer, which only adds what they built to the index.
BUILD_WORKERS = 2
#: Outbox rows applied per index commit when their documents are built by the pool: each commit
#: makes a segment that Tantivy merges again later (a writer adding 20,000 documents used about twice
#: the CPU a document committing per 1,000 as per 5,000; over a whole import the merges even out more).
BUILT_COMMIT = 5000
#: Outbox rows waiting above which a drain alongside an import has its documents built by those
#: processes.  Below it the drain builds them itself, and costs less CPU (its caches of analysed text
#: hold the catalogue's words; each building process would learn them again), which the import needs.
BUILD_BACKLOG = 3 * DRAIN_BATCH


def writable_index() -> SearchIndex:
    """The current index, for a writer: one left by an older version (another schema) is first rebuilt
    from the database. Readers never rebuild (``selectors.current_index`` raises ``IndexOutdated``)."""
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
    return _outbox_drain(limit=limit)


def _outbox_drain(*, limit: int | None = None, builders=None) -> int:
    """:func:`outbox_drain`, or with ``builders`` (a pool, while draining alongside an import) one pass
    over what waits now, its documents built by the pool when there are many."""
    store = index_store()
    if builders is not None:
        try:
            with store.write_lock(wait=False):
                if EditionChange.objects.count() > BUILD_BACKLOG:
                    return _drain_built(writable_index(), builders)
                return _drain(writable_index(), BUILD_BACKLOG)  # (then decide again)
        except WriterBusy:
            return 0
    applied = 0
    # Looked at again after the lock is let go: rows committed by a process that found the lock
    # taken while this one held it are this one's to apply (no change is left waiting).
    while EditionChange.objects.exists():
        try:
            with store.write_lock(wait=False):
                applied += _drain(writable_index(), None if limit is None else limit - applied)
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


def _document_texts(edition_ids: list[int]) -> list[str]:
    """In a building process: the documents of these editions, as JSON text for ``add_json``."""
    return [json.dumps(document_fields(d), ensure_ascii=False) for d in build_documents(edition_ids)]


def _drain_built(index: SearchIndex, builders) -> int:
    """:func:`_drain` with the documents built by the processes of ``builders`` (a pool).

    Batches are read ahead, two per process, and applied in outbox order by
    one writer, committed each :data:`BUILT_COMMIT` rows (and at the end); a
    batch's rows go only once a commit holds it. An edition changed again in a
    later batch gets that batch's document, built from the newer state.
    """
    applied = 0
    last = 0
    ahead: deque = deque()
    held: list[int] = []  # outbox rows of the batches the writer holds, not yet committed

    def forget() -> int:
        for start in range(0, len(held), DRAIN_BATCH):
            EditionChange.objects.filter(pk__in=held[start:start + DRAIN_BATCH]).delete()
        done = len(held)
        held.clear()
        return done

    with index.writer() as writer:
        while True:
            while len(ahead) < 2 * BUILD_WORKERS:
                rows = list(EditionChange.objects.filter(pk__gt=last).order_by("pk")
                            .values_list("pk", "edition_id")[:DRAIN_BATCH])
                if not rows:
                    break
                last = rows[-1][0]
                edition_ids = list(dict.fromkeys(e for _pk, e in rows))
                ahead.append((rows, edition_ids, builders.apply_async(_document_texts, (edition_ids,))))
            if not ahead:
                break
            rows, edition_ids, texts = ahead.popleft()
            _replace(writer, edition_ids, texts=texts.get())
            held += [pk for pk, _e in rows]
            if len(held) >= BUILT_COMMIT:
                writer.commit()
                applied += forget()
    return applied + forget()  # (the writer committed on leaving the block)


def _can_fork() -> bool:
    """Whether processes forked now see what this one sees: not inside a transaction (its changes are
    not committed) and not on an in-memory database."""
    name = str(connection.settings_dict.get("NAME") or "")
    return not (connection.in_atomic_block
                or (connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name)))


def _builders():
    """A pool of :data:`BUILD_WORKERS` processes forked from this one (its connections closed first)."""
    connections.close_all()  # each process opens its own
    return multiprocessing.get_context("fork").Pool(BUILD_WORKERS)


def _apply(index: SearchIndex, edition_ids: Iterable[int], documents=()) -> None:
    """Replace these editions' documents in one commit."""
    with index.writer() as writer:
        _replace(writer, edition_ids, documents)


def _replace(writer, edition_ids: Iterable[int], documents=(), texts=()) -> None:
    """In ``writer``, replace these editions' documents: by ``documents``, or by ``texts`` (their JSON,
    built in another process)."""
    for edition_id in edition_ids:
        writer.delete(edition_id)  # gone, retired, or about to be replaced
    for document in documents:
        writer.add(document)
    for text in texts:
        writer.add_json(text)


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
#: Set to ask that process to apply what is waiting now (see :func:`alongside_flush`).
_flush_wanted = None
#: Seconds the draining process waits between looks at the outbox.
ALONGSIDE_POLL = 0.1
#: The draining process applies the outbox once :data:`BUILT_COMMIT` rows wait (one commit of them),
#: when an import ends (:func:`alongside_flush`), or when rows have waited this many seconds.
ALONGSIDE_WAIT = 5.0


def alongside_flush() -> None:
    """Ask the process draining alongside this one to apply the outbox now (an import ended)."""
    if _flush_wanted is not None:
        _flush_wanted.set()


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
    global _drained_elsewhere, _flush_wanted
    if not enabled or _drained_elsewhere or not _can_fork():
        yield False
        return
    connections.close_all()  # the child opens its own
    context = multiprocessing.get_context("fork")
    finished = context.Event()
    flush = context.Event()
    # Not a daemon, so that it may fork the processes that build its documents; it stops by itself
    # when this process is gone (see _drain_until).
    process = context.Process(target=_drain_until, args=(finished, flush, os.getpid()),
                                name="jaringan-drain")
    # What the importer holds (its caches) stays shared with the child: frozen, the child's garbage
    # collector never visits those objects, so it never writes to (and so copies) their pages.
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
    _drained_elsewhere, _flush_wanted = True, flush
    try:
        yield True
    finally:
        _drained_elsewhere, _flush_wanted = False, None
        finished.set()
        process.join()
        if process.exitcode:
            log.warning("search index: the draining process stopped with code %s; draining here", process.exitcode)
        _drain_quietly()  # anything it left (none, unless it failed or another writer held the lock)


def _drain_until(finished, flush, parent: int) -> None:
    """In the draining process: apply the outbox until told the import finished and nothing is left
    (or until the importing process is gone), with the documents built by a pool of processes.

    While the import runs, rows are left to gather into commits of :data:`BUILT_COMMIT` (see
    :data:`ALONGSIDE_WAIT` for when fewer are applied).
    """
    for_bulk_work()  # (the builders forked below inherit it)
    waiting_since: float | None = None  # when rows were first seen waiting, too few for a commit
    with _builders() as builders:  # (the indexes the parent opened were forgotten at the fork: see ``store``)
        while True:
            last_round = finished.is_set() or os.getppid() != parent
            if not (last_round or flush.is_set()):
                waiting = EditionChange.objects.count()
                waiting_since = (waiting_since or time.monotonic()) if waiting else None
                if waiting < BUILT_COMMIT and (not waiting or time.monotonic() - waiting_since < ALONGSIDE_WAIT):
                    finished.wait(ALONGSIDE_POLL)
                    continue
            flush.clear()  # (asked again while this round drains: the next round drains again)
            waiting_since = None
            try:
                applied = _outbox_drain(builders=builders)
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
    the swap.  The documents are built by :data:`BUILD_WORKERS` processes
    (here alone inside a transaction, whose rows other processes cannot see).
    """
    store = index_store()
    with store.write_lock(wait=True), bulk_collection():
        path = store.new_generation()
        builders = _builders() if _can_fork() else None
        try:
            index = SearchIndex(path)
            total = Edition.objects.count()
            with index.writer(heap_size=REINDEX_HEAP, num_threads=REINDEX_THREADS) as writer:
                indexed = _rebuild(writer, builders, batch=batch, total=total, progress=progress)
        except BaseException:
            store.discard(path)
            raise
        finally:
            if builders is not None:
                builders.terminate()
        store.swap(path.name)
        _drain(store.index(), None)
    # Changes committed by processes that found the lock taken after the drain above are this one's.
    outbox_drain()
    return indexed


def _rebuild(writer, builders, *, batch: int, total: int, progress) -> int:
    """Add every edition's document to ``writer``, ``batch`` editions at a time in id order; return how many."""
    libraries = Libraries.load() if builders is None else None
    indexed = done = last = 0
    ahead: deque = deque()  # (editions, their documents or the pool's promise of them)
    while True:
        while len(ahead) < (2 * BUILD_WORKERS if builders is not None else 1):
            ids = list(Edition.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            last = ids[-1]
            ahead.append((len(ids), builders.apply_async(_document_texts, (ids,)) if builders is not None
                          else build_documents(ids, libraries)))
        if not ahead:
            return indexed
        count, built = ahead.popleft()
        if builders is None:
            for document in built:
                writer.add(document)
                indexed += 1
        else:
            for text in built.get():
                writer.add_json(text)
                indexed += 1
        done += count
        if progress:
            progress(done, max(total, done))


def ensure_index() -> int:
    """At server start: build the index if there is none, else apply what the outbox holds."""
    store = index_store()
    if store.current_generation() is None:
        return reindex()
    writable_index()  # rebuilt here if an older version left it
    return outbox_drain()
