"""POST /iso18626: what other systems really send (ReShare's samples), hostile input, repeats."""

from __future__ import annotations

import pytest
from django.test import Client

from jaringan.core import iso18626 as core
from jaringan.ill.iso18626 import sender
from jaringan.ill.models import AgencyId, IllMessage, IllRequest, Peer
from jaringan.network.models import Library
from tests.paths import ISO18626

from .peer_server import PeerServer

pytestmark = pytest.mark.django_db

SAMPLES = ISO18626 / "reshare_samples"
XSD = ISO18626 / "ISO-18626-v1_2.xsd"
E = core.ErrorType


def post(raw: bytes, *, status: int = 200):
    response = Client().post("/iso18626", data=raw, content_type="application/xml")
    assert response.status_code == status and response["Content-Type"].startswith("application/xml")
    assert core.validate(response.content, XSD) == []  # every answer is schema-valid
    return core.parse(response.content)


def error_of(confirmation):
    return confirmation.error_data.error_type if confirmation.error_data else None


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


#: sample → (confirmation class, its status and error type before the agencies are known here)
UNKNOWN = {
    "case1_request.xml": (core.RequestConfirmation, E.UnrecognisedDataValue),
    "iso18626_req_1.xml": (core.RequestConfirmation, E.UnrecognisedDataValue),
    "request.xml": (core.RequestConfirmation, E.UnrecognisedDataValue),
    "requestingAgencyMessage.xml": (core.RequestingAgencyMessageConfirmation, E.UnrecognisedDataValue),
    "supplyingAgencyMessage.xml": (core.SupplyingAgencyMessageConfirmation, E.UnrecognisedDataValue),
    "requestConfirmation.xml": (core.RequestConfirmation, E.BadlyFormedMessage),
    "requestingAgencyMessageConfirmation.xml": (core.RequestConfirmation, E.BadlyFormedMessage),
    "supplyingAgencyMessageConfirmation.xml": (core.RequestConfirmation, E.BadlyFormedMessage),
}


def test_every_sample_is_answered_before_its_agencies_are_known(demo_network):
    assert sorted(UNKNOWN) == sorted(p.name for p in SAMPLES.glob("*.xml"))
    for name, (kind, error) in UNKNOWN.items():
        answer = post(sample(name))
        assert isinstance(answer, kind) and answer.confirmation_header.message_status == "ERROR", name
        assert error_of(answer) == error, (name, answer.error_data)
    assert IllRequest.objects.count() == 0
    kept = IllMessage.objects.filter(direction="in")
    assert kept.count() == len(UNKNOWN) and all(m.answer_id for m in kept)
    # ReShare writes timestamps "+0000": read leniently, and the log keeps what the schema says of it.
    full = next(m for m in kept.filter(kind="request") if b"agencyIdValue1" in bytes(m.raw))
    assert full.valid is False and any("timestamp" in e for e in full.errors)


@pytest.fixture
def reshare(demo_network):
    """ReShare's agencies named here: three suppliers served here, three requesters served by a peer."""
    with PeerServer().running() as peer:
        for code, kind, value in [("UNUD", "RESHARE", "TEMPLEI"), ("DISPUSIP-SULSEL", "RESHARE", "KNOWINT01"),
                                  ("UNPATTI", "agencyIdType1", "agencyIdValue1")]:
            AgencyId.objects.create(library=Library.objects.get(code=code), id_type=kind, id_value=value)
        for code, kind, value in [("UGM", "RESHARE", "MILL"), ("USU", "RESHARE", "TESTINST01"),
                                  ("UNHAS", "agencyIdType2", "agencyIdValue1")]:
            Peer.objects.create(library=Library.objects.get(code=code), url=peer.url, agency_id_type=kind,
                                agency_id_value=value)
        yield peer


