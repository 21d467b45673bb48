"""Every MARC record in the fixtures is read and normalised, one by one.

Bad input is an expected case: pymarc's permissive reader yields ``None`` for
a record it cannot decode (and keeps ``current_exception``); our normaliser
may raise only its own ``CatalogError`` subclasses (``NoTitle`` for the
authority file and the title-less Talis records).  Anything else fails.

The 40,000-record LoC slice is read up to ``LARGE_FILE_LIMIT`` records to
keep the suite fast; set ``JARINGAN_FULL_FIXTURES=1`` to read all of it.
"""

import io
import os
from collections import Counter
from pathlib import Path

import pymarc
import pytest

from jaringan.core.catalog.errors import CatalogError
from jaringan.core.catalog.marc import record_from_marc
from tests.paths import FIXTURES

LARGE_FILE_LIMIT = None if os.environ.get("JARINGAN_FULL_FIXTURES") else 3000
LARGE_FILES = {"booksall2016_part01_first40k.mrc"}
#: Files in which no record may be normalised: authority records have no 245.
NO_BIBLIOGRAPHIC_RECORDS = {"auth-1066.mrc", "talis_no_title.mrc", "talis_no_title2.mrc", "talis_empty_245.mrc",
                            "talis_740.mrc", "talis_multi_work_tiles.mrc", "serials_mfhd.xml"}
#: Open Library's deliberately broken records: pymarc cannot decode them at all.
BROKEN_FILES = {"dasrmischepriv00rein_meta.mrc", "lesabndioeinas00sche_meta.mrc",
                "new_poganucpeoplethe00stowuoft_meta.mrc", "poganucpeoplethe00stowuoft_meta.mrc"}
UNWRAPPED_XML = {"serials_marc21.xml"}

BINARY_FILES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".mrc", ".marc"})
XML_FILES = sorted(
    p for p in FIXTURES.rglob("*") if p.suffix in {".xml", ".marcxml"} and b"MARC21/slim" in p.read_bytes()[:2000]
)


def _normalise_all(records) -> Counter:
    outcome: Counter = Counter()
    for n, marc in enumerate(records):
        if marc is None:
            outcome["unreadable"] += 1
            continue
        try:
            record_from_marc(marc, source_id=str(n))
        except CatalogError as error:
            outcome[type(error).__name__] += 1
        else:
            outcome["ok"] += 1
    return outcome


def _limited(reader, limit):
    for n, marc in enumerate(reader):
        if limit is not None and n >= limit:
            return
        yield marc


def test_fixture_files_were_found():
    assert len(BINARY_FILES) >= 60
    assert len(XML_FILES) >= 25


@pytest.mark.parametrize("force_utf8", [False, True], ids=["leader-decides", "force-utf8"])
@pytest.mark.parametrize("path", BINARY_FILES, ids=lambda p: p.name)
def test_binary_marc_file_normalises_record_by_record(path: Path, force_utf8: bool):
    limit = LARGE_FILE_LIMIT if path.name in LARGE_FILES else None
    with path.open("rb") as handle:
        reader = pymarc.MARCReader(handle, permissive=True, to_unicode=True, force_utf8=force_utf8)
        outcome = _normalise_all(_limited(reader, limit))
    assert sum(outcome.values()) > 0
    if path.name in BROKEN_FILES:
        assert outcome["ok"] == 0 and outcome["unreadable"] > 0
    elif path.name in NO_BIBLIOGRAPHIC_RECORDS:
        assert outcome["ok"] == 0
    elif not force_utf8:
        assert outcome["ok"] > 0


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: p.name)
def test_marcxml_file_normalises_record_by_record(path: Path):
    data = path.read_bytes()
    if path.name in UNWRAPPED_XML:  # sibling <record>s without a <collection> around them
        data = b'<collection xmlns="http://www.loc.gov/MARC21/slim">' + data + b"</collection>"
    outcome = _normalise_all(pymarc.parse_xml_to_array(io.BytesIO(data)))
    assert sum(outcome.values()) > 0
    if path.name not in NO_BIBLIOGRAPHIC_RECORDS:
        assert outcome["ok"] > 0
