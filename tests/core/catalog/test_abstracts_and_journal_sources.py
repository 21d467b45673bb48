"""Abstracts and keywords on the canonical record, stored without changing what was stored before;
OJS's dc:source strings taken apart; an OJS oai_dc record read as an article."""

from pathlib import Path

import pytest

from jaringan.core.catalog import codec, readers
from jaringan.core.catalog.journal_source import merge_sources, parse_source
from jaringan.core.catalog.record import CanonicalRecord, Series

OJS_PAGE = Path(__file__).resolve().parents[2] / "harvesting" / "data" / "ojs_oai_dc.xml"


@pytest.mark.parametrize("text, expected", [
    ("Jurnal Kedokteran Brawijaya; Vol 28 No 2 (2014); 100-110",
     ("Jurnal Kedokteran Brawijaya", "28", "2", 2014, "100-110", ())),
    ("Jurnal Pendidikan IPA Indonesia; Vol. 5 No. 2 (2016): October 2016; 185-191",
     ("Jurnal Pendidikan IPA Indonesia", "5", "2", 2016, "185-191", ())),
    ("Berkala Ilmu Perpustakaan dan Informasi; Vol 14, No 1 (2018); 1-12",
     ("Berkala Ilmu Perpustakaan dan Informasi", "14", "1", 2018, "1-12", ())),
    ("Jurnal Ilmu Komputer; Volume 3, Nomor 2, Tahun 2019", ("Jurnal Ilmu Komputer", "3", "2", 2019, None, ())),
    ("Jurnal X; Vol. 5 No. 2 (2019): Jurnal X; 100–110", ("Jurnal X", "5", "2", 2019, "100-110", ())),
    ("Jurnal X; No 12 (2015)", ("Jurnal X", None, "12", 2015, None, ())),
    ("Jurnal X; Vol 3 (2011)", ("Jurnal X", "3", None, 2011, None, ())),
    ("Jurnal X; Vol 7 No 1-2 (2020); i-x", ("Jurnal X", "7", "1-2", 2020, "i-x", ())),
    ("2087-3379", (None, None, None, None, None, ("2087-3379",))),
    ("p-ISSN: 1693-7740", (None, None, None, None, None, ("1693-7740",))),
    ("e-ISSN 2477-0361", (None, None, None, None, None, ("2477-0361",))),
    ("Koleksi Perpustakaan Daerah", ("Koleksi Perpustakaan Daerah", None, None, None, None, ())),
    ("", (None, None, None, None, None, ())),
    # As this project's own oai_dc writes it.
    ("Jurnal Teknologi dan Industri Pangan, Vol. 30, no. 1 (2019), p. 45-53",
     ("Jurnal Teknologi dan Industri Pangan", "30", "1", 2019, "45-53", ())),
])
def test_dc_source_strings(text, expected):
    found = parse_source(text)
    assert (found.container, found.volume, found.issue, found.year, found.pages, found.issns) == expected


def test_several_sources_merge():
    merged = merge_sources(["2087-751X", "Jurnal Teknologi dan Industri Pangan; Vol. 30 No. 1 (2019); 45-53",
                            "1979-7788"])
    assert merged.container == "Jurnal Teknologi dan Industri Pangan" and merged.issns == ("2087-751X", "1979-7788")
    assert (merged.volume, merged.issue, merged.year, merged.pages) == ("30", "1", 2019, "45-53")


def test_ojs_records_are_articles_with_both_abstracts():
    *items, withdrawn = list(readers.read(OJS_PAGE))
    assert [i.format for i in items] == ["dc"] * 3 and all(i.ok for i in items)
    assert withdrawn.deleted and withdrawn.source_id == "oai:ojs.journal.uad.ac.id:article/4411"
    first = items[0].record
    assert items[0].source_id == "oai:ojs.journal.ipb.ac.id:article/2101"
    assert first.format == "article" and first.title == "Pengaruh fermentasi terhadap mutu tepung singkong termodifikasi"
    assert first.container == "Jurnal Teknologi dan Industri Pangan"
    assert (first.volume, first.issue, first.year, first.extent, first.pages) == ("30", "1", 2019, "45-53", None)
    assert first.issns == ("2087-751X", "1979-7788") and first.doi == "10.6066/jtip.2019.30.1.45"
    assert first.url == "https://journal.ipb.ac.id/index.php/jtip/article/view/2101"
    assert first.language == "ind"
    [(lang_id, text_id), (lang_en, text_en)] = first.abstracts
    assert (lang_id, lang_en) == ("ind", "eng")
    assert text_id.startswith("Penelitian ini mengkaji") and "dan meningkatkan daya kembang adonan." in text_id
    assert "<p>" not in text_id and "&nbsp;" not in text_id and text_en.endswith("swelling power of the dough.")
    assert first.keywords == ("fermentasi", "tepung singkong", "mutu pangan", "fermentation", "cassava flour",
                              "food quality")
    assert first.subjects == ()
    second = items[1].record
    assert second.doi == "10.14710/ik.ijms.21.1.1-8" and second.container.startswith("Ilmu Kelautan")
    assert (second.volume, second.issue, second.extent) == ("21", "1", "1-8")
    third = items[2].record
    assert (third.volume, third.issue, third.year, third.extent) == ("6", "4", 2018, "210-219")
    assert third.issns == ("2303-3703",) and third.doi is None


def test_abstracts_and_keywords_go_through_the_codec():
    record = CanonicalRecord(title="Literasi informasi", format="article", container="Berkala",
                             abstracts=(("ind", "Abstrak."), ("eng", "Abstract."), (None, "Tanpa bahasa.")),
                             keywords=("literasi", "mahasiswa"), url="https://jurnal.example/1")
    data = codec.to_data(record)
    assert data["abstracts"] == [["ind", "Abstrak."], ["eng", "Abstract."], [None, "Tanpa bahasa."]]
    assert codec.from_data(data) == record
    import json
    assert codec.from_data(json.loads(codec.data_text(data))) == record


def test_a_record_without_abstracts_is_stored_and_numbered_as_before():
    record = CanonicalRecord(title="Pengantar ilmu perpustakaan", authors=("Sulistyo-Basuki",), year=1991,
                             publisher="Gramedia", isbns=("9789794035305",), series=(Series("Seri pustaka", "3"),),
                             language="ind", source_id="b1", library="ITB")
    data = codec.to_data(record)
    assert codec.data_text(data) == (
        '{"title":"Pengantar ilmu perpustakaan","source_id":"b1","library":"ITB","authors":["Sulistyo-Basuki"],'
        '"publisher":"Gramedia","year":1991,"isbns":["9789794035305"],"language":"ind",'
        '"series":[{"title":"Seri pustaka","numbering":"3"}],"format":"book"}')
    # The number the codec gave this record before abstracts and keywords existed.
    assert codec.description_number(data) == -3753582660038742571


def test_an_article_goes_out_as_oai_dc_and_comes_back_the_same():
    from lxml import etree

    from jaringan.core.catalog.export.dublin_core import to_dc

    for item in list(readers.read(OJS_PAGE))[:3]:
        written = etree.tostring(to_dc(item.record))
        assert b'<dc:description xml:lang="id">' in written and b'<dc:description xml:lang="en">' in written
        [again] = list(readers.read(written))
        back = again.record
        assert (back.abstracts, back.keywords, back.container, back.volume, back.issue, back.extent, back.doi,
                back.year) == (item.record.abstracts, item.record.keywords, item.record.container,
                               item.record.volume, item.record.issue, item.record.extent, item.record.doi,
                               item.record.year)
