"""The ISO 18626 schema ships inside the package: a deployment needs no folder beside it to check messages."""

from __future__ import annotations

import tomllib
from pathlib import Path

from jaringan.core import iso18626 as core
from tests.paths import ISO18626, REPO

PACKAGE = REPO / "src" / "jaringan"


def test_the_shipped_schema_is_the_published_one_byte_for_byte():
    assert core.SCHEMA_PATH.is_file() and core.SCHEMA_PATH.is_relative_to(PACKAGE)
    assert core.SCHEMA_PATH.read_bytes() == (ISO18626 / "ISO-18626-v1_2.xsd").read_bytes()


def test_the_schema_is_package_data():
    """setuptools puts into the wheel what ``package-data`` names: the schema and the note on where it is from."""
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["jaringan"]
    for path in (core.SCHEMA_PATH, core.SCHEMA_PATH.with_name("SOURCES.md")):
        relative = Path(path).relative_to(PACKAGE)
        assert any(relative.match(pattern) for pattern in patterns if "**" not in pattern), relative


def test_validate_uses_the_shipped_schema_by_default():
    raw = (ISO18626 / "reshare_samples" / "request.xml").read_bytes()
    assert core.validate(raw) == core.validate(raw, ISO18626 / "ISO-18626-v1_2.xsd")
    broken = raw.replace(b"<requestingAgencyRequestId>", b"<requestingAgencyRequestIdentifier>", 1)
    broken = broken.replace(b"</requestingAgencyRequestId>", b"</requestingAgencyRequestIdentifier>", 1)
    assert broken != raw and core.validate(broken) != []
