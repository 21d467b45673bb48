"""Records out: every format parsed back gives the record that went in.

Real records (the Library of Congress's Indonesian books, traject's MARC and
MARCXML pair) are read with the project's readers, exported, and read again —
with pymarc and lxml, and with the same readers members' files go through.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import replace

import bibtexparser
import pymarc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from jaringan.core.catalog.cleaning import clean, clean_name
from jaringan.core.catalog.export import (
    DC_NS,
    MARCXML_NS,
    MODS_NS,
    OAI_DC_NS,
    RecordTooLong,
    formatted_citation,
    marc_bytes,
    marcxml_bytes,
    to_bibtex,
    to_csl,
    to_dc,
    to_marc,
    to_marcxml,
    to_mods,
    to_ris,
)
from jaringan.core.catalog.export.common import is_corporate, nonfiling_length, safe_text
from jaringan.core.catalog.export.dublin_core import DC_ELEMENTS
from jaringan.core.catalog.readers import read
from jaringan.core.catalog.record import CanonicalRecord, Classification, Holding, Series
from tests.paths import FIXTURES

INDONESIA = FIXTURES / "loc_mds_booksall2016" / "booksall2016_part01_indonesia.mrc"
TRAJECT_MRC = FIXTURES / "traject" / "test_data.utf8.mrc"
TRAJECT_XML = FIXTURES / "traject" / "test_data.utf8.marc.xml"
SAMPLE = 300
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
#: What a built MARC record carries back; source_id and holdings are the union's to set.
MARC_FIELDS = ("title", "subtitle", "part", "responsibility", "authors", "publisher", "place", "year",
               "edition", "extent", "pages", "isbns", "invalid_isbns", "issns", "lccn", "oclc_numbers",
               "language", "subjects", "series", "classifications", "format")


def _items(path, count=SAMPLE, fmt=None):
    return [i for i in itertools.islice(read(path, format=fmt), count) if i.ok]


@pytest.fixture(scope="module")
def loc_items():
    return _items(INDONESIA)


def _reread(data: bytes, fmt: str) -> CanonicalRecord:
    items = list(read(io.BytesIO(data), format=fmt))
    assert len(items) == 1 and items[0].ok, items[0].error
    return items[0].record


def _same(a: CanonicalRecord, b: CanonicalRecord, names=MARC_FIELDS) -> dict:
    return {n: (getattr(a, n), getattr(b, n)) for n in names if getattr(a, n) != getattr(b, n)}


def _xml(element) -> bytes:
    return etree.tostring(element, encoding="utf-8", xml_declaration=True)


# --- MARC 21 -----------------------------------------------------------------------------------

def test_built_marc_reads_back_as_the_same_record(loc_items):
    """300 real records: canonical → built MARC (no raw) → ISO 2709 → reader → the same fields."""
    for item in loc_items:
        again = _reread(marc_bytes(item.record), "marc21")
        assert _same(item.record, again) == {}, item.source_id


def test_built_marcxml_reads_back_as_the_same_record(loc_items):
    for item in loc_items[:100]:
        again = _reread(marcxml_bytes(item.record), "marcxml")
        assert _same(item.record, again) == {}, item.source_id


def test_member_marc_is_kept_field_for_field(loc_items):
    """From the member's own bytes every field survives; pymarc writes the very same record."""
    for item in loc_items[:100]:
        marc = to_marc(item.record, raw=item.raw, source_format="marc21")
        original = pymarc.Record(data=item.raw, to_unicode=True, force_utf8=True)
        assert [f.tag for f in marc.fields] == [f.tag for f in original.fields]
        assert [str(f) for f in marc.fields] == [str(f) for f in original.fields]
        assert _reread(marc.as_marc(), "marc21") == item.record


def test_member_marcxml_traject_pair_agrees():
    """traject ships the same 30 records as ISO 2709 and MARCXML: both export to the same MARCXML."""
    binary, xml = _items(TRAJECT_MRC), _items(TRAJECT_XML, fmt="marcxml")
    assert len(binary) == len(xml) >= 25
    for a, b in zip(binary, xml):
        from_binary = to_marcxml(a.record, raw=a.raw, source_format="marc21")
        from_xml = to_marcxml(b.record, raw=b.raw, source_format="marcxml")
        assert etree.tostring(from_binary) == etree.tostring(from_xml)
        assert _reread(_xml(from_xml), "marcxml") == b.record


