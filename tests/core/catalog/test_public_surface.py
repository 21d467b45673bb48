"""The curated public surface: every name in ``__all__`` exists and is documented."""

import importlib

import pytest

MODULES = [
    "jaringan.core.catalog",
    "jaringan.core.catalog.errors",
    "jaringan.core.catalog.text",
    "jaringan.core.catalog.identifiers",
    "jaringan.core.catalog.record",
    "jaringan.core.catalog.cleaning",
    "jaringan.core.catalog.marc",
    "jaringan.core.catalog.marc_format",
    "jaringan.core.catalog.dublin_core",
    "jaringan.core.catalog.matching",
    "jaringan.core.catalog.matching.comparison",
    "jaringan.core.catalog.matching.titles",
    "jaringan.core.catalog.matching.names",
    "jaringan.core.catalog.matching.fields",
    "jaringan.core.catalog.matching.compare",
    "jaringan.core.catalog.matching.parts",
    "jaringan.core.catalog.matching.decision",
    "jaringan.core.catalog.matching.blocking",
    "jaringan.core.catalog.matching.cluster",
    "jaringan.core.catalog.matching.placement",
    "jaringan.core.catalog.matching.venues",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_exports_exist_and_are_documented(name):
    module = importlib.import_module(name)
    assert module.__doc__
    for export in module.__all__:
        value = getattr(module, export)
        if callable(value):
            assert value.__doc__, f"{name}.{export} has no docstring"


def test_error_tree_has_one_base():
    from jaringan.core.catalog import errors

    for name in ("NoTitle", "UnreadableRecord"):
        cls = getattr(errors, name)
        assert issubclass(cls, errors.CatalogError) and cls.__doc__
