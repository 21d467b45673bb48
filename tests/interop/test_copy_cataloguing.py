"""Records a member can copy into its own catalogue as they are: valid against their schemas, and
saved by SLiMS 9 into a strict MariaDB without a refused row.

Every record of the demo catalogue (the 3,148 LoC Indonesian records ``jaringan demo`` loads) is
written as the SRU and OAI-PMH endpoints write it (``interop.records.render``) and checked; then the
endpoints themselves are read over HTTP for the test union catalogue.
"""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from lxml import etree

from jaringan.core.catalog.identifiers import parse_isbn
from jaringan.core.catalog.record import Holding
from jaringan.interop import records
from tests.catalog.items import loc_items
from tests.interop import schemas, slims

SRW = "http://www.loc.gov/zing/srw/"
SRU2 = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
OAI = "http://www.openarchives.org/OAI/2.0/"
MODS = schemas.MODS_NS
MARC = schemas.MARC_NS
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
CREATED = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
UPDATED = dt.datetime(2026, 11, 30, 23, 59, 58, tzinfo=dt.UTC)
#: SLiMS's collation column (VARCHAR(50)) is shorter than some records' own extent as catalogued.
COLLATION_WIDTH = slims.BIBLIO_WIDTHS["collation"]


@pytest.fixture(scope="module")
def demo_records():
    """The demo catalogue's records, each an edition held by one library with a shelf mark."""
    return [records.ExportEdition(id=n, record=item.record, raw=item.raw, source_format="marc21",
                                  holdings=(("PNRI", Holding(call_number="R 959.8 SEJ s", location="Referensi")),),
                                  libraries=("PNRI",), created=CREATED, updated=UPDATED)
            for n, item in enumerate(loc_items(10**6), start=1)]


def _url(edition_id: int) -> str:
    return f"https://katalog.example/catalogue/{edition_id}/"


def test_the_schemas_refuse_what_they_should():
    """The validators are the published schemas, loaded offline, and they do say no."""
    mods = etree.fromstring(f'<mods xmlns="{MODS}"><titleInfo><title>x</title></titleInfo></mods>')
    assert schemas.errors("mods", mods) == []
    etree.SubElement(mods, f"{{{MODS}}}recordInfo").append(etree.Element(f"{{{MODS}}}recordDate"))
    assert schemas.errors("mods", mods)
    marc = etree.fromstring(f'<record xmlns="{MARC}"><leader>00000nam a2200000 a 4500</leader>'
                            f'<datafield tag="245" ind1="1" ind2="0"/></record>')
    assert schemas.errors("marcxml", marc)  # a datafield needs a subfield
    dc = etree.fromstring('<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
                          'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>x</dc:title><dc:isbn/></oai_dc:dc>')
    assert schemas.errors("oai_dc", dc)
    with pytest.raises(etree.XMLSchemaParseError):  # nothing is fetched from the network
        etree.XMLSchema(etree.fromstring(
            b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:import namespace="urn:x" '
            b'schemaLocation="http://example.org/x.xsd"/></xs:schema>', schemas._parser()))


def test_every_demo_record_is_valid_in_every_format(demo_records):
    invalid = {}
    for item in demo_records:
        for schema in records.SCHEMAS:
            found = schemas.record_errors(records.render(item, schema, url=_url(item.id)))
            if found:
                invalid[(item.id, schema)] = found[:2]
    assert invalid == {}


def test_every_demo_record_saves_in_slims_9_on_strict_mariadb(demo_records):
    refused, gmds, languages = {}, set(), {}
    for item in demo_records:
        mods = records.render(item, "mods", url=_url(item.id))
        saved = slims.mods_save(mods)
        row = saved.biblio
        own_extent = [r for r in saved.refused if r.startswith("collation:") and len(item.record.extent) > COLLATION_WIDTH]
        if [r for r in saved.refused if r not in own_extent]:
            refused[item.id] = saved.refused
        assert row["input_date"] == "2025-03-04"  # the edition's creation, as a DATETIME reads it
        assert slims.mods_read(mods)["modified_date"] == "2026-11-30T23:59:58Z"
        assert slims.mods_read(mods)["id"] == str(item.id)
        gmds.add(saved.gmd)
        languages[item.record.language] = (saved.language_name, saved.language_code)
        isbn = row.get("isbn_issn")
        assert isbn is None or isbn in item.record.isbns  # never an ISBN the catalogue marks invalid
        if item.record.invalid_isbns and not item.record.isbns:
            assert isbn is None
        # the call number is the record's classification (DDC, else LCC), never the holder's shelf mark
        assert row["call_number"] == (records.call_number(item) or "")
        assert "SEJ s" not in row["call_number"]
    assert refused == {}
    # (books with maps among their contents are Text: a map is a record whose leader says so)
    assert gmds == {"Text", "Electronic Resource", "Sound Recording"}
    assert all(g.casefold() in slims.SLIMS_GMDS for g in gmds)
    assert languages["ind"] == ("Indonesia", "id") and languages["eng"] == ("English", "en")
    assert languages[None] == ("Undetermined", None)
    assert all(name and len(name) <= slims.LANGUAGE_NAME_WIDTH for name, _code in languages.values())


