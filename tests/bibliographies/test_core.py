"""The pure core of bibliographies: real CSL styles through citeproc-py, and whole-list files read back
by real parsers (bibtexparser, pymarc, lxml, json, a RIS reader). No database."""

from __future__ import annotations

import io
import json

import bibtexparser
import pymarc
import pytest
from lxml import etree

from jaringan.core import citations
from jaringan.core.catalog.record import CanonicalRecord
from jaringan.core.citations import Entry, writers

from ..catalog.items import loc_items
from .ris_reader import read_ris

ARTICLE = CanonicalRecord(
    title="Perpustakaan sebagai jaringan informasi", authors=("Sulistyo-Basuki", "Toer, Pramoedya Ananta",
                                                              "Universitas Pattimura"),
    year=2019, format="article", container="Jurnal Ilmu Perpustakaan", volume="5", issue="2", extent="100-110",
    doi="10.1234/jip.v5i2.100", language="ind")
ANONYMOUS = CanonicalRecord(title="Sejarah Maluku", publisher="Balai Pustaka", place="Jakarta", year=1998,
                            language="ind")


@pytest.fixture(scope="module")
def entries():
    return [Entry(id=str(n), record=i.record, raw=i.raw, source_format="marc21", url=f"https://example.org/{n}/")
            for n, i in enumerate(loc_items(40), start=1)] + [Entry(id="41", record=ARTICLE), Entry(id="42", record=ANONYMOUS)]


def test_every_style_ships_with_its_licence():
    for style in citations.STYLES.values():
        text = style.path.read_text(encoding="utf-8")
        assert "creativecommons.org/licenses/by-sa/3.0" in text and "<author>" in text, style.file


@pytest.mark.parametrize("style", list(citations.STYLES))
def test_indonesian_single_names_and_bodies_in_every_style(style):
    item = writers.csl_items([Entry(id="a", record=ARTICLE)])[0]
    assert item["author"][0] == {"family": "Sulistyo-Basuki"}
    assert item["author"][2] == {"literal": "Universitas Pattimura"}
    english = citations.render_entry(item, style, "en-US")
    indonesian = citations.render_entry(item, style, "id-ID")
    for text in (english, indonesian):
        assert "Sulistyo-Basuki" in text and "S.-B." not in text and "Universitas Pattimura" in text
        assert "U. P." not in text and "Pattimura, U" not in text
        assert "Jurnal Ilmu Perpustakaan" in text and "2019" in text
    # the locales differ where the style has words: "and" / "dan"
    assert (" and " in english or "&amp;" in english) and (" dan " in indonesian or "&amp;" in indonesian)


def test_apa_is_the_seventh_edition_and_ieee_is_numeric():
    item = writers.csl_items([Entry(id="a", record=ARTICLE)])[0]
    apa = citations.render_entry(item, "apa", "en-US")
    assert "https://doi.org/10.1234/jip.v5i2.100" in apa  # APA 7: the DOI as an address
    assert "<i>5</i>(2), 100–110" in apa
    ieee = citations.render_entry(item, "ieee", "id-ID")
    assert not ieee.startswith("[1]") and "vol. 5, no. 2" in ieee and "hlm. 100–110" in ieee
    assert writers.text(["a", "b"], numeric=True).startswith("[1] a\n\n[2] b")


@pytest.mark.parametrize("style", list(citations.STYLES))
def test_a_record_without_author_names_its_title_once(style):
    item = writers.csl_items([Entry(id="a", record=ANONYMOUS)])[0]
    text = citations.html_to_text(citations.render_entry(item, style, "id-ID"))
    assert text.count("Sejarah Maluku") == 1, text
    assert "Balai Pustaka" in text and "1998" in text


