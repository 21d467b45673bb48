"""The outbox: staff never wait on a peer; messages go out from a sender, again with backoff, once per event.

(With two real hubs, the lender's hub stopped and started again: ``test_two_hubs``.)"""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from jaringan.ill import services
from jaringan.ill.iso18626 import outbox, sender
from jaringan.ill.models import IllMessage, Peer
from jaringan.ill.texts import DELIVERY_ERRORS, DELIVERY_LABELS
from jaringan.network.models import Library

from .peer_server import PeerServer

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def _unhas_at(url: str, *, timeout: float = 2) -> Peer:
    return Peer.objects.create(library=Library.objects.get(code="UNHAS"), url=url, agency_id_type="JARINGAN",
                               agency_id_value="UNHAS", timeout=timeout)


def _ask_unhas(staff, held, django_capture_on_commit_callbacks):
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[0], service="loan", reader_name="X",
                                     send=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_send(actor=staff("staf.unpatti"), request=req, lender="UNHAS")
    return req


def test_the_action_only_queues_the_message_and_the_sender_sends_it_once(
        held, staff, django_capture_on_commit_callbacks):
    with PeerServer().running() as peer:
        _unhas_at(peer.url)
        req = _ask_unhas(staff, held, django_capture_on_commit_callbacks)
        out = IllMessage.objects.get(request=req, direction="out", kind="request")
        # Kept with the change, due now, not posted by the action itself.
        assert (out.status, out.attempts) == ("pending", 0) and out.next_attempt <= timezone.now()
        assert peer.received == []
        # Two senders at once (a web server's thread and `jaringan ill-send`): only one claims it.
        first, second = sender._claim(out, timezone.now()), sender._claim(out, timezone.now())
        assert (first, second) == (True, False)
        IllMessage.objects.filter(pk=out.pk).update(status="pending", next_attempt=timezone.now(), attempts=0)
        tried = sender.send_due()
        assert [m.pk for m in tried] == [out.pk] and sender.send_due() == []
        out.refresh_from_db()
        assert (out.status, out.attempts, out.error_kind) == ("sent", 1, "") and out.delivered_at
        assert len(peer.received) == 1 and outbox.next_due() is None
        req.refresh_from_db()
        assert req.state == "RequestReceived"


def test_a_claim_whose_sender_died_is_taken_again_after_it_lapses(held, staff, django_capture_on_commit_callbacks):
    with PeerServer().running() as peer:
        _unhas_at(peer.url)
        req = _ask_unhas(staff, held, django_capture_on_commit_callbacks)
        out = IllMessage.objects.get(request=req, direction="out", kind="request")
        assert sender._claim(out, timezone.now())  # claimed; then its process died before it posted
        assert sender.send_due() == [] and peer.received == []
        out.refresh_from_db()
        assert out.status == "sending" and out.next_attempt > timezone.now() + timedelta(seconds=30)
        [again] = sender.send_due(now=out.next_attempt)
        assert again.status == "sent" and again.attempts == 2 and len(peer.received) == 1


def test_an_answer_that_comes_too_late_is_asked_for_again_with_the_same_message(
        held, staff, django_capture_on_commit_callbacks):
    with PeerServer().running() as peer:
        _unhas_at(peer.url, timeout=0.3)
        peer.delay, peer.slow = 1.0, 1  # the peer gets it, but its answer misses the sender's timeout
        req = _ask_unhas(staff, held, django_capture_on_commit_callbacks)
        [out] = sender.send_due()
        assert out.status == "retrying" and out.error_kind == "timeout" and len(peer.received) == 1
        with translation.override("en"):
            assert "recognise a repeat" in str(DELIVERY_ERRORS[out.error_kind])
        [out] = sender.send_due(now=out.next_attempt)
        assert out.status == "sent" and out.attempts == 2
        # The same bytes both times: the peer knows the second for a repeat (same request id, same action).
        assert peer.received[0] == peer.received[1] == bytes(out.raw)
        req.refresh_from_db()
        assert req.state == "RequestReceived"


