"""The pass and the desk on a phone (375 px wide) in Chromium: nothing wider than the screen, the codes
drawn (no inline style is needed, none is blocked by the Content-Security-Policy)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__violations.push(e.violatedDirective); });
"""


def _login(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def demo_network(transactional_db):
    """The demo network, committed: the live server's threads read it (not the module's shared load)."""
    from jaringan.demo import datafiles, network

    network.load_network()
    return datafiles.network()


@pytest.mark.django_db(transaction=True)
def test_the_pass_and_the_desk_fit_a_phone(live_server, browser, demo_network, passwords):  # noqa: F811
    from jaringan.demo.reciprocal import load_reciprocal
    from jaringan.reciprocal.models import Pass

    load_reciprocal()
    code = Pass.objects.get(reader__username="pembaca").code
    phone = dict(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, locale="id-ID")
    reader = browser.new_context(**phone)
    reader.add_init_script(LISTEN)
    page = reader.new_page()
    _login(page, live_server.url, "pembaca", passwords["pembaca"])
    for path in ("/my/pass/", "/my/pass/card/"):
        page.goto(live_server.url + path)
        assert _fits(page), path
        box = page.locator("svg.qr").bounding_box()
        assert box and 100 <= box["width"] <= 375
        bar = page.locator("svg.code128").bounding_box()
        assert bar and bar["width"] <= 375 and bar["height"] > 30
        background = page.evaluate("getComputedStyle(document.querySelector('svg.code128 rect')).fill")
        assert background in ("rgb(255, 255, 255)", "white"), background
        assert page.evaluate("window.__violations") == [], path
    staff = browser.new_context(**phone)
    staff.add_init_script(LISTEN)
    desk = staff.new_page()
    _login(desk, live_server.url, "staf.unhas", passwords["staf.unhas"])
    desk.goto(f"{live_server.url}/manage/reciprocal/UNHAS/desk/")
    desk.fill("#code", code.lower().replace("-", " "))
    desk.click("#desk-code button")
    desk.wait_for_load_state("load")
    assert "Boleh meminjam 2 buku" in desk.inner_text(".verdict")
    assert _fits(desk) and desk.evaluate("window.__violations") == []
