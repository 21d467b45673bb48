"""Bibliography pages, files, the feed and the API, over HTTP, read back by real parsers."""

from __future__ import annotations

import io
import json

import bibtexparser
import feedparser
import pymarc
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jaringan.bibliographies import services
from jaringan.network.models import Network

from .ris_reader import read_ris

pytestmark = pytest.mark.django_db


def _client(username=None, passwords=None, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if username:
        assert client.login(username=username, password=passwords[username])
    return client


def test_page_in_both_languages_and_every_style(compiled):
    for language, words in (("en", "Compiled by"), ("id", "Disusun oleh")):
        page = _client(language=language).get(f"/bibliographies/{compiled.pk}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert words in text and "Literatur tentang Maluku" in text and "Sejarah" in text and "Penting." in text
    for style in ("apa", "chicago", "ieee", "itb"):
        text = _client().get(f"/bibliographies/{compiled.pk}/?style={style}").content.decode()
        assert text.count('<li id="entry-') == 10
    assert "[10]" in _client().get(f"/bibliographies/{compiled.pk}/?style=ieee").content.decode()
    printable = _client().get(f"/bibliographies/{compiled.pk}/print/").content.decode()
    assert printable.count('<li id="entry-') == 10 and "<nav" not in printable


def test_every_file_reads_back(compiled):
    client = _client()
    base = f"/bibliographies/{compiled.pk}/export"
    bib = client.get(f"{base}/bib/")
    assert bib["Content-Disposition"] == f'attachment; filename="bibliography-{compiled.pk}.bib"'
    library = bibtexparser.parse_string(bib.content.decode())
    assert len(library.entries) == 10 and not library.failed_blocks
    assert len(read_ris(client.get(f"{base}/ris/").content.decode())) == 10
    items = json.loads(client.get(f"{base}/csl/").content)
    assert len(items) == 10 and all(i["URL"].startswith("http://testserver/catalogue/") for i in items)
    marc = list(pymarc.MARCReader(io.BytesIO(client.get(f"{base}/marc/").content), to_unicode=True))
    assert len(marc) == 10 and all(r and r.get_fields("852") for r in marc)  # with Pattimura's holding
    assert len(pymarc.parse_xml_to_array(io.BytesIO(client.get(f"{base}/marcxml/").content))) == 10
    text = client.get(f"{base}/txt/?style=ieee").content.decode()
    assert text.startswith("[1] ") and "[10] " in text and "<i>" not in text
    assert client.get(f"{base}/pdf/").status_code == 404


def test_private_lists_are_seen_by_their_owner_and_link_only(compiled, principal, passwords):
    services.bibliography_update(actor=principal("staf.unpatti"), bibliography=compiled, data={"public": False})
    for who in (None, "pembaca", "koordinator"):
        client = _client(who, passwords)
        assert client.get(f"/bibliographies/{compiled.pk}/").status_code == 404
        assert client.get(f"/bibliographies/{compiled.pk}/export/bib/").status_code == 404
        assert client.get(f"/bibliographies/{compiled.pk}/feed/").status_code == 404
        assert client.get(f"/api/bibliographies/{compiled.pk}").status_code == 404
    assert _client("staf.unpatti", passwords).get(f"/bibliographies/{compiled.pk}/").status_code == 200
    shared = _client().get(f"/bibliographies/shared/{compiled.share_token}/")
    assert shared.status_code == 200 and "Compiler&#x27;s tools" not in shared.content.decode()
    assert _client().get(f"/bibliographies/shared/{compiled.share_token}/export/ris/").status_code == 200
    assert _client().get("/bibliographies/shared/not-the-token/").status_code == 404
    # another person's POST changes nothing
    entry = compiled.entries.first()
    assert _client("pembaca", passwords).post(f"/bibliographies/entries/{entry.pk}/",
                                              {"action": "remove"}).status_code == 404
    assert compiled.entries.count() == 10


def test_add_from_a_record_page_costs_a_visitor_nothing(compiled, catalogue, passwords):
    edition = catalogue[10]
    with CaptureQueriesContext(connection) as queries:
        page = _client().get(f"/catalogue/{edition}/").content.decode()
    assert "bibliograph" not in " ".join(q["sql"] for q in queries.captured_queries)
    assert "Add to" not in page
    reader = _client("pembaca", passwords)
    with CaptureQueriesContext(connection) as queries:
        page = reader.get(f"/catalogue/{edition}/").content.decode()
    assert "bibliograph" not in " ".join(q["sql"] for q in queries.captured_queries)
    assert "+ Add to a bibliography" in page
    chooser = reader.get(f"/bibliographies/add/?edition={edition}").content.decode()
    assert "A new bibliography named" in chooser
    response = reader.post("/bibliographies/add/", {"edition": edition, "bibliography": "new",
                                                    "title": "Bacaan saya", "next": f"/catalogue/{edition}/"})
    assert response.status_code == 302 and response["Location"] == f"/catalogue/{edition}/"
    page = reader.get(f"/catalogue/{edition}/").content.decode()
    assert "+ Add to “Bacaan saya”" in page  # one click from now on, still no query for it
    again = reader.post("/bibliographies/add/", {"edition": edition, "bibliography": page.split(
        'name="bibliography" value="')[1].split('"')[0]}, follow=True)
    assert "already in this bibliography" in again.content.decode()
    mine = reader.get("/api/bibliographies?mine=true").json()
    assert [(b["title"], b["entry_count"], b["public"]) for b in mine] == [("Bacaan saya", 1, False)]


def test_published_list_on_the_network_page_with_a_valid_feed(compiled, passwords):
    coordinator = _client("koordinator", passwords)
    assert coordinator.post(f"/bibliographies/{compiled.pk}/publish/", {"network": "FPPTI"}).status_code == 302
    assert compiled.__class__.objects.get(pk=compiled.pk).network is None  # not theirs: refused
    coordinator.post(f"/bibliographies/{compiled.pk}/publish/", {"network": "JPIT"})
    page = _client().get("/networks/JPIT/").content.decode()
    assert "Literatur tentang Maluku" in page and f"/bibliographies/{compiled.pk}/feed/" in page
    assert "Literatur tentang Maluku" not in _client().get("/networks/JPJB/").content.decode()
    feed = feedparser.parse(_client().get(f"/bibliographies/{compiled.pk}/feed/").content)
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.title == "Literatur tentang Maluku"
    titles = [e.title for e in feed.entries]
    assert titles[0].startswith("Published on the page of") and sum(t.startswith("Added: ") for t in titles) == 10
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_api_compiles_and_guards(catalogue, passwords):
    owner, other = _client("staf.itb", passwords), _client("pembaca", passwords)
    token_header = {"HTTP_X_CSRFTOKEN": "unused"}
    created = owner.post("/api/bibliographies", {"title": "Sejarah Indonesia", "public": False},
                         content_type="application/json", **token_header)
    assert created.status_code == 201, created.content
    b = created.json()
    assert b["compiler"] == "staf.itb" and b["share_url"]
    added = owner.post(f"/api/bibliographies/{b['id']}/entries", {"edition": catalogue[0], "note": "Dasar."},
                       content_type="application/json")
    assert added.status_code == 201
    twice = owner.post(f"/api/bibliographies/{b['id']}/entries", {"edition": catalogue[0]},
                       content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_listed"
    missing = owner.post(f"/api/bibliographies/{b['id']}/entries", {"edition": 999_999},
                         content_type="application/json")
    assert missing.status_code == 404 and "edition" in missing.json()["errors"]
    owner.post(f"/api/bibliographies/{b['id']}/entries", {"edition": catalogue[1]}, content_type="application/json")
    detail = owner.get(f"/api/bibliographies/{b['id']}").json()
    ids = [e["id"] for e in detail["entries"]]
    assert len(ids) == 2 and all(e["reference"] for e in detail["entries"])
    assert owner.put(f"/api/bibliographies/{b['id']}/order", {"entries": ids[::-1]},
                     content_type="application/json").json()["entries"][0]["id"] == ids[1]
    assert owner.put(f"/api/bibliographies/{b['id']}/order", {"entries": ids[:1]},
                     content_type="application/json").status_code == 400
    assert other.get(f"/api/bibliographies/{b['id']}").status_code == 404
    assert other.post(f"/api/bibliographies/{b['id']}/entries", {"edition": catalogue[2]},
                      content_type="application/json").status_code == 404
    assert Client().post("/api/bibliographies", {"title": "x"}, content_type="application/json").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer jrg_wrong").get("/api/bibliographies").status_code == 401
    owner.patch(f"/api/bibliographies/{b['id']}", {"public": True}, content_type="application/json")
    refused = _client("koordinator.fppti", passwords).post(
        f"/api/bibliographies/{b['id']}/publish", {"network": "JPJB"}, content_type="application/json")
    assert refused.status_code == 403
    published = _client("koordinator", passwords).post(
        f"/api/bibliographies/{b['id']}/publish", {"network": "JPJB"}, content_type="application/json")
    assert published.status_code == 200 and published.json()["network"] == "JPJB"
    assert Network.objects.get(code="JPJB").bibliographies.count() == 1
