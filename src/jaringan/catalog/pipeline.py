"""One import pipeline for every way records come in: `jaringan import`, the records page, the API,
OAI-PMH harvests (page by page, :meth:`ImportPipeline.taking`) and SLiMS UCS pushes (:meth:`ImportPipeline.take`).

:class:`ImportPipeline` owns what makes a large import fast: the processes
decoding MARC 21 (``core.catalog.readers.parallel``), the garbage collector's
bulk settings (``core.collector``), the search index following the import in
a process of its own (``discovery.services.drain_alongside``) and, through
``services.ingest`` (``services.new_records``), the process's cache of canonical forms. The command line
runs it in the foreground; uploads from the page and the API are saved under
``JARINGAN_HOME/uploads/<batch>/`` and run by :data:`BACKGROUND`, a thread of
the serving process started when an upload is committed, one batch after
another.

Nothing is lost, nothing is applied twice:

* an upload's batch is created, and its file saved, before the request
  answers; a worker takes a waiting batch by setting its heartbeat where it
  is still empty (one update: a second worker finds it taken);
* a batch records the process that runs it: when that process dies (the
  server killed), ``services.batches.batches_reap`` marks the batch interrupted, its
  committed chunks kept, its file kept; :func:`batch_retry` runs the file
  again as a new batch, which recognises what the first one stored (same
  library and identifier, same bytes: unchanged).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.core import liveness
from jaringan.core.errors import Forbidden, Invalid, NotFound
from jaringan.network.models import Library
from jaringan.network.permissions import Principal
from jaringan.plaintext import refuse_controls

from .models import ImportBatch, MatchLink
from .permissions import can_catalogue
from .reasons import reason_display
from .services.batches import batch_start, batches_reap, finish
from .services.ingest import CHUNK, ingest, ingest_chunk

if TYPE_CHECKING:
    from jaringan.core.catalog.readers import DecodingPool

__all__ = ["BACKGROUND", "ImportPipeline", "Progress", "batch_progress", "batch_retry", "import_file", "run_waiting",
           "upload_submit"]

log = logging.getLogger(__name__)

#: Files larger than this are decoded on every core (starting the processes costs about a second).
LARGE_FILE = 20_000_000
#: Bytes copied at a time when an upload is saved.
COPY_BLOCK = 1 << 20
#: How often (seconds at the least) a running batch writes how far into its file it has read.
PROGRESS_EVERY = 0.5


@dataclass(frozen=True)
class ImportPipeline:
    """How a file of records goes into the catalogue, the same from the command line and the web.

    ``workers``: processes decoding MARC 21 (None: every core for a file over :data:`LARGE_FILE`, else
    one). ``follow_index``: bring the search index up to date in a second process while records are
    stored (None: when more than one process decodes). ``pool``: decoding processes kept for one file
    after another (see :meth:`workers_kept`).
    """

    workers: int | None = None
    follow_index: bool | None = None
    chunk: int = CHUNK
    pool: DecodingPool | None = field(default=None, compare=False, repr=False)

    @contextmanager
    def workers_kept(self) -> Iterator["ImportPipeline"]:
        """The pipeline with its decoding processes started once, when a file first needs them, and kept
        for every file it runs inside the block (each start costs about half a second)."""
        from jaringan.core.catalog.readers import DecodingPool

        with DecodingPool(self.workers or os.cpu_count() or 1) as pool:
            yield replace(self, pool=pool)

    def decoding_workers(self, size: int | None) -> int:
        if self.workers:
            return max(1, self.workers)
        return (os.cpu_count() or 1) if size is not None and size > LARGE_FILE else 1

    def import_file(self, *, actor: Principal, library: Library, stream: BinaryIO, name: str = "",
                    format: str | None = None, source: str = ImportBatch.Source.FILE, size: int | None = None,
                    progress: Callable[[ImportBatch], None] | None = None) -> ImportBatch:
        """Start a batch and run the file through it now (the command line)."""
        batch = batch_start(actor=actor, library=library, source=source, name=name, format=format or "")
        return self.run(batch=batch, stream=stream, size=size, progress=progress)

    def run(self, *, batch: ImportBatch, stream: BinaryIO, size: int | None = None,
            progress: Callable[[ImportBatch], None] | None = None) -> ImportBatch:
        """Read the stream into a started batch; the finished batch.

        A file that cannot be read at all (not XML, an entity bomb, too large) fails its batch with
        the reason and raises `Invalid`; records already committed from it stay.
        """
        from jaringan.core.catalog import readers
        from jaringan.core.catalog.errors import CatalogError
        from jaringan.discovery.services import drain_alongside

        workers = self.decoding_workers(size)
        follow = workers > 1 if self.follow_index is None else self.follow_index
        try:
            with drain_alongside(enabled=follow):
                items = readers.read(stream, format=batch.format or None, workers=workers,
                                     pool=self.pool if workers > 1 else None)
                return ingest(batch=batch, items=items, progress=progress, chunk=self.chunk)
        except CatalogError as exc:
            batch.refresh_from_db()
            if batch.status != ImportBatch.Status.FAILED:
                batch.status, batch.message = ImportBatch.Status.FAILED, str(exc)[:2000]
                finish(batch)
            reason = reason_display(str(exc))
            raise Invalid(_("%(name)s could not be read: %(reason)s") % {
                "name": batch.name or _("the file"), "reason": reason}, errors={"file": [reason]}) from None


    @contextmanager
    def taking(self, *, follow_index: bool | None = None) -> Iterator["ImportPipeline"]:
        """The pipeline around items read elsewhere, page after page (a harvest): the collector's bulk
        settings and, when `follow_index` (default: the pipeline's own, else off), the search index
        brought up to date by a process of its own while pages are stored. Each page goes in with
        :meth:`take_page`."""
        from jaringan.core.collector import bulk_collection
        from jaringan.discovery.services import drain_alongside

        follow = bool(self.follow_index) if follow_index is None else follow_index
        with bulk_collection(), drain_alongside(enabled=follow):
            yield self

    def take_page(self, batch: ImportBatch, items: list) -> None:
        """Take a page of items read elsewhere into the batch, in the caller's transaction (a harvest
        commits the page with its checkpoint): the same chunk step as a file's."""
        ingest_chunk(batch, items)

    def take(self, *, batch: ImportBatch, items, progress: Callable[[ImportBatch], None] | None = None
             ) -> ImportBatch:
        """Take items read elsewhere (a SLiMS push) into a started batch, chunk after chunk; the finished batch."""
        return ingest(batch=batch, items=items, progress=progress, chunk=self.chunk)


