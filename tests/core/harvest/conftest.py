"""Real OAI-PMH providers on 127.0.0.1 (``tests/support/oai_server.py``), each in a process of its own."""

from __future__ import annotations

import pytest

from tests.paths import FIXTURES
from tests.support.oai_server import OaiServer

LOC_INDONESIA = FIXTURES / "loc_mds_booksall2016" / "booksall2016_part01_indonesia.mrc"
OAI_FIXTURES = FIXTURES / "oai_pmh"
#: The full-harvest set: 300 real LoC records of Indonesian books, 6 pages, every 25th deleted.
RECORDS, PAGE_SIZE, DELETED_EVERY = 300, 50, 25
LOC_ARGS = ("--data", LOC_INDONESIA, "--limit", RECORDS, "--page-size", PAGE_SIZE, "--deleted-every", DELETED_EVERY)
#: Fast retries for tests (the default waits seconds between attempts).
QUICK = {"retries": 2, "retry_wait": 0.01, "timeout": 10}


@pytest.fixture
def start_server(tmp_path):
    """Start a provider with the given command-line arguments; all are stopped after the test."""
    started: list[OaiServer] = []

    def start(*args) -> OaiServer:
        server = OaiServer(*args, log=tmp_path / f"server{len(started)}.log").start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def loc_server(tmp_path_factory):
    """A tidy provider of the 300 LoC records (GET and POST)."""
    with OaiServer(*LOC_ARGS, log=tmp_path_factory.mktemp("oai") / "server.log") as server:
        yield server


@pytest.fixture(scope="module")
def replay_server(tmp_path_factory):
    """Serves the stored OAI-PMH responses in ``fixtures/oai_pmh`` verbatim."""
    args = ("--mode", "replay", "--data", OAI_FIXTURES, "--replay-token", "dummy_resumption=oai-pmh-one-record-2.xml")
    with OaiServer(*args, log=tmp_path_factory.mktemp("replay") / "server.log") as server:
        yield server
