"""The index follows the catalogue through the outbox; a rebuild gives the same index."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jaringan.catalog.models import Edition, EditionChange, SourceRecord
from jaringan.core.search import search
from jaringan.discovery import selectors, services
from jaringan.discovery.store import IndexOutdated

from .conftest import ingest

pytestmark = pytest.mark.django_db


def ids(query, **kwargs) -> set[str]:
    index = selectors.current_index()
    total = search(index, query, limit=1, **kwargs).total
    return {e for e, _ in search(index, query, limit=max(total, 1), **kwargs).hits}


def test_drain_indexes_every_edition_once(catalogue):
    assert not EditionChange.objects.exists()
    assert ids(None) == {str(pk) for pk in Edition.objects.values_list("pk", flat=True)}
    assert selectors.current_index().num_docs == Edition.objects.count()


def test_import_then_drain_finds_it(loc, index_dir):
    title = loc[7].record.title
    ingest("UNPATTI", loc[:10])
    assert services.outbox_drain() > 0
    edition = SourceRecord.objects.get(source_id=loc[7].source_id).edition_id
    assert str(edition) in ids(f'title:"{title}"')
    assert services.outbox_drain() == 0  # nothing pending


def test_withdraw_then_drain_it_is_gone(loc, index_dir):
    ingest("UNPATTI", loc[:10])
    ingest("UNHAS", [replace(loc[3], source_id="UNHAS-3")])
    services.outbox_drain()
    edition = SourceRecord.objects.get(source_id=loc[3].source_id).edition_id
    assert ids(None, filters={"library": ["UNHAS"]}) == {str(edition)}
    ingest("UNHAS", [replace(loc[3], source_id="UNHAS-3", deleted=True, record=None)])
    services.outbox_drain()
    assert ids(None, filters={"library": ["UNHAS"]}) == set()  # the holding left the document
    assert str(edition) in ids(None, filters={"library": ["UNPATTI"]})
    ingest("UNPATTI", [replace(loc[3], deleted=True, record=None)])
    assert not Edition.objects.filter(pk=edition).exists()  # retired
    services.outbox_drain()
    assert str(edition) not in ids(None)


def test_a_crash_before_the_index_commit_only_delays(loc, index_dir):
    """Rows written with the change, the index never committed: the next drain applies them."""
    ingest("UNPATTI", loc[:20])
    index = selectors.current_index()
    with pytest.raises(RuntimeError), index.writer() as writer:  # a drain dying before its commit
        for document in selectors.documents_for(EditionChange.objects.values_list("edition_id", flat=True)):
            writer.add(document)
        raise RuntimeError("power cut")
    assert index.num_docs == 0 and EditionChange.objects.count() > 0
    services.outbox_drain()
    assert selectors.current_index().num_docs == Edition.objects.count()
    assert ids(None) == {str(pk) for pk in Edition.objects.values_list("pk", flat=True)}


def test_reindex_equals_incremental(catalogue):
    incremental = {q: ids(q) for q in ("sejarah", "indonesia", "author:pramoedya", "title:jawa OR bali")}
    facets = search(selectors.current_index(), None, facets=["library", "network", "kind", "language"]).facets
    assert services.reindex() == Edition.objects.count()
    assert {q: ids(q) for q in incremental} == incremental
    assert search(selectors.current_index(), None, facets=["library", "network", "kind", "language"]).facets == facets


QUERIES = ("sejarah", "indonesia", "author:pramoedya", "title:jawa OR bali", 'title:"sejarah indonesia"', None)
FACETS = ["library", "network", "kind", "format", "language", "year", "subject", "available"]


def _answers():
    index = selectors.current_index()
    return {q: (ids(q), search(index, q, facets=FACETS).facets) for q in QUERIES}


@pytest.mark.django_db(transaction=True)
def test_documents_built_by_other_processes_index_the_same(loc, index_dir, monkeypatch):
    """A rebuild and a drain alongside an import build documents in other processes (as JSON): the
    index they make answers every query and facet as the documents built here do."""
    from tests.catalog.items import retyped

    ingest("UNPATTI", loc[:80])
    ingest("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(loc[:80]) if n % 3 == 0])
    services.outbox_drain()  # built in this process, as after a staff edit
    here = _answers()
    assert here["sejarah"][0] and Edition.objects.count() > 60
    assert services._can_fork()
    assert services.reindex() == Edition.objects.count()  # built by the workers
    assert _answers() == here
    EditionChange.objects.bulk_create([EditionChange(edition_id=pk) for pk in Edition.objects.values_list("pk", flat=True)])
    monkeypatch.setattr(services, "BUILD_BACKLOG", 0)  # as when an import runs ahead of the index
    with services._builders() as builders:
        assert services._outbox_drain(builders=builders) == Edition.objects.count()
    assert not EditionChange.objects.exists()
    assert selectors.current_index().num_docs == Edition.objects.count()
    assert _answers() == here


def _outdate(index_dir):
    """Make the current generation one an older version left (another schema), as a freshly started
    process finds it."""
    import os

    import tantivy

    old = index_dir / "gen-1-old"
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("edition_id", stored=True)
    old.mkdir()
    tantivy.Index(builder.build(), path=str(old))
    (index_dir / "current").unlink()
    os.symlink(old.name, index_dir / "current")
    selectors.index_store()._index = None
    return old


def test_an_index_left_by_an_older_version_is_rebuilt_at_start_not_by_a_search(catalogue, index_dir, client):
    old = _outdate(index_dir)
    with pytest.raises(IndexOutdated):  # a read never rebuilds: search is unavailable meanwhile
        selectors.current_index()
    assert client.get("/search/", {"q": "pustaka"}).status_code == 503
    assert selectors.index_store().current_generation() == old.name
    services.ensure_index()  # what ``jaringan serve`` does at start
    assert selectors.current_index().num_docs == Edition.objects.count()
    assert selectors.index_store().current_generation() != old.name


def test_an_index_left_by_an_older_version_is_rebuilt_by_the_next_change(catalogue, index_dir):
    old = _outdate(index_dir)
    EditionChange.objects.create(edition_id=Edition.objects.values_list("pk", flat=True).first())
    services.outbox_drain()  # a writer: it rebuilds, then applies the change
    assert not EditionChange.objects.exists()
    assert selectors.current_index().num_docs == Edition.objects.count()
    assert selectors.index_store().current_generation() != old.name


#: The edition whose document the building processes fail on (see ``_failing_texts``).
FAILING: dict[str, int] = {}
_DOCUMENT_TEXTS = services._document_texts


def _failing_texts(edition_ids):
    """In a building process: the documents, but a failure on the batch holding ``FAILING["edition"]``."""
    if FAILING["edition"] in edition_ids:
        raise RuntimeError("a building process failed")
    return _DOCUMENT_TEXTS(edition_ids)


@pytest.mark.django_db(transaction=True)
def test_built_drain_commits_every_so_many_rows_and_only_committed_rows_go(loc, index_dir, monkeypatch):
    """Documents built by the pool are committed per ``BUILT_COMMIT`` rows; a failure later loses no row
    the index does not hold: the committed batches' rows are gone, the rest still wait."""
    from jaringan.core.search.index import SearchIndexWriter

    ingest("UNPATTI", loc[:60])
    services.outbox_drain()
    services.reindex()  # an empty outbox, an index of every edition ...
    order = sorted(Edition.objects.values_list("pk", flat=True))
    with selectors.current_index().writer() as writer:  # ... then none, and every edition waiting
        writer.delete_all()
    EditionChange.objects.bulk_create([EditionChange(edition_id=pk) for pk in order])
    assert len(order) == 60 and ids(None) == set()
    FAILING["edition"] = order[45]  # in the fifth batch of ten
    monkeypatch.setattr(services, "DRAIN_BATCH", 10)
    monkeypatch.setattr(services, "BUILT_COMMIT", 20)
    monkeypatch.setattr(services, "BUILD_BACKLOG", 0)
    monkeypatch.setattr(services, "_document_texts", _failing_texts)
    waiting_at_commit = []
    commit = SearchIndexWriter.commit

    def counting(writer):
        waiting_at_commit.append(EditionChange.objects.count())
        commit(writer)

    monkeypatch.setattr(SearchIndexWriter, "commit", counting)
    with services._builders() as builders, pytest.raises(RuntimeError, match="building process failed"):
        services._outbox_drain(builders=builders)
    assert waiting_at_commit == [60, 40]  # two commits of twenty rows, each made before its rows went
    assert list(EditionChange.objects.order_by("pk").values_list("edition_id", flat=True)) == order[40:]
    assert ids(None) == {str(e) for e in order[:40]}


@pytest.mark.django_db(transaction=True)
def test_an_import_is_indexed_as_it_ends_by_the_process_draining_alongside(loc, index_dir, monkeypatch):
    """While an import runs, the draining process lets rows gather into large commits; when the import
    ends it applies what waits at once, not after ``ALONGSIDE_WAIT``."""
    import time

    monkeypatch.setattr(services, "ALONGSIDE_WAIT", 600.0)
    monkeypatch.setattr(services, "BUILT_COMMIT", 10_000)
    with services.drain_alongside() as started:
        assert started
        ingest("UNPATTI", loc[:30])
        deadline = time.monotonic() + 30
        while EditionChange.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not EditionChange.objects.exists()  # applied long before ALONGSIDE_WAIT
        edition = SourceRecord.objects.get(source_id=loc[7].source_id).edition_id
        assert str(edition) in ids(None)
