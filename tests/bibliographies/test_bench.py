"""`bench/bibliography_export.py --json` on a small list: a line a format, then the same figures as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.processes import REPO


def test_bench_times_every_format_and_prints_json():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JARINGAN_HOME")}
    done = subprocess.run([sys.executable, "bench/bibliography_export.py", "--entries", "3", "--no-cold", "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    *lines, last = done.stdout.rstrip("\n").splitlines()
    figures = json.loads(last)
    assert figures["entries"] == 3 and figures["database"] == "sqlite3"
    expected = {"bib", "ris", "csl", "marc", "marcxml", "printable page"} | {
        f"{style} {locale} warm" for style in ("apa", "chicago", "ieee", "itb") for locale in ("id-ID", "en-US")}
    assert set(figures["seconds"]) == set(figures["cpu_seconds"]) == expected
    assert all(figures["bytes"][name] > 0 for name in expected)
    for name in expected:
        line = next(line for line in lines if line.startswith(f"{name} "))
        printed = float(line[len(name):].split()[0])  # to the hundredth; the JSON keeps the thousandth
        assert abs(printed - figures["seconds"][name]) <= 0.006, line
