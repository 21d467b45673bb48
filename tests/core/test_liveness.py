"""Whether a job's process is gone: real processes, killed and not yet collected (zombies) included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from jaringan.core.liveness import LEASE, Worker, gone, pid_alive

NOW = datetime(2026, 12, 6, 7, 0, tzinfo=timezone.utc)


def test_a_killed_process_is_gone_even_before_its_parent_collects_it():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert pid_alive(child.pid)
        child.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while pid_alive(child.pid) and time.monotonic() < deadline:  # a zombie until waited for
            time.sleep(0.01)
        assert not pid_alive(child.pid)
    finally:
        child.kill()
        child.wait()
    assert not pid_alive(child.pid)


def test_gone_on_this_host_by_its_process_elsewhere_by_the_lease():
    here = Worker.current()
    assert not gone(host=here.host, pid=os.getpid(), heartbeat=NOW, now=NOW, here=here)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert gone(host=here.host, pid=child.pid, heartbeat=NOW, now=NOW, here=here)
    # Another machine's process cannot be asked: only a heartbeat older than the lease says it is gone.
    assert not gone(host="elsewhere", pid=child.pid, heartbeat=NOW, now=NOW + LEASE, here=here)
    assert gone(host="elsewhere", pid=child.pid, heartbeat=NOW, now=NOW + LEASE + timedelta(seconds=1), here=here)
    # A batch recorded before processes were: the lease alone.
    assert not gone(host="", pid=None, heartbeat=NOW, now=NOW, here=here)
    assert gone(host=here.host, pid=os.getpid(), heartbeat=NOW - LEASE * 2, now=NOW, here=here)
