"""The interlibrary loan pages: queues, a request and its buttons, asking, the reader's own, print, figures."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from jaringan.ill import selectors, services
from jaringan.ill.web import printing, reasons, screens
from jaringan.ill.web.action_forms import DANGER
from jaringan.ill.models import IllRequest

pytestmark = pytest.mark.django_db

LANGS = ["id", "en"]


def tr(msgid: str, lang: str) -> str:
    with translation.override(lang):
        return gettext(msgid)


def state_in(state: str, lang: str) -> str:
    """The label of an ISO 18626 state in ``lang``."""
    with translation.override(lang):
        return screens.state_label(state)


def get(client, url, lang="id", **kw):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang, **kw)


def text(response) -> str:
    return unescape(response.content.decode())


def login(client, user, username):
    client.force_login(user(username))
    return client


def buttons(html: str, section: str = "") -> list[str]:
    """The action buttons' values, in order (of one section of the page, when named)."""
    if section:
        html = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<button class="btn[^"]*" type="submit" name="action" value="([^"]+)"', html)


def on_the_page(actions: list[str]) -> list[str]:
    """The order of a request's buttons: the table's, with those that end or refuse something last."""
    return [a for a in actions if a not in DANGER] + [a for a in actions if a in DANGER]


def area(html: str) -> str:
    """A request's action area: its one form."""
    section = html.split('id="actions"', 1)[1].split("</section>", 1)[0]
    assert section.count("<form") == 1 and section.count('name="note"') == 1, section
    return section.split("</form>", 1)[0]


def block(html: str, action: str) -> str:
    """The part of the action area that holds ``action``'s fields, button and help."""
    return area(html).split(f'id="act-{action}"', 1)[1].split("</div>", 1)[0]


@pytest.fixture
def asked(held, staff, principal):
    """A reader's request waiting for approval, and a staff request sent to the first lender of its rota."""
    reader, desk = principal("pembaca"), staff("staf.unpatti")
    waiting = services.illrequest_create(actor=reader, edition=held[0], service="loan")
    sent = services.illrequest_create(actor=desk, edition=held[1], service="loan", reader_name="Pembaca tamu")
    return waiting, sent


def lender_of(req) -> str:
    req.refresh_from_db()
    return f"staf.{req.supplier.code.lower()}"


# --- queues ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_borrowing_queue_counts_states_and_filters(client, user, asked, lang):
    waiting, sent = asked
    login(client, user, "staf.unpatti")
    r = get(client, "/manage/ill/", lang)
    assert r.status_code == 200
    html = text(r)
    assert f'<html lang="{lang}">' in html
    assert tr("What your library asks other libraries for, for its readers.", lang) in html
    for req in (waiting, sent):
        req.refresh_from_db()
        assert f'id="request-{req.pk}"' in html
        assert state_in(req.state, lang) in html and req.state in html  # label and ISO name
    states = html.split('id="states"', 1)[1].split("</nav>", 1)[0]
    assert "AwaitingApproval" in states and "RequestReceived" in states
    # The buttons of each row are exactly the actions open to this person.
    row = html.split(f'id="request-{waiting.pk}"', 1)[1].split("</tr>", 1)[0]
    from jaringan.network.permissions import principal_for

    expected = selectors.available_actions(principal_for(user("staf.unpatti")), waiting)
    assert buttons(row) == expected == ["approve", "reject", "Cancel"]

    filtered = text(get(client, "/manage/ill/?state=AwaitingApproval", lang))
    assert f'id="request-{waiting.pk}"' in filtered and f'id="request-{sent.pk}"' not in filtered


@pytest.mark.parametrize("lang", LANGS)
def test_the_lending_queue_and_its_print_links(client, user, asked, lang):
    _waiting, sent = asked
    login(client, user, lender_of(sent))
    html = text(get(client, f"/manage/ill/lending/?library={sent.supplier.code}", lang))
    assert f'id="request-{sent.pk}"' in html and "Universitas Pattimura" in html
    row = html.split(f'id="request-{sent.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "ExpectToSupply" in buttons(row) and "WillSupply" in buttons(row) and "Loaned" in buttons(row)
    assert f"/manage/ill/print/label/?library={sent.supplier.code}&ids={sent.pk}" in html


def test_queues_are_for_a_libraries_own_staff(client, user, asked):
    login(client, user, "staf.itb")
    assert get(client, "/manage/ill/?library=UNPATTI").status_code == 403
    assert get(client, "/manage/ill/lending/?library=UNPATTI").status_code == 403
    assert get(client, "/manage/ill/ledger/?library=UNPATTI").status_code == 403
    html = text(get(client, "/manage/ill/"))
    assert all(f'id="request-{r.pk}"' not in html for r in asked)
    client.logout()
    assert get(client, "/manage/ill/").status_code == 302  # to the login page
    login(client, user, "pembaca")
    assert get(client, "/manage/ill/")["Location"] == "/my/requests/"


# --- one request -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_request_page_shows_the_rota_with_reasons_and_the_history(client, user, asked, lang):
    _waiting, sent = asked
    login(client, user, "staf.unpatti")
    r = get(client, f"/manage/ill/requests/{sent.pk}/", lang)
    assert r.status_code == 200
    html = text(r)
    first = sent.rota.order_by("position").first()
    with translation.override(lang):
        holdings = reasons.reason_sentence(next(x for x in first.reasons if x["code"] == "holdings"))
        distance = reasons.reason_sentence(next(x for x in first.reasons if x["code"] == "distance"))
        left_out = reasons.excluded_rows(sent.routing["excluded"])
    assert holdings in html and distance in html and "km" in distance
    assert f'id="rota-{first.library.code}"' in html
    itb = next(x for x in left_out if x["code"] == "ITB")
    assert itb["sentence"] in html and tr("No agreement covers a request from this library to it.", lang) in html
    history = html.split('id="history"', 1)[1]
    assert "Yohana Maitimu" in history  # the staff member who asked, by name
    assert tr("send to the lender", lang) in history and "RequestReceived" in history
    # The requester may only cancel or ask for the status now.
    from jaringan.network.permissions import principal_for

    assert buttons(html, "actions") == on_the_page(selectors.available_actions(principal_for(user("staf.unpatti")),
                                                                               sent))
    assert 'name="expected_version" value="%d"' % sent.version in area(html)


def test_an_action_changes_the_state_and_a_stale_version_is_refused(client, user, asked):
    _waiting, sent = asked
    sent.refresh_from_db()
    old = sent.version
    login(client, user, lender_of(sent))
    r = client.post(f"/manage/ill/requests/{sent.pk}/act/", {"action": "WillSupply", "expected_version": old},
                    HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302 and r["Location"] == f"/manage/ill/requests/{sent.pk}/"
    sent.refresh_from_db()
    assert sent.state == "WillSupply" and sent.version > old
    assert sent.events.last().actor.username == lender_of(sent)

    # A second person still looking at the old page presses "Loaned": refused, nothing changes.
    r = client.post(f"/manage/ill/requests/{sent.pk}/act/", {"action": "Loaned", "expected_version": old},
                    HTTP_ACCEPT_LANGUAGE="en", follow=True)
    html = text(r)
    assert "The request changed while you were looking at it; reload it and try again." in html
    assert f"It is now: {state_in('WillSupply', 'en')}." in html
    sent.refresh_from_db()
    assert sent.state == "WillSupply"
    # In Indonesian too.
    r = client.post(f"/manage/ill/requests/{sent.pk}/act/", {"action": "Loaned", "expected_version": old},
                    HTTP_ACCEPT_LANGUAGE="id", follow=True)
    assert tr("The request changed while you were looking at it; reload it and try again.", "id") in text(r)
    # An action the table does not allow now is refused with its reason.
    r = client.post(f"/manage/ill/requests/{sent.pk}/act/", {"action": "LoanCompleted",
                                                              "expected_version": sent.version},
                    HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "not possible now" in text(r)
    sent.refresh_from_db()
    assert sent.state == "WillSupply"


@pytest.mark.parametrize("lang", LANGS)
def test_an_action_pressed_twice_or_without_its_version_is_refused(client, user, asked, lang):
    from jaringan.ill.models import LedgerEntry

    _waiting, sent = asked
    login(client, user, lender_of(sent))
    act = f"/manage/ill/requests/{sent.pk}/act/"
    r = client.post(act, {"action": "Loaned"}, HTTP_ACCEPT_LANGUAGE=lang, follow=True)  # a form without it
    assert tr("The form did not say which version of the request it showed; reload the request and try again.",
              lang) in text(r)
    sent.refresh_from_db()
    assert sent.state == "RequestReceived" and not sent.events.filter(action="Loaned").exists()

    client.post(act, {"action": "Loaned", "expected_version": sent.version})
    sent.refresh_from_db()
    charged = LedgerEntry.objects.filter(request=sent).count()
    # Loaned again, from a page reloaded since: the version is current, but nothing is shipped twice.
    r = client.post(act, {"action": "Loaned", "expected_version": sent.version}, HTTP_ACCEPT_LANGUAGE=lang,
                    follow=True)
    with translation.override(lang):
        expected = gettext("The request is already %(state)s; nothing was done again.") % {
            "state": screens.state_label("Loaned")}
    assert expected in text(r)
    assert sent.events.filter(action="Loaned").count() == 1 and LedgerEntry.objects.filter(request=sent).count() == charged


def test_staff_of_another_library_and_readers_do_not_see_a_request(client, user, asked, principal):
    waiting, sent = asked
    login(client, user, "staf.itb")
    assert get(client, f"/manage/ill/requests/{sent.pk}/").status_code == 404
    r = client.post(f"/manage/ill/requests/{sent.pk}/act/", {"action": "Cancel", "expected_version": sent.version})
    assert r.status_code == 404
    login(client, user, "pembaca")
    assert get(client, f"/manage/ill/requests/{waiting.pk}/").status_code == 404  # readers use /my/
    assert get(client, f"/my/requests/{sent.pk}/").status_code == 404  # not theirs
    assert get(client, f"/my/requests/{waiting.pk}/").status_code == 200
    # The lender sees the request but may not take the requester's actions: 403.
    login(client, user, lender_of(sent))
    r = client.post(f"/manage/ill/requests/{sent.pk}/act/", {"action": "Received", "expected_version": sent.version})
    assert r.status_code == 403


def test_approving_routes_and_sends(client, user, asked):
    waiting, _sent = asked
    login(client, user, "staf.unpatti")
    r = client.post(f"/manage/ill/requests/{waiting.pk}/act/",
                    {"action": "approve", "expected_version": waiting.version, "note": "OK"})
    assert r.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == "RequestReceived" and waiting.supplier is not None and waiting.rota.count() == 2


def test_conditions_offered_then_accepted_on_the_pages(client, user, held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X", max_cost=100000)
    lender = lender_of(req)
    login(client, user, lender)
    html = text(get(client, f"/manage/ill/requests/{req.pk}/", "en"))
    form = block(html, "RetryPossible")
    assert 'name="RetryPossible-offered_cost"' in form and 'name="RetryPossible-retry_after"' in form
    client.post(f"/manage/ill/requests/{req.pk}/act/", {
        "action": "RetryPossible", "expected_version": req.version, "RetryPossible-offered_cost": "125000",
        "RetryPossible-retry_after": (timezone.localdate() + timedelta(days=3)).isoformat(), "note": "kilat"})
    req.refresh_from_db()
    assert req.state == "RetryPossible" and req.offered_cost == 125000

    login(client, user, "staf.unpatti")
    for lang in LANGS:
        html = text(get(client, f"/manage/ill/requests/{req.pk}/", lang))
        offer = html.split('id="offer"', 1)[1].split("</section>", 1)[0]
        with translation.override(lang):
            assert screens.rupiah(125000) in offer and screens.rupiah(100000) in offer and "kilat" in offer
        assert buttons(html, "actions") == ["StatusRequest", "Notification", "accept_conditions", "Cancel",
                                            "decline_conditions"]
    client.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "accept_conditions",
                                                        "expected_version": req.version})
    req.refresh_from_db()
    assert req.state == "RequestReceived" and req.max_cost == 125000


def no_free_loans():
    """The eastern network's agreements without their free loans, so that a supply leaves ledger lines."""
    from jaringan.network.models import Agreement

    Agreement.objects.filter(network__code="JPIT").update(free_loans_per_year=0)


def test_due_date_renewal_and_recall_on_the_pages(client, user, held, staff):
    no_free_loans()
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    lender = lender_of(req)
    due = timezone.localdate() + timedelta(days=20)
    login(client, user, lender)
    client.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "Loaned", "expected_version": req.version,
                                                        "Loaned-due_date": due.isoformat(), "Loaned-sent_via": "Pos"})
    req.refresh_from_db()
    assert req.state == "Loaned" and req.due_date == due
    login(client, user, "staf.unpatti")
    assert "Received" in buttons(text(get(client, f"/manage/ill/requests/{req.pk}/")), "actions")
    client.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "Received", "expected_version": req.version})
    req.refresh_from_db()
    client.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "Renew", "expected_version": req.version})
    req.refresh_from_db()
    assert req.renewal_pending
    login(client, user, lender)
    html = text(get(client, f"/manage/ill/requests/{req.pk}/", "en"))
    assert "grant_renewal" in buttons(html, "actions") and "renewal asked" in html
    later = due + timedelta(days=14)
    client.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "grant_renewal", "expected_version": req.version,
                                                        "grant_renewal-due_date": later.isoformat(),
                                                        "Recalled-due_date": due.isoformat()})
    req.refresh_from_db()
    assert req.due_date == later and req.renewals == 1 and not req.renewal_pending
    client.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "Recalled", "expected_version": req.version,
                                                        "confirm_recall": "1"})
    req.refresh_from_db()
    assert req.state == "Recalled"
    # The ledger lines of the supply are on the request's page and in both libraries' ledgers.
    line = req.ledger.get(kind="loan_fee")
    assert line.debtor.code == "UNPATTI" and line.amount > 0
    login(client, user, "staf.unpatti")
    for lang in LANGS:
        with translation.override(lang):
            amount = screens.rupiah(line.amount)
        assert amount in text(get(client, f"/manage/ill/requests/{req.pk}/", lang)).split('id="ledger"', 1)[1]
        html = text(get(client, "/manage/ill/ledger/", lang))
        with translation.override(lang):
            fee = screens.ledger_line_label("loan_fee")
        rows = [r for r in html.split('id="ledger-lines"', 1)[1].split("<tr>") if f"<td>{fee}</td>" in r]
        assert len(rows) == 1 and f"/manage/ill/requests/{req.pk}/" in rows[0]
        assert amount in rows[0].split('class="minus"', 1)[1]  # what Pattimura owes
    login(client, user, lender)
    html = text(get(client, f"/manage/ill/ledger/?library={req.supplier.code}", "en"))
    row = next(r for r in html.split('id="ledger-lines"', 1)[1].split("<tr>") if "<td>loan fee</td>" in r)
    assert amount in row.split('class="plus"', 1)[1]  # what the lender is owed