def import_file(*, actor: Principal, library: Library, stream, name: str = "", format: str | None = None,
                source: str = ImportBatch.Source.FILE, progress: Callable[[ImportBatch], None] | None = None,
                chunk: int = CHUNK, workers: int = 1) -> ImportBatch:
    """Read a file of records (any format the readers know) into the catalogue for a library, now.

    The import pipeline with `workers` processes decoding MARC 21, the search index not followed
    alongside. A file that cannot be read at all fails its batch with the reason and raises `Invalid`;
    records already committed from it stay, and running the file again resumes without duplicates.
    """
    return ImportPipeline(workers=workers, follow_index=False, chunk=chunk).import_file(
        actor=actor, library=library, stream=stream, name=name, format=format, source=source, progress=progress)


# --- uploads run in the background ---------------------------------------------------------------

def _folder(batch_id: int) -> Path:
    return Path(settings.HOME) / "uploads" / str(batch_id)


def _upload_path(batch_id: int) -> Path:
    return _folder(batch_id) / "records"


def upload_submit(*, actor: Principal, library: Library, upload, name: str = "", format: str | None = None,
                  source: str = ImportBatch.Source.UPLOAD) -> ImportBatch:
    """Save an upload and queue its batch; the batch, waiting. The work starts when the caller's
    transaction commits (see :data:`BACKGROUND`). A file name or format holding a control character is
    refused, naming the field, before anything is stored (PostgreSQL cannot store a NUL character)."""
    refuse_controls({"file": name, "format": format or ""})
    batch = batch_start(actor=actor, library=library, source=source, name=name, format=format or "",
                        waiting=True)
    folder = _folder(batch.pk)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(_upload_path(batch.pk), "wb") as out:
            chunks = upload.chunks(COPY_BLOCK) if hasattr(upload, "chunks") else iter(
                lambda: upload.read(COPY_BLOCK), b"")
            for block in chunks:
                out.write(block)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        batch.status, batch.message = ImportBatch.Status.FAILED, str(exc)[:2000]
        finish(batch)
        raise Invalid(_("The file could not be saved: %(reason)s") % {"reason": exc}) from None
    if not format:
        _recognised(batch)
    _write_progress(batch.pk, 0, _upload_path(batch.pk).stat().st_size)
    transaction.on_commit(BACKGROUND.wake)
    return batch


