"""Asking a lender served by another system: messages out through the transport, answers in, failures."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jaringan.core import iso18626 as core
from jaringan.core.iso18626 import elements as el
from jaringan.ill import services
from jaringan.ill.iso18626 import sender
from jaringan.ill.models import IllMessage, Peer
from jaringan.ill.tick import tick
from jaringan.network.models import Library
from tests.paths import ISO18626

from .peer_server import PeerServer

pytestmark = pytest.mark.django_db
XSD = ISO18626 / "ISO-18626-v1_2.xsd"


def _agency(code: str) -> el.AgencyId:
    return el.AgencyId(agency_id_type=el.SchemeValue(value="JARINGAN"), agency_id_value=code)


def supplier_says(req, status: str, *, reason="StatusChange", answer=None, due=None, supplier="UNHAS") -> object:
    """The peer's system tells us its status, as a supplyingAgencyMessage posted to /iso18626."""
    now = timezone.now().replace(microsecond=0)
    message = core.SupplyingAgencyMessage(
        header=el.Header(supplying_agency_id=_agency(supplier), requesting_agency_id=_agency(req.requester.code),
                         timestamp=now, requesting_agency_request_id=str(req.pk),
                         supplying_agency_request_id="UNHAS-77"),
        message_info=el.MessageInfo(reason_for_message=core.ReasonForMessage(reason),
                                    answer_yes_no=core.YesNo(answer) if answer else None),
        status_info=el.StatusInfo(status=core.Status(status), due_date=due, last_change=now),
    )
    response = Client().post("/iso18626", data=core.build(message), content_type="application/xml")
    return core.parse(response.content)


@pytest.fixture
def remote_unhas(held, staff):
    """UNHAS is served by another system (a real HTTP peer on 127.0.0.1); UNUD stays here."""
    with PeerServer().running() as peer:
        Peer.objects.create(library=Library.objects.get(code="UNHAS"), url=peer.url, agency_id_type="JARINGAN",
                            agency_id_value="UNHAS")
        yield peer


def _ask_unhas(staff, held):
    return services.illrequest_create(actor=staff("staf.unpatti"), edition=held[0], service="loan",
                                      reader_name="X", send=False)


def test_a_loan_from_a_lender_on_another_system(remote_unhas, held, staff, django_capture_on_commit_callbacks):
    desk = staff("staf.unpatti")
    req = _ask_unhas(staff, held)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.illrequest_send(actor=desk, request=req, lender="UNHAS")
    sender.send_due()  # the sender, after the commit
    req.refresh_from_db()
    assert req.supplier.code == "UNHAS" and req.state == "RequestReceived"  # sent, then confirmed by the peer
    asked = remote_unhas.messages()[0]
    assert isinstance(asked, core.Request) and asked.header.requesting_agency_request_id == str(req.pk)
    assert asked.header.supplying_agency_id.agency_id_value == "UNHAS"
    assert asked.service_info.service_type == "Loan" and asked.bibliographic_info.title
    assert asked.bibliographic_info.supplier_unique_record_id == "UNHAS-0"  # UNHAS's own record id
    out = IllMessage.objects.get(request=req, direction="out", kind="request")
    assert out.status == "sent" and out.answer.kind == "requestConfirmation" and out.valid

    assert supplier_says(req, "WillSupply", reason="RequestResponse").confirmation_header.message_status == "OK"
    due = timezone.now().replace(microsecond=0) + timedelta(days=21)
    assert supplier_says(req, "Loaned", due=due).confirmation_header.message_status == "OK"
    req.refresh_from_db()
    assert req.state == "Loaned" and req.due_date == timezone.localdate(due) and req.supplier_request_id == "UNHAS-77"
    assert req.ledger.exists() or req.rota.get(library__code="UNHAS").cost == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=desk, request=req, action="Received")
        services.illrequest_act(actor=desk, request=req, action="ShippedReturn", note="JNE 123")
    sender.send_due()  # the sender, after the commit
    actions = [m.action for m in remote_unhas.messages() if isinstance(m, core.RequestingAgencyMessage)]
    assert actions == ["Received", "ShippedReturn"]
    assert remote_unhas.messages()[-1].header.supplying_agency_request_id == "UNHAS-77"
    supplier_says(req, "LoanCompleted")
    req.refresh_from_db()
    assert req.state == "LoanCompleted"
    remote = [e for e in req.events.order_by("at", "id") if e.actor_kind == "remote"]
    assert [e.action for e in remote] == ["WillSupply", "Loaned", "LoanCompleted"]
    assert all(e.message and e.message.direction == "in" for e in remote)
    assert all(core.validate(body, XSD) == [] for body in remote_unhas.received)


