"""An edition's page reads its members and the work's other editions in SQL of its own: what it reads must
be what the ORM's select_related / annotate queries read (SQLite and PostgreSQL)."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from jaringan.catalog import selectors
from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.models import Edition, MatchLink, SourceRecord
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM

from .items import loc_items, retyped

pytestmark = pytest.mark.django_db


def run(library_code, items):
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=library_code), name="test.mrc",
                        format="marc21")
    return ingest(batch=batch, items=items, chunk=25)


def _seen(record, link):
    library = record.library
    return (record.pk, record.source_id, record.data, record.library_id, library.code, library.name,
            library.kind, library.city, library.latitude, library.longitude, str(library.island),
            None if link is None else (link.pk, link.decided, link.get_decided_display(), link.score,
                                       link.comparisons, link.record_id, link.edition_id))


def test_an_editions_members_and_other_editions_are_what_the_orm_reads(demo_network):
    loc = loc_items(6)
    run("UNPATTI", loc[:6])
    run("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(loc[:4])])
    run("UI", [retyped(i, source_id=f"UI-{n}") for n, i in enumerate(loc[:2])])
    SourceRecord.objects.filter(source_id="UNHAS-1").update(withdrawn=True)
    MatchLink.objects.filter(record__source_id="UI-0").delete()  # a member with no why (shown without one)
    editions = list(Edition.objects.order_by("pk"))
    Edition.objects.filter(pk__in=[e.pk for e in editions[:3]]).update(work_id=editions[0].work_id)
    linked = unlinked = 0
    for edition in Edition.objects.order_by("pk"):
        expected = list(SourceRecord.objects.filter(edition=edition, withdrawn=False)
                        .select_related("library", "link").order_by("library__name"))
        detail = selectors.edition_detail(edition)
        with CaptureQueriesContext(connection) as queries:  # every field the page and the API use is there
            seen = [_seen(h["record"], h["link"]) for h in detail["holdings"]]
        assert not queries.captured_queries
        assert seen == [_seen(r, getattr(r, "link", None)) for r in expected]
        assert all(h["library"] is h["record"].library for h in detail["holdings"])
        linked += sum(h["link"] is not None for h in detail["holdings"])
        unlinked += sum(h["link"] is None for h in detail["holdings"])
        others = list(Edition.objects.filter(work_id=edition.work_id).exclude(pk=edition.pk)
                      .annotate(holding_count=Count("records")).order_by("-year")[:50])
        assert [(e.pk, e.title, e.year, e.holding_count) for e in detail["other_editions"]] == \
               [(e.pk, e.title, e.year, e.holding_count) for e in others]
    assert linked and unlinked  # both kinds of member were compared
    assert "UNHAS-1" not in {h["record"].source_id for h in
                             selectors.edition_detail(SourceRecord.objects.get(source_id="UNHAS-1").edition)["holdings"]}
    assert len(selectors.edition_detail(editions[0])["other_editions"]) == 2