def _recognised(batch: ImportBatch) -> None:
    """A file of no known format is refused at once (its batch failed with the reason), not after a wait."""
    from jaringan.core.catalog.errors import CatalogError
    from jaringan.core.catalog.readers.sniff import HEAD_BYTES, sniff_format

    with open(_upload_path(batch.pk), "rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        sniff_format(head, batch.name)
    except CatalogError as exc:
        shutil.rmtree(_folder(batch.pk), ignore_errors=True)
        batch.status, batch.message = ImportBatch.Status.FAILED, str(exc)[:2000]
        finish(batch)
        reason = reason_display(str(exc))
        raise Invalid(_("%(name)s could not be read: %(reason)s") % {
            "name": batch.name or _("the file"), "reason": reason}, errors={"file": [reason]}) from None


def batch_retry(*, actor: Principal, batch: ImportBatch) -> ImportBatch:
    """Run an interrupted upload's file again, as a new batch (it finds what the first one stored)."""
    if not can_catalogue(actor, batch.library):
        raise Forbidden(_("You may not add records for %(library)s.") % {"library": batch.library.name})
    batches_reap(library=batch.library)
    batch.refresh_from_db()
    if batch.status != ImportBatch.Status.INTERRUPTED or not _upload_path(batch.pk).is_file():
        raise NotFound(_("Only an interrupted upload whose file is kept can be run again."))
    again = batch_start(actor=actor, library=batch.library, source=batch.source, name=batch.name,
                        format=batch.format, waiting=True)
    _folder(again.pk).mkdir(parents=True, exist_ok=True)
    os.replace(_upload_path(batch.pk), _upload_path(again.pk))  # one file, moved: never run twice
    shutil.rmtree(_folder(batch.pk), ignore_errors=True)
    _write_progress(again.pk, 0, _upload_path(again.pk).stat().st_size)
    transaction.on_commit(BACKGROUND.wake)
    return again


def retryable(batch: ImportBatch) -> bool:
    return batch.status == ImportBatch.Status.INTERRUPTED and _upload_path(batch.pk).is_file()


def run_waiting(pipeline: ImportPipeline | None = None) -> ImportBatch | None:
    """Take the oldest upload waiting for this process and run it; the finished batch, or None."""
    here = liveness.Worker.current()
    waiting = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING, heartbeat__isnull=True,
                                         worker_host=here.host, worker_pid=here.pid).order_by("pk")
    for batch_id in waiting.values_list("pk", flat=True)[:20]:
        if ImportBatch.objects.filter(pk=batch_id, heartbeat__isnull=True).update(heartbeat=timezone.now()):
            batch = ImportBatch.objects.select_related("library").get(pk=batch_id)
            return _run_upload(batch, pipeline or ImportPipeline())
    return None


class _CountingFile:
    """The saved upload, read by the pipeline, noting how far it has gone for the batch page."""

    def __init__(self, handle: BinaryIO, batch_id: int, total: int, name: str):
        self.handle, self.batch_id, self.total = handle, batch_id, total
        self.name = name  # the file's name as sent: its extension tells the format when the content cannot
        self._noted = 0.0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        now = time.monotonic()
        if now - self._noted >= PROGRESS_EVERY:
            self._noted = now
            _write_progress(self.batch_id, self.handle.tell(), self.total)
        return data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _run_upload(batch: ImportBatch, pipeline: ImportPipeline) -> ImportBatch:
    path = _upload_path(batch.pk)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            pipeline.run(batch=batch, stream=_CountingFile(handle, batch.pk, size, batch.name), size=size)
    except Invalid:
        pass  # the batch failed with the reason, shown on its page
    except OSError as exc:  # the saved file is gone
        batch.refresh_from_db()
        if batch.status == ImportBatch.Status.RUNNING:
            batch.status, batch.message = ImportBatch.Status.FAILED, str(exc)[:2000]
            finish(batch)
    except Exception:  # ingest failed the batch with the reason; the worker goes on with the next one
        log.exception("import batch %s failed", batch.pk)
    batch.refresh_from_db()
    if batch.status != ImportBatch.Status.RUNNING:
        shutil.rmtree(_folder(batch.pk), ignore_errors=True)
    return batch


