"""The soak test, small: `bench/soak.py` for a few seconds of imports, harvests, loans and searches under
kill -9, on a hub of its own (on PostgreSQL too when the suite runs there), then every count reconciled."""

from __future__ import annotations

import subprocess
import sys

from tests.support.processes import REPO


def test_a_short_soak_with_kills_reconciles():
    done = subprocess.run([sys.executable, "bench/soak.py", "--seconds", "8", "--records", "150", "--seed", "18"],
                          cwd=REPO, capture_output=True, text=True, timeout=400)
    report = done.stdout[-4000:] + done.stderr[-4000:]
    assert done.returncode == 0, report
    assert "passed: 0 of the checks failed" in done.stdout, report
    assert "FAIL" not in done.stdout, report
