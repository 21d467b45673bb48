"""Is the process that runs a long job still there?

A job (an import batch, a harvest run) records the process that runs it:
the host's name and the process id, and a heartbeat each time it commits
work. Killed (``kill -9``, a reboot, the OOM killer), it cannot say it
stopped; the next look at it decides:

* on the same host, the process is gone when its id names no process, or a
  zombie (killed, not yet collected by its parent);
* whatever the host, a job silent for longer than the lease is taken as
  gone (a process on another machine cannot be asked; a reused process id
  on this one would otherwise keep a dead job "running" for ever).

Pure: no Django.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

__all__ = ["LEASE", "Worker", "gone", "pid_alive"]

#: A job that committed nothing for this long is taken as gone, wherever it runs. A harvest waits for a
#: provider at most a few minutes a page (retries included); an import commits a chunk every second or so.
LEASE = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Worker:
    """A process, named the way a job records it."""

    host: str
    pid: int

    @classmethod
    def current(cls) -> Worker:
        return cls(socket.gethostname()[:255], os.getpid())

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` exists on this host and is not a zombie."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): the signal said it exists
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def gone(*, host: str, pid: int | None, heartbeat: datetime, now: datetime, lease: timedelta = LEASE,
         here: Worker | None = None) -> bool:
    """Whether the job's process is gone (see the module's docstring)."""
    if now - heartbeat > lease:
        return True
    here = here or Worker.current()
    if pid is None or host != here.host:
        return False  # not ours to ask: the lease decides
    return pid != here.pid and not pid_alive(pid)
