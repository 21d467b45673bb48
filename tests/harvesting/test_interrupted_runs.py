"""Imports and harvests whose process is killed (SIGKILL) are marked interrupted, and the next run says so.

Real processes: `jaringan import` and `jaringan harvest` run on the test's own
database, against a real OAI-PMH provider process on 127.0.0.1, and are
killed with SIGKILL once they have committed part of their work.
"""

from __future__ import annotations

import signal
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jaringan.catalog.services.batches import batch_start, batches_reap
from jaringan.catalog.models import ImportBatch, SourceRecord
from jaringan.core import liveness
from jaringan.harvesting import services
from jaringan.harvesting.models import HarvestRun
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from tests.core.harvest.conftest import DELETED_EVERY, LOC_ARGS, LOC_INDONESIA, RECORDS
from tests.support import processes
from tests.support.oai_server import OaiServer

pytestmark = pytest.mark.django_db(transaction=True)


def _kill(process) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_an_import_killed_mid_file_is_interrupted_and_the_next_one_says_so(demo_network, tmp_path, passwords):
    process = processes.start(tmp_path / "first", "import", str(LOC_INDONESIA), "--library", "UNPATTI")
    batch = processes.wait_for(lambda: ImportBatch.objects.filter(library__code="UNPATTI", read__gt=0).first(),
                               what="the first chunk committed")
    assert batch.status == "running" and batch.worker_pid == process.pid and batch.heartbeat
    _kill(process)
    kept = SourceRecord.objects.filter(library__code="UNPATTI").count()
    assert kept > 0

    # The staff's page and the API list it as interrupted (marked lazily, when listed).
    client = Client()
    assert client.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    page = client.get("/manage/libraries/UNPATTI/records/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Interrupted" in page and f"({batch.worker_host}:{process.pid}) stopped" in page
    listed = client.get("/api/libraries/UNPATTI/batches").json()
    assert listed[0]["id"] == batch.pk and listed[0]["status"] == "interrupted"
    batch.refresh_from_db()
    assert batch.finished and batch.read == batch.created + batch.updated + batch.unchanged + batch.withdrawn \
        + batch.quarantined  # what it committed adds up

    again = processes.run(tmp_path / "second", "import", str(LOC_INDONESIA), "--library", "UNPATTI")
    assert again.returncode == 0, again.stderr
    assert "The previous run was interrupted at" in again.stderr
    second = ImportBatch.objects.filter(library__code="UNPATTI").order_by("-pk").first()
    assert second.status == "done" and second.unchanged >= kept and second.message.startswith("The previous run")
    # Nothing lost, nothing doubled: one record per identifier of the file.
    records = SourceRecord.objects.filter(library__code="UNPATTI")
    assert records.count() == records.values("source_id").distinct().count() == second.read - second.quarantined


def test_a_harvest_killed_mid_run_is_interrupted_and_the_next_run_resumes_and_says_so(demo_network, tmp_path,
                                                                                     passwords):
    with OaiServer(*LOC_ARGS, "--delay", "0.3", log=tmp_path / "oai.log") as server:
        source = services.source_save(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"),
                                      data={"endpoint": server.endpoint, "metadata_prefix": "marc21"})
        process = processes.start(tmp_path / "first", "harvest", "--library", "UNPATTI")
        run = processes.wait_for(lambda: HarvestRun.objects.filter(source=source, pages__gte=2).first(),
                                 what="two pages committed")
        _kill(process)
        run.refresh_from_db()
        assert run.status == "running" and run.pages < RECORDS // 50

        # `jaringan ill-tick` (from cron) marks it; the staff's page shows it.
        tick = processes.run(tmp_path / "tick", "ill-tick")
        assert tick.returncode == 0 and "stopped" in tick.stderr
        run.refresh_from_db()
        assert run.status == "interrupted" and run.batch.status == "interrupted" and run.finished
        client = Client()
        assert client.login(username="staf.unpatti", password=passwords["staf.unpatti"])
        page = client.get("/manage/libraries/UNPATTI/records/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Interrupted" in page

        again = processes.run(tmp_path / "second", "harvest", "--library", "UNPATTI")
        assert again.returncode == 0, again.stderr
        assert "The previous run was interrupted at" in again.stderr
    resumed = HarvestRun.objects.filter(source=source).order_by("-pk").first()
    assert resumed.pk != run.pk and resumed.status == "done" and resumed.resumed
    assert resumed.note.startswith("The previous run was interrupted at")
    records = SourceRecord.objects.filter(library__code="UNPATTI")
    assert records.values("source_id").distinct().count() == records.count()
    assert records.filter(withdrawn=False).count() == RECORDS - RECORDS // DELETED_EVERY


def test_a_live_process_is_not_marked_and_a_silent_one_is_after_the_lease(demo_network):
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"), name="live.mrc")
    assert batches_reap() == []  # this very process runs it
    ImportBatch.objects.filter(pk=batch.pk).update(worker_host="another-machine", worker_pid=1)
    assert batches_reap() == []  # another host: the lease decides, and it has not run out
    later = timezone.now() + liveness.LEASE + timedelta(minutes=1)
    assert [b.pk for b in batches_reap(now=later)] == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == "interrupted" and "another-machine:1" in batch.message


def test_an_upload_after_an_interrupted_one_of_the_same_file_says_so(demo_network, passwords):
    from django.core.files.uploadedfile import SimpleUploadedFile

    library = Library.objects.get(code="UNPATTI")
    killed = batch_start(actor=SYSTEM, library=library, source=ImportBatch.Source.UPLOAD, name="buku.csv")
    ImportBatch.objects.filter(pk=killed.pk).update(worker_host="another-machine", worker_pid=1,
                                                    heartbeat=timezone.now() - liveness.LEASE * 2)
    client = Client()
    assert client.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    upload = SimpleUploadedFile("buku.csv", "title,year\nSejarah Maluku,1999\n".encode(), content_type="text/csv")
    sent = client.post("/manage/libraries/UNPATTI/records/", {"file": upload, "format": "csv"})
    killed.refresh_from_db()
    assert killed.status == "interrupted"
    # Read in the background: its batch's page says so, while it runs and after.
    processes.wait_for(lambda: client.get(sent.url + "progress/").json()["status"] == "done", what="the upload's end")
    page = client.get(sent.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The previous run was interrupted at" in page.split('id="batch"')[1].split("</section>")[0]
