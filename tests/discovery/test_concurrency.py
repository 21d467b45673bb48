"""One writer, many readers: readers never see half an index and see commits (of any process) at once."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from jaringan.catalog.models import Edition, EditionChange, SourceRecord
from jaringan.core.search import EditionDocument, search
from jaringan.discovery import selectors, services
from jaringan.discovery.store import IndexStore
from jaringan.network.models import Agreement, Library, Network
from tests.paths import REPO

from .conftest import ingest

pytestmark = pytest.mark.django_db

READERS = 3


class Readers:
    """Threads that search the current index over and over, keeping every total they saw."""

    def __init__(self, query=None):
        self.query = query
        self.totals: list[list[int]] = [[] for _ in range(READERS)]
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(READERS)]

    def run(self, n):
        while not self.stop.is_set():
            try:
                self.totals[n].append(search(selectors.current_index(), self.query, limit=1).total)
            except BaseException as exc:  # noqa: BLE001 - every failure is a finding
                self.errors.append(exc)
                return

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


def test_readers_never_see_half_an_index_while_it_is_rebuilt(catalogue):
    count = Edition.objects.count()
    with Readers() as readers:
        for _ in range(3):
            assert services.reindex(batch=50) == count
    assert not readers.errors
    seen = {t for totals in readers.totals for t in totals}
    assert seen == {count} and all(readers.totals)
    generations = [p for p in selectors.current_index().path.parent.iterdir() if p.name.startswith("gen-")]
    assert len(generations) <= 2  # the current one and the one before it


def test_readers_see_each_commit_and_nothing_goes_backwards(loc, index_dir):
    with Readers() as readers:
        for start in range(0, 120, 30):
            ingest("UNPATTI", loc[start:start + 30])
            services.outbox_drain()
            assert search(selectors.current_index(), None, limit=1).total == Edition.objects.count()
    assert not readers.errors
    for totals in readers.totals:
        assert totals == sorted(totals)
    assert max(max(t) for t in readers.totals) == Edition.objects.count()


WRITER = """
import sys
from jaringan.core.search import EditionDocument
from jaringan.discovery.store import IndexStore
store = IndexStore(sys.argv[1])
with store.write_lock(wait=True), store.index().writer() as writer:
    writer.add(EditionDocument(edition_id="999999", title="Kitab dari proses lain"))
"""

HOLDER = """
import sys
from jaringan.discovery.store import IndexStore
store = IndexStore(sys.argv[1])
with store.write_lock(wait=True):
    print("held", flush=True)
    sys.stdin.read()
"""


def _python(code, *args, **kwargs):
    env = {"PYTHONPATH": f"{REPO / 'src'}:{REPO}", "PATH": "/usr/bin:/bin"}
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], env=env, **kwargs)


def test_a_commit_by_another_process_is_seen_at_once(tmp_path):
    store = IndexStore(tmp_path / "index")
    with store.write_lock(), store.index().writer() as writer:
        writer.add(EditionDocument(edition_id="1", title="Sejarah Jawa"))
    assert search(store.index(), "kitab").total == 0
    assert _python(WRITER, tmp_path / "index").wait(timeout=60) == 0
    started = time.monotonic()
    assert [e for e, _s in search(store.index(), "kitab").hits] == ["999999"]
    assert time.monotonic() - started < 0.4  # not Tantivy's own reload, which polls twice a second


def test_a_drain_leaves_the_work_to_the_process_holding_the_lock(loc, index_dir):
    ingest("UNPATTI", loc[:10])
    selectors.index_store().index()  # the first generation exists before the other process locks
    holder = _python(HOLDER, index_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        pending = EditionChange.objects.count()
        started = time.monotonic()
        assert services.outbox_drain() == 0
        assert time.monotonic() - started < 1  # it did not wait
        assert EditionChange.objects.count() == pending
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert services.outbox_drain() == pending
    assert selectors.current_index().num_docs == Edition.objects.count()


def test_a_reader_opens_the_first_index_without_the_writers_lock(tmp_path):
    """A reader holding the lock would make a drain skip its changes (the holder is meant to drain)."""
    holder = _python(HOLDER, tmp_path / "index", stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        opened = []
        reader = threading.Thread(target=lambda: opened.append(IndexStore(tmp_path / "index").index()), daemon=True)
        reader.start()
        reader.join(timeout=30)
        assert opened and opened[0].num_docs == 0  # it did not wait for the lock
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)


def test_readers_racing_to_open_the_first_index_agree_on_one(tmp_path):
    stores = [IndexStore(tmp_path / "index") for _ in range(6)]  # as six processes would
    ready = threading.Barrier(len(stores))
    opened: dict[int, str | None] = {}

    def open_first(n):
        ready.wait()
        stores[n].index()
        opened[n] = stores[n]._generation

    threads = [threading.Thread(target=open_first, args=(n,)) for n in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(opened.values()) == {stores[0].current_generation()}
    assert [p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("gen-")] == [opened[0]]


def test_the_index_follows_when_the_catalogue_transaction_commits(loc, index_dir,
                                                                    django_capture_on_commit_callbacks):
    """The catalogue announces its changes (``editions_changed``); the drain runs after the commit."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            ingest("UNPATTI", loc[:15])
            services.schedule_drain()
            assert selectors.current_index().num_docs == 0  # not before the commit
    assert callbacks
    assert not EditionChange.objects.exists()
    assert selectors.current_index().num_docs == Edition.objects.count() > 0


def test_libraries_changed_brings_availability_up_to_date(catalogue, django_capture_on_commit_callbacks):
    usu = set(SourceRecord.objects.filter(library__code="USU").values_list("edition_id", flat=True))
    assert {h.edition.pk for h in selectors.edition_search(query=None, filters={"available": ["false"]},
                                                              limit=100).hits} == usu
    Agreement.objects.create(
        network=Network.objects.get(code="FPPTI"), code="FPPTI-TEST", title="Pinjam antar anggota",
        purpose="Saling meminjamkan", form="written", services=["loan"], coverage="network",
        relation="reciprocal", starts=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.libraries_changed([Library.objects.get(code="USU").pk]) == len(usu)
    assert selectors.edition_search(query=None, filters={"available": ["false"]}).total == 0


def test_an_agreement_recorded_through_the_service_reaches_the_index(catalogue, principal,
                                                                      django_capture_on_commit_callbacks):
    from jaringan.network import services as network_services

    usu = set(SourceRecord.objects.filter(library__code="USU").values_list("edition_id", flat=True))
    assert selectors.edition_search(query=None, filters={"available": ["false"]}).total == len(usu)
    with django_capture_on_commit_callbacks(execute=True):
        network_services.agreement_save(
            actor=principal("koordinator.fppti"), network=Network.objects.get(code="FPPTI"),
            data={"code": "FPPTI-TEST", "title": "Pinjam antar anggota", "purpose": "Saling meminjamkan",
                  "form": "written", "services": ["loan"], "coverage": "network", "relation": "reciprocal",
                  "starts": timezone.localdate() - timedelta(days=1)})
    assert selectors.edition_search(query=None, filters={"available": ["false"]}).total == 0
