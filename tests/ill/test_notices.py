"""Notices: the right people, in their own language, by e-mail and SMS; never for a change rolled back."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from jaringan.ill import services, sms
from jaringan.ill.models import NoticeSettings

pytestmark = pytest.mark.django_db
DUE = date(2099, 3, 31)


def _loaned(held, staff, **create):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], **create)
    lender = staff(f"staf.{req.supplier.code.lower()}")
    services.illrequest_act(actor=lender, request=req, action="Loaned", due_date=DUE)
    return req, desk


def test_the_reader_hears_in_their_language_and_the_staff_in_theirs(held, staff, user, mailbox,
                                                                   django_capture_on_commit_callbacks):
    NoticeSettings.objects.create(user=user("pembaca"), language="en")
    req, desk = _loaned(held, staff, reader=user("pembaca").pk)
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=desk, request=req, action="Received")
    (mail,) = mailbox
    assert mail.to == ["pembaca@demo.jaringan.invalid"] and "March 31, 2099" in mail.body
    assert req.title[:40] in mail.subject

    NoticeSettings.objects.filter(user=user("pembaca")).update(language="id")
    other, desk = _loaned(held, staff, reader=user("pembaca").pk)
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=desk, request=other, action="Received")
    assert "31 Maret 2099" in mailbox[0].body


def test_a_walk_in_reader_by_email_and_a_lender_of_a_new_request(held, staff, mailbox,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[0], reader_name="Tamu",
                                         reader_email="tamu@contoh.invalid", reader_language="en")
    lender = req.supplier.code.lower()
    assert [m.to for m in mailbox] == [[f"staf.{lender}@demo.jaringan.invalid"]]  # a new request to answer
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=staff(f"staf.{lender}"), request=req, action="Loaned", due_date=DUE)
    assert [m.to for m in mailbox] == [["tamu@contoh.invalid"]] and "on its way" in mailbox[0].body


def test_nothing_is_sent_for_a_change_rolled_back(held, staff, mailbox, django_capture_on_commit_callbacks):
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[0], reader_name="Tamu",
                                     reader_email="tamu@contoh.invalid")
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.illrequest_act(actor=staff(f"staf.{req.supplier.code.lower()}"), request=req,
                                        action="Loaned")
                raise RuntimeError("the line dropped")
    assert mailbox == []
    req.refresh_from_db()
    assert req.state == "RequestReceived"


class _Gateway:
    """An SMS gateway on 127.0.0.1 that keeps what it is asked to send."""

    def __init__(self):
        self.sent: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.sent.append({"auth": self.headers.get("Authorization"), **json.loads(body)})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"


@pytest.fixture
def gateway(settings):
    found = _Gateway()
    settings.JARINGAN_SMS_BACKEND = "jaringan.ill.sms.HttpGatewayBackend"
    settings.JARINGAN_SMS_URL = found.url
    settings.JARINGAN_SMS_TOKEN = "kunci"
    yield found
    found.server.shutdown()
    found.server.server_close()


def test_a_reader_who_allows_texts_gets_an_sms_through_the_gateway(held, staff, user, principal, gateway, mailbox,
                                                                  django_capture_on_commit_callbacks):
    services.notice_settings_save(actor=principal("pembaca"), phone="0812-3456-7890", sms=True, language="en")
    req, desk = _loaned(held, staff, reader=user("pembaca").pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=desk, request=req, action="Received")
    (text,) = gateway.sent
    assert text["to"] == "+6281234567890" and text["auth"] == "Bearer kunci" and "March 31, 2099" in text["text"]


def test_the_default_backend_only_logs(held, staff, user, django_capture_on_commit_callbacks):
    sms.LoggingBackend.sent.clear()
    assert sms.send_sms("0812 1111 2222", "Buku Anda sudah tiba.")
    assert sms.LoggingBackend.sent[-1] == ("+6281211112222", "Buku Anda sudah tiba.")
    assert not sms.send_sms("12", "x")  # not a telephone number: nothing sent, no error


@pytest.mark.parametrize("raw, expected", [
    ("0812-3456-789", "+628123456789"), ("+62 812 3456 789", "+628123456789"), ("62812345678", "+62812345678"),
    ("0062812345678", "+62812345678"), ("abc", None), ("", None),
])
def test_telephone_numbers(raw, expected):
    assert sms.normalise_phone(raw) == expected
