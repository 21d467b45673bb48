"""The interlibrary loan app keeps its layers: no import cycle, and the web edge is used by nothing beneath it.

Read from the source (every import anywhere in a module, inside functions too), no database.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
ILL = "jaringan.ill"


def _modules(package: str) -> dict[str, Path]:
    root = SRC.joinpath(*package.split("."))
    out = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that module ``name`` imports, wherever in it the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def resolve(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {resolve(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else resolve(base))
    return found - {None, name}


def _graph(*packages: str) -> dict[str, set[str]]:
    known = {}
    for package in packages:
        known.update(_modules(package))
    return {name: _imports(name, path, known) for name, path in known.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` (the modules in order, the first repeated at the end), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_no_import_cycle_in_the_app_or_the_iso18626_core():
    assert _cycle(_graph(ILL)) == []
    assert _cycle(_graph("jaringan.core.iso18626", "jaringan.core.ill")) == []


def test_the_finder_sees_a_cycle_inside_a_function():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]


def test_only_the_web_edge_imports_the_web_edge():
    graph = _graph(ILL)
    web = f"{ILL}.web"
    beneath = {name: sorted(m for m in deps if m == web or m.startswith(web + "."))
               for name, deps in graph.items() if not (name == web or name.startswith(web + "."))}
    assert {name: deps for name, deps in beneath.items() if deps} == {}


def test_the_function_level_imports_are_seen():
    """The scan reads an import inside a function as an import of the module (it would run when called)."""
    assert f"{ILL}.iso18626.sender" in _graph(ILL)[f"{ILL}.apps"]
