"""The demo plays an interlibrary loan from both sides with its own printed logins, and a coordinator,
who asks for nothing, is told so instead of being shown a button that ends in an error."""

import logging

import pytest
from django.test import Client

from jaringan.ill.models import IllRequest

pytestmark = pytest.mark.django_db


def _signed_in(username, passwords) -> Client:
    client = Client()
    assert client.login(username=username, password=passwords[username])
    return client


def test_a_reader_asks_their_library_approves_and_the_lender_answers_with_demo_logins(held, passwords):
    reader = _signed_in("pembaca", passwords)
    reader.post("/ill/new/", {"edition": held[0].pk, "service": "loan", "any_edition": "on"})
    req = IllRequest.objects.get(reader__username="pembaca")
    desk = _signed_in("staf.unpatti", passwords)
    desk.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "approve", "expected_version": req.version})
    req.refresh_from_db()
    assert req.state == "RequestReceived"
    lender_login = {"UNHAS": "staf.unhas", "UNUD": "staf.unud"}[req.supplier.code]  # both printed by the demo
    lender = _signed_in(lender_login, passwords)
    assert f"/manage/ill/requests/{req.pk}/" in lender.get("/manage/ill/lending/").content.decode()
    lender.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "WillSupply", "expected_version": req.version})
    req.refresh_from_db()
    assert req.state == "WillSupply"


def test_a_coordinator_sees_no_request_button_and_a_refusal_page_without_a_traceback(held, passwords, caplog):
    coordinator = _signed_in("koordinator", passwords)
    page = coordinator.get(f"/catalogue/{held[0].pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="ill-request"' not in page and 'id="ill-not-for-you"' in page
    reader_page = _signed_in("pembaca", passwords).get(f"/catalogue/{held[0].pk}/").content.decode()
    assert 'id="ill-request"' in reader_page
    with caplog.at_level(logging.WARNING, logger="django.request"):
        refused = coordinator.get(f"/ill/new/?edition={held[0].pk}", HTTP_ACCEPT_LANGUAGE="id")
        # A refusal raised deep in a view is the same page: ITB's staff opening Pattimura's queue.
        queue = _signed_in("staf.itb", passwords).get("/manage/ill/?library=UNPATTI", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403 and queue.status_code == 403
    assert "Hanya pemustaka dan staf perpustakaan anggota" in refused.content.decode()
    assert 'id="error-reason"' in queue.content.decode() and "You are not staff of" in queue.content.decode()
    assert 'class="top"' in queue.content.decode()  # in the site's frame
    assert not [r for r in caplog.records if r.exc_info], "a refusal logs no traceback"
