"""SLiMS libraries push their records over SLiMS's own Union Catalog protocol, to a real server on 127.0.0.1.

Requests are built byte for byte as SLiMS's client builds them (see
``slims_ucs.py``), from SLiMS's demo data and the real LoC Indonesian records.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import translation
from django.utils.translation import ngettext

from jaringan.catalog import ucs
from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.models import Edition, ImportBatch, Quarantine, SourceRecord
from jaringan.core.catalog.readers import read
from jaringan.core.errors import Conflict, Forbidden, Invalid
from jaringan.network.models import Library, UnionCatalogNode
from jaringan.network.permissions import SYSTEM

from . import slims_ucs as slims
from .items import loc_items

PASSWORD = "2325f677e21c1613909c953eb03c57352259cc5d"  # SLiMS's default node password, as its settings hold it


@pytest.fixture
def node(demo_network, principal):
    """UNPATTI's SLiMS, registered by its own staff."""
    library = Library.objects.get(code="UNPATTI")
    return ucs.ucs_node_register(actor=principal("staf.unpatti"), library=library, node_id="slims-unpatti",
                                 password=PASSWORD, name="SLiMS Perpustakaan Unpatti")


def info(server: str, *, node_id: str = "slims-unpatti", password: str = PASSWORD, version: int = 2) -> dict:
    return slims.node_info(node_id=node_id, password=password, server=f"{server}/ucs", version=version)


def records_of(code: str):
    return SourceRecord.objects.filter(library__code=code, withdrawn=False)


# --- the push over HTTP -----------------------------------------------------------------------

def test_pushed_records_become_holdings_and_merge_with_another_librarys(live_server, node):
    marc = slims.loc_marc(20)
    # ITB catalogued the same 20 books and sent them as MARC 21.
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code="ITB"), name="itb.mrc")
    ingest(batch=batch, items=loc_items(20))
    # UNPATTI's SLiMS uploads them (server version 2, SLiMS's default: /ucs/ucpoll.php).
    sysconf = info(live_server.url)
    reply = slims.http_reply(slims.push_path(sysconf), slims.push_body(slims.rows_from_marc(marc), sysconf))
    assert reply["status"] == "UPLOADED" and (reply["read"], reply["created"], reply["quarantined"]) == (20, 20, 0)
    assert "20" in reply["message"]
    ours = records_of("UNPATTI")
    assert sorted(int(r.source_id) for r in ours) == list(range(1, 21))
    assert {r.format for r in ours} == {"slims"} and all(r.data["holdings"][0]["call_number"] for r in ours)
    merged = [r for r in ours if r.edition.records.filter(library__code="ITB").exists()]
    assert len(merged) == 20  # every SLiMS record joined the ITB record of the same book
    batch = ImportBatch.objects.get(library__code="UNPATTI")
    assert (batch.source, batch.format, batch.created_by_id) == ("slims", "slims", None)
    node.refresh_from_db()
    assert node.last_push is not None


def test_two_slims_libraries_with_the_same_books_share_editions(live_server, node, principal):
    ui = ucs.ucs_node_register(actor=principal("koordinator.fppti"), library=Library.objects.get(code="UI"),
                               node_id="slims-ui", password="kata-sandi-ui")
    rows = slims.demo_rows()
    # Later SLiMS versions post with Guzzle (no Content-Type) to /ucs/ucs.php.
    for node_id, password in (("slims-unpatti", PASSWORD), (ui.node_id, "kata-sandi-ui")):
        sysconf = info(live_server.url, node_id=node_id, password=password, version=3)
        status, reply = slims.guzzle_post(slims.push_path(sysconf), slims.push_body(rows, sysconf))
        assert status == 200 and reply["status"] == "UPLOADED" and reply["created"] == 15
    editions = Edition.objects.filter(records__library__code="UNPATTI").distinct()
    assert all(sorted(e.records.values_list("library__code", flat=True)) == ["UI", "UNPATTI"] for e in editions)
    # Demo biblios 12 and 13 are two editions of "Corruption and development" (1998 and 2007): never merged.
    assert editions.count() == 15
    linux = records_of("UI").get(source_id="2")
    assert linux.data["holdings"][0]["call_number"] == "005.4/32-22 Ell l"
    assert (linux.data["language"], linux.data["format"], linux.data["pages"]) == ("eng", "book", 925)


