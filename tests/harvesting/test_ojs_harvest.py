"""A journal on Open Journal Systems harvested over OAI-PMH (a real provider process on 127.0.0.1 serving
OJS-shaped oai_dc pages): its articles become article records with their journal, numbering, pages, DOI,
address and both abstracts, found by a word of an abstract."""

from pathlib import Path

import pytest

from jaringan.catalog.models import SourceRecord
from jaringan.harvesting import services
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from tests.support.oai_server import OaiServer

pytestmark = pytest.mark.django_db

OJS_PAGE = Path(__file__).parent / "data" / "ojs_oai_dc.xml"
QUICK = {"retries": 2, "retry_wait": 0.01, "timeout": 10}


@pytest.fixture
def journal(tmp_path):
    # One record a page: the harvest follows resumption tokens through the journal.
    with OaiServer("--data", OJS_PAGE, "--page-size", "1", log=tmp_path / "oai.log") as server:
        yield server


def test_an_ojs_journal_harvested_into_article_records(demo_network, journal, settings, tmp_path,
                                                       django_capture_on_commit_callbacks, client):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    source = services.source_save(actor=SYSTEM, library=Library.objects.get(code="UNHAS"),
                                  data={"endpoint": journal.endpoint, "metadata_prefix": "oai_dc",
                                        "name": "Jurnal (OJS)"})
    with django_capture_on_commit_callbacks(execute=True):
        run = services.source_harvest(source=source, **QUICK)
    assert run.status == "done" and run.pages == 3 and run.batch.created == 3 and run.batch.quarantined == 0
    record = SourceRecord.objects.get(library__code="UNHAS", source_id="oai:ojs.journal.ipb.ac.id:article/2101")
    data = record.data
    assert record.edition.format == "article" and data["format"] == "article"
    assert (data["container"], data["volume"], data["issue"], data["year"], data["extent"]) == (
        "Jurnal Teknologi dan Industri Pangan", "30", "1", 2019, "45-53")
    assert data["doi"] == "10.6066/jtip.2019.30.1.45" and data["issns"] == ["2087-751X", "1979-7788"]
    assert data["url"] == "https://journal.ipb.ac.id/index.php/jtip/article/view/2101"
    assert [lang for lang, _text in data["abstracts"]] == ["ind", "eng"]
    page = client.get("/search/", {"q": "sianida"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "<mark>sianida</mark>" in page and "Jurnal Teknologi dan Industri Pangan 30(1): 45-53" in page
    edition = client.get(f"/catalogue/{record.edition_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Abstract (Indonesian)" in edition and "Abstract (English)" in edition
    assert 'href="https://doi.org/10.6066/jtip.2019.30.1.45"' in edition
    # Harvested again, nothing changed: the same three records, unchanged.
    again = services.source_harvest(source=source, full=True, **QUICK)
    assert (again.batch.created, again.batch.updated, again.batch.unchanged) == (0, 0, 3)
