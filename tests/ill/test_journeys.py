"""Whole requests between libraries served here, through the services (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jaringan.core import iso18626 as core
from jaringan.core.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.ill import ledger, services
from jaringan.ill.models import IllEvent, IllMessage, IllRequest, LedgerEntry
from jaringan.ill.texts import state_label

pytestmark = pytest.mark.django_db


def act(actor, req, action, **params):
    return services.illrequest_act(actor=actor, request=req, action=action, **params)


def test_a_readers_loan_from_asking_to_return(held, staff, principal, mailbox, django_capture_on_commit_callbacks):
    reader, desk = principal("pembaca"), staff("staf.unpatti")
    with django_capture_on_commit_callbacks(execute=True):
        req = services.illrequest_create(actor=reader, edition=held[0], service="loan")
    assert req.state == "AwaitingApproval" and req.requester.code == "UNPATTI" and req.reader.username == "pembaca"
    assert req.title and not req.rota.exists()
    assert any("staf.unpatti" in m.to[0] for m in mailbox)  # the reader's library is asked to approve

    with django_capture_on_commit_callbacks(execute=True):
        req = services.illrequest_approve(actor=desk, request=req, expected_version=req.version)
    rota = list(req.rota.order_by("position"))
    # Only the libraries an agreement covers for loans to UNPATTI are in the rota: UNHAS and UNUD (JPIT).
    assert {e.library.code for e in rota} == {"UNHAS", "UNUD"}
    assert all(e.reasons and e.agreement_id for e in rota)
    excluded = {x["library"]: x["code"] for x in req.routing["excluded"]}
    assert excluded["UNPATTI"] == "same_library" and excluded["ITB"] == "not_covered"
    assert req.state == "RequestReceived" and req.supplier == rota[0].library and rota[0].outcome == "asked"
    lender = staff(f"staf.{req.supplier.code.lower()}")

    act(lender, req, "WillSupply")
    with django_capture_on_commit_callbacks(execute=True):
        req = act(lender, req, "Loaned")
    assert req.state == "Loaned" and req.due_date == timezone.localdate() + timedelta(days=28)
    assert req.rota.get(position=req.rota_position).outcome == "supplied"
    lines = list(LedgerEntry.objects.filter(request=req))
    quote = ledger.quote_supply(req, req.rota.get(position=req.rota_position),
                                service="loan", pages=None, digital=False)
    owed = sum(e.amount if e.debtor_id == req.requester_id else -e.amount for e in lines)
    assert owed == quote.requester_owes_supplier  # the ledger's lines add up to the core's amount

    with django_capture_on_commit_callbacks(execute=True):
        act(desk, req, "Received")
    assert any("arrived" in m.body or "tiba" in m.body for m in mailbox if "pembaca" in m.to[0])
    act(desk, req, "ShippedReturn", note="Pos Indonesia RR123")
    req = act(lender, req, "LoanCompleted")
    assert req.state == "LoanCompleted" and req.final and req.closed_at

    events = [e.action for e in req.events.order_by("at", "id")]
    assert events == ["create", "approve", "route", "send", "WillSupply", "Loaned", "Received", "ShippedReturn",
                      "LoanCompleted"]
    messages = list(IllMessage.objects.filter(request=req).order_by("id"))
    assert [m.kind for m in messages] == ["request", "supplyingAgencyMessage", "supplyingAgencyMessage",
                                          "requestingAgencyMessage", "requestingAgencyMessage",
                                          "supplyingAgencyMessage"]
    assert all(m.direction == "local" and m.valid is True for m in messages), [m.errors for m in messages]


def test_unfilled_moves_on_to_the_next_lender_and_ends_when_none_is_left(held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[1], service="loan", reader_name="Walk-in reader")
    first = req.supplier
    req = act(staff(f"staf.{first.code.lower()}"), req, "Unfilled", reason="not on shelf")
    assert req.state == "RequestReceived" and req.supplier != first
    assert req.rota.get(library=first).outcome == "unfilled"
    second = req.supplier
    req = act(staff(f"staf.{second.code.lower()}"), req, "Unfilled")
    assert req.state == "Unfilled" and req.final
    moves = [(e.action, e.from_state, e.to_state) for e in req.events.order_by("at", "id")]
    assert ("Unfilled", "RequestReceived", "Validated") in moves and moves[-1] == ("Unfilled", "RequestReceived",
                                                                                   "Unfilled")


def test_a_copy_delivered_as_a_scan_with_a_page_fee(held, staff, principal, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    desk = staff("staf.itb")
    req = services.illrequest_create(actor=desk, edition=held[2], service="copy",
                                     citation={"pages_requested": "11-30"}, reader_name="Dosen tamu")
    assert req.page_count == 20 and req.supplier.code == "UI"  # JPJB: the only member holding it
    lender = staff("staf.ui")
    with pytest.raises(Invalid):
        act(lender, req, "CopyCompleted")  # neither a scan nor a posted photocopy
    scan = SimpleUploadedFile("bab-2.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    req = act(lender, req, "CopyCompleted", scan=scan, pages=20)
    assert req.state == "CopyCompleted"
    delivery = req.deliveries.get()
    assert delivery.method == "file" and delivery.size == len(b"%PDF-1.4 scan") and delivery.token
    entries = LedgerEntry.objects.filter(request=req)
    # JPJB: Rp 300 a page; within the 20 free requests a year the fee is waived, a digital copy ships nothing.
    assert list(entries) == [] or {e.kind for e in entries} <= {"copy_fee"}


def test_refusals_change_nothing(held, staff, principal):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    version, state = req.version, req.state
    with pytest.raises(Conflict) as stale:
        act(staff(f"staf.{req.supplier.code.lower()}"), req, "WillSupply", expected_version=version - 1)
    assert stale.value.code == "stale"
    with pytest.raises(Conflict) as illegal:
        act(desk, req, "Received")  # nothing was loaned yet
    assert illegal.value.code == "illegal_transition" and "Loaned" not in req.state
    with pytest.raises(Forbidden):
        act(desk, req, "WillSupply")  # the requester cannot answer for the lender
    with pytest.raises(NotFound):
        act(staff("staf.itb"), req, "WillSupply")  # a stranger does not even see it
    with pytest.raises(NotFound):
        act(principal("pembaca"), req, "Cancel")  # not the reader's request: not theirs to see
    req.refresh_from_db()
    assert (req.version, req.state) == (version, state)
    assert req.events.count() == 3  # create, route, send


def test_conditions_offered_then_accepted(held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    lender = staff(f"staf.{req.supplier.code.lower()}")
    req = act(lender, req, "RetryPossible", offered_cost=250000, note="ongkos kirim kilat")
    assert req.state == "RetryPossible" and req.offered_cost == 250000
    req = act(desk, req, "accept_conditions")
    assert req.state == "RequestReceived" and req.max_cost == 250000 and req.offered_cost is None
    assert req.messages.order_by("-id").first().kind == "request"  # a Retry request


def test_renewal_overdue_and_recall(held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    lender = staff(f"staf.{req.supplier.code.lower()}")
    act(lender, req, "Loaned", due_date=timezone.localdate() + timedelta(days=10))
    act(desk, req, "Received")
    act(desk, req, "Renew")
    with pytest.raises(Conflict):
        act(desk, req, "Renew")  # one waits for its answer
    req = act(lender, req, "grant_renewal")
    assert req.renewals == 1 and req.due_date == timezone.localdate() + timedelta(days=24)
    req = act(lender, req, "Overdue")
    req = act(lender, req, "Recalled")
    assert req.state == "Recalled"
    with pytest.raises(Conflict):
        act(desk, req, "Renew")  # a recalled loan is not renewed
    act(desk, req, "ShippedReturn")
    req = act(lender, req, "LoanCompleted")
    assert req.state == "LoanCompleted"


def test_cancel_before_the_lender_commits_is_accepted_at_once(held, staff, principal):
    reader, desk = principal("pembaca"), staff("staf.unpatti")
    req = services.illrequest_create(actor=reader, edition=held[0])
    req = act(reader, req, "Cancel")
    assert req.state == "Cancelled" and not req.messages.exists()  # nothing had left the library
    req = services.illrequest_create(actor=reader, edition=held[1])
    req = services.illrequest_approve(actor=desk, request=req)
    req = act(reader, req, "Cancel")
    assert req.state == "Cancelled"
    assert [e.action for e in req.events.order_by("at", "id")][-2:] == ["Cancel", "Cancelled"]
    assert IllEvent.objects.filter(request=req, action="Cancelled", actor_kind="system").exists()


def test_loaned_pressed_twice_ships_and_bills_once(held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    lender = staff(f"staf.{req.supplier.code.lower()}")
    req = act(lender, req, "Loaned")
    charged = sorted(LedgerEntry.objects.filter(request=req).values_list("line", "amount"))
    version, events = req.version, req.events.count()
    for again in ("Loaned", "Loaned"):  # the second press, then a third one reloaded with the current version
        with pytest.raises(Conflict) as refused:
            act(lender, req, again, expected_version=version)
        assert refused.value.code == "unchanged" and state_label("Loaned") in refused.value.message
    req.refresh_from_db()
    assert (req.version, req.events.count()) == (version, events)
    assert sorted(LedgerEntry.objects.filter(request=req).values_list("line", "amount")) == charged
    assert req.messages.filter(kind="supplyingAgencyMessage").count() == 1


def test_a_cancel_waiting_when_the_lender_answers_unfilled_ends_the_request(held, staff, principal):
    reader, desk = principal("pembaca"), staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[1], service="loan", reader=reader.user_id)
    assert req.rota.filter(outcome="waiting").exists()  # another lender could be asked
    first = req.supplier
    lender = staff(f"staf.{first.code.lower()}")
    act(lender, req, "WillSupply")
    req = act(reader, req, "Cancel")
    assert req.state == "WillSupply" and req.cancel_pending  # asked; the lender has committed itself
    req = act(lender, req, "Unfilled", reason="not on shelf")
    assert req.state == "Cancelled" and req.final and req.closed_at and not req.cancel_pending
    assert req.supplier == first and req.rota.get(library=first).outcome == "unfilled"
    assert req.rota.filter(outcome="waiting").exists() and not req.rota.filter(outcome="asked").exists()
    assert [e.action for e in req.events.order_by("at", "id")][-2:] == ["Cancel", "Unfilled"]
    told = core.parse(bytes(req.messages.order_by("-id").first().raw))
    assert told.status_info.status == "Unfilled"  # the lender's message says what the lender said


def test_a_cancel_waiting_when_the_lender_does_not_answer_ends_the_request(held, staff, principal):
    from jaringan.ill.tick import tick

    reader, desk = principal("pembaca"), staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader=reader.user_id)
    act(staff(f"staf.{req.supplier.code.lower()}"), req, "WillSupply")
    act(reader, req, "Cancel")
    IllRequest.objects.filter(pk=req.pk).update(state="RequestReceived")  # as if the lender had only received it
    req.rota.filter(position=req.rota_position).update(answered_at=None)
    report = tick(now=timezone.now() + timedelta(days=4))
    req.refresh_from_db()
    assert report.timed_out == [req.pk] and req.state == "Cancelled" and req.rota.filter(outcome="asked").count() == 0


def test_a_lender_that_does_not_answer_is_passed_over(held, staff):
    from jaringan.ill.tick import tick

    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    first = req.supplier
    report = tick(now=timezone.now() + timedelta(days=4))
    req.refresh_from_db()
    assert report.timed_out == [req.pk] and req.supplier != first
    assert req.rota.get(library=first).outcome == "timeout"


def test_overdue_by_the_tick(held, staff):
    from jaringan.ill.tick import tick

    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    act(staff(f"staf.{req.supplier.code.lower()}"), req, "Loaned", due_date=timezone.localdate())
    report = tick(now=timezone.now() + timedelta(days=2))
    req.refresh_from_db()
    assert report.overdue == [req.pk] and req.state == "Overdue"
    assert tick(now=timezone.now() + timedelta(days=3)).overdue == []  # once



def test_loan_or_copy_lets_the_lender_choose(held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="either", page_count=12, reader_name="X")
    entry = req.rota.get(position=req.rota_position)
    assert entry.service == "either"  # covered for loans and for copies
    from jaringan.core import iso18626 as core

    sent = core.parse(bytes(req.messages.get(kind="request").raw))
    assert sent.service_info.service_type == "CopyOrLoan" and sent.bibliographic_info.estimated_no_pages == "12"
    lender = staff(f"staf.{req.supplier.code.lower()}")
    req = act(lender, req, "CopyCompleted", posted=True)
    assert req.state == "CopyCompleted" and req.deliveries.get().pages == 12


def test_a_typed_citation_finds_its_edition_by_isbn_or_waits_for_a_named_lender(held, staff):
    desk = staff("staf.unpatti")
    isbn = next(r.data["isbns"][0] for r in held[0].records.all() if r.data.get("isbns"))
    found = services.illrequest_create(actor=desk, citation={"title": "dicari", "isbn": isbn}, reader_name="X")
    assert found.edition == held[0] and found.state == "RequestReceived"
    unknown = services.illrequest_create(actor=desk, citation={"title": "Hikayat yang tak dikatalog"},
                                         reader_name="X")
    assert unknown.state == "Validated" and not unknown.rota.exists()
    with pytest.raises(Invalid):
        services.illrequest_send(actor=desk, request=unknown, lender="ITB")  # no agreement covers ITB
    sent = services.illrequest_send(actor=desk, request=unknown, lender="UNHAS")
    assert sent.state == "RequestReceived" and sent.supplier.code == "UNHAS"


def test_staff_reject_a_readers_request(held, staff, principal):
    req = services.illrequest_create(actor=principal("pembaca"), edition=held[0])
    req = act(staff("staf.unpatti"), req, "reject", note="Ada di perpustakaan sendiri.")
    assert req.state == "Rejected" and req.final and not req.rota.exists()
    with pytest.raises(Conflict):
        services.illrequest_approve(actor=staff("staf.unpatti"), request=req)


def test_declined_conditions_go_to_the_next_lender(held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    first = req.supplier
    act(staff(f"staf.{first.code.lower()}"), req, "RetryPossible",
        retry_after=timezone.localdate() + timedelta(days=60))
    req = act(desk, req, "decline_conditions")
    assert req.state == "RequestReceived" and req.supplier != first and req.offered_after is None
    assert req.rota.get(library=first).outcome == "declined"


def test_the_queues_and_counts(held, staff, principal, user):
    from jaringan.ill import selectors

    desk = staff("staf.unpatti")
    a = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    own = services.illrequest_create(actor=principal("pembaca"), edition=held[1])
    lender = a.supplier
    assert set(selectors.borrowing_queue(a.requester)) == set(IllRequest.objects.all())
    assert selectors.state_counts(a.requester) == {"RequestReceived": 1, "AwaitingApproval": 1}
    assert list(selectors.lending_queue(lender)) == [a]
    assert selectors.state_counts(lender, "lending") == {"RequestReceived": 1}
    assert list(selectors.reader_requests(user("pembaca"))) == [own]
    assert set(selectors.visible_requests(principal("pembaca"))) == {own}
    assert set(selectors.visible_requests(staff(f"staf.{lender.code.lower()}"))) == {a}
    detail = selectors.request_detail(a, staff(f"staf.{lender.code.lower()}"))
    assert "WillSupply" in detail["actions"] and detail["rota"] and detail["history"]
    assert selectors.request_detail(a, staff("staf.itb")) is None
    assert selectors.available_actions(principal("pembaca"), a) == []


def test_a_lender_named_by_staff_joins_the_rota_without_losing_it(held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X", send=False)
    waiting = {e.library.code for e in req.rota.all()}
    assert waiting == {"UNHAS", "UNUD"}
    # DISPUSIP-SULSEL holds nothing here, but staff know it has the book; JPIT-PKA-2025 covers it.
    req = services.illrequest_send(actor=desk, request=req, lender="DISPUSIP-SULSEL")
    assert req.supplier.code == "DISPUSIP-SULSEL" and req.state == "RequestReceived"
    assert {e.library.code for e in req.rota.filter(outcome="waiting")} == waiting
    assert {x["library"] for x in req.routing["excluded"]} >= {"ITB", "UNPATTI"}
    req = act(staff("staf.unpatti"), req, "Cancel")  # asks; SULSEL had not committed: accepted at once
    assert req.state == "Cancelled"


def test_a_suspended_member_is_not_asked(held, staff, principal):
    from jaringan.network import services as network
    from jaringan.network.models import Membership

    unud = Membership.objects.get(network__code="JPIT", library__code="UNUD")
    network.membership_act(actor=principal("koordinator"), membership_id=unud.pk, action="suspend")
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[0], service="loan",
                                     reader_name="X", send=False)
    assert [e.library.code for e in req.rota.all()] == ["UNHAS"]
    (left_out,) = [x for x in req.routing["excluded"] if x["library"] == "UNUD"]
    assert left_out["code"] == "not_covered"
    assert {"agreement_id": unud.network.agreements.get(code="JPIT-PKA-2025").pk,
            "reason": "supplier_not_member"} in left_out["params"]["refusals"]