def test_a_fifty_record_push(live_server, node):
    rows = slims.demo_rows() + slims.rows_from_marc(slims.loc_marc(35), first_id=100)
    assert len(rows) == 50  # ucs_upload.php sends at most 50 (LIMIT 50)
    sysconf = info(live_server.url)
    body = slims.push_body(rows, sysconf)
    reply = slims.http_reply(slims.push_path(sysconf), body)
    assert (reply["status"], reply["read"], reply["created"], reply["quarantined"]) == ("UPLOADED", 50, 50, 0)
    assert records_of("UNPATTI").count() == 50
    assert Edition.objects.count() == 50


@pytest.mark.parametrize("sent", [
    {"password": "s0beautifulday"},  # the password before SLiMS's settings hashed it: not the one registered
    {"node_id": "slims-node"},  # SLiMS's default node id, never registered here
    {"password": ""},
])
def test_a_node_that_cannot_be_authenticated_stores_nothing(live_server, node, sent):
    sysconf = info(live_server.url, **sent)
    reply = slims.http_reply(slims.push_path(sysconf), slims.push_body(slims.demo_rows(), sysconf))
    assert reply["status"] == "NOT_AUTHORIZED" and reply["message"]
    assert sent.get("node_id", "slims-unpatti") in reply["message"]
    assert (SourceRecord.objects.count(), ImportBatch.objects.count(), Quarantine.objects.count()) == (0, 0, 0)


def test_a_switched_off_node_is_refused(live_server, node, principal):
    ucs.ucs_node_set_active(actor=principal("staf.unpatti"), node=node, active=False)
    sysconf = info(live_server.url, version=3)
    status, reply = slims.guzzle_post(slims.push_path(sysconf), slims.push_body(slims.demo_rows(), sysconf))
    assert (status, reply["status"], SourceRecord.objects.count()) == (200, "NOT_AUTHORIZED", 0)


def test_broken_records_are_quarantined_with_their_biblio_id_and_the_rest_go_on(live_server, node):
    rows = slims.demo_rows()[:6]
    rows[2] = {**rows[2], "title": "   "}
    sysconf = info(live_server.url)
    node_data = {int(r["biblio_id"]): r for r in rows} | {99: "biblio 99 lost its row"}
    body = slims.php_json_encode({"node_info": sysconf, "node_data": node_data})
    reply = slims.http_reply(slims.push_path(sysconf), body)
    assert (reply["status"], reply["read"], reply["created"], reply["quarantined"]) == ("UPLOADED", 7, 5, 2)
    assert [q["biblio_id"] for q in reply["quarantine"]] == ["3", "99"]
    assert "title" in reply["quarantine"][0]["reason"] and "biblio 3" in reply["message"]
    assert sorted(records_of("UNPATTI").values_list("source_id", flat=True)) == ["1", "2", "4", "5", "6"]
    kept = Quarantine.objects.get(source_id="3")
    assert kept.library.code == "UNPATTI" and PASSWORD.encode() not in bytes(kept.raw)
    again = list(read(bytes(kept.raw), format="slims"))  # the kept record is a push of its own: it can be retried
    assert [(i.source_id, i.error) for i in again] == [("3", kept.reason)]


def test_a_record_sent_again_is_updated_in_place(live_server, node):
    rows = slims.demo_rows()
    sysconf = info(live_server.url)
    url = slims.push_path(sysconf)
    slims.http_reply(url, slims.push_body(rows, sysconf))
    same = slims.http_reply(url, slims.push_body(rows, sysconf))
    assert (same["read"], same["unchanged"], same["created"]) == (15, 15, 0)
    linux = records_of("UNPATTI").get(source_id="2")
    edition = linux.edition_id
    rows[1] = {**rows[1], "call_number": "005.432 ELL l", "collation": "xiv, 926 p. : ill. ; 23 cm."}
    changed = slims.http_reply(url, slims.push_body(rows[:2], sysconf))
    assert (changed["read"], changed["updated"], changed["unchanged"], changed["created"]) == (2, 1, 1, 0)
    linux.refresh_from_db()
    assert linux.data["holdings"][0]["call_number"] == "005.432 ELL l" and linux.data["pages"] == 926
    assert records_of("UNPATTI").count() == 15 and linux.edition_id == edition