def test_a_refused_request_goes_to_the_next_lender(remote_unhas, held, staff, django_capture_on_commit_callbacks):
    remote_unhas.refuse = core.ErrorType.UnrecognisedDataValue
    req = _ask_unhas(staff, held)
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_send(actor=staff("staf.unpatti"), request=req, lender="UNHAS")
    sender.send_due()  # the sender, after the commit
    req.refresh_from_db()
    assert req.supplier.code == "UNUD" and req.state == "RequestReceived"
    assert req.rota.get(library__code="UNHAS").outcome == "refused"
    refused = req.events.get(action="refuse")
    assert "refused by the test peer" in refused.note and refused.message.kind == "requestConfirmation"


def test_an_unreachable_peer_is_tried_again_then_passed_over(held, staff, django_capture_on_commit_callbacks):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]  # nothing listens once the socket is closed
    Peer.objects.create(library=Library.objects.get(code="UNHAS"), url=f"http://127.0.0.1:{closed}/iso18626",
                        agency_id_type="JARINGAN", agency_id_value="UNHAS", timeout=2)
    req = _ask_unhas(staff, held)
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_send(actor=staff("staf.unpatti"), request=req, lender="UNHAS")
    sender.send_due()  # the sender, after the commit
    req.refresh_from_db()
    out = IllMessage.objects.get(request=req, direction="out", kind="request")
    assert req.state == "Sent" and out.status == "retrying" and "could not be reached" in out.last_error
    assert (out.error_kind, out.attempts) == ("unreachable", 1)
    first_wait = out.next_attempt - timezone.now()
    assert timedelta(seconds=10) < first_wait <= timedelta(seconds=15)  # JARINGAN_ISO18626_RETRY_FIRST
    assert tick().undelivered == 0  # not due yet: nothing is tried before its time
    assert tick(now=out.next_attempt).undelivered == 1  # tried again by the tick, still not there
    again = IllMessage.objects.get(pk=out.pk)
    assert again.attempts == 2 and again.raw == out.raw  # the same bytes
    assert timedelta(seconds=25) < again.next_attempt - timezone.now() <= timedelta(seconds=30)  # twice as long
    report = tick(now=timezone.now() + timedelta(days=4))
    req.refresh_from_db()
    assert report.timed_out == [req.pk] and req.supplier.code == "UNUD" and req.state == "RequestReceived"


def test_an_answer_before_the_confirmation_counts_as_confirmed(remote_unhas, held, staff):
    req = _ask_unhas(staff, held)
    services.illrequest_send(actor=staff("staf.unpatti"), request=req, lender="UNHAS")  # not delivered yet
    req.refresh_from_db()
    assert req.state == "Sent"
    assert supplier_says(req, "ExpectToSupply", reason="RequestResponse").confirmation_header.message_status == "OK"
    req.refresh_from_db()
    assert req.state == "ExpectToSupply"
    assert [e.action for e in req.events.order_by("at", "id")][-2:] == ["confirm", "ExpectToSupply"]


