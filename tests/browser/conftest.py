"""Headless Debian Chromium driven by Playwright (never a downloaded browser).

Every browser test fails on a console error or an uncaught exception in any page it opens: the
``browser`` fixture listens on every context the test makes and fails the test at its end, naming them.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("JARINGAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


class Watched:
    """The browser, with every page's console errors and uncaught exceptions collected in ``errors``."""

    def __init__(self, browser):
        self._browser = browser
        self.errors: list[str] = []
        self.allowed: list[str] = []

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.on("console", self._console)
        context.on("weberror", lambda e: self.errors.append(f"uncaught: {e.error}"))
        context.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400
                   and not self._allowed(r.url) else None)
        return context

    def allow(self, text: str) -> None:
        """A failure the test brings about on purpose (a resource out of reach): errors naming ``text`` pass."""
        self.allowed.append(text)

    def _allowed(self, error: str) -> bool:
        return any(text in error for text in self.allowed)

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def _console(self, message) -> None:
        where = message.page.url if message.page else ""
        source = (message.location or {}).get("url", "")  # the resource a "Failed to load resource" is about
        if message.type == "error" and not self._allowed(f"{message.text} {source}"):
            self.errors.append(f"{where}: {message.text} ({source})")

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def browser(monkeypatch):
    if not shutil.which(CHROMIUM):
        if os.environ.get("JARINGAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required but missing at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are plain synchronous ones between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        watched = Watched(b)
        try:
            yield watched
            assert not watched.errors, "console errors in the browser:\n" + "\n".join(watched.errors)
        finally:
            b.close()
            # A connection the test opened while Playwright's sync API ran (Playwright runs on
            # greenlets, and Django keeps connections per context) is not the one the test
            # database's teardown closes: on PostgreSQL it kept the database from being dropped.
            # Live-server tests run outside a transaction, so closing it here loses nothing.
            from django.db import connections

            connections.close_all()

