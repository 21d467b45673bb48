"""The door of POST /iso18626 over real HTTP: size, rate, a peer's shared secret, and what a refusal leaves behind."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils import timezone

from jaringan.core import iso18626 as core
from jaringan.ill.iso18626 import sender
from jaringan.ill.models import AgencyId, IllMessage, IllRequest, Peer
from jaringan.ill.tick import tick
from jaringan.network.models import Library
from tests.paths import FIXTURES, ISO18626

from .peer_server import PeerServer

XSD = ISO18626 / "ISO-18626-v1_2.xsd"
MOCK_REQUEST = FIXTURES / "ill_iso18626" / "reshare_mod_rs" / "illmockrequest.xml"
KB = 1024


def post(url: str, raw: bytes, *, secret: str | None = None) -> tuple[int, dict, bytes]:
    """POST with a plain HTTP client: (status, headers, body), whatever the status."""
    headers = {"Content-Type": "application/xml"}
    if secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    request = urllib.request.Request(url + "/iso18626", data=raw, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def error_of(body: bytes) -> tuple[str, str]:
    assert core.validate(body, XSD) == []
    answer = core.parse(body)
    assert answer.confirmation_header.message_status == "ERROR"
    return answer.error_data.error_type, answer.error_data.error_value


def junk(size: int, seed: int = 0) -> bytes:
    """``size`` bytes that are not XML, different for each seed (a repeat would only get its answer again)."""
    return (f"{seed:08d}".encode() + b"x" * size)[:size]


@pytest.fixture
def hub(demo_network, live_server, settings):
    """The hub on a live server; ReShare's mock agencies: NIA1 is UNPATTI here, NIA2 is UNHAS on a peer system."""
    settings.JARINGAN_ISO18626_RATE = 1000
    with PeerServer().running() as peer:
        AgencyId.objects.create(library=Library.objects.get(code="UNPATTI"), id_type="DMMY", id_value="NIA1")
        Peer.objects.create(library=Library.objects.get(code="UNHAS"), url=peer.url, agency_id_type="DMMY",
                            agency_id_value="NIA2")
        peer.hub_url = live_server.url
        yield peer


def test_a_message_over_the_limit_is_refused_unread_with_413(hub):
    status, headers, body = post(hub.hub_url, junk(1024 * KB + 1))
    assert status == 413 and headers["Content-Type"].startswith("application/xml")
    assert error_of(body) == ("BadlyFormedMessage", "the message is larger than 1024 KB")
    assert not IllMessage.objects.exists()


def test_twenty_unreadable_megabytes_leave_a_bounded_trace(hub):
    bodies = [junk(1024 * KB, seed) for seed in range(20)]
    for raw in bodies:
        status, _headers, body = post(hub.hub_url, raw)
        assert status == 200 and error_of(body)[0] == "BadlyFormedMessage"
    kept = IllMessage.objects.filter(direction="in").order_by("id")
    assert kept.count() == 20
    for message, raw in zip(kept, bodies, strict=True):
        assert len(bytes(message.raw)) == 64 * KB and bytes(message.raw) == raw[:64 * KB]
        assert message.size == len(raw) and message.digest == hashlib.sha256(raw).hexdigest()
        assert message.address == "127.0.0.1" and message.status == "refused"
    stored = IllMessage.objects.aggregate(n=Sum(Length("raw")))["n"]
    assert stored < 21 * 64 * KB  # 20 x 64 KiB and their answers, not 20 MiB
    # The same body again gets the same answer and is not kept twice (its digest is of the whole body).
    assert post(hub.hub_url, bodies[0])[0] == 200 and kept.count() == 20


def test_a_well_formed_refusal_is_shortened_and_an_accepted_message_kept_whole(hub):
    note = "catatan " * (40 * KB)  # 320 KB of note
    raw = MOCK_REQUEST.read_bytes().replace(b"<note>#CANCEL#</note>", f"<note>{note}</note>".encode())
    stranger = raw.replace(b"<agencyIdValue>NIA2<", b"<agencyIdValue>NIA9<")
    status, _headers, body = post(hub.hub_url, stranger)
    assert status == 200 and error_of(body) == ("UnrecognisedDataValue", "requestingAgencyId DMMY:NIA9 is not "
                                                                          "known here")
    refused = IllMessage.objects.get(direction="in", status="refused")
    assert len(bytes(refused.raw)) == 64 * KB and refused.size == len(stranger)
    status, _headers, body = post(hub.hub_url, raw)
    assert status == 200 and core.parse(body).confirmation_header.message_status == "OK"
    accepted = IllMessage.objects.get(direction="in", status="accepted")
    assert bytes(accepted.raw) == raw and accepted.request is not None


def test_refused_messages_about_no_request_are_deleted_after_the_retention(hub, settings):
    settings.JARINGAN_ISO18626_REFUSED_DAYS = 2
    for seed in range(3):
        post(hub.hub_url, junk(100, seed))
    post(hub.hub_url, MOCK_REQUEST.read_bytes())  # accepted: part of the request's log for good
    accepted = IllMessage.objects.get(direction="in", status="accepted")
    unreadable = list(IllMessage.objects.filter(direction="in", kind="unreadable").order_by("id"))
    old, recent = unreadable[:2], unreadable[2]
    IllMessage.objects.filter(pk__in=[m.pk for m in old] + [accepted.pk]).update(
        at=timezone.now() - timedelta(days=3))
    report = tick()
    assert report.refused_deleted == 2
    assert not IllMessage.objects.filter(pk__in=[m.pk for m in old] + [m.answer_id for m in old]).exists()
    assert IllMessage.objects.filter(pk__in=[recent.pk, recent.answer_id, accepted.pk, accepted.answer_id]) \
        .count() == 4
    assert tick(now=timezone.now() + timedelta(days=3)).refused_deleted == 1  # the recent one, in its turn
    assert IllMessage.objects.filter(pk=accepted.pk).exists()


