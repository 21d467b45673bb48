"""On a phone (375 px), with JavaScript: a file sent on the records page leads at once to its batch's page,
which follows the batch (a small script asking its JSON) and shows the report when it ends, in both
languages, without sideways scrolling, console errors or Content-Security-Policy violations."""

from __future__ import annotations

import pytest

from tests.paths import LOC_INDONESIA

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale,report", [("id-ID", "Laporan"), ("en-GB", "Report")])
def test_an_upload_on_a_phone_follows_its_batch_to_the_report(live_server, browser, demo_network, passwords,
                                                             settings, tmp_path, locale, report):
    from jaringan.catalog import pipeline
    from jaringan.catalog.models import ImportBatch

    settings.HOME = tmp_path
    data = LOC_INDONESIA.read_bytes()
    end = 0
    for _ in range(300):
        end = data.index(b"\x1d", end) + 1
    (tmp_path / "koleksi.mrc").write_bytes(data[:end])

    context = browser.new_context(locale=locale, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(60000)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("staf.unpatti")
    page.locator("#id_password").fill(passwords["staf.unpatti"])
    page.locator("form [type=submit]").last.click()
    page.goto(f"{live_server.url}/manage/libraries/UNPATTI/records/")
    page.locator("input[type=file]").first.set_input_files(str(tmp_path / "koleksi.mrc"))
    page.locator("input[type=file]").first.locator("xpath=ancestor::form").locator("[type=submit]").click()
    page.wait_for_url("**/manage/batches/*/")
    page.locator("#batch-report").wait_for()  # at once, or when the script saw the end and reloaded the page
    assert report in page.locator("h2").all_inner_texts()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not problems, problems
    batch = ImportBatch.objects.get(library__code="UNPATTI")
    assert (batch.status, batch.read) == ("done", 300)
    assert pipeline.BACKGROUND.idle()
    context.close()