def test_marcxml_is_in_the_slim_namespace_and_well_formed(loc_items):
    element = to_marcxml(loc_items[0].record, raw=loc_items[0].raw, source_format="marc21")
    assert element.tag == f"{{{MARCXML_NS}}}record"
    children = [etree.QName(c).localname for c in element]
    assert children[0] == "leader" and "controlfield" in children and "datafield" in children
    parsed = etree.fromstring(marcxml_bytes(loc_items[0].record), XML_PARSER)
    record = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(parsed)))[0]
    assert record["245"]["a"].startswith(loc_items[0].record.title)


def test_holdings_become_852_per_copy_replacing_the_members_items(loc_items):
    item = loc_items[0]
    holdings = [("UNPATTI", Holding(call_number="899.221 KOT r", location="Referensi", items=2)),
                ("ITB", Holding(call_number="338.95 Kot")),
                ("UI", Holding())]
    for marc in (to_marc(item.record, raw=item.raw, source_format="marc21", holdings=holdings),
                 to_marc(item.record, holdings=holdings)):
        fields = marc.get_fields("852")
        assert [(f.get("a"), f.get("b"), f.get("h"), f.get("t")) for f in fields] == [
            ("UNPATTI", "Referensi", "899.221 KOT r", "1"), ("UNPATTI", "Referensi", "899.221 KOT r", "2"),
            ("ITB", None, "338.95 Kot", "1"), ("UI", None, None, "1")]
        assert not marc.get_fields("952")
        again = _reread(marc.as_marc(), "marc21")
        assert Holding("899.221 KOT r", "Referensi", 2) in again.holdings


def test_member_item_fields_are_replaced_by_union_holdings():
    """Evergreen's concerto records carry their own 852s: union holdings take their place."""
    item = next(i for i in _items(FIXTURES / "evergreen" / "concerto_enhanced" / "concerto_bibs.marcxml", 339,
                                  "marcxml") if b'tag="852"' in i.raw)
    marc = to_marc(item.record, raw=item.raw, source_format="marcxml", holdings=[("ITB", Holding("1"))])
    assert [f.get("a") for f in marc.get_fields("852")] == ["ITB"]
    kept = to_marc(item.record, raw=item.raw, source_format="marcxml")
    assert kept.get_fields("852") and "ITB" not in [f.get("a") for f in kept.get_fields("852")]


def test_control_number_and_agency(loc_items):
    item = loc_items[0]
    marc = to_marc(item.record, raw=item.raw, source_format="marc21", control_number="42", agency="JRG")
    assert marc["001"].data == "42" and marc["003"].data == "JRG"
    assert "JRG" in marc["040"].get_subfields("d")
    assert any(v.replace(" ", "") == "(DLC)" + item.source_id for f in marc.get_fields("035")
               for v in f.get_subfields("a"))
    built = to_marc(item.record, control_number="42", agency="JRG")
    assert built["001"].data == "42" and built["040"].get_subfields("a", "c") == ["JRG", "JRG"]


def test_built_leader_and_008_by_format():
    base = CanonicalRecord(title="Peta Maluku", year=1998, language="ind")
    cases = {"book": "am", "thesis": "am", "serial": "as", "article": "aa", "map": "em", "video": "gm"}
    for fmt, leader in cases.items():
        marc = to_marc(replace(base, format=fmt))
        assert str(marc.leader)[6:8] == leader
        fixed = marc["008"].data
        assert len(fixed) == 40 and fixed[6:11] == "s1998" and fixed[35:38] == "ind"
        assert _reread(marc.as_marc(), "marc21").format == fmt
    assert str(to_marc(replace(base, format="music", carrier="sound")).leader)[6] == "j"
    assert str(to_marc(replace(base, format="music", carrier="score")).leader)[6] == "c"
    assert to_marc(replace(base, year=None))["008"].data[6:15] == "nuuuuuuuu"
    assert to_marc(replace(base, language=None))["008"].data[35:38] == "und"
    assert to_marc(replace(base, year=12345))["008"].data[6:15] == "nuuuuuuuu"
    assert len(to_marc(replace(base, year=12345, language="indonesian"))["008"].data) == 40


