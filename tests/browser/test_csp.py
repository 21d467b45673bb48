"""Under the site's Content-Security-Policy (no inline script or style, nothing from elsewhere) the pages
of the main journeys work in Chromium and log no violation: a reader searching and opening an edition
with its map, a member of staff at work, the admin and the API's documentation."""

from __future__ import annotations

import pytest

from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.models import Edition
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from tests.catalog.items import loc_items

pytestmark = pytest.mark.browser

#: Collects the violations the page reports to itself, from the first script on.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

READER = ["/", "/search/", "/search/?q=indonesia", "/catalogue/", "/networks/", "/networks/JPJB/", "/libraries/",
          "/libraries/UNPATTI/", "/agreements/check/", "/accounts/login/", "/api/docs"]
STAFF = ["/manage/", "/manage/ill/", "/manage/ill/lending/", "/manage/ill/ledger/", "/manage/libraries/UNPATTI/records/",
         "/manage/libraries/UNPATTI/ucs/", "/ill/new/", "/admin/", "/admin/network/library/"]


def _visit(page, url: str, seen: list) -> None:
    response = page.goto(url)
    assert response.status < 400, url
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    found = page.evaluate("window.__violations")
    seen.extend(f"{url}: {v}" for v in found)


@pytest.mark.django_db(transaction=True)
def test_the_main_journeys_log_no_policy_violation(live_server, browser, demo_network, passwords, settings):
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"), name="t.mrc")
    ingest(batch=batch, items=loc_items(30))
    from jaringan.discovery import services as discovery

    discovery.reindex()
    # Map tiles from this site, so that Leaflet draws the tiled map (a tile server elsewhere is allowed
    # by the policy but out of reach of the tests).
    settings.MAP_TILES_URL = f"{live_server.url}/static/vendor/leaflet/images/marker-icon.png?{{z}}-{{x}}-{{y}}"
    edition = Edition.objects.order_by("pk").first()

    context = browser.new_context(locale="en-GB")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15000)
    messages = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    violations: list = []
    for path in [*READER, f"/catalogue/{edition.pk}/"]:
        _visit(page, live_server.url + path, violations)
    page.locator(".leaflet-container").first.wait_for()  # the tiled map replaced the plain one
    page.goto(f"{live_server.url}/api/docs")
    page.locator("#swagger-ui .information-container").wait_for()  # the API docs' scripts ran

    page.goto(f"{live_server.url}/accounts/login/?next=/manage/")
    page.get_by_label("Username").fill("staf.unpatti")
    page.get_by_label("Password").fill(passwords["staf.unpatti"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/manage/")
    for path in STAFF[:-2]:
        _visit(page, live_server.url + path, violations)

    admin = browser.new_context(locale="en-GB")
    admin.add_init_script(LISTEN)
    page = admin.new_page()
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "koordinator")
    page.fill("#id_password", passwords["koordinator"])
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/**")
    for path in STAFF[-2:]:
        _visit(page, live_server.url + path, violations)
    assert violations == [] and messages == [], (violations, messages)
    context.close()
    admin.close()
