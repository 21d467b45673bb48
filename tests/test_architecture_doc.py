"""docs/architecture.md stays true: every module, folder and name it gives exists.

The page names modules as paths under ``src/jaringan/`` (``catalog/pipeline.py``), folders with a
trailing slash (``ill/web/``), a name inside a module after a colon (``ill/ledger.py:record_supply``),
the tests' files from the repository's root (``tests/...``), and other pages of ``docs/`` by link.
A bare file name (``views.py``) is a shape the apps share: some app must have it.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "jaringan"
DOC = REPO / "docs" / "architecture.md"

#: A path-like name in backticks: a module (``.py``, maybe ``:name``) or a folder (``/`` at the end).
NAMED = re.compile(r"`([\w./-]+(?:\.py(?::\w+)?|/))`")
LINK = re.compile(r"\]\(([\w./-]+\.md)\)")


def _named() -> list[str]:
    return NAMED.findall(DOC.read_text(encoding="utf-8"))


@cache
def _top_level_names(path: Path) -> frozenset[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return frozenset(names)


def _missing(token: str) -> str | None:
    """Why ``token`` is not true of the tree, or None."""
    path, _colon, name = token.partition(":")
    if "/" not in path.rstrip("/"):
        found = [p for p in PACKAGE.rglob(path.rstrip("/")) if "__pycache__" not in p.parts]
        return None if found else f"no {path} in any app"
    base = REPO if path.startswith(("tests/", "docs/")) else PACKAGE
    target = base / path
    if path.endswith("/"):
        return None if target.is_dir() else f"no folder {path}"
    if not target.is_file():
        return f"no module {path}"
    if name and name not in _top_level_names(target):
        return f"{path} defines no {name}"
    return None


def test_the_page_names_the_layers_and_both_journeys():
    """The check below can fail: the page names enough to check (and the scan finds it)."""
    named = _named()
    assert len(set(named)) >= 50
    assert sum(":" in token for token in named) >= 15
    assert _missing("catalog/no_such_module.py") and _missing("ill/ledger.py:no_such_name")
    assert _missing("no_such_shape.py") and _missing("ill/no_such_folder/")


def test_every_module_and_name_the_page_gives_exists():
    wrong = sorted({f"{token}: {why}" for token in _named() if (why := _missing(token))})
    assert wrong == []


def test_every_page_it_links_exists():
    links = LINK.findall(DOC.read_text(encoding="utf-8"))
    assert links and [link for link in links if not (DOC.parent / link).is_file()] == []
