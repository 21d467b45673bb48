"""CSV: holdings grouping, encodings, delimiters, typos, missing titles, unknown columns."""

import io
from pathlib import Path

import pytest

from jaringan.core.catalog.readers import BadHeader, read
from jaringan.core.catalog.readers.csvfile import COLUMNS, CsvReader, read_csv
from jaringan.core.catalog.record import Holding

DATA = Path(__file__).parent / "data"
KOLEKSI = DATA / "koleksi_bom.csv"  # UTF-8 with BOM, commas, an unknown column, a typo'd and an untitled row
EXCEL = DATA / "ekspor_excel_cp1252.csv"  # Windows-1252, semicolons, Title Case headers


@pytest.fixture(scope="module")
def koleksi():
    return list(read(KOLEKSI))


def test_rows_with_one_id_are_one_record_with_holdings(koleksi):
    assert [(i.position, i.source_id, i.ok) for i in koleksi] == [
        (1, "B001", True), (2, "B002", True), (3, "B003", True), (4, "B004", True), (5, "B005", False), (6, None, True),
    ]
    laskar = koleksi[0].record
    assert laskar.holdings == (  # rows 2, 3 and (not adjacent) 8
        Holding("899.221 3 HIR l", "Ruang Baca Umum", 2), Holding("899.221 3 HIR l c.3", "Perpustakaan Keliling", 1))
    assert koleksi[1].record.holdings == (Holding("020 SUL p", "Referensi", 2),)


def test_fields_of_a_clean_row(koleksi):
    basuki = koleksi[1].record
    assert (basuki.title, basuki.authors, basuki.year, basuki.place, basuki.pages, basuki.language) == (
        "Pengantar ilmu perpustakaan", ("Sulistyo-Basuki",), 1991, "Jakarta", 352, "ind")
    assert basuki.isbns == ("9789795111412",) and basuki.series[0].numbering == "3"
    assert basuki.subjects == ("Ilmu perpustakaan", "Perpustakaan -- Indonesia")
    assert koleksi[2].record.format == "serial" and koleksi[2].record.issns == ("0853-2834",)
    assert koleksi[5].record.format == "article" and koleksi[5].source_id is None


def test_typo_row_keeps_what_it_can(koleksi):
    bumi = koleksi[3].record  # year "2OO5", an ISBN with a wrong check digit, type "bukku"
    assert bumi.year is None and bumi.isbns == () and bumi.invalid_isbns == ("979-97312-3-3",)
    assert bumi.format == "other" and bumi.authors == ("Toer, Pramoedya Ananta",)
    assert bumi.classifications[0].number == "899.2213"


def test_missing_title_names_the_line(koleksi):
    assert koleksi[4].error == "line 7: no title (the 'title' column is empty)"
    assert koleksi[4].source_id == "B005" and koleksi[4].record is None


def test_raw_is_a_csv_document_this_reader_reads_again(koleksi):
    raw = koleksi[0].raw
    assert raw.decode("utf-8").count("\r\n") == 4  # the header and three rows
    again = list(read(io.BytesIO(raw), format="csv"))
    assert len(again) == 1 and again[0].record == koleksi[0].record


def test_unknown_columns_are_listed_once():
    reader = read(KOLEKSI)
    assert isinstance(reader, CsvReader)
    assert reader.unknown_columns == ("harga",)
    assert reader.warnings == [f"columns 'harga' are not known and were ignored (known: {', '.join(COLUMNS)})"]


def test_cp1252_with_semicolons_and_title_case_headers():
    reader = read_csv(EXCEL)
    items = list(reader)
    assert reader.warnings == []
    assert [i.source_id for i in items] == ["7", "8", "9"]
    assert items[1].record.title == "Café dan budaya kopi Nusantara"
    assert items[0].record.holdings == (Holding("R 499.213 KAM", "Referensi", 2),)
    assert items[2].record.title == "Peta wisata Bali; edisi 2" and items[2].record.format == "map"


def test_header_without_title_is_refused():
    with pytest.raises(BadHeader):
        list(read(io.BytesIO(b"judul,pengarang\nLaskar pelangi,Andrea Hirata\n"), format="csv"))


def test_html_character_references_are_decoded_before_names_are_split():
    data = ("id,title,authors,venue\n"
            "1,Sensor networks &amp; energy,Pedro Jos&#233; Marr&#243;n; Kurt Rothermel,SenSys\n").encode()
    record = next(iter(read(io.BytesIO(data), format="csv"))).record
    assert record.authors == ("Pedro José Marrón", "Kurt Rothermel")
    assert record.title == "Sensor networks & energy"


def test_citation_list_rows_without_a_venue_are_articles_unless_they_show_a_book():
    data = ("id,title,authors,venue,year,publisher\n"
            "1,Realm-based spatial data types,R. H. Guting,,,\n"
            "2,Database systems,R. Elmasri,,2000,Addison-Wesley\n").encode()
    first, second = (i.record for i in read(io.BytesIO(data), format="csv"))
    assert (first.format, first.container) == ("article", None)
    assert second.format == "book"
    plain = next(iter(read(io.BytesIO(b"title,authors\nLaskar pelangi,Andrea Hirata\n"), format="csv"))).record
    assert plain.format == "book"  # no venue column: a list of books
