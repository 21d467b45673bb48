"""The JSON API fuzzed live, as `bench/security.py` does it, within a bounded budget: a real `jaringan serve`
on 127.0.0.1 over the demo network, Schemathesis as anonymous, as staff (bearer token) and as coordinator,
then the hostile inputs. No server error, no response outside the OpenAPI document.

On PostgreSQL (DATABASE_URL) the demo goes into a database of its own on that server, dropped afterwards.
"""

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 60  # a cap, shared by the three people; the examples decide the rest
EXAMPLES_PER_OPERATION = 3


def _bench():
    spec = importlib.util.spec_from_file_location("bench_security", REPO / "bench" / "security.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("schemathesis", path=str(Path(sys.executable).parent)) is None,
                    reason="schemathesis is not installed (pip install -e '.[test]')")
def test_live_api_has_no_server_error_and_keeps_to_its_document(tmp_path, capsys):
    security = _bench()
    fuzzed, checks = security.run(home=tmp_path, records=20, budget=BUDGET_SECONDS,
                                  max_examples=EXAMPLES_PER_OPERATION, large=False, seed=18,
                                  database_url=os.environ.get("DATABASE_URL"))
    held = security.report(fuzzed, checks)
    printed = capsys.readouterr().out
    assert [f.role for f in fuzzed] == ["anonymous", "staff", "coordinator"]
    assert all(f.cases > 50 for f in fuzzed), printed
    assert len(checks) == 6 and held, printed