def test_slims_would_refuse_only_extents_longer_than_its_column(demo_records):
    """What SLiMS still cannot take is named: a record whose own extent is longer than SLiMS's collation."""
    too_long = [item for item in demo_records if len(item.record.extent or "") > COLLATION_WIDTH]
    for item in too_long:
        saved = slims.mods_save(records.render(item, "mods", url=_url(item.id)))
        assert saved.refused == [f"collation: {len(item.record.extent)} characters > {COLLATION_WIDTH}: "
                                 f"{item.record.extent!r}"]
    assert len(too_long) < len(demo_records) / 500


def test_marcxml_keeps_invalid_isbns_out_of_020_a(demo_records):
    moved = 0
    for item in demo_records:
        marc = records.render(item, "marcxml", url=_url(item.id))
        for subfield in marc.iterfind(f"{{{MARC}}}datafield[@tag='020']/{{{MARC}}}subfield"):
            parsed = parse_isbn(subfield.text)
            if subfield.get("code") == "a":
                assert parsed is not None and parsed.valid, (item.id, subfield.text)
            elif subfield.get("code") == "z" and (parsed is None or not parsed.valid):
                moved += 1
        assert marc.findtext(f"{{{MARC}}}controlfield[@tag='005']") == "20261130235958.0"
        assert marc.findtext(f"{{{MARC}}}controlfield[@tag='001']") == str(item.id)
    assert moved >= 90  # the records whose only ISBNs are invalid, at least


# --- over HTTP: the endpoints as members read them ----------------------------------------------------


def _get(live_server, path, **params) -> etree._Element:
    response = requests.get(live_server.url + path, params=params, timeout=60)
    assert response.status_code == 200
    return etree.fromstring(response.content, PARSER)


def _sru_pages(live_server, version, schema):
    """Every page of ``cql.allRecords`` in ``schema``, 100 records a page."""
    start = 1
    while start:
        params = {"version": version, "query": "cql.allRecords=1", "recordSchema": schema,
                  "maximumRecords": 100, "startRecord": start}
        if version != "2.0":
            params["operation"] = "searchRetrieve"
        root = _get(live_server, "/sru", **params)
        yield root
        following = root.findtext(f"{{{SRU2 if version == '2.0' else SRW}}}nextRecordPosition")
        start = int(following) if following else 0


@pytest.mark.parametrize("schema", ["mods", "marcxml", "dc"])
def test_sru_responses_and_their_records_are_valid(indexed, live_server, schema):
    from jaringan.catalog.models import Edition

    editions = Edition.objects.filter(records__withdrawn=False).distinct().count()
    for version in ("2.0", "1.2"):
        ns = SRU2 if version == "2.0" else SRW
        seen = 0
        for root in _sru_pages(live_server, version, schema):
            if version == "2.0":
                assert schemas.errors("sru2", root) == []
            for data in root.iter(f"{{{ns}}}recordData"):
                assert schemas.record_errors(data[0]) == []
                seen += 1
        assert seen == editions


def test_slims_reads_every_record_of_an_sru_answer_and_saves_it(indexed, live_server):
    """SLiMS's Z39.50 SRU screen: version 1.1, MODS, the records read as modsXMLslims() reads them."""
    from jaringan.catalog.models import Edition

    created = {e.pk: e.created for e in Edition.objects.all()}
    saved = 0
    for root in _sru_pages(live_server, "1.1", "mods"):
        for data in root.iter(f"{{{SRW}}}recordData"):
            mods = [c for c in data if c.prefix is None and etree.QName(c).localname == "mods"][0]
            row = slims.mods_save(mods)
            assert row.refused == []
            edition_id = int(slims.mods_read(mods)["id"])
            assert row.biblio["input_date"] == created[edition_id].astimezone(dt.UTC).date().isoformat()
            assert row.gmd == "Text" and row.language_name
            saved += 1
    assert saved == Edition.objects.filter(records__withdrawn=False).distinct().count() > 100


@pytest.mark.parametrize("prefix", ["oai_dc", "marcxml", "mods"])
def test_oai_records_are_valid(indexed, live_server, prefix):
    root = _get(live_server, "/oai", verb="ListRecords", metadataPrefix=prefix)
    found = 0
    for metadata in root.iter(f"{{{OAI}}}metadata"):
        assert schemas.record_errors(metadata[0]) == []
        found += 1
    assert found == len(set(indexed.editions.values()) - set(indexed.retired))
