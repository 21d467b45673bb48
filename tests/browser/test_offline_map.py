"""The map on a hub with no reachable map tiles: the base map that ships with the package, the
libraries on it, and no Leaflet downloaded for nothing."""

from __future__ import annotations

import socket

import pytest


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.mark.django_db(transaction=True)
def test_a_library_map_offline_draws_the_coast_and_fetches_no_leaflet(live_server, browser, demo_network, settings):
    closed = f"http://127.0.0.1:{_closed_port()}"
    settings.MAP_TILES_URL = f"{closed}/{{z}}/{{x}}/{{y}}.png"
    browser.allow(closed)  # the one tile the page tries, out of reach on purpose
    page = browser.new_page(viewport={"width": 375, "height": 800})
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(f"{live_server.url}/libraries/")
    page.wait_for_load_state("networkidle")
    assert page.locator("figure.map circle").count() >= 20  # the demo's libraries, on the plain map
    drawn = page.evaluate("""() => { const i = document.querySelector('figure.map image');
        const r = i.getBoundingClientRect(); return [r.width, r.height]; }""")
    assert drawn[0] > 300 and drawn[1] > 100, drawn  # the base map fills the figure, also at 375 px
    assert any(u.endswith("/static/jaringan/basemap.svg") for u in fetched), fetched
    assert not [u for u in fetched if "leaflet" in u], fetched  # tiles unreachable: no 170 KB for nothing
    assert page.locator(".leaflet-container").count() == 0
    assert "tiles" not in page.locator("main").inner_text().casefold()  # no caption about tiles
    page.close()
