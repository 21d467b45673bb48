"""One tree of errors: every exception class of ``src/`` stands on ``JaringanError`` through one branch.

Found from the source (an AST scan: a class is an exception when a base is a built-in exception, a
library's ``...Error``/``...Exception``, or another exception class of the project), then imported
and checked for what Python itself says of it.
"""

from __future__ import annotations

import ast
import builtins
import importlib
from pathlib import Path

import pytest

from jaringan.core.errors import Conflict, Forbidden, Invalid, JaringanError, NotFound, Unavailable, lookup

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "jaringan"
BRANCHES = (Invalid, Forbidden, NotFound, Conflict, Unavailable)
BUILTIN_EXCEPTIONS = {name for name, value in vars(builtins).items()
                      if isinstance(value, type) and issubclass(value, BaseException)}


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _classes() -> dict[tuple[str, str], list[str]]:
    """(module, class) → the names of its bases, for every class of the package (migrations aside)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                found[(module, node.name)] = [_base_name(b) for b in node.bases]
    return found


def _outside_exception(name: str, ours: set[str]) -> bool:
    """A base that is an exception and not one of the project's classes."""
    return name not in ours and (name in BUILTIN_EXCEPTIONS or name.endswith(("Error", "Exception")))


def exception_classes() -> dict[tuple[str, str], list[str]]:
    classes = _classes()
    names = {name for _module, name in classes}
    exceptions = {key for key, bases in classes.items() if any(_outside_exception(b, names) for b in bases)}
    grew = True
    while grew:  # a class whose base is an exception class of the project is one too
        known = {name for _module, name in exceptions}
        more = {key for key, bases in classes.items() if key not in exceptions and known & set(bases)}
        exceptions |= more
        grew = bool(more)
    return {key: classes[key] for key in sorted(exceptions)}


def test_only_the_root_stands_on_an_exception_from_outside():
    classes = exception_classes()
    names = {name for _module, name in _classes()}
    on_outside = [f"{module}.{name}" for (module, name), bases in classes.items()
                  if any(_outside_exception(b, names) for b in bases)]
    assert on_outside == ["jaringan.core.errors.JaringanError"]
    assert len(classes) > 40  # the scan sees the project's exceptions (a broken scan would see none)


@pytest.mark.parametrize(("module", "name"), list(exception_classes()), ids=lambda v: v)
def test_every_exception_class_derives_from_the_root_through_one_branch(module, name):
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, JaringanError)
    assert cls.__doc__, f"{module}.{name} says what it means"
    if cls is JaringanError or cls in BRANCHES:
        return
    assert [branch.__name__ for branch in BRANCHES if issubclass(cls, branch)] != []
    assert len([branch for branch in BRANCHES if issubclass(cls, branch)]) == 1, f"{name}: one branch only"


def test_an_edge_table_answers_with_the_nearest_class():
    class Busy(Unavailable):
        """A stand-in for a subclass, to look up."""

    table = {Unavailable: 503, JaringanError: 500, Busy: 429}
    assert lookup(table, Busy("busy"), 0) == 429
    assert lookup(table, Unavailable("down"), 0) == 503
    assert lookup(table, NotFound("gone"), 0) == 500
    assert lookup({Invalid: 1}, NotFound("gone"), 0) == 0


def test_the_root_carries_message_code_and_fields():
    error = Invalid("The year is not a number.", errors={"year": ["Not a number."]})
    assert (str(error), error.message, error.code, error.errors) == (
        "The year is not a number.", "The year is not a number.", "invalid", {"year": ["Not a number."]})
    assert Conflict("taken", code="stale").code == "stale"
    assert [branch.code for branch in BRANCHES] == ["invalid", "forbidden", "not_found", "conflict", "unavailable"]
