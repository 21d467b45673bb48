"""Dublin Core (oai_dc, no-namespace, SLiMS quirks) → CanonicalRecord; safe XML."""

import pytest

from jaringan.core.catalog.dublin_core import dublin_core_records, parse_xml, record_from_dublin_core
from jaringan.core.catalog.errors import CatalogError, NoTitle, UnreadableRecord
from jaringan.core.catalog.record import Classification
from tests.paths import FIXTURES

REAL = FIXTURES / "oai_pmh" / "real"

#: What a SLiMS oai.php record looks like (see ECOSYSTEM.md): identifier_isbn, DDC as subject, <image>.
SLIMS_RECORD = b"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record>
<header><identifier>oai:slims.perpus.example:1</identifier></header>
<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:title>Pengantar ilmu perpustakaan : edisi revisi</dc:title>
  <dc:creator>Sulistyo-Basuki</dc:creator>
  <dc:subject>020</dc:subject>
  <dc:subject>Perpustakaan</dc:subject>
  <dc:subject>005.133 SUL p</dc:subject>
  <dc:publisher>Gramedia Pustaka Utama</dc:publisher>
  <dc:date>1991</dc:date>
  <dc:language>Indonesia</dc:language>
  <dc:type>Text</dc:type>
  <dc:format>xii, 345 hlm. ; 24 cm</dc:format>
  <dc:identifier_isbn>979-3062-79-7</dc:identifier_isbn>
  <dc:identifier>http://slims.perpus.example/index.php?p=show_detail&amp;id=1</dc:identifier>
  <image>cover.jpg</image>
</oai_dc:dc></metadata></record></ListRecords></OAI-PMH>"""


def _only(data: bytes):
    [(identifier, container)] = list(dublin_core_records(parse_xml(data)))
    return record_from_dublin_core(container, source_id=identifier, library="SLIMS-1")


def test_slims_record():
    r = _only(SLIMS_RECORD)
    assert r.source_id == "oai:slims.perpus.example:1"
    assert (r.title, r.subtitle) == ("Pengantar ilmu perpustakaan", "edisi revisi")
    assert r.authors == ("Sulistyo-Basuki",)
    assert r.isbns == ("9789793062792",)
    assert r.classifications == (Classification("ddc", "020"), Classification("ddc", "005.133"))
    assert r.subjects == ("Perpustakaan",)
    assert (r.publisher, r.year, r.language, r.format) == ("Gramedia Pustaka Utama", 1991, "ind", "book")
    assert r.pages == 345


def test_slims_identifier_isbn_may_hold_an_issn():
    data = SLIMS_RECORD.replace(b"979-3062-79-7", b"0317-8471")
    r = _only(data)
    assert (r.isbns, r.issns) == ((), ("0317-8471",))


def test_invalid_isbn_is_kept_raw():
    r = _only(SLIMS_RECORD.replace(b"979-3062-79-7", b"979-3062-79-8"))
    assert (r.isbns, r.invalid_isbns) == ((), ("979-3062-79-8",))


@pytest.mark.parametrize("name", ["sample-oai-pmh.xml", "sample-oai-no-namespace.xml"])
def test_real_oai_dc_with_and_without_namespaces(name):
    records = [record_from_dublin_core(c, source_id=i) for i, c in dublin_core_records(parse_xml((REAL / name).read_bytes()))]
    assert len(records) == 10
    assert records[0].title == "Warehouses"
    assert records[0].source_id == "oai:sciencehistoryorg:mk61rg92z"
    spice = records[1]
    assert spice.title == "Spice Storage"
    assert spice.authors == ("Norda Essential Oil and Chemical Company",)
    assert spice.year == 1950


def test_both_real_variants_give_the_same_records():
    def load(name):
        root = parse_xml((REAL / name).read_bytes())
        return [record_from_dublin_core(c, source_id=i) for i, c in dublin_core_records(root)]

    assert load("sample-oai-pmh.xml") == load("sample-oai-no-namespace.xml")


def test_qualified_dc_article():
    root = parse_xml((FIXTURES / "recordmanager_fixtures" / "qdc1.xml").read_bytes())
    [(_, container)] = list(dublin_core_records(root))
    r = record_from_dublin_core(container)
    assert r.format == "article"
    assert r.issns == ("2432-5058",)
    assert r.year == 2021
    assert r.authors[0] == "Viskari, Eeva-Liisa"


def test_missing_title_raises_no_title():
    data = SLIMS_RECORD.replace(b"<dc:title>Pengantar ilmu perpustakaan : edisi revisi</dc:title>", b"<dc:title> </dc:title>")
    with pytest.raises(NoTitle):
        _only(data)


def test_malformed_xml_is_our_error():
    with pytest.raises(UnreadableRecord) as caught:
        parse_xml((FIXTURES / "oai_pmh" / "sickle_protocol_fixtures" / "ListRecordsBroken.xml").read_bytes())
    assert isinstance(caught.value, CatalogError)


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE dc [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<dc xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>A &x; B</dc:title></dc>'
    ).encode()
    [(_, container)] = list(dublin_core_records(parse_xml(data)))
    assert "SECRET" not in record_from_dublin_core(container).title
