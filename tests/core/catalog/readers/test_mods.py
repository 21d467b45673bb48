"""MODS v3: hand-written Indonesian records (``data/mods_*.xml``), bare and in an SRU response."""

from pathlib import Path

import pytest

from jaringan.core.catalog.readers import read
from jaringan.core.catalog.record import Classification, Series

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def collection():
    return list(read(DATA / "mods_collection.xml"))


def test_collection_counts(collection):
    assert [(i.position, i.source_id, i.ok) for i in collection] == [
        (1, "BIB-000123", True), (2, "BIB-000124", True), (3, "SER-0007", True),
        (4, "SKR-2019-041", True), (5, "BIB-000125", False),
    ]
    assert collection[4].error == "no title (titleInfo/title is missing or empty)"
    assert collection[0].raw.startswith(b"<mods") and b"Laskar pelangi" in collection[0].raw


def test_book_fields(collection):
    laskar = collection[0].record
    assert (laskar.title, laskar.authors, laskar.publisher, laskar.place, laskar.year, laskar.edition) == (
        "Laskar pelangi", ("Andrea Hirata",), "Bentang Pustaka", "Yogyakarta", 2005, "Cet. 1")
    assert (laskar.pages, laskar.isbns, laskar.language, laskar.format) == (529, ("9789793062792",), "ind", "book")
    assert laskar.subjects == ("Indonesian fiction -- 21st century", "Novel Indonesia")
    assert laskar.classifications == (Classification("ddc", "899.2213"),)


def test_main_title_before_alternative_and_names_and_series(collection):
    basuki = collection[1].record
    assert (basuki.title, basuki.subtitle) == ("Pengantar ilmu perpustakaan", "edisi revisi")
    assert basuki.authors == ("Sulistyo-Basuki", "Universitas Indonesia. Fakultas Sastra")
    assert basuki.series == (Series("Seri pustakawan", "no. 3"),)
    assert basuki.invalid_isbns == ("979-511-141-X",) and basuki.lccn == "92940377"
    assert basuki.language == "ind" and basuki.pages == 352
    assert [c.scheme for c in basuki.classifications] == ["ddc", "lcc"]


@pytest.mark.parametrize("index, fmt", [(2, "serial"), (3, "thesis")])
def test_format_from_genre_and_issuance(collection, index, fmt):
    assert collection[index].record.format == fmt


def test_serial_issn_and_family_given_names(collection):
    assert collection[2].record.issns == ("0853-2834",)
    assert collection[3].record.authors == ("Lestari, Dewi",)


def test_sru_response_as_slims_copy_cataloguing_reads_it():
    first, second = read(DATA / "mods_sru_response.xml")
    assert (first.source_id, first.record.title, first.record.language) == (
        "7788", "The Indonesian library directory", "eng")
    assert first.record.authors == ("Toer, Pramoedya Ananta",)  # the date namePart is left out
    assert (second.source_id, second.record.format, second.record.carrier) == (None, "map", "map")
