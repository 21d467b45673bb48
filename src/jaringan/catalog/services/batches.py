"""An import batch's life: started for a library (noting an interrupted previous run), reaped when the
process running it is gone, finished with its counts.

Whatever runs a batch (a file, an upload, a harvest of one source) starts it here, feeds it to
`ingest`, and ends it with `finish`.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jaringan.core import liveness
from jaringan.core.errors import Forbidden
from jaringan.network.models import Library
from jaringan.network.permissions import Principal

from .. import signals
from ..models import ImportBatch, Quarantine
from ..permissions import can_catalogue


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


def quarantine_kept(batch: ImportBatch) -> int:
    """Quarantine rows this batch has kept (counted once from the database, then as they are added)."""
    if getattr(batch, "_quarantine_kept", None) is None:
        batch._quarantine_kept = Quarantine.objects.filter(batch=batch).count()
    return batch._quarantine_kept


def finish(batch: ImportBatch) -> None:
    batch.finished = timezone.now()  # the quarantine's sentence is written at display (catalog.texts)
    batch.save()
    signals.import_finished.send(sender=ImportBatch, batch=batch)
