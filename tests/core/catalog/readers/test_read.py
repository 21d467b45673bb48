"""``read`` and ``sniff_format``: every format recognised, dispatch, file-level errors, public surface."""

import importlib
import io
import json
from pathlib import Path

import pytest

from jaringan.core.catalog.errors import CatalogError
from jaringan.core.catalog.readers import (
    FORMATS,
    FileTooLarge,
    SourceItem,
    UnknownFormat,
    UnreadableFile,
    read,
    sniff_format,
)
from tests.paths import FIXTURES

from .slims_sample import push_body

DATA = Path(__file__).parent / "data"
MODULES = ["", ".item", ".errors", ".sniff", ".streams", ".iso2709", ".xmlstream", ".marcxml", ".dc", ".mods",
           ".csvfile", ".slims"]


@pytest.mark.parametrize(
    "path, expected",
    [
        (FIXTURES / "evergreen" / "jazz_1k.mrc", "marc21"),
        (FIXTURES / "evergreen" / "FSL.marc", "marc21"),
        (FIXTURES / "koha_misc4dev" / "koha_sample_bibs.marcxml", "marcxml"),
        (FIXTURES / "evergreen" / "serials_marc21.xml", "marcxml"),  # no namespace, no wrapper
        (FIXTURES / "oai_pmh" / "real" / "sample-oai-pmh.xml", "dc"),
        (FIXTURES / "oai_pmh" / "real" / "sample-oai-no-namespace.xml", "dc"),
        (FIXTURES / "recordmanager_fixtures" / "qdc1.xml", "dc"),
        (DATA / "mods_collection.xml", "mods"),
        (DATA / "mods_sru_response.xml", "mods"),
        (DATA / "koleksi_bom.csv", "csv"),
        (DATA / "ekspor_excel_cp1252.csv", "csv"),
    ],
    ids=lambda v: getattr(v, "name", v),
)
def test_sniff_from_content(path, expected):
    assert sniff_format(path.read_bytes()[:65536], "") == expected  # no help from the name


@pytest.mark.parametrize(
    "head, filename, expected",
    [
        (json.dumps(push_body(limit=1)).encode(), "", "slims"),
        (b"id;judul;title\n1;x;y\n", "", "csv"),
        (b"\x00\x01binary", "kiriman.mrc", "marc21"),
        (b"", "kiriman.csv", "csv"),
        (b"", "push.json", "slims"),
    ],
)
def test_sniff_falls_back_to_the_name(head, filename, expected):
    assert sniff_format(head, filename) == expected


@pytest.mark.parametrize("head, filename", [(b"%PDF-1.7", "laporan.pdf"), (b"<html><body>", "index.html"), (b"", "")])
def test_unknown_format_raises(head, filename):
    with pytest.raises(UnknownFormat):
        sniff_format(head, filename)


def test_unknown_format_name_raises():
    with pytest.raises(UnknownFormat, match="unimarc"):
        read(io.BytesIO(b""), format="unimarc")


@pytest.mark.parametrize(
    "path, fmt, count",
    [
        (FIXTURES / "evergreen" / "map_data.mrc", "marc21", 3),
        (FIXTURES / "evergreen" / "serials_marc21.xml", "marcxml", 7),
        (FIXTURES / "oai_pmh" / "real" / "sample-oai-pmh.xml", "dc", 10),
        (DATA / "mods_collection.xml", "mods", 5),
        (DATA / "koleksi_bom.csv", "csv", 6),
    ],
    ids=lambda v: getattr(v, "name", v),
)
def test_read_sniffs_an_anonymous_stream(path, fmt, count):
    """A stream without a name (an upload) is sniffed from its bytes, and nothing sniffed is lost."""
    items = list(read(io.BytesIO(path.read_bytes())))
    assert len(items) == count and {i.format for i in items} == {fmt}
    assert all(isinstance(i, SourceItem) for i in items)


def test_too_large_file_raises():
    with pytest.raises(FileTooLarge):
        list(read(FIXTURES / "evergreen" / "jazz_1k.mrc", max_bytes=100_000))


def test_file_errors_are_catalog_errors():
    assert issubclass(UnreadableFile, CatalogError)
    assert set(FORMATS) == {"marc21", "marcxml", "dc", "mods", "csv", "slims", "ris", "bibtex"}


@pytest.mark.parametrize("suffix", MODULES)
def test_public_surface_is_documented(suffix):
    module = importlib.import_module("jaringan.core.catalog.readers" + suffix)
    assert module.__doc__
    for name in module.__all__:
        value = getattr(module, name)
        if callable(value):
            assert value.__doc__, f"{module.__name__}.{name} has no docstring"
