"""RIS and BibTeX files: articles with journals, pages, DOIs, abstracts and keywords; broken entries
quarantined with their line while the rest is read; both recognised from their first bytes."""

from pathlib import Path

import bibtexparser
import pytest

from jaringan.core.catalog import readers
from jaringan.core.catalog.readers import sniff_format
from jaringan.core.catalog.readers.ris import read_ris

DATA = Path(__file__).parent / "data"


def _items(name):
    return list(readers.read(DATA / name))


def test_ris_export_with_wrapped_abstract_and_both_issns():
    items = _items("mixed_export.ris")
    first = items[0].record
    assert items[0].format == "ris" and items[0].source_id == "bip-33837"
    assert first.format == "article" and first.title.startswith("Literasi informasi")
    assert first.authors == ("Rahmawati, Dewi", "Santoso, Budi")
    assert first.container == "Berkala Ilmu Perpustakaan dan Informasi"  # T2 before the abbreviation J2
    assert (first.volume, first.issue, first.extent, first.year) == ("14", "1", "1-12", 2018)
    assert first.issns == ("1693-7740", "2477-0361") and first.doi == "10.22146/bip.33837"
    assert first.url == "https://jurnal.ugm.ac.id/bip/article/view/33837"
    assert first.language == "ind"
    assert first.abstracts == (("ind", "Penelitian ini mengkaji literasi informasi mahasiswa tingkat akhir ketika "
                                       "menulis skripsi. Sebagian besar mahasiswa menelusur koleksi perpustakaan "
                                       "secara daring."),)
    assert first.keywords == ("literasi informasi", "mahasiswa", "skripsi")
    paper = items[1].record
    assert paper.format == "article" and paper.extent == "88-95" and paper.year == 2017
    assert paper.container.startswith("Proceedings of the International Conference")
    assert paper.abstracts == ((None, "Palm-leaf manuscripts (lontar) held by Balinese families were "
                                      "photographed and described."),)


def test_broken_ris_records_name_their_lines_and_the_rest_is_read():
    items = _items("mixed_export.ris")
    errors = [(i.position, i.error) for i in items if i.error]
    taken = [i.record.title for i in items if i.ok]
    assert taken == ["Literasi informasi mahasiswa tingkat akhir dalam menulis skripsi",
                     "Digitising palm-leaf manuscripts in Bali", "Katalog induk daerah"]
    assert errors[0] == (3, "lines 35–38: no title (no TI or T1 line)")
    assert errors[1][1].startswith("lines 39–45: no ER line before the next record starts at line 46")
    assert errors[2][1].startswith("line 51: text outside a record")
    assert errors[3][1].startswith("lines 52–53: the file ends inside this record")
    # The book without ER is set aside whole, and can be read again from its raw lines once fixed.
    book = next(i for i in items if i.error and "no ER" in i.error)
    fixed = list(read_ris(__import__("io").BytesIO(book.raw + b"ER  - \r\n")))
    assert fixed[0].ok and fixed[0].record.format == "book" and fixed[0].record.isbns == ("9789793062792",)
    assert fixed[0].record.publisher == "Gramedia Pustaka Utama" and fixed[0].record.place == "Jakarta"


def test_ris_lines_in_windows_1252():
    [item] = _items("endnote_cp1252.ris")
    assert item.record.authors == ("Hernández, José",) and item.record.container == "Jurnal Sejarah"


def test_ris_raw_reads_again_to_the_same_record():
    for item in _items("mixed_export.ris"):
        if item.ok:
            [again] = list(read_ris(__import__("io").BytesIO(item.raw)))
            assert again.record == item.record


def test_bibtex_entries():
    items = _items("zotero_export.bib")
    assert [i.format for i in items] == ["bibtex"] * 5
    article = items[0].record
    assert items[0].source_id == "rahmawati_literasi_2018"
    assert article.title == "Literasi informasi mahasiswa tingkat akhir dalam menulis Skripsi"
    assert article.container == "Berkala Ilmu Perpustakaan dan Informasi"  # the @string resolved
    assert (article.volume, article.issue, article.extent, article.year) == ("14", "1", "1-12", 2018)
    assert article.doi == "10.22146/bip.33837" and article.issns == ("1693-7740",)
    assert article.abstracts == (("ind", "Penelitian ini mengkaji literasi informasi mahasiswa tingkat akhir."),
                                 ("eng", "This study examines the information literacy of final-year students."))
    assert article.keywords == ("literasi informasi", "mahasiswa")
    paper = items[1].record
    assert paper.format == "article" and paper.authors == ("Putra, I Made", "Sumbáwa, Ni Luh")
    assert paper.title == "Digitising palm-leaf manuscripts in Bali: Lontar in private hands"
    assert paper.container == "Proceedings of the International Conference on Digital Libraries"
    book = items[3].record
    assert book.format == "book" and book.isbns == ("9789793062792",) and book.container is None


def test_broken_bibtex_entries_name_their_lines():
    items = _items("zotero_export.bib")
    assert items[2].error.startswith("line 29: the entry cannot be read (Unexpected block start")
    assert items[2].raw.startswith(b"@article{broken_2019")
    assert items[4].error == "line 42: entry 'untitled_2020' has no title"
    assert [i.ok for i in items] == [True, True, False, True, False]


def test_bibtex_raw_is_bibtex_a_parser_reads():
    for item in _items("zotero_export.bib")[:2]:
        assert bibtexparser.parse_string(item.raw.decode()).entries


@pytest.mark.parametrize("head, name, expected", [
    (b"TY  - JOUR\r\nTI  - x", "", "ris"),
    (b"\xef\xbb\xbfTY  - BOOK\n", "", "ris"),
    (b"% Encoding: UTF-8\n\n@article{a,\n", "", "bibtex"),
    (b"@Book (key, title = {x})", "", "bibtex"),
    (b"@comment{jabref-meta: x}\n@ARTICLE{k,", "", "bibtex"),
    (b"", "kutipan.ris", "ris"),
    (b"", "daftar.bib", "bibtex"),
])
def test_sniffed(head, name, expected):
    assert sniff_format(head, name) == expected