def test_a_copy_is_uploaded_and_downloaded(client, user, held, staff, settings, tmp_path):
    settings.JARINGAN_HOME = str(tmp_path)
    desk = staff("staf.itb")
    req = services.illrequest_create(actor=desk, edition=held[2], service="copy",
                                     citation={"pages_requested": "11-30"}, reader_name="Dosen tamu")
    login(client, user, "staf.ui")
    html = text(get(client, f"/manage/ill/requests/{req.pk}/", "id"))
    assert 'enctype="multipart/form-data"' in area(html)
    assert 'type="file" name="CopyCompleted-scan"' in block(html, "CopyCompleted")
    # In the queue the upload is not a bare button: it links to the request's form.
    queue = text(get(client, "/manage/ill/lending/?library=UI"))
    assert f'/manage/ill/requests/{req.pk}/#act-CopyCompleted' in queue
    scan = SimpleUploadedFile("bab-2.pdf", b"%PDF-1.4 halaman 11-30", content_type="application/pdf")
    r = client.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "CopyCompleted", "expected_version": req.version,
                                                            "CopyCompleted-pages": "20", "CopyCompleted-scan": scan})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.state == "CopyCompleted"
    delivery = req.deliveries.get()
    login(client, user, "staf.itb")
    html = text(get(client, f"/manage/ill/requests/{req.pk}/", "en"))
    link = f"/ill/deliveries/{delivery.token}/"
    assert link in html and "bab-2.pdf" in html
    assert b"".join(client.get(link).streaming_content) == b"%PDF-1.4 halaman 11-30"


