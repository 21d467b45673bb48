"""Every MARC, MARCXML, Dublin Core and SLiMS fixture is read to the end, with pinned counts.

The counts are what the readers give today, checked by hand where they are
errors (see the reasons below); a change in them is a change in behaviour.
The 40,000-record LoC slice is read up to ``LARGE_FILE_LIMIT`` records
(``JARINGAN_FULL_FIXTURES=1`` reads all of it: 40,000 items, no errors).
"""

import itertools
import os

import pytest

from jaringan.core.catalog.readers import BadHeader, UnknownFormat, read, sniff_format
from tests.paths import FIXTURES

LARGE = "loc_mds_booksall2016/booksall2016_part01_first40k.mrc"
LARGE_FILE_LIMIT = None if os.environ.get("JARINGAN_FULL_FIXTURES") else 3000

#: path → (sniffed format, items, error items, deleted items), for every file with more than one
#: record or with errors.  Reasons for the errors:
#: auth-1066: authority records; oss: one record whose leader is not ASCII; serials_mfhd: MFHD
#: holdings records; lesabndioeinas00sche (XML): leader/06 'x', a holdings record; the four Open
#: Library "broken" records: leader lengths that lie; talis_*: no 245; upei_short_008: its directory
#: lengths do not end at field terminators.
PINNED = {
    "evergreen/FSL.marc": ("marc21", 52, 0, 0),
    "evergreen/auth-1066.mrc": ("marc21", 1066, 1066, 0),
    "evergreen/badisbns.xml": ("marcxml", 10, 0, 0),
    "evergreen/concerto_enhanced/concerto_bibs.marcxml": ("marcxml", 339, 0, 0),
    "evergreen/hebrew.marc": ("marc21", 20, 0, 0),
    "evergreen/jazz_1k.mrc": ("marc21", 1000, 0, 0),
    "evergreen/lul_fre_500.mrc": ("marc21", 500, 0, 0),
    "evergreen/map_data.mrc": ("marc21", 3, 0, 0),
    "evergreen/nepali.marc": ("marc21", 96, 0, 0),
    "evergreen/oss.marc": ("marc21", 42, 1, 0),
    "evergreen/serials_marc21.xml": ("marcxml", 7, 0, 0),
    "evergreen/serials_mfhd.xml": ("marcxml", 7, 7, 0),
    "koha_misc4dev/koha_sample_bibs.marcxml": ("marcxml", 435, 0, 0),
    LARGE: ("marc21", 3000 if LARGE_FILE_LIMIT else 40000, 0, 0),
    "loc_mds_booksall2016/booksall2016_part01_indonesia.mrc": ("marc21", 3148, 0, 0),
    "oai_pmh/real/sample-oai-no-namespace.xml": ("dc", 10, 0, 0),
    "oai_pmh/real/sample-oai-pmh.xml": ("dc", 10, 0, 0),
    "oai_pmh/sickle_protocol_fixtures/ListIdentifiers.xml": ("dc", 0, 0, 0),
    "oai_pmh/sickle_protocol_fixtures/ListIdentifiers2.xml": ("dc", 0, 0, 0),
    "oai_pmh/sickle_protocol_fixtures/ListMetadataFormats.xml": ("mods", 0, 0, 0),
    "oai_pmh/sickle_protocol_fixtures/ListRecords.xml": ("dc", 2, 0, 1),
    "oai_pmh/sickle_protocol_fixtures/ListRecords2.xml": ("dc", 2, 0, 1),
    "oai_pmh/sickle_protocol_fixtures/ListRecords3.xml": ("dc", 2, 0, 1),
    "oai_pmh/sickle_protocol_fixtures/ListRecords4.xml": ("dc", 2, 0, 1),
    "openlibrary_marc_tests/bin_input/dasrmischepriv00rein_meta.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/lesabndioeinas00sche_meta.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/new_poganucpeoplethe00stowuoft_meta.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/poganucpeoplethe00stowuoft_meta.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/talis_740.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/talis_empty_245.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/talis_multi_work_tiles.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/talis_no_title.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/talis_no_title2.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/bin_input/upei_short_008.mrc": ("marc21", 1, 1, 0),
    "openlibrary_marc_tests/xml_input/lesabndioeinas00sche_marc.xml": ("marcxml", 1, 1, 0),
    "traject/test_data.utf8.marc.xml": ("marcxml", 30, 0, 1),
    "traject/test_data.utf8.mrc": ("marc21", 30, 0, 1),
}
#: Files that are not record files at all: OAI-PMH protocol answers without records, a broken one.
NOT_RECORD_FILES = {
    "Identify.xml", "ListSets.xml", "ListRecordsBroken.xml", "badArgument.xml", "badResumptionToken.xml",
    "cannotDisseminateFormat.xml", "idDoesNotExist.xml", "noRecordsMatch.xml", "noSetHierarchy.xml",
    "undefinedError.xml",
}
READABLE_SUFFIXES = {".mrc", ".marc", ".dat", ".xml", ".marcxml"}
#: Folders of protocol messages (ISO 18626, NCIP), matching sets and holdings lists: no member's
#: record files.  The serials' MFHD test vectors are read by the holdings tests.
NOT_RECORD_FOLDERS = {"ill_iso18626", "ncip", "matching_dev", "serials_holdings", "classification", "geo"}
FILES = sorted(
    str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*")
    if p.suffix in READABLE_SUFFIXES and p.name not in NOT_RECORD_FILES
    and p.relative_to(FIXTURES).parts[0] not in NOT_RECORD_FOLDERS
    and "mfhd_test" not in p.parts
)


def _counts(path: str) -> tuple[str, int, int, int]:
    full = FIXTURES / path
    fmt = sniff_format(full.read_bytes()[:65536], full.name)
    items = read(full)
    if path == LARGE and LARGE_FILE_LIMIT:
        items = itertools.islice(items, LARGE_FILE_LIMIT)
    items = list(items)
    return fmt, len(items), sum(i.error is not None for i in items), sum(i.deleted for i in items)


def test_fixture_files_were_found():
    assert len(FILES) >= 120


@pytest.mark.parametrize("path", FILES)
def test_fixture_reads_to_the_end_with_pinned_counts(path):
    fmt, items, errors, deleted = _counts(path)
    if path in PINNED:
        assert (fmt, items, errors, deleted) == PINNED[path]
    else:  # the single-record files of Open Library, traject, RecordManager, the OAI samples
        assert (items, errors, deleted) == (1, 0, 0), fmt
        assert fmt in ("marc21", "marcxml", "dc")


@pytest.mark.parametrize("name", sorted(NOT_RECORD_FILES - {"ListRecordsBroken.xml"}))
def test_oai_protocol_answers_are_not_taken_for_records(name):
    path = FIXTURES / "oai_pmh" / "sickle_protocol_fixtures" / name
    with pytest.raises(UnknownFormat):
        read(path)


def test_every_item_is_numbered_and_typed():
    items = list(read(FIXTURES / "evergreen" / "oss.marc"))
    assert [i.position for i in items] == list(range(1, 43))
    assert {i.format for i in items} == {"marc21"}
    assert all((i.record is None) == (i.error is not None) for i in items)


def test_koha_items_csv_is_not_a_catalogue_csv():
    with pytest.raises(BadHeader, match="title"):
        list(read(FIXTURES / "koha_misc4dev" / "koha_sample_items_min.csv"))
