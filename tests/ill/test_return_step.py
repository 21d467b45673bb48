"""The end of a loan as both sides see it: a loan posted back says so to the borrower and the lender, the
lender is told, the lender's closing buttons say what each does (in both languages), and a recall is
confirmed before it goes."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone, translation

from jaringan.ill import services
from jaringan.ill.texts import BUTTON_LABELS

pytestmark = pytest.mark.django_db

LENDERS = {"UNHAS": "staf.unhas", "UNUD": "staf.unud"}


def _page(client, user, username, path, lang):
    client.force_login(user(username))
    return unescape(client.get(path, HTTP_ACCEPT_LANGUAGE=lang).content.decode())


def _buttons(html: str) -> dict[str, str]:
    import re

    section = html.split('id="actions"', 1)[1].split("</section>", 1)[0]
    return dict(re.findall(r'name="action" value="([^"]+)"(?: formnovalidate)?>([^<]+)</button>', section))


@pytest.fixture
def loaned(held, staff, mailbox):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="Pembaca tamu")
    req.refresh_from_db()
    lender = staff(LENDERS[req.supplier.code])
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    req = services.illrequest_act(actor=lender, request=req.pk, action="Loaned", expected_version=req.version,
                                  due_date=due)
    req = services.illrequest_act(actor=desk, request=req.pk, action="Received", expected_version=req.version)
    return req


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_loan_posted_back_shows_as_returning_to_both_sides_and_the_lender_is_told(
        client, user, staff, loaned, mailbox, lang, django_capture_on_commit_callbacks):
    lender = LENDERS[loaned.supplier.code]
    mailbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=staff("staf.unpatti"), request=loaned.pk, action="ShippedReturn",
                                expected_version=loaned.version)
    loaned.refresh_from_db()
    assert loaned.state == "Loaned" and loaned.returned_at is not None  # ISO: Loaned until checked in
    with translation.override(lang):
        returning = str(translation.gettext("Returned by the borrower (in transit back)"))
        loaned_label = str(translation.gettext("Loaned"))
    for username, path in (("staf.unpatti", f"/manage/ill/requests/{loaned.pk}/"),
                           (lender, f"/manage/ill/requests/{loaned.pk}/"),
                           (lender, "/manage/ill/lending/"), ("staf.unpatti", "/manage/ill/")):
        html = _page(client, user, username, path, lang)
        assert returning in html, (username, path)
        if path.endswith(f"{loaned.pk}/"):
            state = html.split('id="state"', 1)[1].split("</p>", 1)[0]
            assert f">{loaned_label}</span>" not in state  # no longer just "Loaned"
    told = [m for m in mailbox if f"{lender}@demo.jaringan.invalid" in m.to]
    assert told and "Pattimura" in told[0].body  # the demo's lender login is told by e-mail


def test_the_lenders_closing_buttons_say_distinct_things_without_kembali(client, user, loaned):
    lender = LENDERS[loaned.supplier.code]
    for lang in ("en", "id"):
        buttons = _buttons(_page(client, user, lender, f"/manage/ill/requests/{loaned.pk}/", lang))
        closing = {a: buttons[a] for a in BUTTON_LABELS if a in buttons}
        assert set(closing) == {"Recalled", "LoanCompleted", "CompletedWithoutReturn"}, buttons
        assert len(set(buttons.values())) == len(buttons), buttons  # every button says something different
        if lang == "id":
            assert not [label for label in buttons.values() if "kembali" in label.lower()], buttons


def test_a_recall_goes_only_when_confirmed(client, user, loaned):
    lender = LENDERS[loaned.supplier.code]
    html = _page(client, user, lender, f"/manage/ill/requests/{loaned.pk}/", "en")
    red = html.split('<fieldset class="ill-red">', 1)[1].split("</fieldset>", 1)[0]
    assert '<input type="checkbox" name="confirm" value="1" required>' in red  # the box of the red buttons
    recall = red.split('id="act-Recalled"', 1)[1].split("</div>", 1)[0]
    assert 'name="Recalled-due_date"' in recall and 'value="Recalled"' in recall
    act = f"/manage/ill/requests/{loaned.pk}/act/"
    due = timezone.localdate() + timedelta(days=5)
    refused = client.post(act, {"action": "Recalled", "expected_version": loaned.version,
                                "Recalled-due_date": due.isoformat()}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "confirm the recall" in refused.content.decode()
    loaned.refresh_from_db()
    assert loaned.state == "Loaned"
    client.post(act, {"action": "Recalled", "expected_version": loaned.version, "Recalled-due_date": due.isoformat(),
                      "Loaned-due_date": "2000-01-01", "confirm": "1"})  # another action's date is not read
    loaned.refresh_from_db()
    assert loaned.state == "Recalled" and loaned.due_date == due
