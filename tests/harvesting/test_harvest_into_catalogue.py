"""Harvesting a member's OAI-PMH provider (a real process on 127.0.0.1) into the union catalogue."""

import pytest

from jaringan.catalog.models import SourceRecord
from jaringan.harvesting import services
from jaringan.harvesting.models import HarvestRun
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from tests.core.harvest.conftest import LOC_ARGS, QUICK, RECORDS, DELETED_EVERY
from tests.support.oai_server import OaiServer

pytestmark = pytest.mark.django_db

LIVE = RECORDS - RECORDS // DELETED_EVERY


@pytest.fixture
def servers(tmp_path):
    started = []

    def start(*args):
        server = OaiServer(*args, log=tmp_path / f"oai{len(started)}.log").start()
        started.append(server)
        return server

    yield start
    for s in started:
        s.stop()


def source_for(server, code="UNPATTI", prefix="marc21"):
    return services.source_save(actor=SYSTEM, library=Library.objects.get(code=code),
                                data={"endpoint": server.endpoint, "metadata_prefix": prefix, "name": "OPAC"})


def test_full_then_incremental_harvest(demo_network, servers):
    server = servers(*LOC_ARGS)
    source = source_for(server)
    run = services.source_harvest(source=source, **QUICK)
    batch = run.batch
    assert run.status == "done" and run.pages == RECORDS // 50
    assert batch.read == RECORDS and batch.created == LIVE and batch.withdrawn == RECORDS - LIVE
    assert SourceRecord.objects.filter(library__code="UNPATTI", withdrawn=False).count() == LIVE
    source.refresh_from_db()
    assert source.next_from and source.checkpoint is None and source.last_success
    again = services.source_harvest(source=source, **QUICK)
    assert again.status == "done" and again.batch.created == 0  # incremental: nothing new since
    assert not source.is_due()


def test_a_broken_run_resumes_without_duplicates(demo_network, servers):
    server = servers(*LOC_ARGS, "--mode", "flaky", "--fail-page", "3", "--fail-times", "3")
    source = source_for(server)
    first = services.source_harvest(source=source, retries=1, retry_wait=0.01, timeout=10)
    assert first.status == "failed" and "page 3" in first.error
    source.refresh_from_db()
    assert source.checkpoint and source.checkpoint["records_seen"] == 100 and source.is_due()
    assert SourceRecord.objects.count() == first.batch.created and 0 < first.batch.created < 100
    second = services.source_harvest(source=source, retries=1, retry_wait=0.01, timeout=10)
    assert second.status == "done" and second.resumed
    assert SourceRecord.objects.filter(withdrawn=False).count() == LIVE
    assert SourceRecord.objects.values("source_id").distinct().count() == SourceRecord.objects.count()
    assert HarvestRun.objects.count() == 2


def test_slims_provider_keeps_isbn_and_ddc(demo_network, servers):
    server = servers(*LOC_ARGS, "--mode", "slims")
    source = source_for(server, prefix="oai_dc")
    run = services.source_harvest(source=source, **QUICK)
    assert run.status == "done" and run.batch.created > 0
    with_isbn = [r for r in SourceRecord.objects.all() if r.data.get("isbns")]
    with_ddc = [r for r in SourceRecord.objects.all()
                if any(c["scheme"] == "ddc" for c in r.data.get("classifications", []))]
    assert with_isbn and with_ddc
    source.refresh_from_db()
    assert source.next_from == ""  # no datestamps: the next run is a full one


def test_harvest_due_runs_only_due_sources(demo_network, servers):
    server = servers(*LOC_ARGS)
    source_for(server)
    assert len(services.harvest_due(library_code="UNPATTI", **QUICK)) == 1
    assert services.harvest_due(library_code="UNPATTI", **QUICK) == []


def test_unreachable_provider_fails_the_run_clearly(demo_network):
    from jaringan.harvesting.models import HarvestSource

    # saved while the provider answered; it has gone away since
    source = HarvestSource.objects.create(library=Library.objects.get(code="UNPATTI"),
                                          endpoint="http://127.0.0.1:9/oai", metadata_prefix="oai_dc")
    run = services.source_harvest(source=source, retries=0, retry_wait=0.01, timeout=2)
    assert run.status == "failed" and "127.0.0.1:9" in run.error


def test_staff_add_a_source_and_harvest_it_from_their_page(demo_network, servers, passwords):
    from django.test import Client

    from jaringan.harvesting.models import HarvestSource

    server = servers(*LOC_ARGS)
    c = Client()
    assert c.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    r = c.post("/manage/libraries/UNPATTI/sources/", {"name": "OPAC Unpatti", "endpoint": server.endpoint,
                                                        "metadata_prefix": "marc21", "every_hours": "24"})
    assert r.status_code == 302
    source = HarvestSource.objects.get(library__code="UNPATTI")
    c.post(f"/manage/sources/{source.pk}/harvest/")
    page = c.get("/manage/libraries/UNPATTI/records/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "OPAC Unpatti" in page and f">{RECORDS}<" in page
    other = Client()
    assert other.login(username="staf.itb", password=passwords["staf.itb"])
    assert other.post(f"/manage/sources/{source.pk}/harvest/").status_code == 403
