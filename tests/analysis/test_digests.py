"""Readers' e-mail digests of new acquisitions, sent by `jaringan digests` through Django's SMTP backend to a
real SMTP server on 127.0.0.1: the titles each reader follows, in their language, each period once, and
again after the mail server was down."""

from __future__ import annotations

import socket
from collections import Counter
from datetime import datetime, time, timedelta
from email import message_from_bytes, policy

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from jaringan.analysis.models import DigestSent, EditionProfile
from jaringan.catalog.models import SourceRecord
from jaringan.cli import main
from jaringan.core.analysis.digests import last_period


class Inbox:
    """An SMTP server (aiosmtpd) on a free port of 127.0.0.1 that keeps what it is sent."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.messages = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message["Subject"], message.get_body(("plain",)).get_content()))
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def to(self, address):
        return [m for m in self.messages if address in m[0]]


@pytest.fixture
def inbox(settings):
    box = Inbox()
    box.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", box.port, 5
    yield box
    box.stop()


def _reader(username, email):
    user = get_user_model().objects.create_user(username, email=email, password="a-long-password-1")
    client = Client()
    client.force_login(user)
    return user, client


def _expected(day, *, letter=None, library=None):
    """The editions newly held in the week before `day`, counted here from the records and their classes."""
    start, end = last_period("weekly", day)
    tz = timezone.get_current_timezone()
    rows = SourceRecord.objects.filter(withdrawn=False, edition__isnull=False,
                                       created__range=(datetime.combine(start, time.min, tzinfo=tz),
                                                       datetime.combine(end, time.max, tzinfo=tz)))
    if library:
        rows = rows.filter(library__code=library)
    editions = set(rows.values_list("edition_id", flat=True))
    if letter:
        editions = {e for e in editions if EditionProfile.objects.filter(edition_id=e, lcc__startswith=letter).exists()}
    return editions


@pytest.mark.django_db
def test_digests_go_to_each_reader_once_per_period_with_what_they_follow(catalogue, inbox, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")  # the command's own words
    day = timezone.localdate() + timedelta(days=7)  # the last whole week before it holds today's imports
    letter = Counter(p.lcc[:1] for p in EditionProfile.objects.exclude(lcc="")).most_common(1)[0][0]
    follows, follows_client = _reader("ani", "ani@example.test")
    assert follows_client.post("/analysis/digest/", {"frequency": "weekly", "subjects": [f"lcc:{letter}"],
                                                     "language": "en"}).status_code == 302
    local, local_client = _reader("budi", "budi@example.test")
    assert local_client.post("/analysis/digest/", {"frequency": "weekly", "libraries": ["UNPATTI"],
                                                   "language": "id"}).status_code == 302
    empty, empty_client = _reader("citra", "citra@example.test")  # a class nobody added this week
    absent = next(c for c in "ABCDEFGHJKLMNPQRSTUVZ"
                  if not EditionProfile.objects.filter(lcc__startswith=c).exists())
    assert empty_client.post("/analysis/digest/", {"frequency": "weekly", "subjects": [f"lcc:{absent}"],
                                                   "language": "en"}).status_code == 302

    assert main(["digests", "--date", day.isoformat()]) == 0
    assert "Digests: 2 sent, 1 with nothing new (not sent), 0 refused" in capsys.readouterr().out
    (rcpt, subject, body), = inbox.to("ani@example.test")
    wanted = _expected(day, letter=letter)
    assert wanted and subject.startswith("New in the union catalogue:")
    assert f": {len(wanted)} titles." in body.splitlines()[0]
    assert body.count("\n- ") == min(len(wanted), 50) and "/analysis/digest/" in body
    (_rcpt, subject, body), = inbox.to("budi@example.test")
    ours = _expected(day, library="UNPATTI")
    assert subject.startswith("Baru di katalog induk") and f": {len(ours)} judul." in body.splitlines()[0]
    assert all("Universitas Pattimura" in line for line in body.splitlines() if line.startswith("  Dimiliki oleh"))
    assert inbox.to("citra@example.test") == []
    sent = DigestSent.objects.count()
    assert sent == 3 and DigestSent.objects.get(subscription__reader=empty).mailed is False

    assert main(["digests", "--date", day.isoformat()]) == 0  # the same period again: nothing more
    assert len(inbox.messages) == 2 and DigestSent.objects.count() == sent

    late, late_client = _reader("dewi", "dewi@example.test")
    assert late_client.post("/analysis/digest/", {"frequency": "weekly", "language": "en"}).status_code == 302
    inbox.stop()  # the mail server is down: nothing recorded, tried again next run
    assert main(["digests", "--date", day.isoformat()]) == 75
    assert not DigestSent.objects.filter(subscription__reader=late).exists()
    inbox.start()
    assert main(["digests", "--date", day.isoformat()]) == 0
    assert len(inbox.to("dewi@example.test")) == 1 and len(inbox.messages) == 3
    assert DigestSent.objects.get(subscription__reader=late).mailed


@pytest.mark.django_db
def test_the_digest_page_is_the_readers_own_and_names_what_is_wrong(demo_network):
    assert Client().get("/analysis/digest/").status_code == 302  # to the login page
    nobody, client = _reader("eko", "")
    page = client.post("/analysis/digest/", {"frequency": "weekly"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "no e-mail address" in page.content.decode()
    someone, client = _reader("fajar", "fajar@example.test")
    page = client.post("/analysis/digest/", {"frequency": "weekly", "subjects": ["ddc:55", "lcc:Q"]},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "Not a subject: ddc:55." in page.content.decode()
    page = client.post("/analysis/digest/", {"frequency": "weekly", "libraries": ["NOPE"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "No such library: NOPE." in page.content.decode()
    assert client.post("/analysis/digest/", {"frequency": "monthly", "subjects": ["lcc:Q"]}).status_code == 302
    shown = client.get("/analysis/digest/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'value="lcc:Q" checked' in shown and 'value="monthly" checked' in shown
    assert client.post("/analysis/digest/", {"action": "stop"}).status_code == 302
    assert someone.digest.__class__.objects.get(reader=someone).active is False
