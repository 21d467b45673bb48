"""CanonicalRecord helpers and the cleaning of catalogued strings."""

from dataclasses import FrozenInstanceError, replace

import pytest

from jaringan.core.catalog.cleaning import clean, clean_name, clean_publisher, year_from_text
from jaringan.core.catalog.record import CanonicalRecord, Holding, pages_from_extent


@pytest.mark.parametrize(
    ("extent", "pages"),
    [
        ("xii, 345 p.", 345),
        ("xii, 345 p. : ill. ; 24 cm", 345),
        ("iv, 44 hlm.", 44),
        ("vi, 212 h. ; 21 cm", 212),
        ("[4], 120 halaman", 120),
        ("320, 11 p.", 320),
        ("247, 16 pages", 247),
        ("2 v. (xx, 890 p.)", 890),
        ("1 score (175 p.)", 175),
        ("iv, 25, [16] leaves", 25),
        ("345p.", 345),
        ("1 v. (unpaged)", None),
        ("viii p., 1 l.", None),
        ("2 sound cassettes (3 hr. 16 min.)", None),
        ("p. cm.", None),
        ("pp. 115.", 115),  # the count after its unit, as older catalogues write it
        ("pp. xii, 81 (1)", 81),
        ("p. 223-338", None),  # a page range of an offprint: no count
        ("pp. xxvi, 25-864", None),
        (None, None),
    ],
)
def test_pages_from_extent(extent, pages):
    assert pages_from_extent(extent) == pages


def test_record_is_frozen_and_hashable():
    record = CanonicalRecord(title="Judul", holdings=(Holding(call_number="020 SUL"),))
    with pytest.raises(FrozenInstanceError):
        record.title = "Lain"  # type: ignore[misc]
    assert hash(record) == hash(CanonicalRecord(title="Judul"))  # holdings are not identity


def test_full_title():
    assert CanonicalRecord(title="Flora", subtitle="of Java", part="v. 2").full_title == "Flora : of Java : v. 2"
    assert CanonicalRecord(title="Flora").full_title == "Flora"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Buku tuntunan /", "Buku tuntunan"),
        ("Jakarta :", "Jakarta"),
        ("Jakarta.", "Jakarta"),
        ("2nd ed.", "2nd ed."),
        ("Smith, J.", "Smith, J."),
        (" / ", None),
        (None, None),
        ("Sejarah  Jawa\t\n:", "Sejarah Jawa"),  # runs of any space become one
        (": = Jawa", "Jawa"),
        ("Jakarta. ;", "Jakarta"),  # punctuation, then the period it left at the end
        ("[Jakarta].", "[Jakarta]"),
        ("Dept. (U.S.).", "Dept. (U.S.)"),
        ("s.n.", "s.n."),
        ("Jakarta\u00a0: Balai Pustaka .", "Jakarta : Balai Pustaka ."),  # no period after a space
    ],
)
def test_clean(raw, cleaned):
    assert clean(raw) == cleaned


def test_clean_name_and_publisher():
    assert clean_name("Basuki, Sulistyo,") == "Basuki, Sulistyo"
    assert clean_publisher("[Penerbit Buku Kompas],") == "Penerbit Buku Kompas"
    assert clean_publisher("[s.n.]") is None


@pytest.mark.parametrize(("text", "year"), [("c1998.", 1998), ("[1993]", 1993), ("2005, c2004", 2005),
                                            ("[199-?]", None), ("9999", None), ("Rp 40000", None)])
def test_year_from_text(text, year):
    assert year_from_text(text) == year


def test_description_number_is_the_same_for_copies_of_one_record():
    from jaringan.core.catalog import codec

    book = CanonicalRecord(title="Sejarah perpustakaan", authors=("Sulistyo-Basuki",), year=1991,
                           source_id="A-1", library="UNPATTI", holdings=(Holding(call_number="020 SUL s"),))
    copy = replace(book, source_id="B-77", library="UNHAS", holdings=(Holding(call_number="020.9 Sul"),))
    number = codec.description_number(codec.to_data(book))
    assert codec.description_number(codec.to_data(copy)) == number
    assert codec.description_number(codec.to_data(replace(book, year=1992))) != number
    assert codec.description_number(codec.to_data(replace(book, subtitle="sebuah pengantar"))) != number
