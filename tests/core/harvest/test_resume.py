"""Broken runs continue from the last checkpoint with no record lost.

The provider fails the way real ones do (connection dropped, body cut off,
503, half a page, expired tokens), is killed and restarted, and the harvesting
process itself is killed with SIGKILL.
"""

import json
import logging
import signal
import subprocess
import sys
import time

import pytest

from jaringan.core.harvest import (
    Checkpoint,
    HarvestedRecord,
    MalformedResponse,
    ProviderUnavailable,
    harvest,
)
from tests.support.oai_server import REPO

from .conftest import LOC_ARGS, QUICK, RECORDS

SMALL_PAGES = ("--page-size", "20")


def _run(endpoint, store, **options):
    """Harvest as a caller does: save the records, then persist the checkpoint."""
    checkpoint = store.get("checkpoint")
    for item in harvest(endpoint=endpoint, metadata_prefix="marc21", resume=checkpoint, **{**QUICK, **options}):
        if isinstance(item, Checkpoint):
            store["checkpoint"] = item
        else:
            store.setdefault("records", []).append(item.identifier)


def _ids(records):
    return [r.identifier for r in records]


@pytest.mark.parametrize("how", ["drop", "truncate", "503"])
def test_a_page_that_fails_once_is_retried(start_server, how):
    server = start_server(*LOC_ARGS, "--mode", "flaky", "--fail-page", "3", "--fail-how", how)
    records = [i for i in harvest(endpoint=server.endpoint, metadata_prefix="oai_dc", **QUICK)
               if isinstance(i, HarvestedRecord)]
    assert len(records) == RECORDS and len(set(_ids(records))) == RECORDS
    assert "failing on purpose: " + how in server.requests_log()


def test_failing_past_the_retries_resumes_from_the_checkpoint(start_server):
    server = start_server(*LOC_ARGS, *SMALL_PAGES, "--mode", "flaky", "--fail-page", "4", "--fail-times", "3")
    store = {}
    with pytest.raises(ProviderUnavailable, match=f"{server.endpoint} could not be reached for page 4"):
        _run(server.endpoint, store, retries=1)  # both attempts fail
    assert store["checkpoint"].records_seen == 60
    _run(server.endpoint, store, retries=1)  # the third attempt fails, the fourth goes through
    assert store["checkpoint"].complete
    assert sorted(store["records"]) == sorted(set(store["records"])) and len(store["records"]) == RECORDS


def test_half_a_page_is_malformed_and_the_run_resumes(start_server):
    server = start_server(*LOC_ARGS, "--mode", "flaky", "--fail-page", "3", "--fail-how", "garbage")
    store = {}
    with pytest.raises(MalformedResponse) as caught:
        _run(server.endpoint, store)
    assert caught.value.page == 3 and "resumptionToken" in caught.value.request
    assert f"{server.endpoint}: page 3 of this harvest" in str(caught.value)
    _run(server.endpoint, store)
    assert len(store["records"]) == len(set(store["records"])) == RECORDS


def test_provider_killed_mid_harvest_and_restarted(start_server):
    server = start_server(*LOC_ARGS, *SMALL_PAGES)
    store = {}
    run = harvest(endpoint=server.endpoint, metadata_prefix="marc21", **QUICK)
    for item in run:
        if isinstance(item, Checkpoint):
            store["checkpoint"] = item
            if item.records_seen == 40:
                server.stop()
        else:
            store.setdefault("records", []).append(item.identifier)
            if server.process is None:
                pytest.fail("a record came after the provider was stopped")
        if server.process is None:
            with pytest.raises(ProviderUnavailable):
                next(run)
            break
    assert store["checkpoint"].records_seen == 40 and not store["checkpoint"].complete
    server.restart()  # same port, new process: tokens are stateless
    _run(server.endpoint, store)
    assert store["checkpoint"].complete and store["checkpoint"].records_seen == RECORDS
    assert len(store["records"]) == len(set(store["records"])) == RECORDS


HARVESTER = """
import dataclasses, json, sys, time
from jaringan.core.harvest import Checkpoint, harvest
endpoint, state = sys.argv[1], sys.argv[2]
for item in harvest(endpoint=endpoint, metadata_prefix="oai_dc", retries=0):
    if isinstance(item, Checkpoint):
        with open(state, "a") as f:
            f.write(json.dumps(dataclasses.asdict(item)) + "\\n")
        time.sleep(0.15)
"""


def test_harvesting_process_killed_resumes_from_the_persisted_checkpoint(start_server, tmp_path):
    server = start_server(*LOC_ARGS, *SMALL_PAGES)
    state = tmp_path / "checkpoints.jsonl"
    state.touch()
    process = subprocess.Popen([sys.executable, "-c", HARVESTER, server.endpoint, str(state)], cwd=REPO)
    deadline = time.monotonic() + 20
    while len(state.read_text().splitlines()) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    lines = state.read_text().splitlines()
    assert 3 <= len(lines) < RECORDS // 20, "the harvester was not killed mid-way"
    checkpoint = Checkpoint(**json.loads(lines[-1]))
    rest = [i for i in harvest(endpoint=server.endpoint, metadata_prefix="oai_dc", resume=checkpoint, **QUICK)]
    records = [i for i in rest if isinstance(i, HarvestedRecord)]
    assert rest[-1].complete and rest[-1].records_seen == RECORDS
    assert len(records) == RECORDS - checkpoint.records_seen


def test_expired_token_restarts_the_window(start_server, caplog):
    server = start_server(*LOC_ARGS, "--mode", "badtoken", "--token-ttl", "1")
    since = "2002-01-01"
    run = harvest(endpoint=server.endpoint, metadata_prefix="oai_dc", from_=since, **QUICK)
    first_page = []
    for item in run:
        if isinstance(item, Checkpoint):
            checkpoint = item
            break
        first_page.append(item.identifier)
    run.close()  # the process stops here; the checkpoint was persisted
    assert checkpoint.resumption_token and checkpoint.from_ == since
    time.sleep(1.3)
    with caplog.at_level(logging.WARNING):
        rest = list(harvest(endpoint=server.endpoint, metadata_prefix="oai_dc", resume=checkpoint, **QUICK))
    assert "resumption token refused; restarting the list from 2002-01-01" in caplog.text
    again = [i.identifier for i in rest if isinstance(i, HarvestedRecord)]
    assert again[: len(first_page)] == first_page  # the first page comes twice: harmless, updated in place
    expected = [i.identifier for i in harvest(endpoint=server.endpoint, metadata_prefix="oai_dc", from_=since, **QUICK)
                if isinstance(i, HarvestedRecord)]
    assert again == expected and len(expected) > 100
    assert rest[-1].complete and rest[-1].records_seen == checkpoint.records_seen + len(expected)