def test_kept_style_lookups_render_what_citeproc_renders_without_them():
    """The lookups kept once a style (``core.citations.lookups``) change no reference: real records in every
    style and locale, rendered with them and with citeproc-py's own (on styles loaded afresh, whose elements
    have kept nothing)."""
    from citeproc import model

    from jaringan.core.citations import lookups, render

    items = writers.csl_items([Entry(id=str(n), record=i.record) for n, i in enumerate(loc_items(12))])
    items += writers.csl_items([Entry(id="a", record=ARTICLE), Entry(id="b", record=ANONYMOUS)])
    pairs = [(style, locale) for style in citations.STYLES for locale in citations.LOCALES.values()]
    kept = {pair: citations.render_entries(items, *pair) for pair in pairs}
    render._style.cache_clear()
    lookups.citeproc_lookups(False)
    try:
        assert model.CitationStylesElement.xpath_search is lookups.original["xpath_search"]
        plain = {pair: citations.render_entries(items, *pair) for pair in pairs}
    finally:
        render._style.cache_clear()
        lookups.citeproc_lookups(True)
    assert kept == plain
    assert model.Text.calls_variable is lookups._text_calls_variable
    assert model.CitationStylesElement.xpath_search is lookups._xpath


def test_item_key_ignores_the_id_and_text_is_escaped():
    a, b = (writers.csl_items([Entry(id=i, record=ARTICLE)])[0] for i in ("1", "2"))
    assert citations.item_key(a) == citations.item_key(b)
    hostile = CanonicalRecord(title="<script>alert(1)</script> & co", year=2000)
    html = citations.render_entry(writers.csl_items([Entry(id="x", record=hostile)])[0], "apa", "en-US")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert html.count("&lt;script&gt;") == 1  # and the title is not written twice


def test_bibtex_reads_back_with_bibtexparser(entries):
    library = bibtexparser.parse_string(writers.bibtex(entries))
    assert not library.failed_blocks
    assert len(library.entries) == len(entries) == len({e.key for e in library.entries})
    article = next(e for e in library.entries if e.key == "jaringan41")
    assert article.entry_type == "article" and article["journal"] == "Jurnal Ilmu Perpustakaan"
    assert article["author"].startswith("{Sulistyo-Basuki} and Toer, Pramoedya Ananta and {Universitas Pattimura}")


def test_ris_reads_back(entries):
    references = read_ris(writers.ris(entries))
    assert len(references) == len(entries)
    article = references[-2]
    assert article["TY"] == ["JOUR"] and article["AU"][0] == "Sulistyo-Basuki" and article["DO"] == [ARTICLE.doi]
    assert references[0]["TI"][0] == entries[0].record.title or references[0]["TI"][0].startswith(
        entries[0].record.title)


def test_csl_json_reads_back_as_items(entries):
    items = json.loads(writers.csl_json(entries))
    assert [i["id"] for i in items] == [e.id for e in entries]
    for item in items:  # the CSL-JSON schema's required keys and shapes
        assert isinstance(item["type"], str) and isinstance(item["title"], str)
        for name in item.get("author", []):
            assert set(name) <= {"family", "given", "literal"} and name
        if "issued" in item:
            assert all(isinstance(p, int) for p in item["issued"]["date-parts"][0])


def test_marc21_and_marcxml_read_back_with_pymarc(entries):
    marc = writers.marc21(entries)
    assert marc.left_out == []
    records = list(pymarc.MARCReader(io.BytesIO(marc.data), to_unicode=True, force_utf8=True))
    assert len(records) == len(entries) and all(r is not None for r in records)
    assert [r["001"].data for r in records] == [e.id for e in entries]
    assert records[-2]["773"]["t"].startswith("Jurnal Ilmu Perpustakaan")
    xml = writers.marcxml(entries)
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    assert etree.QName(root).localname == "collection"
    parsed = pymarc.parse_xml_to_array(io.BytesIO(xml))
    assert [r["001"].data for r in parsed] == [e.id for e in entries]
    assert parsed[0].title.startswith(entries[0].record.title[:10])
