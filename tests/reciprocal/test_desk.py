"""Reciprocal borrowing on the demo network: terms, passes, the host desk, loans, blocks, notices,
permissions and the pages, on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from jaringan.core.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.core.reciprocal import desk
from jaringan.ill import sms
from jaringan.ill.models import NoticeSettings
from jaringan.network.models import Agreement, Library
from jaringan.reciprocal import selectors, services
from jaringan.reciprocal.models import Block, Loan, Pass, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib():
    return lambda code: Library.objects.get(code=code)


@pytest.fixture
def andi(demo_reciprocal):
    return Pass.objects.get(reader__username="pembaca")


@pytest.fixture
def nurul(demo_reciprocal):
    return Pass.objects.get(home_user_id="H071201045")


def reasons(decision):
    return {c.reason for c in decision.failed}


def test_the_demo_has_terms_passes_visits_and_loans(demo_reciprocal, andi, nurul, lib):
    assert Agreement.objects.get(code="JPIT-PTB-2026").borrowing_terms.deposit == 50000
    assert andi.state == nurul.state == "active" and andi.expires > timezone.localdate()
    assert Visit.objects.count() == 2 and Loan.objects.filter(returned_at__isnull=True).count() == 2
    # Andi (Pattimura) may borrow at Hasanuddin under the forum's card: 3 at a time, one out.
    decision, standing = selectors.desk_decision(andi, lib("UNHAS"))
    assert decision.allowed and decision.items_left == 2 and standing.source == "hub"
    assert decision.agreement_id == Agreement.objects.get(code="FPPTI-KPB-2024").pk
    assert decision.due == timezone.localdate() + timedelta(days=14)
    # ITB is in the forum but not in the eastern network: the forum's card is good there too.
    assert selectors.desk_decision(andi, lib("ITB"))[0].allowed
    # Nurul is a public reader: only the eastern network admits her; and she is late with a book.
    decision, _s = selectors.desk_decision(nurul, lib("UNUD"))
    assert reasons(decision) == {desk.OVERDUE_RECIPROCAL}
    assert reasons(selectors.desk_decision(nurul, lib("ITB"))[0]) == {desk.CATEGORY_NOT_ADMITTED,
                                                                      desk.OVERDUE_RECIPROCAL}
    hosts = {library.code for library, _a in selectors.hosts_for(andi)}
    assert {"UNHAS", "UNUD", "ITB"} <= hosts and "UNPATTI" not in hosts


def test_lend_up_to_the_limit_renew_and_return(demo_reciprocal, andi, principal, lib):
    staff, unhas = principal("staf.unhas"), lib("UNHAS")
    loan = services.loan_create(actor=staff, host=unhas, code=andi.code.lower(), item_barcode="B-2", title="Dua")
    assert loan.due == timezone.localdate() + timedelta(days=14) and loan.agreement.code == "FPPTI-KPB-2024"
    with pytest.raises(Conflict, match="already out"):
        services.loan_create(actor=staff, host=unhas, code=andi.code, item_barcode="B-2", title="Dua lagi")
    with pytest.raises(Invalid, match="excludes") as exc:
        services.loan_create(actor=staff, host=unhas, code=andi.code, item_barcode="R-1", title="Kamus",
                             collection="reference")
    assert "collection" in exc.value.errors
    services.loan_create(actor=staff, host=unhas, code=andi.code, item_barcode="B-3", title="Tiga")
    with pytest.raises(services.Refused) as refused:
        services.loan_create(actor=staff, host=unhas, code=andi.code, item_barcode="B-4", title="Empat")
    assert reasons(refused.value.decision) == {desk.LIMIT_REACHED}
    renewed = services.loan_renew(actor=staff, loan_id=loan.pk)
    assert renewed.due == loan.due + timedelta(days=14) and renewed.renewals == 1
    with pytest.raises(Conflict, match="No renewals are left"):
        services.loan_renew(actor=staff, loan_id=loan.pk)
    services.loan_return(actor=staff, loan_id=loan.pk)
    with pytest.raises(Conflict, match="already come back"):
        services.loan_return(actor=staff, loan_id=loan.pk)
    assert selectors.desk_decision(andi, unhas)[0].items_left == 1


def test_staff_act_only_at_their_own_desk(demo_reciprocal, andi, principal, lib):
    loan = Loan.objects.filter(holder=andi, returned_at__isnull=True).get()
    for who in ("staf.unud", "staf.itb", "koordinator", "pembaca"):
        with pytest.raises(Forbidden):
            services.visit_check(actor=principal(who), host=lib("UNHAS"), code=andi.code)
        with pytest.raises(Forbidden):
            services.loan_return(actor=principal(who), loan_id=loan.pk)
    with pytest.raises(Forbidden):
        services.pass_decide(actor=principal("staf.unhas"), pass_id=andi.pk, approve=False)
    with pytest.raises(Forbidden):  # only the network's coordinators keep the terms
        services.terms_save(actor=principal("koordinator"), agreement=Agreement.objects.get(code="FPPTI-KPB-2024"),
                            data={"categories": ["public"], "items_at_a_time": 9, "loan_days": 9, "renewals": 0})
    # Typed codes are checked before they are looked up.
    staff = principal("staf.unhas")
    mistyped = andi.code[:-1] + ("0" if andi.code[-1] != "0" else "1")
    with pytest.raises(Invalid, match="mistyped"):
        services.visit_check(actor=staff, host=lib("UNHAS"), code=mistyped)
    from jaringan.core.reciprocal import passcode

    with pytest.raises(NotFound):
        services.visit_check(actor=staff, host=lib("UNHAS"), code=passcode.new_code())


def test_a_block_at_one_member_is_honoured_everywhere_while_it_lasts(demo_reciprocal, andi, principal, lib):
    staff = principal("staf.unhas")
    with pytest.raises(Forbidden):  # a library the reader never borrowed at may not block them
        services.block_create(actor=principal("staf.unud"), library=lib("UNUD"), pass_id=andi.pk, reason="x")
    block = services.block_create(actor=staff, library=lib("UNHAS"), pass_id=andi.pk, reason="buku rusak",
                                  until=(timezone.localdate() + timedelta(days=3)).isoformat())
    for host in ("UNUD", "ITB"):
        assert reasons(selectors.desk_decision(andi, lib(host))[0]) == {desk.BLOCKED}
    later = timezone.localdate() + timedelta(days=4)
    assert selectors.desk_decision(andi, lib("UNUD"), later)[0].allowed  # the block has run out
    loan = Loan.objects.filter(holder=andi, returned_at__isnull=True).get()
    with pytest.raises(Conflict, match="blocked"):
        services.loan_renew(actor=staff, loan_id=loan.pk)
    services.block_lift(actor=staff, block_id=block.pk)
    assert selectors.desk_decision(andi, lib("UNUD"))[0].allowed
    assert Block.objects.get().lifted_by_id is not None


def test_an_overdue_interlibrary_loan_stops_reciprocal_borrowing(demo_reciprocal, andi, lib):
    from jaringan.ill.models import IllRequest

    req = IllRequest.objects.create(requester=lib("UNPATTI"), supplier=lib("UNHAS"), reader=andi.reader,
                                    title="Pinjaman antarperpustakaan", state="Loaned",
                                    due_date=timezone.localdate() - timedelta(days=2))
    assert reasons(selectors.desk_decision(andi, lib("UNUD"))[0]) == {desk.OVERDUE_ILL}
    IllRequest.objects.filter(pk=req.pk).update(returned_at=timezone.now())
    assert selectors.desk_decision(andi, lib("UNUD"))[0].allowed


def test_overdues_tell_the_reader_and_both_libraries_once(demo_reciprocal, andi, principal, lib,
                                                         django_capture_on_commit_callbacks):
    NoticeSettings.objects.create(user=andi.reader, phone="0812-3456-7890", sms=True, language="en")
    loan = Loan.objects.filter(holder=andi, returned_at__isnull=True).get()
    Loan.objects.filter(pk=loan.pk).update(due=timezone.localdate() - timedelta(days=1))
    mail.outbox.clear()
    sms.LoggingBackend.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_tick() == [loan.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_tick() == []  # never twice for one overdue
    to = sorted(address for m in mail.outbox for address in m.to)
    assert "pembaca@demo.jaringan.invalid" in to and "staf.unhas@demo.jaringan.invalid" in to
    assert "staf.unpatti@demo.jaringan.invalid" in to and len(mail.outbox) == 3
    (number, text), = sms.LoggingBackend.sent
    assert number == "+6281234567890" and "was due back on" in text and loan.title in text


def test_a_reader_applies_and_the_home_library_decides_or_enrols(demo_reciprocal, andi, principal, user):
    reader = principal("pembaca")
    with pytest.raises(Conflict):
        services.pass_apply(actor=reader, category="student")
    services.pass_revoke(actor=principal("staf.unpatti"), pass_id=andi.pk, note="lulus")
    again = services.pass_apply(actor=reader, category="lecturer")
    assert again.state == "applied" and again.code != andi.code
    with pytest.raises(Forbidden):
        services.pass_apply(actor=principal("staf.unhas"), category="student")
    decided = services.pass_decide(actor=principal("staf.unpatti"), pass_id=again.pk, approve=True)
    assert decided.state == "active"
    with pytest.raises(Conflict):
        services.pass_decide(actor=principal("staf.unpatti"), pass_id=again.pk, approve=True)
    # The home library's staff enrol a reader known only to their own system.
    client = _client(user, "staf.unpatti")
    response = client.post("/manage/reciprocal/UNPATTI/passes/", {
        "action": "enrol", "reader_name": "Maria Latuheru", "home_user_id": "2020-11-07", "category": "lecturer"})
    assert response.status_code == 302
    maria = Pass.objects.get(reader_name="Maria Latuheru")
    assert maria.state == "active" and maria.home.code == "UNPATTI"
    page = client.get("/manage/reciprocal/UNPATTI/passes/").content.decode()
    assert "Maria Latuheru" in page and "Nurul" not in page


BAD_TERMS = [
    ({"categories": [], "items_at_a_time": 2, "loan_days": 7, "renewals": 0}, "categories"),
    ({"categories": ["student"], "items_at_a_time": "x", "loan_days": 7, "renewals": 0}, "items_at_a_time"),
    ({"categories": ["student"], "items_at_a_time": 2, "loan_days": 7, "renewals": 0,
      "home_libraries": ["NOWHERE"]}, "home_libraries"),
    ({"categories": ["student"], "items_at_a_time": 2, "loan_days": 7, "renewals": 0, "deposit": "-1"}, "deposit"),
]


def test_terms_are_checked_and_naming_home_libraries_admits_only_their_readers(demo_reciprocal, nurul, principal,
                                                                               lib):
    for data, field in BAD_TERMS:
        with pytest.raises(Invalid) as exc:
            services.terms_save(actor=principal("koordinator.fppti"),
                                agreement=Agreement.objects.get(code="FPPTI-KPB-2024"), data=data)
        assert field in exc.value.errors, field
    services.terms_save(actor=principal("koordinator"), agreement=Agreement.objects.get(code="JPIT-PTB-2026"),
                        data={"categories": ["public", "student"], "items_at_a_time": 2, "loan_days": 7,
                              "renewals": 1, "home_libraries": ["UNPATTI"]})
    Loan.objects.filter(holder=nurul).update(returned_at=timezone.now())
    decision = selectors.desk_decision(nurul, lib("UNUD"))[0]
    # Each agreement's refusal is kept: the forum's (not her category), the eastern network's (not her library).
    by_agreement = {Agreement.objects.get(pk=c.params["agreement_id"]).code: c.reason for c in decision.failed}
    assert by_agreement == {"FPPTI-KPB-2024": desk.CATEGORY_NOT_ADMITTED, "JPIT-PTB-2026": desk.HOME_NOT_ADMITTED}


# --- pages ----------------------------------------------------------------------------------------------

def _client(user, username, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user(username))
    return client


def test_the_desk_page_answers_in_one_request_in_both_languages(demo_reciprocal, andi, user):
    for language, words in (("en", "May borrow 2 items today"), ("id", "Boleh meminjam 2 buku hari ini")):
        client = _client(user, "staf.unhas", language)
        page = client.post("/manage/reciprocal/UNHAS/desk/", {"code": andi.code.replace("-", " ")}).content.decode()
        assert words in page and "pass_active" not in page and "agreement_admits" not in page
    assert Visit.objects.filter(holder=andi, host__code="UNHAS").count() == 3
    lend = client.post("/manage/reciprocal/UNHAS/desk/lend/", {"code": andi.code, "item_barcode": "P-1",
                                                               "title": "Halaman", "collection": "general"})
    assert lend.status_code == 302 and Loan.objects.filter(item_barcode="P-1").exists()
    assert client.get("/manage/reciprocal/UNUD/desk/").status_code == 403


def test_the_desk_check_reads_each_thing_once(demo_reciprocal, andi, nurul, user, lib, principal,
                                             django_assert_max_num_queries):
    """Session, user, library, roles; the pass with its home and NCIP server; memberships, agreements, their
    parties, home libraries and the networks' border rules; blocks, open loans, overdue ILL; the visit written;
    the host's loans."""
    services.block_create(actor=principal("staf.unhas"), library=lib("UNHAS"), pass_id=nurul.pk, reason="Rusak")
    client = _client(user, "staf.unhas")
    for holder, words in ((andi, "May borrow 2 items today"), (nurul, "Blocked by UPT Perpustakaan Universitas Hasanuddin")):
        with django_assert_max_num_queries(15):
            page = client.post("/manage/reciprocal/UNHAS/desk/", {"code": holder.code}).content.decode()
        assert words in page