def test_built_title_and_name_fields():
    record = CanonicalRecord(
        title="The library in society", subtitle="a reader", part="Jilid 2", responsibility="edited by A. Smith",
        authors=("Smith, A.", "Sulistyo-Basuki", "Indonesia. Badan Pusat Statistik"), language="eng",
        classifications=(Classification("lcc", "Z665 .L5 2001"),))
    marc = to_marc(record)
    title = marc["245"]
    assert (title.indicator1, title.indicator2) == ("1", "4")
    assert title.get_subfields("a", "b", "n", "c") == ["The library in society :", "a reader.", "Jilid 2 /",
                                                       "edited by A. Smith."]
    assert marc["100"]["a"] == "Smith, A." and marc["100"].indicator1 == "1"
    corporate = marc["710"]
    assert corporate.get_subfields("a", "b") == ["Indonesia", "Badan Pusat Statistik"]
    single = marc["700"]
    assert single.indicator1 == "0" and single["a"] == "Sulistyo-Basuki"
    assert marc["050"].get_subfields("a", "b") == ["Z665", ".L5 2001"]
    assert _same(record, _reread(marc.as_marc(), "marc21")) == {}


def test_broken_member_bytes_fall_back_to_a_built_record():
    record = CanonicalRecord(title="Sejarah Maluku", year=2001)
    marc = to_marc(record, raw=b"00042not a marc record\x1d", source_format="marc21")
    assert marc["245"]["a"].startswith("Sejarah Maluku")
    marc = to_marc(record, raw=b"<record><oops", source_format="marcxml")
    assert marc["245"]["a"].startswith("Sejarah Maluku")


def test_an_entity_in_member_marcxml_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    raw = (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><record><leader>00000nam a2200000 a 4500</leader>'
           '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">T &x;</subfield></datafield></record>').encode()
    marc = to_marc(CanonicalRecord(title="T"), raw=raw, source_format="marcxml")
    assert "SECRET" not in str(marc)


def test_too_long_for_iso2709_is_an_error_not_a_broken_record():
    huge = CanonicalRecord(title="Besar", subjects=tuple(f"Subjek nomor {n} yang panjang sekali" for n in range(4000)))
    with pytest.raises(RecordTooLong):
        marc_bytes(huge)
    assert len(marcxml_bytes(huge)) > 99_999  # MARCXML has no such limit


# --- MODS --------------------------------------------------------------------------------------

MODS_FIELDS = ("title", "subtitle", "part", "responsibility", "authors", "publisher", "place", "year", "edition",
               "extent", "pages", "isbns", "invalid_isbns", "issns", "lccn", "language", "subjects", "series",
               "classifications", "format")


def test_mods_reads_back_as_the_same_record(loc_items):
    for item in loc_items:
        again = _reread(_xml(to_mods(item.record)), "mods")
        assert _same(item.record, again, MODS_FIELDS) == {}, item.source_id


def test_mods_for_every_format_reads_back_with_its_format():
    for fmt, carrier in (("book", None), ("thesis", None), ("serial", None), ("article", None), ("map", None),
                         ("music", "score"), ("music", "sound"), ("video", None), ("other", "image")):
        record = CanonicalRecord(title="Judul", format=fmt, carrier=carrier)
        assert _reread(_xml(to_mods(record)), "mods").format == fmt, (fmt, carrier)


