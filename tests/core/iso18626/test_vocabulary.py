"""The code lists are pinned against the schema itself, and the public surface is documented."""

import importlib

import pytest
from lxml import etree

from jaringan.core.iso18626 import vocabulary
from jaringan.core.iso18626.vocabulary import SCHEMA_TYPES
from tests.paths import ISO18626

XSD = ISO18626 / "ISO-18626-v1_2.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _schema_enumerations() -> dict[str, list[str]]:
    tree = etree.parse(str(XSD), etree.XMLParser(resolve_entities=False, no_network=True))
    return {
        simple.get("name"): [e.get("value") for e in simple.iter(f"{XS}enumeration")]
        for simple in tree.iter(f"{XS}simpleType")
    }


@pytest.mark.parametrize("enum", list(SCHEMA_TYPES), ids=lambda e: e.__name__)
def test_enumeration_matches_the_schema_value_for_value(enum):
    assert [m.value for m in enum] == _schema_enumerations()[SCHEMA_TYPES[enum]]
    assert all(m.name == m.value for m in enum), "members are spelled as the standard spells them"


def test_every_enumerated_type_of_the_schema_has_its_enum():
    assert set(_schema_enumerations()) == set(SCHEMA_TYPES.values())


def test_the_supplier_statuses_are_the_twelve_of_the_standard():
    assert len(vocabulary.Status) == 12
    assert vocabulary.Status.ExpectToSupply == "ExpectToSupply"


MODULES = [
    "jaringan.core.iso18626",
    "jaringan.core.iso18626.vocabulary",
    "jaringan.core.iso18626.errors",
    "jaringan.core.iso18626.states",
    "jaringan.core.iso18626.elements",
    "jaringan.core.iso18626.codec",
    "jaringan.core.iso18626.messages",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_exports_exist_and_are_documented(name):
    module = importlib.import_module(name)
    assert module.__doc__
    for export in module.__all__:
        value = getattr(module, export)
        if callable(value) and not isinstance(value, type(vocabulary.Status)):
            assert value.__doc__, f"{name}.{export} has no docstring"


def test_errors_sit_on_the_project_tree():
    from jaringan.core.errors import Conflict, Invalid
    from jaringan.core.iso18626 import errors

    assert issubclass(errors.IllegalTransition, Conflict)
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert cls.__doc__ and (cls is errors.IllegalTransition or issubclass(cls, errors.MessageError))
    assert issubclass(errors.MessageError, Invalid)
