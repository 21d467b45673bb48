"""The screens a reader and a cataloguer read, on a phone (375 px), in both languages: what each search result
says the reader can get with its request button, a record's holdings in that order, why its records are one
edition side by side, and the request form (a loan's or a copy's fields as chosen). Nothing scrolls sideways; the parts that matter are in view."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.test_phone_journeys import LISTEN, OVERFLOW, PHONE

pytestmark = pytest.mark.browser

LOCALES = {"id": "id-ID", "en": "en-GB"}


@pytest.fixture
def shelves(demo_network):
    """Twelve real books held by Pattimura, Hasanuddin and Udayana (merged), and the index."""
    from jaringan.catalog.models import Edition
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest
    from jaringan.discovery import services as discovery
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM
    from tests.catalog.items import loc_items, retyped

    books = loc_items(12)
    for code in ("UNHAS", "UNUD", "UNPATTI"):
        batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code), name=f"{code}.mrc", format="marc21")
        ingest(batch=batch, items=[retyped(i, source_id=f"{code}-{n}") for n, i in enumerate(books)])
    discovery.reindex()
    edition = Edition.objects.filter(records__source_id="UNPATTI-0").get()
    return {"edition": edition.pk, "word": edition.title.split()[0]}


def _fits(page, where: str, problems: list) -> None:
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        problems.append(f"{where}: scrolls sideways ({overflow['scrollWidth']}px); widest: {overflow['widest']}")
    violations = page.evaluate("window.__violations")
    problems.extend(f"{where}: CSP violation {v}" for v in violations)


@pytest.mark.django_db(transaction=True)
def test_the_reader_screens_fit_a_phone_in_both_languages(live_server, browser, shelves, passwords, tmp_path):
    shots = Path(os.environ.get("JARINGAN_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for lang, locale in LOCALES.items():
        context = browser.new_context(locale=locale, viewport=PHONE)
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("main #id_username", "pembaca")
        page.fill("main #id_password", passwords["pembaca"])
        with page.expect_navigation():
            page.press("main #id_password", "Enter")

        page.goto(f"{live_server.url}/search/?q={shelves['word']}")
        _fits(page, f"{lang} search", problems)
        result = page.locator("ol.results li").filter(has=page.locator(".reach")).first
        assert result.locator(".badge").is_visible()
        page.screenshot(path=shots / f"reader-{lang}-search.png", full_page=True)

        page.goto(f"{live_server.url}/catalogue/{shelves['edition']}/")
        _fits(page, f"{lang} record", problems)
        rows = page.locator("#holdings tbody tr")
        assert rows.count() == 3
        assert "UNPATTI" in rows.nth(0).inner_text() and rows.nth(0).locator(".route-home").is_visible()
        assert rows.nth(1).locator(".route-loan").is_visible()
        page.screenshot(path=shots / f"reader-{lang}-record.png", full_page=True)

        page.locator("#why-link").click()
        page.wait_for_url(f"**/catalogue/{shelves['edition']}/why/")
        _fits(page, f"{lang} why", problems)
        first = page.locator("section.why-record details.why-compare").first
        assert first.locator("tr.agree").first.is_visible()  # opened, agreeing fields marked
        page.screenshot(path=shots / f"reader-{lang}-why.png", full_page=True)

        page.goto(f"{live_server.url}/ill/new/?edition={shelves['edition']}")
        _fits(page, f"{lang} request form", problems)
        assert page.locator("#first-lender").is_visible()
        pages_field = page.locator('p[data-for="pages_requested"]')
        page.check('input[name="service"][value="loan"]')
        assert not pages_field.is_visible() and page.locator('p[data-for="any_edition"]').is_visible()
        page.check('input[name="service"][value="copy"]')
        assert pages_field.is_visible() and not page.locator('p[data-for="any_edition"]').is_visible()
        assert page.locator('input[name="max_cost"]').count() == 0
        page.screenshot(path=shots / f"reader-{lang}-request.png", full_page=True)
        context.close()
    assert not problems, "\n".join(problems)
