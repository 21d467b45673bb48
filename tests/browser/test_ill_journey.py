"""An interlibrary loan, in Indonesian, through the pages only.

A reader at Pattimura University (Ambon) asks for a book from its record page;
the Pattimura staff approve it; the lender's staff say they will supply it and
ship it; Pattimura receives it, the reader sees it has arrived, and the loan
goes back and is checked in. Every step is a button of the request's page.
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from jaringan.ill.models import IllRequest

pytestmark = pytest.mark.browser

LENDER_STAFF = {"UNHAS": "staf.unhas", "UNUD": "staf.unud"}


def id_(msgid: str) -> str:
    """The Indonesian the page shows for ``msgid``."""
    with translation.override("id"):
        return gettext(msgid)


@pytest.fixture
def book(demo_network):
    """A real book held by the two eastern libraries Pattimura may ask (UNHAS, UNUD), not by Pattimura."""
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest
    from jaringan.catalog.models import Edition
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM
    from tests.catalog.items import loc_items, retyped

    item = loc_items(1)[0]
    for code in LENDER_STAFF:
        batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code), name="t.mrc",
                            format="marc21")
        ingest(batch=batch, items=[retyped(item, source_id=f"{code}-1")])
    return Edition.objects.get(records__source_id="UNHAS-1")


def sign_in(browser, base, username, password):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/manage/")
    return context, page


def press(page, action: str, label: str | None = None):
    """Press the action's button on the request's page (and check it reads as it should in Indonesian)."""
    button = page.locator(f'#actions button[name="action"][value="{action}"]')
    if label is not None:
        assert button.inner_text().strip().lower() == id_(label).lower()
    button.click()
    page.wait_for_load_state()
    assert page.locator("ul.messages li.error").count() == 0, page.locator("ul.messages").inner_text()


@pytest.mark.django_db(transaction=True)
def test_a_loan_between_two_libraries_in_indonesian(live_server, browser, book, passwords):
    base = live_server.url

    # The reader asks from the record page.
    reader_ctx, reader = sign_in(browser, base, "pembaca", passwords["pembaca"])
    reader.goto(f"{base}/catalogue/{book.pk}/")
    assert reader.locator("html").get_attribute("lang") == "id"
    link = reader.locator("#ill-request")
    assert link.inner_text().strip() == id_("Request through interlibrary loan")
    link.click()
    reader.wait_for_url(f"{base}/ill/new/?edition={book.pk}")
    reader.locator('textarea[name="note"]').fill("Untuk tugas akhir saya.")
    reader.get_by_role("button", name=id_("Send the request")).click()
    req = IllRequest.objects.get(reader__username="pembaca")
    reader.wait_for_url(f"{base}/my/requests/{req.pk}/")
    assert id_("Waiting for the library's approval") in reader.locator("#state").inner_text()

    # The reader's library approves it: it goes to the first lender of the rota.
    desk_ctx, desk = sign_in(browser, base, "staf.unpatti", passwords["staf.unpatti"])
    desk.goto(f"{base}/manage/ill/?state=AwaitingApproval")
    desk.locator(f"#request-{req.pk} a").first.click()
    desk.wait_for_url(f"{base}/manage/ill/requests/{req.pk}/")
    press(desk, "approve", "approve")
    req.refresh_from_db()
    assert req.state == "RequestReceived" and req.supplier.code in LENDER_STAFF
    assert id_("Received by the lender") in desk.locator("#state").inner_text()
    assert desk.locator(f"#rota-{req.supplier.code}").count() == 1  # the rota, with its reasons
    assert desk.locator("#rota ul.reasons li").count() >= 7

    # The lender's staff find it in their lending queue, will supply it, and ship it.
    lender_ctx, lender = sign_in(browser, base, LENDER_STAFF[req.supplier.code],  # the demo's logins
                                 passwords[LENDER_STAFF[req.supplier.code]])
    lender.goto(f"{base}/manage/ill/lending/")
    lender.locator(f"#request-{req.pk} a").first.click()
    lender.wait_for_url(f"{base}/manage/ill/requests/{req.pk}/")
    old = lender_ctx.new_page()  # a second tab, left open on the request as it is now
    old.goto(f"{base}/manage/ill/requests/{req.pk}/")
    press(lender, "WillSupply", "will supply")
    assert id_("The lender will supply") in lender.locator("#state").inner_text()
    assert lender.locator("#actions form").count() == 1  # one action area, one note box
    due = lender.locator('#act-Loaned input[name="Loaned-due_date"]').input_value()
    assert due  # the loan period proposed
    lender.locator('#act-Loaned input[name="Loaned-sent_via"]').fill("Pos Indonesia kilat")
    lender.locator("#actions textarea[name=note]").fill("Dikirim hari ini.")
    press(lender, "Loaned")
    req.refresh_from_db()
    assert req.state == "Loaned" and req.due_date.isoformat() == due
    assert req.events.get(action="Loaned").note == "Dikirim hari ini."

    # The tab left open still offers "expect to supply": pressing it now is refused, nothing changes.
    old.locator('#actions button[name="action"][value="ExpectToSupply"]').click()
    old.wait_for_load_state()
    error = old.locator("ul.messages li.error").inner_text()
    assert id_("The request changed while you were looking at it; reload it and try again.") in error
    assert old.locator('#actions button[value="ExpectToSupply"]').count() == 0  # the page as it is now
    req.refresh_from_db()
    assert req.state == "Loaned"

    # The reader's library receives it; the reader sees it has arrived, with its due date.
    desk.reload()
    press(desk, "Received", "received")
    reader.goto(f"{base}/my/requests/")
    row = reader.locator(f"#request-{req.pk}")
    assert id_("Loaned") in row.inner_text()
    reader.locator(f"#request-{req.pk} a").first.click()
    assert reader.locator("#due-date").count() == 1
    assert reader.locator("#rota").count() == 0  # the rota is for staff

    # Back to the lender, checked in: the loan is over.
    desk.reload()
    press(desk, "ShippedReturn", "shipped back")
    lender.reload()
    assert id_("Returned by the borrower (in transit back)") in lender.locator("#state").inner_text()
    with translation.override("id"):
        closing = pgettext("lender button", "The item has arrived: close the loan")
    assert lender.locator('#actions button[value="LoanCompleted"]').inner_text().strip() == closing
    press(lender, "LoanCompleted")
    req.refresh_from_db()
    assert req.state == "LoanCompleted" and req.final
    reader.reload()
    assert id_("Returned") in reader.locator("#state").inner_text()
    history = [e.action for e in req.events.order_by("at", "id")]
    assert history == ["create", "approve", "route", "send", "WillSupply", "Loaned", "Received", "ShippedReturn",
                       "LoanCompleted"]
    assert req.events.get(action="WillSupply").actor.username == LENDER_STAFF[req.supplier.code]
    for context in (reader_ctx, desk_ctx, lender_ctx):
        context.close()
