"""The harvester's public surface, its error tree, and the page reader's leniency."""

import importlib

import pytest

from jaringan.core.errors import Unavailable
from jaringan.core.harvest import Checkpoint, HarvestedRecord, errors, harvest
from tests.paths import FIXTURES

from .conftest import QUICK

MODULES = [
    "jaringan.core.harvest",
    "jaringan.core.harvest.errors",
    "jaringan.core.harvest.page",
    "jaringan.core.harvest.transport",
    "jaringan.core.harvest.harvester",
]


@pytest.mark.parametrize("name", MODULES)
def test_exports_exist_and_are_documented(name):
    module = importlib.import_module(name)
    assert module.__doc__
    for export in module.__all__:
        value = getattr(module, export)
        if callable(value):
            assert value.__doc__, f"{name}.{export} has no docstring"


def test_one_error_family_under_harvest_error():
    for code, cls in errors.OAI_ERRORS.items():
        assert issubclass(cls, errors.OAIError) and cls.__doc__ and code[0].islower()
    for cls in (errors.ProviderUnavailable, errors.MalformedResponse, errors.OAIError):
        assert issubclass(cls, errors.HarvestError) and issubclass(cls, Unavailable)


def test_control_characters_from_the_database_are_removed(start_server, tmp_path):
    page = FIXTURES / "oai_pmh" / "sickle_protocol_fixtures" / "GetRecord.xml"
    dirty = page.read_bytes().replace(b"<dc:title>Sample Title", b"<dc:title>Sample\x0b Title\x01")
    (tmp_path / "ListRecords.xml").write_bytes(dirty.replace(b"GetRecord>", b"ListRecords>"))
    server = start_server("--mode", "replay", "--data", tmp_path)
    [record, checkpoint] = list(harvest(endpoint=server.url("/"), metadata_prefix="oai_dc", **QUICK))
    assert isinstance(record, HarvestedRecord) and record.record.title == "Sample Title"
    assert isinstance(checkpoint, Checkpoint) and checkpoint.complete


def test_html_instead_of_oai_pmh(start_server, tmp_path):
    (tmp_path / "ListRecords.xml").write_bytes(b"<html><body>Maintenance</body></html>")
    server = start_server("--mode", "replay", "--data", tmp_path)
    with pytest.raises(errors.MalformedResponse, match="is XML but not an OAI-PMH response") as caught:
        next(harvest(endpoint=server.url("/"), metadata_prefix="oai_dc", **QUICK))
    # The answer is described, never quoted: an internal service's page must not reach staff.
    assert "Maintenance" not in str(caught.value) and "HTTP 200" in str(caught.value)
    assert "text/xml, 37 bytes" in str(caught.value)
