"""The demo is one package that production code never imports, and its data files ship with it."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
PACKAGE = SRC / "jaringan"
DEMO = PACKAGE / "demo"


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path):
    """(module imported, whether at the module's top level) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            yield name, id(node) in top


def _is_cli(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] in ("cli.py", "cli")


def test_only_the_command_lines_demo_command_imports_the_demo():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if DEMO in path.parents:
            continue
        for name, top_level in _imports(path):
            if name != "jaringan.demo" and not name.startswith("jaringan.demo."):
                continue
            if _is_cli(path) and not top_level:
                continue  # inside the command line's functions: the demo command, its --records default
            offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


def test_the_scan_sees_imports_of_the_demo():
    """The check above can fail: it finds the command line's own imports of the package."""
    cli = [p for p in PACKAGE.rglob("*.py") if _is_cli(p)]
    found = {name for path in cli for name, _top in _imports(path)}
    assert any(name == "jaringan.demo" or name.startswith("jaringan.demo.") for name in found)


def test_the_data_files_ship_with_the_package():
    """Every file of demo/data/ is named by the package data that `pip install .` copies."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["jaringan"]
    shipped = {path for pattern in patterns for path in PACKAGE.glob(pattern) if path.is_file()}
    data = {path for path in (DEMO / "data").rglob("*") if path.is_file()}
    assert data and not data - shipped, sorted(str(p.relative_to(PACKAGE)) for p in data - shipped)
    names = {path.name for path in data}
    assert {"network.toml", "serials.toml", "reciprocal.toml", "bibliographies.toml",
            "loc-indonesia-2016.mrc.xz"} <= names

