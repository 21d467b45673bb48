"""Atom feeds of new acquisitions: the whole catalogue, a network's admitted members, one library."""

import datetime as dt
import html

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.feeds import FEED_ENTRIES
from jaringan.catalog.models import SourceRecord
from jaringan.network.models import Library, Network
from jaringan.network.permissions import SYSTEM

from .items import loc_items, retyped

pytestmark = pytest.mark.django_db

ATOM = "http://www.w3.org/2005/Atom"
NS = {"a": ATOM}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _ingest(code, items):
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code))
    ingest(batch=batch, items=items)


@pytest.fixture
def acquisitions(demo_network):
    """Three books at UNPATTI (JPIT), two at ITB (JPJB), one at IPB (only applying to JPJB), each a day apart."""
    items = loc_items(6)
    _ingest("UNPATTI", items[:3])
    _ingest("ITB", items[3:5])
    _ingest("IPB", items[5:])
    start = timezone.now() - dt.timedelta(days=30)
    for n, item in enumerate(items):
        SourceRecord.objects.filter(source_id=item.source_id).update(created=start + dt.timedelta(days=n))
    return [SourceRecord.objects.get(source_id=i.source_id).edition for i in items]


def _feed(path):
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = etree.fromstring(response.content, PARSER)
    _check_atom(root)
    return root


def _check_atom(feed):
    """RFC 4287's must-haves: feed id, title, updated, an author for every entry; entry id, title, updated, link."""
    assert feed.tag == f"{{{ATOM}}}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"a:{name}", NS) is not None and feed.find(f"a:{name}", NS).text
    assert feed.find("a:link[@rel='self']", NS) is not None
    dt.datetime.fromisoformat(feed.find("a:updated", NS).text)
    feed_author = feed.find("a:author/a:name", NS) is not None
    for entry in feed.findall("a:entry", NS):
        for name in ("id", "title", "updated"):
            assert entry.find(f"a:{name}", NS).text
        dt.datetime.fromisoformat(entry.find("a:updated", NS).text)
        assert entry.find("a:link[@rel='alternate']", NS).get("href").startswith("http://testserver/catalogue/")
        assert feed_author or entry.find("a:author/a:name", NS) is not None


def _edition_links(feed):
    return [e.find("a:link", NS).get("href") for e in feed.findall("a:entry", NS)]


def _url(edition):
    return f"http://testserver/catalogue/{edition.pk}/"


def test_whole_catalogue_newest_first(acquisitions):
    feed = _feed("/feeds/new/")
    assert _edition_links(feed) == [_url(e) for e in reversed(acquisitions)]
    entry = feed.find("a:entry", NS)
    newest = SourceRecord.objects.get(edition=acquisitions[-1])
    assert dt.datetime.fromisoformat(entry.find("a:updated", NS).text) == newest.created
    record = newest.data
    assert entry.find("a:title", NS).text.startswith(record["title"]) and f"({record['year']})" in \
        entry.find("a:title", NS).text
    summary = html.unescape(entry.find("a:summary", NS).text)
    assert str(record["year"]) in summary and Library.objects.get(code="IPB").name in summary
    if record.get("publisher"):
        assert record["publisher"] in summary
    if record.get("authors"):
        assert entry.find("a:author/a:name", NS).text.startswith(record["authors"][0])


def test_a_new_holding_of_a_known_edition_brings_it_to_the_top(acquisitions):
    first = acquisitions[0]
    item = loc_items(1)[0]
    _ingest("UNHAS", [retyped(item, source_id="UNHAS-1")])
    assert SourceRecord.objects.get(source_id="UNHAS-1").edition_id == first.pk
    feed = _feed("/feeds/new/")
    assert _edition_links(feed)[0] == _url(first) and len(_edition_links(feed)) == len(acquisitions)
    summary = html.unescape(feed.find("a:entry/a:summary", NS).text)
    assert "Universitas Hasanuddin" in summary and "Universitas Pattimura" in summary


def test_network_feed_counts_only_admitted_members(acquisitions):
    west_java = _feed("/feeds/networks/JPJB/new/")
    assert _edition_links(west_java) == [_url(e) for e in (acquisitions[4], acquisitions[3])]  # IPB only applied
    assert west_java.find("a:title", NS).text == f"New in {Network.objects.get(code='JPJB').name}"
    assert west_java.find("a:link[@rel='alternate']", NS).get("href") == "http://testserver/networks/JPJB/"
    east = _feed("/feeds/networks/JPIT/new/")
    assert _edition_links(east) == [_url(e) for e in reversed(acquisitions[:3])]
    universities = _feed("/feeds/networks/FPPTI/new/")
    assert len(_edition_links(universities)) == 6


def test_library_feed(acquisitions):
    feed = _feed("/feeds/libraries/ITB/new/")
    assert _edition_links(feed) == [_url(e) for e in (acquisitions[4], acquisitions[3])]
    assert feed.find("a:link[@rel='alternate']", NS).get("href") == "http://testserver/libraries/ITB/"
    assert feed.find("a:link[@rel='self']", NS).get("href") == "http://testserver/feeds/libraries/ITB/new/"


def test_an_empty_feed_is_still_atom(demo_network):
    feed = _feed("/feeds/libraries/UNCEN/new/")
    assert feed.findall("a:entry", NS) == []


def test_unknown_codes_are_404(demo_network):
    assert Client().get("/feeds/networks/NOPE/new/").status_code == 404
    assert Client().get("/feeds/libraries/NOPE/new/").status_code == 404


def test_at_most_fifty_entries(demo_network):
    _ingest("PNRI", loc_items(FEED_ENTRIES + 5))
    assert len(_feed("/feeds/libraries/PNRI/new/").findall("a:entry", NS)) == FEED_ENTRIES


def test_member_text_never_becomes_markup(demo_network):
    item = loc_items(1)[0]
    _ingest("ITB", [retyped(item, source_id="ITB-x", title='<script>alert("x")</script> & co',
                            publisher="<b>Penerbit</b>")])
    entry = _feed("/feeds/libraries/ITB/new/").find("a:entry", NS)
    assert entry.find("a:title", NS).text.startswith('<script>alert("x")</script> & co')  # text, not HTML
    summary = entry.find("a:summary", NS)
    assert summary.get("type") == "html" and "<b>" not in summary.text and "&lt;b&gt;Penerbit" in summary.text


def test_pages_link_their_feeds(demo_network):
    for page, feed in (("/networks/JPIT/", "/feeds/networks/JPIT/new/"), ("/libraries/ITB/", "/feeds/libraries/ITB/new/")):
        content = Client().get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert f'<link rel="alternate" type="application/atom+xml"' in content and f'href="{feed}"' in content
        assert "New acquisitions (Atom feed)" in content
