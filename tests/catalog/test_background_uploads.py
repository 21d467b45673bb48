"""Uploads from the records page and the API are read in the background: the answer comes at once, the
batch's page (and its JSON) shows how far it has gone and then the report; a batch whose server is killed
shows as interrupted and its kept file runs again without taking anything twice.

Real components: the serving process's background thread (the tests commit, so it starts), `jaringan serve`
in a process of its own for the killed server, the packaged LoC records.
"""

from __future__ import annotations

import io
import secrets
import signal
import socket

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from jaringan.catalog import pipeline
from jaringan.catalog.models import ImportBatch, SourceRecord
from jaringan.catalog.services.ingest import CHUNK
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM, principal_for
from jaringan.network.services import token_create
from tests.paths import LOC_INDONESIA
from tests.support import processes

pytestmark = pytest.mark.django_db(transaction=True)


def first_records(count: int) -> bytes:
    data = LOC_INDONESIA.read_bytes()
    end = 0
    for _ in range(count):
        end = data.index(b"\x1d", end) + 1
    return data[:end]


@pytest.fixture
def home(settings, tmp_path):
    settings.HOME = tmp_path / "home"
    settings.HOME.mkdir()
    return settings.HOME


def login(username, passwords) -> Client:
    c = Client()
    assert c.login(username=username, password=passwords[username])
    return c


def finished(client: Client, url: str, **headers) -> dict:
    """The batch's JSON once it is no longer running (the background thread works meanwhile)."""
    def ended():
        body = client.get(url, **headers).json()
        return body if body["status"] != "running" else None

    return processes.wait_for(ended, timeout=120, every=0.1, what="the batch's end")


def test_the_records_page_answers_at_once_then_the_batch_page_shows_progress_and_the_report(demo_network, home,
                                                                                           passwords):
    data = first_records(120)
    # UNHAS holds the same books already: UNPATTI's records join its editions.
    pipeline.import_file(actor=SYSTEM, library=Library.objects.get(code="UNHAS"), stream=io.BytesIO(data),
                         name="unhas.mrc")
    c = login("staf.unpatti", passwords)
    with transaction.atomic():  # the work starts when the upload is committed: first see it waiting
        r = c.post("/manage/libraries/UNPATTI/records/", {"file": SimpleUploadedFile("koleksi.mrc", data),
                                                           "format": ""})
        assert r.status_code == 302 and r.url.startswith("/manage/batches/")
        page = c.get(r.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Waiting to start" in page and 'id="batch-bar"' in page and "batch.js" in page
        assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
        waiting = c.get(r.url + "progress/").json()
        assert (waiting["status"], waiting["waiting"], waiting["read"], waiting["bytes_total"]) == (
            "running", True, 0, len(data))
        assert "Menunggu dimulai" in c.get(r.url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    done = finished(c, r.url + "progress/")
    assert (done["status"], done["read"], done["created"], done["quarantined"]) == ("done", 120, 120, 0)
    assert (done["new_editions"], done["joined_editions"]) == (0, 120) and done["records_per_second"] > 0
    for language, words in (("en", ("Report", "New editions", "Joined to editions already in the catalogue")),
                            ("id", ("Laporan", "Edisi baru", "Bergabung ke edisi yang sudah ada di katalog"))):
        page = c.get(r.url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'id="batch-report"' in page and "batch.js" not in page and "refresh" not in page
        assert all(w in page for w in words), (language, words)
    assert SourceRecord.objects.filter(library__code="UNPATTI").count() == 120
    assert pipeline.BACKGROUND.idle() and not (home / "uploads" / str(done["id"])).exists()  # the saved file goes once it is read


def test_the_api_answers_202_and_the_batch_completes_for_the_library_and_its_coordinator_only(demo_network, home,
                                                                                          user, passwords):
    data = first_records(60) + b"\x1d"  # and one empty record: quarantined with its reason
    staff = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user('staf.unpatti'))}"}
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user('staf.itb'))}"}
    coordinator = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user('koordinator'))}"}  # JPIT: UNPATTI's
    assert Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile("k.mrc", data)},
                         **other).status_code == 403
    assert Client().post("/api/libraries/UNPATTI/records",
                         {"file": SimpleUploadedFile("k.mrc", data)}).status_code == 401
    r = Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile("k.mrc", data)}, **staff)
    assert r.status_code == 202 and r["Location"] == r.json()["url"]
    body = finished(Client(), r.json()["url"], **staff)
    assert (body["status"], body["read"], body["created"], body["quarantined"]) == ("done", 61, 60, 1)
    assert body["read"] == body["created"] + body["updated"] + body["unchanged"] + body["withdrawn"] \
        + body["quarantined"]
    assert Client().get(r.json()["url"], **coordinator).json()["read"] == 61
    assert Client().get(r.json()["url"], **other).status_code == 403
    assert Client().get(r.json()["url"]).status_code == 401
    # The batch's page and its JSON: the library's staff and its coordinator; not another library's staff.
    page = f"/manage/batches/{body['id']}/"
    assert login("koordinator", passwords).get(page).status_code == 200
    assert f'href="{page}"' in login("staf.unpatti", passwords).get("/manage/libraries/UNPATTI/records/").content.decode()
    assert login("staf.itb", passwords).get(page).status_code == 403
    assert login("staf.itb", passwords).get(page + "progress/").status_code == 403
    assert Client().get(page).status_code == 302  # to the sign-in page
    assert ImportBatch.objects.count() == 1  # refused uploads made no batch
    # Recognised by its name alone (nothing in it looks like a record): the background read knows the name.
    empty = Client().post("/api/libraries/UNPATTI/records", {"file": SimpleUploadedFile("kosong.mrc", b"\x1d" * 3)},
                          **staff)
    assert finished(Client(), empty.json()["url"], **staff)["quarantined"] == 3


