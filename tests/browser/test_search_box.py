"""The search box a member pastes into its own website: a page on another origin, in Chromium with
JavaScript off, sends a search that opens here, limited to that member's holdings."""

from __future__ import annotations

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jaringan.catalog.models import SourceRecord
from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.ingest import ingest
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from tests.catalog.items import loc_items

pytestmark = pytest.mark.browser


def _take_in(code: str, items) -> None:
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code), name="t.mrc")
    ingest(batch=batch, items=items)


def _shared_word() -> str:
    """A title word of both libraries' records (so that the limit is what keeps the other's out)."""
    from jaringan.core.catalog.text import analyse

    def words(code):
        titles = SourceRecord.objects.filter(library__code=code).values_list("data__title", flat=True)
        return {w for t in titles for w in analyse(t or "") if len(w) > 4 and w.isalpha()}

    common = sorted(words("UNPATTI") & words("USU"))
    assert common, "the two halves of the file share no title word"
    return common[0]


@pytest.fixture
def outside_site(tmp_path):
    """Another website (another origin) on 127.0.0.1, serving the files of a folder."""
    folder = tmp_path / "site"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=folder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_pasted_search_box_opens_the_members_holdings_with_script_off(live_server, browser, demo_network, settings,
                                                                          tmp_path, outside_site):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    items = loc_items(60)
    _take_in("UNPATTI", items[:30])
    _take_in("USU", items[30:])
    from jaringan.discovery import services as discovery

    discovery.reindex()
    word = _shared_word()
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/analysis/libraries/UNPATTI/search-box/?scope=library&lang=en")
    snippet = page.locator("#snippet").input_value()
    assert "<script" not in snippet and "<style" not in snippet and " style=" not in snippet
    assert f'action="{live_server.url}/search/"' in snippet and 'name="library" value="UNPATTI"' in snippet
    assert page.locator("#preview form.jaringan-search").count() == 1  # the preview is the snippet itself

    folder, origin = outside_site
    (folder / "index.html").write_text(f'<!doctype html><html><head><link rel="icon" href="data:,"></head><body>'
                                       f"<h1>Perpustakaan</h1>{snippet}</body></html>",
                                       encoding="utf-8")
    page.goto(f"{origin}/index.html")
    page.fill("input[name=q]", word)
    with context.expect_page() as opened:
        page.click("button[type=submit]")
    results = opened.value
    results.wait_for_load_state()
    assert results.url.startswith(f"{live_server.url}/search/?") and "library=UNPATTI" in results.url
    hrefs = [results.locator("ol.results a.title").nth(i).get_attribute("href")
             for i in range(results.locator("ol.results a.title").count())]
    links = {int(m.group(1)) for h in hrefs if (m := re.search(r"/catalogue/(\d+)/", h or ""))}
    theirs = set(SourceRecord.objects.filter(library__code="USU").values_list("edition_id", flat=True))
    ours = set(SourceRecord.objects.filter(library__code="UNPATTI").values_list("edition_id", flat=True))
    assert links and links <= ours and not links & (theirs - ours)
    from django.test import Client

    everywhere = Client().get("/search/", {"q": word}).content.decode()  # unlimited, the word finds theirs too
    assert {int(n) for n in re.findall(r'href="/catalogue/(\d+)/"', everywhere)} & (theirs - ours)
    context.close()