def test_mods_has_what_slims_reads_first():
    """SLiMS's client (PHP SimpleXML) takes the first element of each name: those must be the right ones."""
    record = CanonicalRecord(
        title="The Javanese family", subtitle="a study", authors=("Geertz, Hildred", "Koentjaraningrat"),
        publisher="Free Press", place="New York", year=1961, edition="2nd ed.", language="eng",
        extent="xi, 176 p.", isbns=("9780881333416",), issns=("0125-9245",), lccn="61009160",
        subjects=("Families -- Indonesia -- Java",), series=(Series("Studies in Java", "3"),),
        classifications=(Classification("lcc", "HQ666 .G4"), Classification("ddc", "301.42")))
    mods = to_mods(record, identifier="42", holdings=[("ITB", Holding("301.42 GEE j"))])
    ns = {"m": MODS_NS}
    first = lambda path: mods.xpath(path, namespaces=ns)[0]  # noqa: E731
    assert mods.get("version") == "3.7"
    assert first("m:titleInfo/m:nonSort").text == "The" and first("m:titleInfo/m:title").text == "Javanese family"
    assert first("m:titleInfo/m:subTitle").text == "a study"
    assert first("m:name/m:namePart").text == "Geertz, Hildred"
    assert first("m:name/m:role/m:roleTerm").text == "Primary Author"
    assert mods.xpath("m:name[2]/m:role/m:roleTerm", namespaces=ns)[0].text == "Additional Author"
    assert first("m:typeOfResource").text == "text"
    assert first("m:originInfo/m:place/m:placeTerm").text == "New York"
    assert first("m:originInfo/m:publisher").text == "Free Press"
    assert first("m:originInfo/m:dateIssued").text == "1961"
    assert first("m:originInfo/m:edition").text == "2nd ed."
    assert first("m:language/m:languageTerm").get("authority") == "iso639-2b"
    assert first("m:physicalDescription/m:extent").text == "xi, 176 p."
    assert first("m:identifier").get("type") == "isbn" and first("m:identifier").text == "9780881333416"
    assert [i.get("type") for i in mods.xpath("m:identifier", namespaces=ns)] == ["isbn", "issn", "lccn"]
    assert first("m:classification").get("authority") == "ddc"
    assert first("m:relatedItem[@type='series']/m:titleInfo/m:title").text == "Studies in Java"
    assert first("m:relatedItem[@type='series']/m:titleInfo/m:partNumber").text == "3"
    assert [t.text for t in mods.xpath("m:subject/m:topic", namespaces=ns)] == ["Families", "Indonesia", "Java"]
    assert first("m:location/m:physicalLocation").text == "ITB"
    # A holder's shelf mark is its copy's, not the record's call number (SLiMS takes the first location's).
    assert first("m:location/m:holdingSimple/m:copyInformation/m:shelfLocator").text == "301.42 GEE j"
    assert not mods.xpath("m:location/m:shelfLocator", namespaces=ns)
    assert first("m:recordInfo/m:recordIdentifier").text == "42"


# --- Dublin Core -------------------------------------------------------------------------------

DC_FIELDS = ("authors", "publisher", "year", "isbns", "issns", "language", "format")


def _colons(text: str) -> str:
    return re.sub(r"\s*:\s+", " : ", text)


def _check_oai_dc_structure(element) -> None:
    """What the oai_dc schema allows: the dc root, the 15 DC elements, text only, xml:lang at most."""
    assert element.tag == f"{{{OAI_DC_NS}}}dc"
    assert set(element.attrib) <= {"{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"}
    for child in element:
        qname = etree.QName(child)
        assert qname.namespace == DC_NS and qname.localname in DC_ELEMENTS
        assert len(child) == 0 and child.text and child.text.strip()
        assert set(child.attrib) <= {"{http://www.w3.org/XML/1998/namespace}lang"}


def test_dc_reads_back_as_the_same_record(loc_items):
    for item in loc_items:
        element = to_dc(item.record, identifier=f"https://katalog.example/catalogue/{item.position}/")
        _check_oai_dc_structure(element)
        again = _reread(_xml(element), "dc")
        assert _same(item.record, again, DC_FIELDS) == {}, item.source_id
        # one dc:title holds "title : subtitle"; a colon inside the title itself moves the split
        assert _colons(again.full_title) == _colons(item.record.full_title)
        ddc = [c for c in item.record.classifications if c.scheme == "ddc"]
        assert [c for c in again.classifications if c.scheme == "ddc"] == ddc
        if item.record.pages:
            assert again.pages == item.record.pages


def test_dc_types_and_identifiers():
    record = CanonicalRecord(title="Skripsi", format="thesis", isbns=("9789793062792",), issns=("0125-9245",),
                             lccn="2001012345", series=(Series("Seri penelitian", "4"),))
    element = to_dc(record, identifier="https://katalog.example/catalogue/7/")
    values = [(etree.QName(c).localname, c.text) for c in element]
    assert ("type", "Text") in values and ("type", "thesis") in values
    assert ("identifier", "ISBN 9789793062792") in values and ("identifier", "ISSN 0125-9245") in values
    assert ("identifier", "https://lccn.loc.gov/2001012345") in values
    assert ("relation", "Seri penelitian ; 4") in values
    again = _reread(_xml(element), "dc")
    assert again.format == "thesis" and again.isbns == record.isbns and again.issns == record.issns