def test_a_refusal_is_explained_on_the_page(demo_reciprocal, nurul, user):
    page = _client(user, "staf.unud").post("/manage/reciprocal/UNUD/desk/", {"code": nurul.code}).content.decode()
    assert "May not borrow here today." in page and "Has 1 overdue loans." in page
    bad = _client(user, "staf.unud").post("/manage/reciprocal/UNUD/desk/", {"code": "JRG-1234"})
    assert "This is not a pass code" in bad.content.decode()


def test_a_reader_sees_only_their_own_pass(demo_reciprocal, andi, nurul, user):
    client = _client(user, "pembaca")
    page = client.get("/my/pass/").content.decode()
    assert andi.code in page and "<svg" in page and "Hasanuddin" in page and nurul.code not in page
    card = client.get("/my/pass/card/").content.decode()
    assert card.count("<svg") == 2 and 'class="code128"' in card and "style=" not in card.split("<svg", 1)[1]
    for path in ("/manage/reciprocal/UNPATTI/desk/", "/manage/reciprocal/UNPATTI/passes/",
                 f"/manage/reciprocal/UNHAS/passes/{nurul.pk}/card/"):
        assert client.get(path).status_code == 403, path
    assert _client(user, "staf.unpatti").get(f"/manage/reciprocal/UNHAS/passes/{nurul.pk}/card/").status_code == 403
    assert _client(user, "staf.unhas").get(f"/manage/reciprocal/UNHAS/passes/{nurul.pk}/card/").status_code == 200