def test_every_sample_is_handled_once_its_agencies_are_known(reshare, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = {name: post(sample(name)) for name in [
            "case1_request.xml", "iso18626_req_1.xml", "request.xml", "requestingAgencyMessage.xml",
            "supplyingAgencyMessage.xml", "requestConfirmation.xml"]}
        # The sample's supplyingAgencyRequestId is a placeholder, not the id this hub gave the request: refused.
        placeholder = answers["requestingAgencyMessage.xml"]
        assert error_of(placeholder) == E.UnrecognisedDataValue
        assert "supplyingAgencyRequestId supplyingAgencyRequestId1" in placeholder.error_data.error_value
        ours = IllRequest.objects.get(peer_request_id="requestingAgencyRequestId1").pk
        answers["requestingAgencyMessage.xml"] = post(sample("requestingAgencyMessage.xml").replace(
            b">supplyingAgencyRequestId1<", f">{ours}<".encode()))
    sender.send_due()  # the sender, after the commits
    for name in ("case1_request.xml", "iso18626_req_1.xml", "request.xml", "requestingAgencyMessage.xml"):
        assert answers[name].confirmation_header.message_status == "OK", (name, answers[name].error_data)
    assert answers["requestingAgencyMessage.xml"].action == "StatusRequest"
    # A supplier's message in the name of a library served here (no message travels to it) is refused, with why.
    refused = answers["supplyingAgencyMessage.xml"]
    assert error_of(refused) == E.UnrecognisedDataValue and "agencyIdType1:agencyIdValue1 has no ISO 18626 " \
        "address here" in refused.error_data.error_value
    assert error_of(answers["requestConfirmation.xml"]) == E.BadlyFormedMessage

    case1 = IllRequest.objects.get(peer_request_id="49837539", requester__code="UGM")
    # UGM may not ask UNUD: no agreement covers it (FPPTI's lending agreement starts in 2027), so it is unfilled.
    assert case1.origin == "remote" and case1.supplier.code == "UNUD" and case1.state == "Unfilled"
    assert case1.service == "loan" and case1.any_edition and case1.title == "[27345786]"
    full = IllRequest.objects.get(peer_request_id="requestingAgencyRequestId1")
    # UNHAS may ask UNPATTI for copies (their own agreement): the request waits for UNPATTI's staff.
    assert (full.supplier.code, full.requester.code, full.state, full.service) == ("UNPATTI", "UNHAS",
                                                                                 "RequestReceived", "copy")
    assert (full.title, full.container, full.author) == ("titleOfComponent1", "title1", "authorOfComponent1")
    assert [e.action for e in full.events.order_by("at", "id")] == ["receive", "StatusRequest", "answer_status"]

    sent = reshare.messages()
    statuses = [(m.header.requesting_agency_id.agency_id_value, m.status_info.status, m.message_info.reason_for_message)
                for m in sent]
    assert ("MILL", "Unfilled", "RequestResponse") in statuses
    assert ("agencyIdValue1", "RequestReceived", "StatusRequestResponse") in statuses
    answered = next(m for m in sent if m.message_info.reason_for_message == "StatusRequestResponse")
    # The answer names the agencies as the peer named them, and carries our id for the request.
    assert answered.header.supplying_agency_id.agency_id_type.value == "agencyIdType1"
    assert answered.header.requesting_agency_request_id == "requestingAgencyRequestId1"
    assert answered.header.supplying_agency_request_id == str(full.pk)
    assert all(core.validate(body, XSD) == [] for body in reshare.received)
    assert IllMessage.objects.filter(direction="out", request=full, kind="supplyingAgencyMessage",
                                     status="sent").count() == 1


def test_a_message_received_twice_is_applied_once(reshare, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = Client().post("/iso18626", data=sample("request.xml"), content_type="application/xml").content
        again = Client().post("/iso18626", data=sample("request.xml"), content_type="application/xml").content
    assert first == again and core.parse(first).confirmation_header.message_status == "OK"
    assert IllRequest.objects.filter(peer_request_id="requestingAgencyRequestId1").count() == 1
    changed = sample("request.xml").replace(b"<note>note1</note>", b"<note>note2</note>")
    assert error_of(post(changed)) == E.UnrecognisedDataValue  # the same id again, another message


HOSTILE = {
    "not xml": (b"this is not XML", E.BadlyFormedMessage),
    "external entity": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                        b'<request xmlns="http://illtransactions.org/2013/iso18626">&e;</request>',
                        E.BadlyFormedMessage),
    "billion laughs": (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                       b'<request xmlns="http://illtransactions.org/2013/iso18626">&b;</request>',
                       E.BadlyFormedMessage),
    "wrong namespace": (b'<request xmlns="urn:other"><header/></request>', E.BadlyFormedMessage),
    "misspelt status": (None, E.UnrecognisedDataValue),
    "unknown element": (None, E.UnrecognisedDataElement),
    "too large": (b"<x>" + b" " * (1024 * 1024 + 10) + b"</x>", E.BadlyFormedMessage),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_and_broken_input_is_refused_with_the_right_error(case, demo_network):
    raw, error = HOSTILE[case]
    if case == "misspelt status":
        raw = sample("supplyingAgencyMessage.xml").replace(b"<status>RequestReceived</status>",
                                                           b"<status>Loand</status>")
    elif case == "unknown element":
        raw = sample("requestingAgencyMessage.xml").replace(b"<note>note1</note>", b"<note>n</note><x>1</x>")
    answer = post(raw, status=413 if case == "too large" else 200)
    assert answer.confirmation_header.message_status == "ERROR" and error_of(answer) == error
    assert b"root:" not in Client().post("/iso18626", data=raw, content_type="application/xml").content
    assert IllRequest.objects.count() == 0


def test_only_post_is_accepted(demo_network):
    assert Client().get("/iso18626").status_code == 405


def test_a_peer_with_a_security_code_must_send_it(reshare):
    Peer.objects.filter(agency_id_value="agencyIdValue1").update(security_code="rahasia")
    answer = post(sample("request.xml"))  # it carries securityCode1
    assert error_of(answer) == E.UnrecognisedDataValue and "security code" in answer.error_data.error_value
    fixed = sample("request.xml").replace(b"securityCode1", b"rahasia")
    assert post(fixed).confirmation_header.message_status == "OK"