# --- citations ---------------------------------------------------------------------------------

BOOK = CanonicalRecord(
    title="Pengantar ilmu perpustakaan", subtitle="edisi revisi", authors=("Sulistyo-Basuki", "Toer, Pramoedya Ananta",
                                                                            "Universitas Pattimura. Fakultas Hukum"),
    publisher="Gramedia Pustaka Utama", place="Jakarta", year=1991, edition="Cet. 2", isbns=("9789794036417",),
    language="ind", subjects=("Perpustakaan -- Indonesia",), series=(Series("Seri pustaka", "12"),), pages=350,
    extent="xiv, 350 hlm.")


def test_ris():
    text = to_ris(BOOK, url="https://katalog.example/catalogue/1/")
    lines = text.split("\r\n")
    assert lines[0] == "TY  - BOOK" and lines[-2] == "ER  - " and lines[-1] == ""
    tags = [(line[:2], line[6:]) for line in lines if line]
    assert ("AU", "Sulistyo-Basuki") in tags and ("AU", "Toer, Pramoedya Ananta") in tags
    assert ("TI", "Pengantar ilmu perpustakaan: edisi revisi") in tags and ("PY", "1991") in tags
    assert ("SN", "9789794036417") in tags and ("T3", "Seri pustaka ; 12") in tags
    assert ("UR", "https://katalog.example/catalogue/1/") in tags and ("SP", "350") in tags
    assert all(line[2:6] == "  - " for line in lines if line)
    assert to_ris(replace(BOOK, format="thesis")).startswith("TY  - THES")
    assert to_ris(replace(BOOK, title="Baris\nkedua")).count("\r\n") == text.count("\r\n") - 1  # no UR


@pytest.mark.parametrize("fmt, entry_type", [("book", "book"), ("thesis", "phdthesis"), ("article", "article"),
                                             ("map", "misc")])
def test_bibtex_parses_back(fmt, entry_type):
    record = replace(BOOK, format=fmt, title="Harga 50% & {lebih} murah_sekali #1 ~ $5 ^ \\ akhir")
    text = to_bibtex(record, key="edisi 42, baru", url="https://katalog.example/catalogue/42/")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == entry_type and entry.key == "edisi_42_baru"
    assert entry["title"].startswith(r"Harga 50\% \& \{lebih\} murah\_sekali \#1 \textasciitilde{} \$5")
    authors = [a.strip() for a in entry["author"].split(" and ")]
    assert authors == ["{Sulistyo-Basuki}", "Toer, Pramoedya Ananta", "{Universitas Pattimura. Fakultas Hukum}"]
    assert entry["year"] == "1991"
    assert ("school" if entry_type == "phdthesis" else "publisher") in entry.fields_dict


def test_csl_names_and_fields():
    item = to_csl(BOOK, id="42", url="https://katalog.example/catalogue/42/")
    assert json.loads(json.dumps(item)) == item
    assert item["type"] == "book" and item["id"] == "42"
    assert item["author"] == [{"family": "Sulistyo-Basuki"}, {"family": "Toer", "given": "Pramoedya Ananta"},
                              {"literal": "Universitas Pattimura. Fakultas Hukum"}]
    assert item["issued"] == {"date-parts": [[1991]]} and item["language"] == "id"
    assert item["collection-title"] == "Seri pustaka" and item["ISBN"] == "9789794036417"
    assert to_csl(replace(BOOK, format="thesis"), id="1")["type"] == "thesis"


def test_formatted_citation():
    text = formatted_citation(BOOK, "apa")
    assert text.startswith("Sulistyo-Basuki, Toer, P.A.") or text.startswith("Sulistyo-Basuki")
    assert "(1991)" in text and "Pengantar ilmu perpustakaan" in text and "Jakarta: Gramedia Pustaka Utama" in text
    assert "Universitas Pattimura. Fakultas Hukum" in text
    assert formatted_citation(BOOK, "no-such-style") == text
    assert "1991" in formatted_citation(BOOK, locale="id-ID")


