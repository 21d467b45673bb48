"""Login throttling: the login page, the admin's and SLiMS node passwords refuse further attempts after
too many failures for one user name (or node) or from one address, with a message in the person's
language; counted in the database, so that every server process sees the same failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jaringan.catalog import ucs
from jaringan.catalog.models import SourceRecord
from jaringan.network.models import Library
from jaringan.security.models import LoginFailure
from tests.catalog import slims_ucs as slims

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _demo(demo_network):
    """The demo's accounts (their passwords in the ``passwords`` fixture)."""


REFUSED = {"en": "Too many failed attempts to log in", "id": "Terlalu banyak percobaan masuk yang gagal"}


def login(client, username, password, *, lang="en", path="/accounts/login/", address="198.51.100.7"):
    client.cookies["django_language"] = lang
    return client.post(path, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE=lang,
                       REMOTE_ADDR=address)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_after_five_wrong_passwords_even_the_right_one_is_refused_until_the_window_passes(
        client, passwords, settings, lang):
    settings.LOGIN_FAILURES_PER_USER = 5
    for _ in range(5):
        page = login(client, "staf.itb", "wrong password", lang=lang)
        assert page.status_code == 200 and REFUSED[lang] not in page.content.decode()
    page = login(client, "STAF.ITB", passwords["staf.itb"], lang=lang)  # the name as typed, any case
    assert page.status_code == 200 and "_auth_user_id" not in client.session
    text = page.content.decode()
    assert REFUSED[lang] in text and ("15 minutes" in text or "15 menit" in text)
    # Another person's login from elsewhere is not held up.
    assert login(client, "staf.unpatti", passwords["staf.unpatti"], address="203.0.113.5").status_code == 302
    client.logout()
    # Once the failures are older than the window, the right password works and forgets them.
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW + 1))
    assert login(client, "staf.itb", passwords["staf.itb"]).status_code == 302
    assert not LoginFailure.objects.filter(kind="user", key="staf.itb").exists()


def test_one_address_trying_many_user_names_is_refused(client, passwords, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for n in range(6):
        login(client, f"guess{n}", "wrong password")
    page = login(client, "staf.itb", passwords["staf.itb"])
    assert page.status_code == 200 and REFUSED["en"] in page.content.decode()
    assert login(client, "staf.itb", passwords["staf.itb"], address="203.0.113.5").status_code == 302


def test_behind_a_proxy_the_address_the_proxy_saw_is_counted(client, passwords, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    settings.BEHIND_PROXY = True
    for n in range(3):  # a client cannot dodge the count by sending a header of its own
        client.post("/accounts/login/", {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7")
    assert set(LoginFailure.objects.filter(kind="address").values_list("key", flat=True)) == {"198.51.100.7"}
    page = client.post("/accounts/login/", {"username": "staf.itb", "password": passwords["staf.itb"]},
                       REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert REFUSED["id"] in page.content.decode()  # the site's language when the browser names none


def test_the_admin_login_counts_and_refuses_too(client, passwords, settings):
    settings.LOGIN_FAILURES_PER_USER = 3
    for _ in range(3):
        login(client, "koordinator", "wrong password", path="/admin/login/")
    page = login(client, "koordinator", passwords["koordinator"], path="/admin/login/")
    assert page.status_code == 200 and REFUSED["en"] in page.content.decode()


PASSWORD = "kata-sandi-simpul-unpatti"


def _push(url: str, node_id: str, password: str) -> dict:
    sysconf = slims.node_info(node_id=node_id, password=password, server=f"{url}/ucs", version=3)
    status, reply = slims.guzzle_post(slims.push_path(sysconf), slims.push_body(slims.demo_rows()[:2], sysconf))
    assert status == 200
    return reply


def test_ucs_answers_an_unknown_node_as_a_wrong_password_and_throttles_both(live_server, principal, settings):
    settings.LOGIN_FAILURES_PER_USER = 3
    ucs.ucs_node_register(actor=principal("staf.unpatti"), library=Library.objects.get(code="UNPATTI"),
                          node_id="slims-unpatti", password=PASSWORD)
    unknown = _push(live_server.url, "slims-nobody", PASSWORD)
    wrong = _push(live_server.url, "slims-unpatti", "not the password")
    assert unknown["status"] == wrong["status"] == "NOT_AUTHORIZED"
    assert unknown["message"].replace("slims-nobody", "X") == wrong["message"].replace("slims-unpatti", "X")
    assert set(unknown) == set(wrong)
    for _ in range(2):
        _push(live_server.url, "slims-unpatti", "not the password")
    # The server's own connections counted the failures; the right password is refused now.
    assert LoginFailure.objects.filter(scope="ucs", kind="user", key="slims-unpatti").count() == 3
    refused = _push(live_server.url, "slims-unpatti", PASSWORD)
    assert refused["status"] == "NOT_AUTHORIZED" and REFUSED["id"] in refused["message"]  # the site's language
    assert SourceRecord.objects.count() == 0
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW + 1))
    assert _push(live_server.url, "slims-unpatti", PASSWORD)["status"] == "UPLOADED"