def test_slims_delete_operation_withdraws_the_holdings(live_server, node):
    rows = slims.demo_rows()
    sysconf = info(live_server.url)
    slims.http_reply(slims.push_path(sysconf), slims.push_body(rows, sysconf))
    reply = slims.http_reply(slims.push_path(sysconf, delete=True), slims.delete_body([2, 3, 404], sysconf))
    assert reply["status"] == "DELETED" and reply["withdrawn"] == 3 and "2" in reply["message"]
    assert sorted(SourceRecord.objects.filter(withdrawn=True).values_list("source_id", flat=True)) == ["2", "3"]
    assert records_of("UNPATTI").count() == 13
    # Server version 3 sends the same operation to /ucs.php, as one number when one record is deleted.
    sysconf3 = info(live_server.url, version=3)
    body = slims.php_json_encode({"node_info": sysconf3, "node_data": {"operation": "delete", "biblio": 4}})
    status, reply = slims.guzzle_post(slims.push_path(sysconf3, delete=True), body)
    assert (status, reply["status"], records_of("UNPATTI").count()) == (200, "DELETED", 12)


def test_a_delete_keeps_a_copy_its_library_committed_to_keep(live_server, node):
    from django.utils import timezone

    from jaringan.analysis.models import RetentionCommitment

    rows = slims.demo_rows()
    sysconf = info(live_server.url)
    slims.http_reply(slims.push_path(sysconf), slims.push_body(rows, sysconf))
    committed = records_of("UNPATTI").get(source_id="5")
    RetentionCommitment.objects.create(library=committed.library, edition_id=committed.edition_id,
                                       until=timezone.localdate().year + 2)
    reply = slims.http_reply(slims.push_path(sysconf, delete=True), slims.delete_body([5, 6], sysconf))
    assert (reply["status"], reply["withdrawn"], reply["held"]) == ("DELETED", 1, 1)
    with translation.override("id"):  # the node's language
        kept = ngettext("%(count)s record kept: the library committed to keep that copy; its staff confirm the "
                        "withdrawal in Jaringan.", "%(count)s records kept: the library committed to keep those "
                        "copies; its staff confirm the withdrawal in Jaringan.", 1) % {"count": 1}
    assert reply["message"].startswith("1 ") and reply["message"].endswith(" " + kept)
    assert list(SourceRecord.objects.filter(withdrawn=True).values_list("source_id", flat=True)) == ["6"]
    assert RetentionCommitment.objects.get().withdrawal_asked is not None


@pytest.mark.parametrize("body, status", [
    (b"", "NO_DATA"),
    (b"false", "NO_DATA"),
    (b"<html>", "JSON_ERROR"),
    (b'{"node_info": {"id": "slims-unpatti"}}', "NO_DATA"),
    (b'{"node_info": {}, "node_data": {"operation": "truncate"}}', "NO_DATA"),
    (b"[" * 100_000 + b"]" * 100_000, "JSON_ERROR"),  # deeper than Python's JSON decoder recurses
    (b'{"node_info": {"id": "slims-unpatti"}, "node_data": {"1": {"title": ' + b"[" * 40 + b"]" * 40 + b"}}}",
     "JSON_ERROR"),
])
def test_bad_pushes_get_slims_style_replies(live_server, node, body, status):
    reply = slims.http_reply(f"{live_server.url}/ucs/ucs.php", body)
    assert reply["status"] == status and reply["message"]
    assert SourceRecord.objects.count() == 0


def test_a_push_in_a_form_field_is_read_too(node, client):
    """Not what SLiMS sends (a raw body), but what a hand-made client might: the JSON in a form field."""
    from urllib.parse import urlencode

    sysconf = info("http://testserver")
    body = urlencode({"data": slims.push_body(slims.demo_rows()[:2], sysconf).decode()})
    response = client.post("/ucs/", body, content_type="application/x-www-form-urlencoded")
    reply = json.loads(b"".join(response.streaming_content))
    assert (response.status_code, reply["status"], reply["created"]) == (200, "UPLOADED", 2)