def test_an_article_names_its_journal_volume_issue_pages_and_doi():
    article = CanonicalRecord(title="Kerja sama perpustakaan di Maluku", authors=("Latuconsina, Ahmad",),
                              year=2019, format="article", container="Jurnal Pustaka Budaya", volume="6",
                              issue="2", extent="45-67", doi="10.31849/pb.v6i2.3120", language="ind")
    marc = to_marc(article)
    assert str(marc.leader)[6:8] == "aa" and marc["024"].get_subfields("a", "2") == ["10.31849/pb.v6i2.3120", "doi"]
    assert marc["773"].get_subfields("t", "g") == ["Jurnal Pustaka Budaya", "Vol. 6, no. 2 (2019), p. 45-67"]
    ns = {"m": MODS_NS}
    mods = to_mods(article)
    assert mods.xpath("m:relatedItem[@type='host']/m:titleInfo/m:title/text()", namespaces=ns) == ["Jurnal Pustaka Budaya"]
    assert mods.xpath("m:relatedItem/m:part/m:detail[@type='issue']/m:number/text()", namespaces=ns) == ["2"]
    assert mods.xpath("m:identifier[@type='doi']/text()", namespaces=ns) == ["10.31849/pb.v6i2.3120"]
    dc = [(etree.QName(c).localname, c.text) for c in to_dc(article)]
    assert ("identifier", "https://doi.org/10.31849/pb.v6i2.3120") in dc and ("type", "article") in dc
    assert ("source", "Jurnal Pustaka Budaya, Vol. 6, no. 2 (2019), p. 45-67") in dc
    ris = to_ris(article)
    for line in ("TY  - JOUR", "T2  - Jurnal Pustaka Budaya", "VL  - 6", "IS  - 2", "SP  - 45", "EP  - 67",
                 "DO  - 10.31849/pb.v6i2.3120"):
        assert line + "\r\n" in ris
    (entry,) = bibtexparser.parse_string(to_bibtex(article, key="a")).entries
    assert (entry["journal"], entry["volume"], entry["number"], entry["pages"], entry["doi"]) == (
        "Jurnal Pustaka Budaya", "6", "2", "45--67", "10.31849/pb.v6i2.3120")
    csl = to_csl(article, id="a")
    assert (csl["type"], csl["container-title"], csl["volume"], csl["issue"], csl["page"], csl["DOI"]) == (
        "article-journal", "Jurnal Pustaka Budaya", "6", "2", "45-67", "10.31849/pb.v6i2.3120")
    text = formatted_citation(article)
    assert "Jurnal Pustaka Budaya" in text and "6(2)" in text and "45" in text


# --- text that cannot travel -------------------------------------------------------------------

def test_control_characters_are_dropped_everywhere():
    dirty = CanonicalRecord(title="Judul\x1e rusak\x1f\x00 sekali\x1d", authors=("Nama\x0b, Orang",),
                            publisher="Pener\x01bit", subjects=("Sub\x1fjek",))
    marc = marc_bytes(dirty)
    assert _reread(marc, "marc21").title == "Judul rusak sekali"
    for element in (to_marcxml(dirty), to_mods(dirty), to_dc(dirty)):
        etree.fromstring(_xml(element), XML_PARSER)  # well-formed
    assert "\x1e" not in to_ris(dirty) and "\x00" not in to_bibtex(dirty, key="k")
    assert safe_text("a\tb\nc\x00") == "a b c"