# --- asking ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_reader_asks_from_the_record_page(client, user, held, lang):
    page = text(get(client, f"/catalogue/{held[0].pk}/", lang))
    assert f'/ill/new/?edition={held[0].pk}' in page and tr("Request through interlibrary loan", lang) in page
    login(client, user, "pembaca")
    form = text(get(client, f"/ill/new/?edition={held[0].pk}", lang))
    assert held[0].title[:20] in form and 'name="reader"' not in form  # no staff fields for a reader
    r = client.post("/ill/new/", {"edition": held[0].pk, "service": "loan", "any_edition": "on",
                                  "note": "skripsi"}, HTTP_ACCEPT_LANGUAGE=lang)
    req = IllRequest.objects.get(reader__username="pembaca")
    assert r.status_code == 302 and r["Location"] == f"/my/requests/{req.pk}/"
    assert req.state == "AwaitingApproval" and req.edition == held[0] and req.requester.code == "UNPATTI"


def test_staff_ask_for_a_reader_from_a_typed_citation(client, user, held):
    login(client, user, "staf.unpatti")
    form = text(get(client, "/ill/new/", "en"))
    assert 'name="reader"' in form and 'name="container"' in form and 'name="issn"' in form
    # A copy without its pages is refused with the reason, nothing made.
    r = client.post("/ill/new/", {"service": "copy", "title": "Ekologi terumbu karang", "requester": "UNPATTI",
                                  "container": "Jurnal Perikanan", "send": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and "how many pages" in text(r)
    assert not IllRequest.objects.exists()
    r = client.post("/ill/new/", {
        "service": "copy", "title": "Ekologi terumbu karang", "author": "Sahetapy, J.", "year": "2019",
        "container": "Jurnal Perikanan", "volume": "7", "pages_requested": "12-30", "issn": "0126-4265",
        "requester": "UNPATTI", "reader": "pembaca", "need_by": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "max_cost": "50000", "accepts_digital": "on", "send": "on"})
    req = IllRequest.objects.get()
    assert r["Location"] == f"/manage/ill/requests/{req.pk}/"
    assert req.reader.username == "pembaca" and req.page_count == 19 and req.container == "Jurnal Perikanan"
    assert req.state == "Validated" and not req.rota.exists()  # nobody holds a typed article: staff name a lender
    html = text(get(client, f"/manage/ill/requests/{req.pk}/", "en"))
    assert buttons(html, "actions") == ["send", "Cancel"] and 'name="send-lender_code"' in block(html, "send")
    r = client.post(f"/manage/ill/requests/{req.pk}/act/", {"action": "send", "expected_version": req.version,
                                                            "send-lender": "", "send-lender_code": "unhas",
                                                            "note": "dosen tamu"}, follow=True)
    req.refresh_from_db()
    assert req.state == "RequestReceived" and req.supplier.code == "UNHAS"
    assert req.events.get(action="send").note.endswith(": dosen tamu")  # the one note box goes with every button


def test_only_readers_and_staff_ask(client, user, held):
    login(client, user, "koordinator")
    assert get(client, "/ill/new/").status_code == 403
    client.logout()
    assert get(client, f"/ill/new/?edition={held[0].pk}").status_code == 302


# --- the reader's own -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_reader_sees_only_their_own_and_cancels(client, user, asked, lang):
    from jaringan.network import services as network

    waiting, sent = asked
    other = network.user_create(username="pembaca2", password="kata-sandi-panjang", role="reader",
                                library="UNPATTI", check_password=False)
    login(client, user, "pembaca")
    html = text(get(client, "/my/requests/", lang))
    assert f'id="request-{waiting.pk}"' in html and f'id="request-{sent.pk}"' not in html
    assert state_in("AwaitingApproval", lang) in html
    row = html.split(f'id="request-{waiting.pk}"', 1)[1].split("</tr>", 1)[0]
    assert buttons(row) == ["Cancel"]
    client.force_login(other)
    assert f'id="request-{waiting.pk}"' not in text(get(client, "/my/requests/", lang))
    assert get(client, f"/my/requests/{waiting.pk}/", lang).status_code == 404
    assert client.post(f"/my/requests/{waiting.pk}/act/", {"action": "Cancel"}).status_code == 404
    login(client, user, "pembaca")
    detail = text(get(client, f"/my/requests/{waiting.pk}/", lang))
    assert 'id="rota"' not in detail and 'id="history"' in detail
    unticked = client.post(f"/my/requests/{waiting.pk}/act/", {"action": "Cancel", "expected_version": waiting.version})
    assert unticked.status_code == 302  # back to the request, which says why nothing happened
    waiting.refresh_from_db()
    assert waiting.state != "Cancelled"  # the box the browser asks for is asked for by the server too
    r = client.post(f"/my/requests/{waiting.pk}/act/",
                    {"action": "Cancel", "expected_version": waiting.version, "confirm": "1"})
    assert r.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == "Cancelled"


# --- print ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_labels_and_pull_slips(client, user, asked, lang):
    _waiting, sent = asked
    sent.refresh_from_db()
    lender = sent.supplier
    login(client, user, lender_of(sent))
    r = get(client, f"/manage/ill/print/label/?library={lender.code}&ids={sent.pk}", lang)
    assert r.status_code == 200
    html = text(r)
    label = html.split(f'id="label-{sent.pk}"', 1)[1].split("</article>", 1)[0]
    sender, recipient = label.split('class="party to"', 1)
    assert lender.name in sender and "Universitas Pattimura" in recipient and lender.city in sender
    assert f"{sent.pk:08d}" in label and label.count("<rect") == 10 * 5  # *, 8 digits, *: five bars each
    assert "jaringan/ill-print.css" in html
    slip = text(get(client, f"/manage/ill/print/slip/?library={lender.code}&ids={sent.pk}", lang))
    assert sent.title[:20] in slip and tr("Shelf", lang) in slip
    # Another library's staff cannot print it; a state prints the batch.
    batch = text(get(client, f"/manage/ill/print/label/?library={lender.code}&state=RequestReceived", lang))
    assert f'id="label-{sent.pk}"' in batch
    login(client, user, "staf.itb")
    assert get(client, f"/manage/ill/print/label/?library={lender.code}&ids={sent.pk}").status_code == 403
    assert get(client, f"/manage/ill/print/label/?library=ITB&ids={sent.pk}").status_code == 404
    assert get(client, "/manage/ill/print/other/?library=ITB").status_code == 404


def test_the_print_css_puts_one_label_on_a_page():
    from django.contrib.staticfiles import finders

    css = open(finders.find("jaringan/ill-print.css"), encoding="utf-8").read()
    assert "@media print" in css and "break-after:page" in css and "page-break-after:always" in css


#: Code 39 as the standard draws it, in modules (1 bar, 0 space; a wide element two modules).
CODE39_MODULES = {
    "0": "101001101101", "1": "110100101011", "2": "101100101011", "3": "110110010101", "4": "101001101011",
    "5": "110100110101", "6": "101100110101", "7": "101001011011", "8": "110100101101", "9": "101100101101",
    "-": "100101011011", "*": "100101101101",
}


def test_the_barcode_is_code_39():
    for char, pattern in printing._CODE39.items():
        assert len(pattern) == 9 and pattern.count("w") == 3, char  # three of nine elements wide
        modules = "".join(("1" if i % 2 == 0 else "0") * (2 if e == "w" else 1) for i, e in enumerate(pattern))
        assert modules == CODE39_MODULES[char], char
    bars = printing.code39("12")
    assert len(bars["bars"]) == 4 * 5  # *, 1, 2, * with five bars each
    # Each character is 6 narrow + 3 wide elements, and a narrow gap between characters.
    assert bars["width"] == 4 * (6 + 3 * printing.WIDE) + 3


# --- the coordinator ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_coordinator_reads_the_networks_balance(client, user, held, staff, lang):
    no_free_loans()
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    lender = staff(lender_of(req))
    for action in ("WillSupply", "Loaned"):
        req = services.illrequest_act(actor=lender, request=req, action=action)
    login(client, user, "koordinator")
    r = get(client, "/manage/networks/JPIT/ill/", lang)
    assert r.status_code == 200
    html = text(r)
    row = html.split(f'id="member-{req.supplier.code}"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r"<td>1</td>", row)  # lent one
    assert "100%" in row  # asked once, filled once
    borrower = html.split('id="member-UNPATTI"', 1)[1].split("</tr>", 1)[0]
    assert "<td>0</td><td>1</td>" in borrower  # lent none, borrowed one
    period = timezone.localdate()
    assert f'value="{period.replace(day=1).isoformat()}"' in html
    lines = list(req.ledger.all())
    owes = sum(e.amount for e in lines if e.debtor_id == req.requester_id)
    net = owes - sum(e.amount for e in lines if e.creditor_id == req.requester_id)
    assert net > 0  # the loan fee at least
    with translation.override(lang):
        owes_text, net_text = screens.rupiah(owes), screens.rupiah(net)
    settlement = html.split('id="settlement"', 1)[1].split("</table>", 1)[0]
    payer = settlement.split("<tbody>", 1)[1].split("</td>", 1)[0]
    assert "Pattimura" in payer  # the borrower pays the lender, one transfer for the period
    assert req.supplier.name in settlement and net_text in settlement
    assert owes_text in borrower  # what it owes
    for query, error in [
        ("start=2025-02-01&end=2025-01-01", "The period ends before it starts."),
        ("start=2025-02-30&end=2025-03-01", "Give the first and the last day of the period (YYYY-MM-DD)."),
        ("month=2025-13", "%(value)s is not a month (YYYY-MM)."),
    ]:
        r = get(client, f"/manage/networks/JPIT/ill/?{query}", lang)
        assert r.status_code == 200 and tr(error, lang).replace("%(value)s", "2025-13") in text(r)
    r = get(client, "/manage/networks/JPIT/ill/?month=2025-02", lang)
    assert 'value="2025-02-01"' in text(r) and 'value="2025-02-28"' in text(r)


def test_only_the_networks_coordinators_read_its_figures(client, user, demo_network):
    login(client, user, "koordinator.fppti")
    assert get(client, "/manage/networks/JPIT/ill/").status_code == 403
    assert get(client, "/manage/networks/FPPTI/ill/").status_code == 200
    login(client, user, "staf.itb")
    assert get(client, "/manage/networks/JPJB/ill/").status_code == 403
    assert get(client, "/manage/networks/NOPE/ill/").status_code == 404


def test_links_in_the_dashboard_and_nav(client, user, demo_network):
    login(client, user, "koordinator")
    html = text(get(client, "/manage/", "en"))
    assert "/manage/networks/JPIT/ill/" in html and 'href="/manage/ill/"' in html
    login(client, user, "staf.itb")
    assert "/manage/ill/?library=ITB" in text(get(client, "/manage/", "en"))
    login(client, user, "pembaca")
    assert "/my/requests/" in text(get(client, "/manage/", "en"))


# --- the demo ------------------------------------------------------------------------------------------

def test_the_demo_requests(client, user, demo_network):
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest
    from jaringan.demo.ill import load_ill
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM
    from tests.catalog.items import loc_items, retyped

    books = loc_items(12)
    holders = {"UNHAS": books[:6], "UNUD": books[3:8], "ITB": books[8:12], "UI": books[10:12]}
    for code, items in holders.items():
        batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code), name="demo.mrc",
                            format="marc21")
        ingest(batch=batch, items=[retyped(i, source_id=f"{code}-{i.source_id}") for i in items])
    made = load_ill()
    assert made >= 8
    states = set(IllRequest.objects.values_list("state", flat=True))
    assert {"AwaitingApproval", "Loaned", "RetryPossible", "RequestReceived", "WillSupply",
            "LoanCompleted"} <= states
    assert IllRequest.objects.filter(renewal_pending=True).exists()
    assert load_ill() == 0  # once
    for username, url in [("staf.unpatti", "/manage/ill/"), ("staf.itb", "/manage/ill/lending/"),
                          ("pembaca", "/my/requests/"), ("koordinator", "/manage/networks/JPIT/ill/")]:
        login(client, user, username)
        assert get(client, url).status_code == 200
    for req in IllRequest.objects.all():
        login(client, user, "staf.unpatti" if req.requester.code == "UNPATTI" else "staf.itb")
        if req.requester.code in ("UNPATTI", "ITB") or req.supplier.code == "ITB":
            assert get(client, f"/manage/ill/requests/{req.pk}/").status_code == 200


def test_a_queue_page_reads_the_same_number_of_times_whatever_its_rows(client, user, asked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jaringan.network.models import Library

    login(client, user, "staf.unpatti")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert get(client, "/manage/ill/").status_code == 200
        return len(captured)

    few = queries()
    _waiting, sent = asked
    sent.refresh_from_db()
    IllRequest.objects.bulk_create([
        IllRequest(requester=Library.objects.get(code="UNPATTI"), supplier=sent.supplier, title=f"Buku {n}",
                   state=sent.state, rota_position=sent.rota_position, reader_name="X") for n in range(20)])
    assert queries() == few  # the actions of every row from the same reads, not a read a row
