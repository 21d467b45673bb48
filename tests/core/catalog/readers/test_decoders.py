"""rmarc decodes ISO 2709 records exactly as pymarc does: the reader's items are the same on every fixture.

The reader decodes with rmarc when it is installed (:data:`iso2709.DECODER`)
because it is faster; that is only right while every MARC 21 fixture (MARC-8,
broken and non-bibliographic ones included) gives the same items with either:
the same canonical records, source ids, deleted flags and errors.  The
40,000-record LoC slice is read up to ``LARGE_FILE_LIMIT`` records, as in
``test_fixtures.py`` (``JARINGAN_FULL_FIXTURES=1`` compares all of it).
"""

import itertools
import subprocess
import sys

import pymarc
import pytest
import rmarc

from jaringan.core.catalog.readers import iso2709, sniff_format
from tests.core.catalog.readers.test_fixtures import FILES, LARGE, LARGE_FILE_LIMIT
from tests.paths import FIXTURES

MARC21_FILES = [p for p in FILES if sniff_format((FIXTURES / p).read_bytes()[:65536], p) == "marc21"]


def _items(path: str, decoder) -> list[tuple]:
    with (FIXTURES / path).open("rb") as stream:
        items = iso2709.read_iso2709(stream, decoder=decoder)
        if path == LARGE and LARGE_FILE_LIMIT:
            items = itertools.islice(items, LARGE_FILE_LIMIT)
        return [(i.position, i.offset, i.source_id, i.record, i.error, i.deleted) for i in items]


def test_every_marc21_fixture_is_compared():
    assert len(MARC21_FILES) >= 70
    assert {"evergreen/oss.marc", "evergreen/hebrew.marc", "evergreen/auth-1066.mrc",
            "openlibrary_marc_tests/bin_input/upei_short_008.mrc"} <= set(MARC21_FILES)


@pytest.mark.parametrize("path", MARC21_FILES)
def test_rmarc_gives_the_items_pymarc_gives(path):
    with_pymarc = _items(path, pymarc.Record)
    assert with_pymarc, path
    assert _items(path, rmarc.Record) == with_pymarc


def test_marc8_and_broken_records_are_among_those_compared():
    """The comparison is not only of clean UTF-8: MARC-8 records are decoded and errors are compared."""
    items = _items("evergreen/hebrew.marc", rmarc.Record)
    assert all(record is not None for _p, _o, _s, record, _e, _d in items)
    assert any(b"\x1b" in raw for _o, raw, _e in iso2709.split_records((FIXTURES / "evergreen/hebrew.marc").open("rb")))
    errors = [error for *_rest, error, _d in _items("evergreen/oss.marc", rmarc.Record) if error]
    assert errors == [e for *_rest, e, _d in _items("evergreen/oss.marc", pymarc.Record) if e] and len(errors) == 1


def test_the_reader_decodes_with_rmarc_when_installed_and_pymarc_without_it():
    assert iso2709.DECODER is rmarc.Record
    without = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['rmarc'] = None\n"
         "import pymarc\nfrom jaringan.core.catalog.readers import iso2709\n"
         "assert iso2709.DECODER is pymarc.Record, iso2709.DECODER\n"
         "with open(sys.argv[1], 'rb') as f: items = list(iso2709.read_iso2709(f))\n"
         "print(len(items), sum(i.error is None for i in items))",
         str(FIXTURES / "evergreen/oss.marc")],
        capture_output=True, text=True, check=True,
    )
    assert without.stdout.split() == ["42", "41"]