def test_a_member_records_controls_are_blanked_or_dropped_and_the_rest_kept():
    """A member's MARC 21 record with controls inside a value, a control field and an indicator goes out
    readable in both MARC forms; its clean fields go out exactly as catalogued."""
    member = pymarc.Record(force_utf8=True, leader="00000nam a2200000 a 4500")
    member.add_field(pymarc.Field(tag="001", data="abc\x0bdef"))
    member.add_field(pymarc.Field(tag="245", indicators=pymarc.Indicators("1", "\x01"),
                                  subfields=[pymarc.Subfield("a", "Judul\x0b rusak\x7f /"), pymarc.Subfield("c", "X.")]))
    member.add_field(pymarc.Field(tag="650", indicators=pymarc.Indicators(" ", "4"),
                                  subfields=[pymarc.Subfield("a", "Sejarah"), pymarc.Subfield("z", "Maluku.")]))
    raw = member.as_marc()
    options = {"raw": raw, "source_format": "marc21"}
    element = etree.fromstring(etree.tostring(to_marcxml(CanonicalRecord(title="Judul rusak"), **options)), XML_PARSER)
    ns = {"m": MARCXML_NS}
    assert element.xpath("m:controlfield[@tag='001']/text()", namespaces=ns) == ["abc def"]  # position kept
    assert element.xpath("m:datafield[@tag='245']/m:subfield[@code='a']/text()", namespaces=ns) == ["Judul rusak /"]
    assert element.xpath("m:datafield[@tag='245']/@ind2", namespaces=ns) == [" "]
    assert element.xpath("m:datafield[@tag='650']/m:subfield/text()", namespaces=ns) == ["Sejarah", "Maluku."]
    back = next(iter(pymarc.MARCReader(marc_bytes(CanonicalRecord(title="Judul rusak"), **options),
                                       to_unicode=True, force_utf8=True)))
    assert back["245"]["a"] == "Judul rusak /" and back["650"].get_subfields("a", "z") == ["Sejarah", "Maluku."]


@pytest.mark.parametrize("name", ["", ".common", ".marc", ".mods", ".dublin_core", ".citations"])
def test_public_surface_is_documented(name):
    import importlib

    module = importlib.import_module("jaringan.core.catalog.export" + name)
    assert module.__doc__
    for export in module.__all__:
        value = getattr(module, export)
        if callable(value):
            assert value.__doc__, f"{name}.{export} has no docstring"


def test_helpers():
    assert is_corporate("Indonesia. Badan Pusat Statistik") and is_corporate("Universitas Gadjah Mada")
    assert not is_corporate("Toer, Pramoedya Ananta") and not is_corporate("Sulistyo-Basuki")
    assert nonfiling_length("The Javanese", "eng") == 4 and nonfiling_length("The Javanese", "ind") == 0
    assert nonfiling_length("L'Indonésie", "fre") == 2 and nonfiling_length("A history", None) == 0


# --- property-based round trip -----------------------------------------------------------------

#: Letters, marks and digits of any script (Javanese, Arabic, Devanagari, CJK, astral planes), no controls.
_word = st.text(st.characters(categories=("L", "M", "N"), exclude_characters="\ufffe\uffff"), min_size=1, max_size=8)
_phrase = st.lists(_word, min_size=1, max_size=5).map(" ".join).filter(lambda s: clean(s) == s)
_name = st.one_of(
    _phrase,
    st.tuples(_phrase, _phrase).map(lambda p: f"{p[0]}, {p[1]}"),
).filter(lambda s: clean_name(s) == s)


def _record(draw_title, subtitle, authors, publisher, place, subjects, year):
    return CanonicalRecord(title=draw_title, subtitle=subtitle, authors=tuple(dict.fromkeys(authors)),
                           publisher=publisher, place=place, year=year, subjects=tuple(dict.fromkeys(subjects)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_phrase, subtitle=st.none() | _phrase, authors=st.lists(_name, max_size=4),
       publisher=st.none() | _phrase, place=st.none() | _phrase,
       subjects=st.lists(st.lists(_phrase, min_size=1, max_size=3).map(" -- ".join), max_size=3),
       year=st.none() | st.integers(1400, 2099))
def test_marcxml_round_trip_with_odd_unicode(title, subtitle, authors, publisher, place, subjects, year):
    record = _record(title, subtitle, authors, publisher, place, subjects, year)
    for data, fmt in ((marcxml_bytes(record), "marcxml"), (marc_bytes(record), "marc21")):
        again = _reread(data, fmt)
        assert (again.title, again.subtitle, again.authors, again.publisher, again.place, again.year,
                again.subjects) == (record.title, record.subtitle, record.authors, record.publisher, record.place,
                                    record.year, record.subjects)
    mods = _reread(_xml(to_mods(record)), "mods")
    assert (mods.title, mods.subtitle, mods.authors, mods.year) == (record.title, record.subtitle, record.authors,
                                                                    record.year)