def test_the_endpoint_takes_posts_only(live_server, client):
    assert client.get("/ucs/ucs.php").status_code == 405


# --- SLiMS's old socket client reads the reply under the server Jaringan runs on --------------

@pytest.fixture
def waitress_url(transactional_db):
    """The app under waitress (what ``jaringan serve`` runs), on 127.0.0.1."""
    from django.core.handlers.wsgi import WSGIHandler
    from waitress import create_server

    server = create_server(WSGIHandler(), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def test_slims_socket_client_reads_the_reply(waitress_url, node):
    """SLiMS's ``http_request`` always de-chunks the reply: the reply must come chunked to reach the librarian."""
    sysconf = info(waitress_url)
    headers, body = slims.send_http_request(slims.push_path(sysconf), slims.push_body(slims.demo_rows()[:3], sysconf))
    assert b"Transfer-Encoding: chunked" in headers
    reply = json.loads(body)  # what ucs_upload.php echoes to the librarian's browser
    assert (reply["status"], reply["created"]) == ("UPLOADED", 3) and reply["message"]


# --- registering a node -------------------------------------------------------------------------

def test_only_the_librarys_staff_or_coordinator_registers_its_node(demo_network, principal):
    unpatti = Library.objects.get(code="UNPATTI")
    for outsider in ("staf.itb", "pembaca"):
        with pytest.raises(Forbidden):
            ucs.ucs_node_register(actor=principal(outsider), library=unpatti, node_id="x-node", password=PASSWORD)
    assert not UnionCatalogNode.objects.exists()
    node = ucs.ucs_node_register(actor=principal("koordinator"), library=unpatti, node_id="x-node", password=PASSWORD)
    assert node.password != PASSWORD and check_password(PASSWORD, node.password)
    with pytest.raises(Forbidden):
        ucs.ucs_node_set_active(actor=principal("staf.itb"), node=node, active=False)


def test_node_ids_are_unique_and_rotating_a_password_keeps_the_node(node, principal):
    with pytest.raises(Conflict):
        ucs.ucs_node_register(actor=principal("staf.itb"), library=Library.objects.get(code="ITB"),
                              node_id="slims-unpatti", password="another-password")
    with pytest.raises(Invalid):
        ucs.ucs_node_register(actor=principal("staf.unpatti"), library=node.library, node_id="slims-unpatti",
                              password="short")
    rotated = ucs.ucs_node_register(actor=principal("staf.unpatti"), library=node.library,
                                    node_id=" slims-unpatti ", password="kata-sandi-baru")
    assert rotated.pk == node.pk and rotated.name == "SLiMS Perpustakaan Unpatti"
    assert check_password("kata-sandi-baru", rotated.password) and not check_password(PASSWORD, rotated.password)


def test_the_staff_page_registers_a_node_and_shows_a_made_password_once(demo_network, client, passwords):
    url = "/manage/libraries/UNPATTI/ucs/"
    assert client.login(username="staf.itb", password=passwords["staf.itb"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"node_id": "theirs", "password": PASSWORD}).status_code == 403
    client.logout()
    assert client.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    intake = client.get("/manage/libraries/UNPATTI/records/").content.decode()
    assert url in intake
    page = client.get(url).content.decode()
    assert "/ucs" in page and "theirs" not in page
    made = client.post(url, {"node_id": "slims-unpatti", "name": "SLiMS Unpatti", "password": ""})
    node = UnionCatalogNode.objects.get(node_id="slims-unpatti")
    shown = made.context["new_password"]
    assert node.library.code == "UNPATTI" and len(shown) >= ucs.MIN_PASSWORD_LENGTH
    assert check_password(shown, node.password) and shown in made.content.decode()
    assert shown not in client.get(url).content.decode()  # shown once
    refused = client.post(url, {"node_id": "slims-unpatti", "password": "short"})
    assert refused.status_code == 200 and refused.context["form"].errors
    client.post(f"{url}{node.pk}/", {"active": "0"})
    node.refresh_from_db()
    assert not node.active
