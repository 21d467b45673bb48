"""The layout holds: the pure core never imports Django, no module imports itself back through others,
and each app imports only the apps below it.

Read from the source (AST), so every import counts wherever it is written:
at the top of a module, inside a function, under ``if TYPE_CHECKING``.
``from a.b import c`` is an import of module ``a.b.c`` when there is one,
else of ``a.b``.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "jaringan"
CORE = PACKAGE / "core"

#: What each part of the site may import of the others (besides itself). A part is a package of
#: ``jaringan`` (an app, or the core) or one of its top-level modules. Below the apps: the core and the
#: kernel every app shares (the errors and their pages and API bodies, caches, outbound HTTP, plain text).
KERNEL = {"core", "errors", "errorpages", "api_errors", "lru", "outbound", "plaintext", "csvdownload"}
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "errors": {"core"},
    "lru": set(),
    "plaintext": {"core", "errors"},
    "csvdownload": set(),
    "outbound": {"core", "errors"},
    "api_errors": {"core", "errors"},
    "settings": set(),
    "security": KERNEL,
    "errorpages": {"core", "errors"},
    # who is who: libraries, networks, memberships, agreements, roles, API tokens
    "network": KERNEL | {"security"},
    # the union catalogue
    "catalog": KERNEL | {"network", "security"},
    "serials": KERNEL | {"network", "catalog"},
    "discovery": KERNEL | {"network", "catalog", "serials"},
    "harvesting": KERNEL | {"network", "catalog"},
    "ill": KERNEL | {"network", "catalog", "serials", "security"},
    "reciprocal": KERNEL | {"network", "ill"},
    "analysis": KERNEL | {"network", "catalog", "ill", "reciprocal"},
    "bibliographies": KERNEL | {"network", "catalog"},
    # the protocols' edges (SRU, Z39.50, OAI-PMH, NCIP) over the apps they serve
    "interop": KERNEL | {"network", "catalog", "discovery", "reciprocal", "security"},
    "demo": KERNEL | {"network", "catalog", "serials", "discovery", "harvesting", "ill", "reciprocal", "analysis",
                      "bibliographies", "interop", "security"},
    # the edges that put the apps together
    "api": {"api_errors", "network", "catalog", "serials", "discovery", "harvesting", "ill", "reciprocal",
            "analysis", "bibliographies"},
    "urls": {"api", "errorpages", "network", "catalog", "serials", "discovery", "harvesting", "ill", "reciprocal",
             "analysis", "bibliographies", "interop", "security"},
    "wsgi": {"interop"},
    "cli": KERNEL | {"network", "catalog", "serials", "discovery", "harvesting", "ill", "reciprocal", "analysis",
                     "bibliographies", "interop", "security", "demo", "wsgi", "settings"},
    "__main__": {"cli"},
    "__init__": set(),
}

#: Imports against the table above that are still in the code, each by module (none may be added).
KNOWN = {
    ("jaringan.catalog.pipeline", "jaringan.discovery.services"),
    ("jaringan.network.views", "jaringan.catalog.labels"),
    ("jaringan.network.views", "jaringan.ill.rota"),
    ("jaringan.network.views", "jaringan.ill.web.reasons"),
    ("jaringan.network.views", "jaringan.ill.web.screens"),
    ("jaringan.network.api", "jaringan.ill.rota"),
    ("jaringan.reciprocal.selectors", "jaringan.interop.ncip.client"),
    ("jaringan.reciprocal.texts", "jaringan.interop.ncip.client"),
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_name(path): path for path in PACKAGE.rglob("*.py")}


def imported(name: str, text: str, known, *, package: bool = False) -> set[str]:
    """The modules among ``known`` that module ``name`` (source ``text``; a package's ``__init__``
    when ``package``) imports, anywhere in it."""
    where = name.split(".") if package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(where[: len(where) - node.level + 1] + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    out = set()
    for target in found:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            out.add(target)
    return out


@cache
def graph() -> dict[str, frozenset[str]]:
    return {name: frozenset(imported(name, path.read_text(encoding="utf-8"), modules(),
                                     package=path.name == "__init__.py"))
            for name, path in modules().items()}


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, without recursion)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def part(module: str) -> str:
    """The part of the site a module belongs to (see :data:`ALLOWED`)."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def test_core_does_not_import_django():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("django", "ninja")]
    assert offenders == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_the_scan_sees_imports_wherever_they_are_written():
    """A cycle made only of an import inside a function, a relative import of a sibling, one for type
    checking and a plain one is found (or the test above would prove nothing)."""
    source = {
        "jaringan.x.a": "def f():\n    from . import b\n",
        "jaringan.x.b": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..x.c import C\n",
        "jaringan.x.c": "import jaringan.x.a\nfrom jaringan.x import d\n",
        "jaringan.x.d": "from jaringan.x.c import helper\n",
        "jaringan.x.e": "from jaringan.x.a import f\n",
    }
    edges = {name: frozenset(imported(name, text, source)) for name, text in source.items()}
    assert edges["jaringan.x.a"] == {"jaringan.x.b"} and edges["jaringan.x.b"] == {"jaringan.x.c"}
    assert cycles(edges) == [["jaringan.x.a", "jaringan.x.b", "jaringan.x.c", "jaringan.x.d"]]
    assert cycles({**edges, "jaringan.x.c": frozenset()}) == []


def test_every_part_of_the_site_is_in_the_table():
    assert {part(name) for name in modules()} - set(ALLOWED) == set()


def test_apps_import_only_what_the_table_allows():
    forbidden = sorted(
        (name, target) for name, targets in graph().items() for target in targets
        if part(target) != part(name) and part(target) not in ALLOWED.get(part(name), set())
        and (name, target) not in KNOWN
    )
    assert forbidden == []


def test_the_known_exceptions_are_still_there():
    """An exception removed from the code is removed from :data:`KNOWN` (it may not come back)."""
    assert {(name, target) for name, target in KNOWN if target not in graph().get(name, ())} == set()


def test_the_table_has_layers():
    """No two parts may import each other, through any number of others."""
    assert cycles({name: frozenset(allowed) for name, allowed in ALLOWED.items()}) == []


def demo(module: str) -> bool:
    """Whether a module is demo code (``jaringan.demo``, or an app's ``demo`` module)."""
    return "demo" in module.split(".")[1:] or module.split(".")[-1].startswith("demo_")


def test_only_demo_code_and_the_command_line_import_demo_code():
    importers = sorted((name, target) for name, targets in graph().items() for target in targets
                       if demo(target) and not demo(name) and part(name) != "cli")
    assert importers == []