def test_over_the_rate_an_address_waits_and_nothing_is_kept(hub, settings):
    settings.JARINGAN_ISO18626_RATE = 5
    for seed in range(5):
        assert post(hub.hub_url, junk(100, seed))[0] == 200
    status, headers, body = post(hub.hub_url, junk(100, 99))
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60 and b"too many messages" in body
    assert post(hub.hub_url, MOCK_REQUEST.read_bytes())[0] == 429
    assert IllMessage.objects.filter(direction="in").count() == 5 and not IllRequest.objects.exists()
    # A peer that proves itself with its secret is counted on its own, not with its address.
    Peer.objects.filter(agency_id_value="NIA2").update(shared_secret="rahasia-bersama")
    status, _headers, body = post(hub.hub_url, MOCK_REQUEST.read_bytes(), secret="rahasia-bersama")
    assert status == 200 and core.parse(body).confirmation_header.message_status == "OK"
    assert IllMessage.objects.get(direction="in", status="accepted").peer.agency_id_value == "NIA2"


def test_a_peer_with_a_shared_secret_must_send_it(hub):
    Peer.objects.filter(agency_id_value="NIA2").update(shared_secret="rahasia-bersama")
    raw = MOCK_REQUEST.read_bytes()
    for secret, words in [(None, "is missing"), ("tebakan", "is wrong"), ("", "is missing")]:
        status, headers, body = post(hub.hub_url, raw, secret=secret)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        assert error_of(body) == ("UnrecognisedDataValue", "Authorization: the shared secret agreed with DMMY:NIA2 "
                                                           + words)
    assert not IllMessage.objects.exists() and not IllRequest.objects.exists()
    status, _headers, body = post(hub.hub_url, raw, secret="rahasia-bersama")
    assert status == 200 and core.parse(body).confirmation_header.message_status == "OK"
    assert IllRequest.objects.get().requester.code == "UNHAS"


def test_our_messages_carry_the_secret_we_hold_for_the_peer(hub):
    Peer.objects.filter(agency_id_value="NIA2").update(shared_secret="rahasia-bersama")
    post(hub.hub_url, MOCK_REQUEST.read_bytes(), secret="rahasia-bersama")
    req = IllRequest.objects.get()
    asked = core.build(core.RequestingAgencyMessage(header=core.parse(MOCK_REQUEST.read_bytes()).header,
                                                    action=core.Action.StatusRequest))
    status, _headers, body = post(hub.hub_url, asked, secret="rahasia-bersama")
    assert status == 200 and core.parse(body).confirmation_header.message_status == "OK"
    sender.send_due()  # the sender, after the commit
    # The answer to the status request went to the peer's system, with our secret for it.
    sent = IllMessage.objects.filter(direction="out", request=req, kind="supplyingAgencyMessage")
    assert sent.count() == 1 and sent.get().status == "sent", list(sent.values("status", "last_error"))
    assert hub.authorizations == ["Bearer rahasia-bersama"]
    Peer.objects.filter(agency_id_value="NIA2").update(shared_secret="")
    IllMessage.objects.filter(pk=sent.get().pk).update(status="retrying", next_attempt=timezone.now())
    sender.deliver(sent.get().pk)
    assert hub.authorizations == ["Bearer rahasia-bersama", None]


def test_a_coordinator_sets_a_peers_secret_through_the_api_and_it_is_never_shown(demo_network, user):
    import json

    from django.test import Client

    from jaringan.network import services as network

    token = network.token_create(user=user("koordinator"))
    response = Client().post("/api/ill/peers", data=json.dumps({
        "library": "UNHAS", "url": "https://ill.unhas.example/iso18626", "shared_secret": " rahasia-bersama "}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert b"rahasia" not in response.content
    assert Peer.objects.get(library__code="UNHAS").shared_secret == "rahasia-bersama"
    again = Client().post("/api/ill/peers", data=json.dumps({"library": "UNHAS",
                                                             "url": "https://ill.unhas.example/iso18626"}),
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert again.status_code == 201 and Peer.objects.get(library__code="UNHAS").shared_secret == "rahasia-bersama"


def test_behind_a_proxy_the_rate_counts_the_address_the_proxy_gives(hub, settings):
    settings.BEHIND_PROXY = True
    settings.JARINGAN_ISO18626_RATE = 2
    for n, forwarded in enumerate(["198.51.100.7, 203.0.113.9", "203.0.113.9", "203.0.113.9", "2001:db8::5",
                                   "bukan-alamat"]):
        request = urllib.request.Request(hub.hub_url + "/iso18626", data=junk(100, n), method="POST",
                                         headers={"Content-Type": "application/xml", "X-Forwarded-For": forwarded})
        try:
            status = urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as exc:
            status = exc.code
        assert status == (429 if n == 2 else 200), (forwarded, status)
    assert list(IllMessage.objects.filter(direction="in").order_by("id").values_list("address", flat=True)) == [
        "203.0.113.9", "203.0.113.9", "2001:db8::5", "127.0.0.1"]


def test_jaringan_ill_tick_deletes_them_and_says_so(hub, tmp_path):
    from tests.support import processes

    post(hub.hub_url, junk(100))
    IllMessage.objects.filter(direction="in").update(at=timezone.now() - timedelta(days=8))
    done = processes.run(tmp_path / "tick", "ill-tick")
    assert done.returncode == 0, done.stderr
    assert "1 refused ISO 18626 messages deleted after their retention" in done.stdout
    assert not IllMessage.objects.exists()