def test_coordinators_keep_the_terms_of_their_own_networks_only(demo_reciprocal, user):
    mine = _client(user, "koordinator.fppti")
    assert mine.get("/manage/agreements/FPPTI-KPB-2024/reciprocal/").status_code == 200
    saved = mine.post("/manage/agreements/FPPTI-KPB-2024/reciprocal/", {
        "categories": ["student"], "items_at_a_time": "4", "loan_days": "21", "renewals": "2", "deposit": "0",
        "fee": "0", "excluded": ["rare"]})
    assert saved.status_code == 302
    assert Agreement.objects.get(code="FPPTI-KPB-2024").borrowing_terms.items_at_a_time == 4
    assert _client(user, "koordinator").get("/manage/agreements/FPPTI-KPB-2024/reciprocal/").status_code == 403


def _cells(page: str, code: str) -> list[str]:
    row = page.split(f'id="reciprocal-{code}"', 1)[1].split("</tr>", 1)[0]
    return [c.split(">", 1)[1].split("<", 1)[0].strip() for c in row.split("<td")[2:]]


def test_the_coordinators_balance_shows_reciprocal_beside_ill(demo_reciprocal, user):
    today = timezone.localdate()
    query = f"?start={today - timedelta(days=30)}&end={today}"
    page = _client(user, "koordinator").get(f"/manage/networks/JPIT/ill/{query}").content.decode()
    assert 'id="balance"' in page and 'id="reciprocal-balance"' in page
    # Under the eastern network: Nurul (Hasanuddin) visited Pattimura and borrowed one book there.
    # Columns: visitors received, lent to visitors, its readers' visits, borrowed by its readers, net;
    # then the fees and deposits owed to it, by it, and their net: the book's Rp 50,000 deposit is held.
    assert _cells(page, "UNPATTI") == ["1", "1", "0", "0", "+1", "Rp 50,000", "Rp 0", "+Rp 50,000"]
    assert _cells(page, "UNHAS") == ["0", "0", "1", "1", "−1", "Rp 0", "Rp 50,000", "−Rp 50,000"]
    # Under the forum's card: Andi (Pattimura) visited Hasanuddin and borrowed two (no fee, no deposit).
    forum = _client(user, "koordinator.fppti").get(f"/manage/networks/FPPTI/ill/{query}").content.decode()
    assert _cells(forum, "UNPATTI") == ["0", "0", "1", "2", "−2", "Rp 0", "Rp 0", "Rp 0"]
    assert _cells(forum, "UNHAS") == ["1", "2", "0", "0", "+2", "Rp 0", "Rp 0", "Rp 0"]
    assert _client(user, "koordinator.fppti").get("/manage/networks/JPIT/ill/").status_code == 403


