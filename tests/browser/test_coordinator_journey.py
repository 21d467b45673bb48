"""A coordinator, in Indonesian, admits a library to a network and sees it on the network page."""

import pytest

from jaringan.network.models import Membership

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_coordinator_admits_a_library_in_indonesian(live_server, browser, demo_network, passwords):
    membership = Membership.objects.get(network__code="JPJB", library__code="IPB")
    assert membership.state == "applied"

    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/networks/JPJB/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("#members").get_by_text("IPB University").count() == 0

    page.get_by_role("link", name="Masuk").click()
    page.get_by_label("Nama pengguna").fill("koordinator")
    page.get_by_label("Sandi").fill(passwords["koordinator"])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/networks/JPJB/")  # back where the coordinator was
    page.get_by_role("link", name="Pekerjaan saya").click()
    page.wait_for_url(f"{live_server.url}/manage/")

    card = page.locator(f"#application-{membership.pk}")
    card.get_by_text("Memiliki koleksi").wait_for()  # the four requirements, explained in Indonesian
    card.get_by_label("Catatan").fill("Memenuhi keempat syarat")
    card.get_by_role("button", name="Terima").click()
    page.wait_for_url(f"{live_server.url}/manage/")
    assert page.locator(f"#application-{membership.pk}").count() == 0

    page.goto(f"{live_server.url}/networks/JPJB/")
    row = page.locator("#members tr", has_text="IPB University")
    row.wait_for()
    assert "Diterima" in row.inner_text()
    membership.refresh_from_db()
    assert membership.state == "admitted"
    assert membership.events.last().actor.username == "koordinator"
    context.close()
