"""Tests that read outside data say in one line what is missing; CI makes that a failure."""

import os
import subprocess
import sys

from tests.paths import REPO

NEEDS_SHARED = """
from tests.paths import FIXTURES

def test_reads_a_fixture():
    assert FIXTURES.is_dir()
"""


def _run(tmp_path, **env):
    (tmp_path / "test_needs_shared.py").write_text(NEEDS_SHARED)
    (tmp_path / "test_needs_nothing.py").write_text("def test_runs():\n    assert 1 + 1 == 2\n")
    environ = {k: v for k, v in os.environ.items() if k != "JARINGAN_REQUIRE_SHARED"}
    environ.update(PYTHONPATH=str(REPO), JARINGAN_SHARED=str(tmp_path / "no-shared-here"), **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:django",
                           str(tmp_path)], cwd=tmp_path, env=environ,
                          capture_output=True, text=True, timeout=120)


def test_missing_outside_data_skips_with_one_line_saying_how_to_point_at_it(tmp_path):
    run = _run(tmp_path)
    assert run.returncode == 0 and "1 passed, 1 skipped" in run.stdout, run.stdout + run.stderr
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1, run.stdout
    assert str(tmp_path / "no-shared-here") in skipped[0] and "JARINGAN_SHARED=" in skipped[0]


def test_ci_requires_the_outside_data(tmp_path):
    run = _run(tmp_path, JARINGAN_REQUIRE_SHARED="1")
    assert run.returncode != 0
    assert "JARINGAN_REQUIRE_SHARED is set" in run.stdout