def test_the_api_checks_lends_and_shows_a_reader_their_own_pass(demo_reciprocal, andi, nurul, user):
    staff = _client(user, "staf.unud")
    check = staff.post("/api/reciprocal/libraries/UNUD/desk", {"code": andi.code}, content_type="application/json")
    body = check.json()
    assert check.status_code == 200 and body["allowed"] and body["items_left"] == 3
    assert body["agreement"] == "FPPTI-KPB-2024" and body["excluded"] == ["reference", "rare"]
    assert {c["reason"] for c in body["checks"]} >= {"pass_active", "good_standing", "items_left"}
    refused = staff.post("/api/reciprocal/libraries/UNUD/loans", {"code": nurul.code, "item_barcode": "U-1",
                                                                  "title": "T"}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["errors"]["reasons"] == ["overdue_reciprocal"]
    lent = staff.post("/api/reciprocal/libraries/UNUD/loans", {"code": andi.code, "item_barcode": "U-2",
                                                               "title": "Buku"}, content_type="application/json")
    assert lent.status_code == 201
    assert staff.post("/api/reciprocal/libraries/UNHAS/desk", {"code": andi.code},
                      content_type="application/json").status_code == 403
    assert _client(user, "staf.unhas").post(f"/api/reciprocal/loans/{lent.json()['id']}/return").status_code == 403
    assert staff.post(f"/api/reciprocal/loans/{lent.json()['id']}/return").json()["returned"] is True
    mine = _client(user, "pembaca").get("/api/reciprocal/pass").json()
    assert mine["code"] == andi.code and "UNUD" in mine["valid_at"] and len(mine["loans"]) == 3
    assert _client(user, "staf.unud").get("/api/reciprocal/pass").status_code == 404


def test_a_library_sets_its_own_ncip_server(demo_reciprocal, user, settings):
    from jaringan.reciprocal.models import NcipServer

    settings.JARINGAN_OUTBOUND_ALLOW = ""  # a deployment: no private address unless the operator allows it
    client = _client(user, "staf.unhas")
    form = {"action": "ncip", "url": "http://10.20.0.5/ncip", "agency_id": "UNHAS-KOHA", "shared_secret": "k",
            "timeout": "5"}
    client.post("/manage/reciprocal/UNHAS/passes/", form)
    assert not NcipServer.objects.exists()  # a private address is refused (with the reason shown)
    settings.JARINGAN_OUTBOUND_ALLOW = "10.20.0.0/16"
    assert client.post("/manage/reciprocal/UNHAS/passes/", form).status_code == 302
    client.post("/manage/reciprocal/UNHAS/passes/", {**form, "shared_secret": "", "timeout": "8"})
    server = NcipServer.objects.get()
    assert (server.library.code, server.shared_secret, server.timeout) == ("UNHAS", "k", 8.0)
    assert 'value="k"' not in client.get("/manage/reciprocal/UNHAS/passes/").content.decode()
    assert _client(user, "staf.unud").post("/manage/reciprocal/UNHAS/passes/", form).status_code == 403
    client.post("/manage/reciprocal/UNHAS/passes/", {**form, "url": ""})
    assert not NcipServer.objects.exists()
