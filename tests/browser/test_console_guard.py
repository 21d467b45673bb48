"""The browser suite's guard: a console error or an uncaught exception in any page a test opens is caught."""

import pytest

pytestmark = pytest.mark.browser


def test_a_console_error_and_an_uncaught_exception_are_caught(browser):
    page = browser.new_context().new_page()
    page.set_content("<p>x</p><script>console.error('broken on purpose'); null.f();</script>")
    page.wait_for_timeout(200)
    caught = list(browser.errors)
    browser.errors.clear()  # caught here on purpose: the fixture would fail the test with them
    assert any("broken on purpose" in e for e in caught) and any(e.startswith("uncaught:") for e in caught), caught
