"""The record page's "Cite / export": every format downloads, parses, and carries the union's holdings."""

import io
import json

import bibtexparser
import pymarc
import pytest
from django.test import Client
from lxml import etree

from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.models import Edition, SourceRecord
from jaringan.core.catalog.export import DC_NS, MARCXML_NS, MODS_NS, OAI_DC_NS
from jaringan.core.catalog.readers import read
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM

from .items import loc_items, retyped

pytestmark = pytest.mark.django_db

PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _ingest(code, items):
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code))
    ingest(batch=batch, items=items)


@pytest.fixture
def merged(demo_network):
    items = loc_items(5)
    _ingest("UNPATTI", items)
    _ingest("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(items)])
    return SourceRecord.objects.get(source_id=items[0].source_id).edition


def _get(path):
    return Client().get(path, HTTP_ACCEPT_LANGUAGE="en")


def _download(edition, fmt):
    response = _get(f"/catalogue/{edition.pk}/export/{fmt}/")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith(f'attachment; filename="edition-{edition.pk}.')
    return response


def test_record_page_offers_citation_and_every_format(merged):
    page = _get(f"/catalogue/{merged.pk}/").content.decode()
    assert "Cite / export" in page
    record = SourceRecord.objects.get(pk=merged.preferred_id).data
    citation = page.split('<p class="citation">')[1].split("</p>")[0]
    assert f"({record['year']})" in citation and record["title"].split(":")[0][:15] in citation
    for fmt in ("ris", "bib", "csl", "marc", "marcxml", "mods", "dc"):
        assert f"/catalogue/{merged.pk}/export/{fmt}/" in page


def test_ris_and_bibtex(merged):
    response = _download(merged, "ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    text = response.content.decode()
    assert text.startswith("TY  - BOOK\r\n") and text.rstrip().endswith("ER  -")
    assert f"UR  - http://testserver/catalogue/{merged.pk}/\r\n" in text

    response = _download(merged, "bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.content.decode())
    (entry,) = library.entries
    assert entry.key == f"jaringan{merged.pk}" and entry["year"] == str(merged.year)


def test_marc_carries_the_union_holdings(merged):
    response = _download(merged, "marc")
    assert response["Content-Type"] == "application/marc"
    (record,) = list(pymarc.MARCReader(io.BytesIO(response.content), to_unicode=True, force_utf8=True))
    assert record["001"].data == str(merged.pk)
    assert {f["a"] for f in record.get_fields("852")} == {"UNPATTI", "UNHAS"}
    (item,) = list(read(response.content, format="marc21"))
    preferred = SourceRecord.objects.get(pk=merged.preferred_id).data
    assert item.ok and item.record.title == preferred["title"] and list(item.record.isbns) == preferred.get("isbns", [])


def test_marcxml_and_mods_and_dc(merged):
    response = _download(merged, "marcxml")
    assert response["Content-Type"].startswith("application/marcxml+xml")
    root = etree.fromstring(response.content, PARSER)
    assert root.tag == f"{{{MARCXML_NS}}}record"
    codes = root.xpath("m:datafield[@tag='852']/m:subfield[@code='a']/text()", namespaces={"m": MARCXML_NS})
    assert set(codes) == {"UNPATTI", "UNHAS"}

    response = _download(merged, "mods")
    assert response["Content-Type"].startswith("application/mods+xml")
    mods = etree.fromstring(response.content, PARSER)
    ns = {"m": MODS_NS}
    assert mods.xpath("m:titleInfo/m:title/text()", namespaces=ns)
    assert set(mods.xpath("m:location/m:physicalLocation/text()", namespaces=ns)) == {"UNPATTI", "UNHAS"}
    assert mods.xpath("m:recordInfo/m:recordIdentifier/text()", namespaces=ns) == [str(merged.pk)]

    response = _download(merged, "dc")
    dc = etree.fromstring(response.content, PARSER)
    assert dc.tag == f"{{{OAI_DC_NS}}}dc"
    assert f"http://testserver/catalogue/{merged.pk}/" in dc.xpath("dc:identifier/text()", namespaces={"dc": DC_NS})


def test_csl_json(merged):
    response = _download(merged, "csl")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    (item,) = json.loads(response.content)
    assert item["id"] == str(merged.pk) and item["type"] == "book"
    assert item["URL"] == f"http://testserver/catalogue/{merged.pk}/"


def test_unknown_edition_or_format_is_404(merged):
    missing = (Edition.objects.order_by("-pk").first().pk or 0) + 1000
    assert _get(f"/catalogue/{missing}/").status_code == 404
    assert _get(f"/catalogue/{missing}/export/ris/").status_code == 404
    assert _get(f"/catalogue/{merged.pk}/export/pdf/").status_code == 404


def test_withdrawn_everywhere_is_404(merged):
    SourceRecord.objects.filter(edition=merged).update(withdrawn=True)
    assert _get(f"/catalogue/{merged.pk}/export/marc/").status_code == 404


def test_other_editions_of_the_same_work_are_listed(merged):
    """A later printing (another year, no ISBN) is another edition of the same work, listed on the page."""
    item = loc_items(1)[0]
    later = retyped(item, source_id="ITB-later", year=(item.record.year or 1990) + 12, isbns=(), lccn=None,
                    edition="Cet. 5")
    _ingest("ITB", [later])
    other = SourceRecord.objects.get(source_id="ITB-later").edition
    assert other.pk != merged.pk and other.work_id == merged.work_id
    page = _get(f"/catalogue/{merged.pk}/").content.decode()
    assert "Other editions of this work" in page and f"/catalogue/{other.pk}/" in page