def test_answers_from_a_library_not_asked_are_refused(remote_unhas, held, staff, django_capture_on_commit_callbacks):
    req = _ask_unhas(staff, held)
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_send(actor=staff("staf.unpatti"), request=req, lender="UNHAS")
    sender.send_due()  # the sender, after the commit
    answer = supplier_says(req, "Loaned", supplier="PNRI")  # served here: it does not speak through /iso18626
    assert answer.error_data.error_type == "UnrecognisedDataValue" and "no ISO 18626 address" in \
        answer.error_data.error_value
    Peer.objects.create(library=Library.objects.get(code="PNRI"), url=remote_unhas.url, agency_id_type="JARINGAN",
                        agency_id_value="PNRI")
    answer = supplier_says(req, "WillSupply", supplier="PNRI")
    assert answer.error_data.error_type == "UnrecognisedDataValue" and "was not asked" in answer.error_data.error_value
    wrong = supplier_says(req, "LoanCompleted")  # not allowed from RequestReceived
    assert wrong.error_data.error_type == "UnrecognisedDataValue" and "not allowed" in wrong.error_data.error_value
    req.refresh_from_db()
    assert req.state == "RequestReceived"


def test_a_message_in_the_name_of_a_library_served_here_changes_nothing(remote_unhas, held, staff,
                                                                        django_capture_on_commit_callbacks):
    """Between two libraries served here no message travels: one posted in the lender's name is a forgery."""
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[0], service="loan", reader_name="X",
                                     send=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_send(actor=staff("staf.unpatti"), request=req, lender="UNUD")
    sender.send_due()  # the sender, after the commit
    req.refresh_from_db()
    assert (req.supplier.code, req.state) == ("UNUD", "RequestReceived")
    answer = supplier_says(req, "WillSupply", reason="RequestResponse", supplier="UNUD")
    assert answer.confirmation_header.message_status == "ERROR"
    assert answer.error_data.error_type == "UnrecognisedDataValue"
    assert "supplyingAgencyId JARINGAN:UNUD has no ISO 18626 address here" in answer.error_data.error_value
    req.refresh_from_db()
    assert req.state == "RequestReceived" and not req.events.filter(action="WillSupply").exists()


def test_a_supplier_keeps_the_id_it_gave_a_request(remote_unhas, held, staff, django_capture_on_commit_callbacks):
    req = _ask_unhas(staff, held)
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_send(actor=staff("staf.unpatti"), request=req, lender="UNHAS")
    sender.send_due()  # the sender, after the commit
    assert supplier_says(req, "WillSupply", reason="RequestResponse").confirmation_header.message_status == "OK"
    req.refresh_from_db()
    assert req.supplier_request_id == "UNHAS-77"
    now = timezone.now().replace(microsecond=0)
    for sid, words in [("UNHAS-78", "named request"), ("", "supplyingAgencyRequestId is empty")]:
        message = core.SupplyingAgencyMessage(
            header=el.Header(supplying_agency_id=_agency("UNHAS"), requesting_agency_id=_agency("UNPATTI"),
                             timestamp=now, requesting_agency_request_id=str(req.pk), supplying_agency_request_id=sid),
            message_info=el.MessageInfo(reason_for_message=core.ReasonForMessage.StatusChange),
            status_info=el.StatusInfo(status=core.Status.Loaned, last_change=now),
        )
        answer = core.parse(Client().post("/iso18626", data=core.build(message), content_type="application/xml")
                            .content)
        assert answer.error_data.error_type == "UnrecognisedDataValue" and words in answer.error_data.error_value
    req.refresh_from_db()
    assert req.state == "WillSupply"


def test_an_answer_to_a_question_not_asked_is_an_unsupported_reason(remote_unhas, held, staff,
                                                                     django_capture_on_commit_callbacks):
    req = _ask_unhas(staff, held)
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_send(actor=staff("staf.unpatti"), request=req, lender="UNHAS")
    sender.send_due()  # the sender, after the commit
    for reason, answer in [("CancelResponse", "N"), ("RenewResponse", "Y")]:
        refused = supplier_says(req, "RequestReceived", reason=reason, answer=answer)
        assert refused.error_data.error_type == "UnsupportedReasonForMessageType", refused.error_data
        assert refused.reason_for_message == reason
    req.refresh_from_db()
    assert req.state == "RequestReceived"