class BackgroundImports:
    """A thread of the serving process that runs its waiting uploads, one after another, started when
    an upload is committed and ending when none is left (the decoding processes a large file starts are
    kept for the uploads waiting after it, and stop with the thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._wanted = False

    def wake(self) -> None:
        with self._lock:
            self._wanted = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="jaringan-imports", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._wanted:
                        self._thread = None
                        return
                    self._wanted = False
                with ImportPipeline().workers_kept() as pipeline:
                    while run_waiting(pipeline) is not None:
                        pass
        except Exception:
            log.exception("background imports stopped; waiting uploads are taken up by the next upload")
            with self._lock:
                self._thread = None
        finally:
            connection.close()

    def idle(self, timeout: float = 60.0) -> bool:
        """Wait until no upload is running here (tests, benchmarks); whether it is so."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()


BACKGROUND = BackgroundImports()


# --- progress -----------------------------------------------------------------------------------

def _write_progress(batch_id: int, done: int, total: int) -> None:
    path = _folder(batch_id) / "progress.json"
    try:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"bytes_read": done, "bytes_total": total}))
        os.replace(temporary, path)
    except OSError:
        pass  # the page shows records read without the share of the file


@dataclass(frozen=True)
class Progress:
    """How far a batch has gone, for its page and the API."""

    batch: ImportBatch
    waiting: bool
    bytes_read: int | None
    bytes_total: int | None
    seconds: float
    per_second: float | None
    seconds_left: float | None
    retryable: bool
    #: Of the batch's new records: those that started an edition, those that joined one (when finished).
    new_editions: int | None = None
    joined_editions: int | None = None

    @property
    def percent(self) -> int | None:
        if self.batch.status != ImportBatch.Status.RUNNING:
            return 100 if self.batch.status == ImportBatch.Status.DONE else None
        if not self.bytes_total:
            return None
        return min(99, int(100 * (self.bytes_read or 0) / self.bytes_total))

    def as_dict(self) -> dict:
        b = self.batch
        return {
            "id": b.pk, "library": b.library.code, "name": b.name, "source": b.source, "format": b.format,
            "status": b.status,
            "waiting": self.waiting, "started": b.started.isoformat(),
            "finished": b.finished.isoformat() if b.finished else None,
            "read": b.read, "created": b.created, "new_editions": self.new_editions,
            "joined_editions": self.joined_editions, "updated": b.updated,
            "unchanged": b.unchanged, "withdrawn": b.withdrawn, "held": b.held, "quarantined": b.quarantined,
            "bytes_read": self.bytes_read, "bytes_total": self.bytes_total, "percent": self.percent,
            "records_per_second": round(self.per_second, 1) if self.per_second else None,
            "seconds_left": round(self.seconds_left) if self.seconds_left is not None else None,
            "retryable": self.retryable,
        }


def batch_progress(batch: ImportBatch) -> Progress:
    """The batch as it stands (reaped first: a batch whose process died shows as interrupted)."""
    if batch.status == ImportBatch.Status.RUNNING:
        batches_reap(library=batch.library)
        batch.refresh_from_db()
    done, total = None, None
    try:
        noted = json.loads((_folder(batch.pk) / "progress.json").read_text())
        done, total = int(noted["bytes_read"]), int(noted["bytes_total"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    end = batch.finished or timezone.now()
    seconds = max(0.0, (end - batch.started).total_seconds())
    waiting = batch.status == ImportBatch.Status.RUNNING and batch.heartbeat is None
    per_second = batch.read / seconds if seconds > 0 and batch.read else None
    left = None
    if batch.status == ImportBatch.Status.RUNNING and done and total and seconds > 0:
        left = max(0.0, (total - done) / (done / seconds))
    new_editions = joined = None
    if batch.status != ImportBatch.Status.RUNNING:
        decided = {row["decided"]: row["n"] for row in MatchLink.objects.filter(
            record__batch=batch, record__withdrawn=False).values("decided").annotate(n=Count("pk"))}
        new_editions = decided.get(MatchLink.Decided.NEW, 0)
        joined = decided.get(MatchLink.Decided.MATCHED, 0) + decided.get(MatchLink.Decided.STAFF, 0)
    return Progress(batch=batch, waiting=waiting, bytes_read=done, bytes_total=total, seconds=seconds,
                    per_second=per_second, seconds_left=left, retryable=retryable(batch),
                    new_editions=new_editions, joined_editions=joined)