def test_messages_about_one_request_go_in_order(held, staff, django_capture_on_commit_callbacks):
    desk = staff("staf.unpatti")
    with PeerServer().running() as peer:
        peer_row = _unhas_at(peer.url)
        req = _ask_unhas(staff, held, django_capture_on_commit_callbacks)
        sender.send_due()
        req.refresh_from_db()
        assert req.state == "RequestReceived"
    Peer.objects.filter(pk=peer_row.pk).update(url=f"http://127.0.0.1:{_closed_port()}/iso18626")  # now down
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=desk, request=req, action="StatusRequest")
    [first] = sender.send_due()
    assert first.status == "retrying" and first.error_kind == "unreachable"
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=desk, request=req, action="Notification", note="Mohon dikirim cepat")
    note = IllMessage.objects.filter(request=req, direction="out").latest("id")
    assert note.status == "pending" and note.next_attempt <= timezone.now()
    with PeerServer().running() as peer:
        Peer.objects.filter(pk=peer_row.pk).update(url=peer.url)
        assert sender.send_due() == []  # the note is due, but waits behind the status request not yet delivered
        assert peer.received == []
        tried = sender.send_due(now=first.next_attempt)
        assert [m.pk for m in tried] == [first.pk, note.pk] and all(m.status == "sent" for m in tried)
        assert [m.action for m in peer.messages()] == ["StatusRequest", "Notification"]


def test_staff_read_how_each_message_travels_in_both_languages(held, staff, user, client,
                                                               django_capture_on_commit_callbacks):
    _unhas_at(f"http://127.0.0.1:{_closed_port()}/iso18626")
    req = _ask_unhas(staff, held, django_capture_on_commit_callbacks)
    sender.send_due()
    out = IllMessage.objects.get(request=req, direction="out")
    client.force_login(user("staf.unpatti"))
    for lang in ("en", "id"):
        with translation.override(lang):
            retrying = str(DELIVERY_LABELS["retrying"])
            unreachable = str(DELIVERY_ERRORS["unreachable"])
        page = client.get(f"/manage/ill/requests/{req.pk}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        section = page.split('id="outbox"', 1)[1].split("</section>", 1)[0]
        assert retrying in section and unreachable in section and "Universitas Hasanuddin" in section
        assert "retrying" not in section.replace('class="delivery-retrying"', "")  # no raw code on screen
    with translation.override("id"):
        assert str(DELIVERY_LABELS["retrying"]) != "not delivered yet: to be tried again"  # translated
    from jaringan.network import services as network

    token = network.token_create(user=user("staf.unpatti"))
    detail = Client().get(f"/api/ill/requests/{req.pk}", HTTP_AUTHORIZATION=f"Bearer {token}",
                          HTTP_ACCEPT_LANGUAGE="en").json()
    [message] = [m for m in detail["messages"] if m["direction"] == "out"]
    delivery = message["delivery"]
    assert delivery["state"] == "retrying" and delivery["attempts"] == 1 and delivery["next_attempt"]
    assert delivery["error"] == "The other system could not be reached." and "could not be reached" in \
        delivery["detail"] and out.error_kind == "unreachable"


def test_a_message_is_given_up_after_the_retry_days(held, staff, django_capture_on_commit_callbacks):
    _unhas_at(f"http://127.0.0.1:{_closed_port()}/iso18626")
    req = _ask_unhas(staff, held, django_capture_on_commit_callbacks)
    sender.send_due()
    later = timezone.now() + timedelta(days=8)
    sender.send_due(now=later)
    out = IllMessage.objects.get(request=req, direction="out")
    assert (out.status, out.error_kind, out.next_attempt) == ("failed", "gave_up", None)
    assert outbox.next_due() is None


def test_a_request_passed_on_does_not_wait_behind_the_lender_that_was_down(held, staff,
                                                                           django_capture_on_commit_callbacks):
    from jaringan.ill.tick import tick

    _unhas_at(f"http://127.0.0.1:{_closed_port()}/iso18626")
    with PeerServer().running() as unud:
        Peer.objects.create(library=Library.objects.get(code="UNUD"), url=unud.url, agency_id_type="JARINGAN",
                            agency_id_value="UNUD")
        req = _ask_unhas(staff, held, django_capture_on_commit_callbacks)
        sender.send_due()
        with django_capture_on_commit_callbacks(execute=True):
            report = tick(now=timezone.now() + timedelta(days=4))  # UNHAS never answered: UNUD is asked
        assert report.timed_out == [req.pk]
        req.refresh_from_db()
        assert (req.supplier.code, req.state) == ("UNUD", "RequestReceived")
        assert [m.ELEMENT for m in unud.messages()] == ["request"]
        to_unhas = IllMessage.objects.filter(request=req, direction="out", peer__library__code="UNHAS")
        # The request to UNHAS is still tried; what the hub tells UNHAS of the timeout waits behind it.
        assert [(m.kind, m.status) for m in to_unhas.order_by("id")] == [
            ("request", "retrying"), ("requestingAgencyMessage", "pending")]
