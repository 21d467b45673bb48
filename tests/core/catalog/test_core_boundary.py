"""The pure core never imports Django (nor django-ninja): checked on the source with ``ast``."""

import ast
from pathlib import Path

from tests.paths import REPO

CORE = REPO / "src" / "jaringan" / "core"
FORBIDDEN = ("django", "ninja")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in {
            "__import__", "import_module"
        }:
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return names


def test_core_files_exist():
    assert (CORE / "catalog" / "matching" / "decision.py").is_file()


def test_no_module_under_core_imports_django():
    offenders = {}
    for path in sorted(CORE.rglob("*.py")):
        bad = {m for m in _imported_modules(path) if m.split(".")[0] in FORBIDDEN}
        if bad:
            offenders[str(path.relative_to(REPO))] = sorted(bad)
    assert offenders == {}


def test_the_check_would_catch_an_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom django.db import models\nimportlib.import_module('ninja')\n")
    assert {"django.db", "ninja"} <= _imported_modules(sample)