def test_a_control_character_in_the_format_or_file_name_is_refused_naming_the_field(demo_network, home, user):
    """PostgreSQL cannot store a NUL: such an upload is a 400 naming the field, and no batch is made."""
    staff = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user('staf.unpatti'))}"}
    r = Client().post("/api/libraries/UNPATTI/records",
                      {"file": SimpleUploadedFile("k.mrc", first_records(2)), "format": "marc\x0021"}, **staff)
    assert r.status_code == 400 and "(U+0000)" in r.json()["errors"]["format"][0], r.content
    with pytest.raises(pipeline.Invalid) as refused:
        pipeline.upload_submit(actor=principal_for(user("staf.unpatti")), library=Library.objects.get(code="UNPATTI"),
                               upload=io.BytesIO(first_records(2)), name="k\x00.mrc")
    assert list(refused.value.errors) == ["file"] and "(U+0000)" in refused.value.errors["file"][0]
    assert ImportBatch.objects.count() == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_batch_whose_server_is_killed_is_interrupted_and_its_file_runs_again(demo_network, home, user, passwords,
                                                                              monkeypatch):
    total = CHUNK + CHUNK // 2  # killed once its first chunk is committed, before its second
    data = first_records(total)
    monkeypatch.setenv("JARINGAN_SECRET_KEY", secrets.token_urlsafe(50))
    port = _free_port()
    server = processes.start(home, "serve", "--host", "127.0.0.1", "--port", str(port))
    try:
        processes.wait_for(lambda: _answers(port), timeout=60, every=0.2, what="the server's start")
        token = token_create(user=user("staf.unpatti"))
        sent = requests.post(f"http://127.0.0.1:{port}/api/libraries/UNPATTI/records",
                             files={"file": ("koleksi.mrc", data)}, headers={"Authorization": f"Bearer {token}"},
                             timeout=60)
        assert sent.status_code == 202, sent.text
        batch = processes.wait_for(lambda: ImportBatch.objects.filter(pk=sent.json()["id"], read__gt=0).first(),
                                   timeout=120, what="the first chunk committed")
        assert batch.worker_pid == server.pid
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    kept = SourceRecord.objects.filter(library__code="UNPATTI").count()
    assert 0 < kept < total

    c = login("staf.unpatti", passwords)
    page = c.get(f"/manage/batches/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Interrupted" in page and "Run again" in page and "stopped" in page
    assert c.get(f"/manage/batches/{batch.pk}/progress/").json()["status"] == "interrupted"
    assert login("staf.itb", passwords).post(f"/manage/batches/{batch.pk}/retry/").status_code == 403
    again = c.post(f"/manage/batches/{batch.pk}/retry/")
    assert again.status_code == 302 and again.url != f"/manage/batches/{batch.pk}/"
    done = finished(c, again.url + "progress/")
    assert done["status"] == "done" and done["read"] == total and done["unchanged"] >= kept
    second = ImportBatch.objects.get(pk=done["id"])
    assert second.message.startswith("The previous run was interrupted")
    # Nothing lost, nothing doubled; the file is read once more only on asking, and then it is gone.
    records = SourceRecord.objects.filter(library__code="UNPATTI")
    assert records.count() == records.values("source_id").distinct().count() == total
    assert c.post(f"/manage/batches/{batch.pk}/retry/").status_code == 302
    assert ImportBatch.objects.filter(library__code="UNPATTI").count() == 2


def _answers(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=30)
        return True
    except requests.RequestException:
        return False


@pytest.fixture(autouse=True)
def _background_done(transactional_db):
    yield
    assert pipeline.BACKGROUND.idle(timeout=120), "an upload was still running at the test's end"
