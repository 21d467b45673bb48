"""POST /iso18626 over real HTTP: a request is the pair (the peer that sent it, its id there), and nothing else.

The request is ReShare's own test message (``illmockrequest.xml`` from mod-rs,
sent by agency DMMY:NIA2 to DMMY:NIA1): here NIA1 names UNPATTI, served by
this hub, and NIA2 and NIA3 name UNHAS and UGM, served by another system.
Every answer is checked against the schema, its ``errorType`` against the
schema's own list.
"""

from __future__ import annotations

import urllib.request

import pytest
from lxml import etree

from jaringan.core import iso18626 as core
from jaringan.core.iso18626 import elements as el
from jaringan.core.iso18626.codec import parse_datetime
from jaringan.ill.models import AgencyId, IllMessage, IllRequest, Peer
from jaringan.network.models import Library
from tests.paths import FIXTURES, ISO18626

from .peer_server import PeerServer

XSD = ISO18626 / "ISO-18626-v1_2.xsd"
MOCK_REQUEST = FIXTURES / "ill_iso18626" / "reshare_mod_rs" / "illmockrequest.xml"
E = core.ErrorType


def schema_error_types() -> set[str]:
    """The values of ``type_errorType``, read from the schema itself."""
    tree = etree.parse(str(XSD))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    kind = tree.find(f"{xs}simpleType[@name='type_errorType']")
    return {e.get("value") for e in kind.iter(f"{xs}enumeration")}


def post(url: str, raw: bytes):
    """POST one message with a plain HTTP client; the answer must be a schema-valid confirmation."""
    request = urllib.request.Request(url + "/iso18626", data=raw, method="POST",
                                     headers={"Content-Type": "application/xml"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("application/xml")
        body = response.read()
    assert core.validate(body, XSD) == []
    answer = core.parse(body)
    if answer.error_data is not None:
        assert answer.error_data.error_type in schema_error_types()
    return answer


def refused(answer, error_type: str, words: str) -> bool:
    data = answer.error_data
    return (answer.confirmation_header.message_status == "ERROR" and data is not None
            and data.error_type == error_type and words in (data.error_value or ""))


def mock_request(*, rid: str = "DMMYNIA2-1", requester: str = "NIA2", request_type: str = "New",
                 previous: str | None = None) -> bytes:
    """ReShare's mock request, with the id, the requester, the request type or a previous id set."""
    raw = MOCK_REQUEST.read_bytes()
    raw = raw.replace(b"<requestingAgencyRequestId>DMMYNIA2-1<", f"<requestingAgencyRequestId>{rid}<".encode())
    raw = raw.replace(b"<agencyIdValue>NIA2<", f"<agencyIdValue>{requester}<".encode())
    raw = raw.replace(b"<requestType>New<", f"<requestType>{request_type}<".encode())
    if previous is not None:
        raw = raw.replace(b"<serviceType>", f"<requestingAgencyPreviousRequestId>{previous}"
                                            f"</requestingAgencyPreviousRequestId><serviceType>".encode())
    return raw


def _dmmy(value: str) -> el.AgencyId:
    return el.AgencyId(agency_id_type=el.SchemeValue(value="DMMY"), agency_id_value=value)


def action(name: str, rid: str, *, requester: str = "NIA2", sid: str | None = None) -> bytes:
    """A requestingAgencyMessage from a DMMY requester to NIA1 (UNPATTI)."""
    return core.build(core.RequestingAgencyMessage(
        header=el.Header(supplying_agency_id=_dmmy("NIA1"), requesting_agency_id=_dmmy(requester),
                         timestamp=parse_datetime("2026-12-06T08:00:00Z"),
                         requesting_agency_request_id=rid, supplying_agency_request_id=sid),
        action=core.Action(name), note=f"{name} {rid} {sid}"))


@pytest.fixture
def hub(demo_network, live_server):
    """The hub on a live HTTP server; UNPATTI is DMMY:NIA1, UNHAS (NIA2) and UGM (NIA3) are on a peer system."""
    with PeerServer().running() as peer:
        AgencyId.objects.create(library=Library.objects.get(code="UNPATTI"), id_type="DMMY", id_value="NIA1")
        for code, value in [("UNHAS", "NIA2"), ("UGM", "NIA3")]:
            Peer.objects.create(library=Library.objects.get(code=code), url=peer.url, agency_id_type="DMMY",
                                agency_id_value=value)
        peer.url_of_hub = live_server.url
        yield peer


def _states() -> dict:
    return {(r.requester.code, r.peer_request_id): r.state
            for r in IllRequest.objects.filter(origin="remote").select_related("requester")}


def test_an_empty_id_is_refused_and_never_stands_for_another_request(hub):
    url = hub.url_of_hub
    assert post(url, mock_request()).confirmation_header.message_status == "OK"
    taken = IllRequest.objects.get(origin="remote", peer_request_id="DMMYNIA2-1")
    assert (taken.requester.code, taken.supplier.code, taken.title) == ("UNHAS", "UNPATTI", "Layered of the Rungs")
    before = _states()
    for rid in ("", "   "):
        answer = post(url, mock_request(rid=rid))
        assert isinstance(answer, core.RequestConfirmation)
        assert refused(answer, E.UnrecognisedDataValue, "requestingAgencyRequestId is empty")
        cancel = post(url, action("Cancel", rid))
        assert isinstance(cancel, core.RequestingAgencyMessageConfirmation) and cancel.action == "Cancel"
        assert refused(cancel, E.UnrecognisedDataValue, "requestingAgencyRequestId is empty")
    empty_sid = post(url, action("Cancel", "DMMYNIA2-1", sid=""))
    assert refused(empty_sid, E.UnrecognisedDataValue, "supplyingAgencyRequestId is empty")
    assert _states() == before and not IllRequest.objects.filter(peer_request_id__in=["", "   "]).exists()
    # Nothing went out about any of it: no CancelResponse with an empty id.
    assert all(m.header.requesting_agency_request_id.strip() for m in hub.messages())
    assert not any(getattr(m, "message_info", None) and m.message_info.reason_for_message == "CancelResponse"
                   for m in hub.messages())


def test_a_message_about_a_request_never_received_gets_its_own_error(hub):
    url = hub.url_of_hub
    for request_type in ("Reminder", "Retry"):
        answer = post(url, mock_request(rid="DMMYNIA2-404", request_type=request_type))
        assert isinstance(answer, core.RequestConfirmation)
        assert refused(answer, E.UnrecognisedDataValue, "DMMYNIA2-404: no request from DMMY:NIA2 here")
    for name in ("Cancel", "Renew", "StatusRequest", "Received", "ShippedReturn", "Notification"):
        answer = post(url, action(name, "DMMYNIA2-404"))
        assert isinstance(answer, core.RequestingAgencyMessageConfirmation) and answer.action == name
        assert refused(answer, E.UnrecognisedDataValue, "DMMYNIA2-404: no such request from DMMY:NIA2 here")
    assert IllRequest.objects.count() == 0
    assert not IllMessage.objects.filter(request__isnull=False).exists()


def test_a_request_is_found_by_its_peer_and_its_id_together(hub):
    url = hub.url_of_hub
    assert post(url, mock_request()).confirmation_header.message_status == "OK"
    assert post(url, mock_request(rid="DMMYNIA2-2")).confirmation_header.message_status == "OK"
    first, second = (IllRequest.objects.get(peer_request_id=rid) for rid in ("DMMYNIA2-1", "DMMYNIA2-2"))
    before = _states()
    # Another peer naming NIA2's id, even with this hub's number for it, finds nothing.
    foreign = post(url, action("Cancel", "DMMYNIA2-1", requester="NIA3", sid=str(first.pk)))
    assert refused(foreign, E.UnrecognisedDataValue, "DMMYNIA2-1: no such request from DMMY:NIA3 here")
    # NIA2's own id for one request with this hub's number of the other: the two disagree, nothing is touched.
    crossed = post(url, action("Cancel", "DMMYNIA2-1", sid=str(second.pk)))
    assert refused(crossed, E.UnrecognisedDataValue, f"supplyingAgencyRequestId {second.pk}")
    assert _states() == before
    # The same request named rightly is found (a status request is answered, as the table allows).
    asked = post(url, action("StatusRequest", "DMMYNIA2-1", sid=str(first.pk)))
    assert asked.confirmation_header.message_status == "OK", asked.error_data
    assert list(first.events.values_list("action", flat=True).order_by("id"))[-2:] == ["StatusRequest",
                                                                                        "answer_status"]
    assert not second.events.exclude(action="receive").exists()


def test_a_reminder_about_a_request_received_is_noted_not_taken_as_a_new_one(hub):
    url = hub.url_of_hub
    assert post(url, mock_request()).confirmation_header.message_status == "OK"
    reminded = post(url, mock_request(request_type="Reminder"))
    assert reminded.confirmation_header.message_status == "OK", reminded.error_data
    assert IllRequest.objects.count() == 1
    assert IllRequest.objects.get().events.filter(action="reminder").count() == 1


def test_previous_request_ids_are_read(hub):
    url = hub.url_of_hub
    assert post(url, mock_request()).confirmation_header.message_status == "OK"
    first = IllRequest.objects.get(peer_request_id="DMMYNIA2-1")
    # A Retry naming a previous id never received here is refused, naming the element.
    answer = post(url, mock_request(rid="DMMYNIA2-1r", request_type="Retry", previous="DMMYNIA2-0"))
    assert refused(answer, E.UnrecognisedDataValue, "requestingAgencyPreviousRequestId DMMYNIA2-0: no such request")
    # A new request following the first is linked to it, both ways.
    answer = post(url, mock_request(rid="DMMYNIA2-2", previous="DMMYNIA2-1"))
    assert answer.confirmation_header.message_status == "OK", answer.error_data
    second = IllRequest.objects.get(peer_request_id="DMMYNIA2-2")
    assert first.events.get(action="followed").note == f"requestingAgencyRequestId DMMYNIA2-2: request #{second.pk}"
    assert second.events.get(action="follows").note == \
        f"requestingAgencyPreviousRequestId DMMYNIA2-1: request #{first.pk}"
    # One following a request sent to another system is simply new (its previous id is no concern here).
    answer = post(url, mock_request(rid="DMMYNIA2-3", previous="DMMYNIA2-elsewhere"))
    assert answer.confirmation_header.message_status == "OK", answer.error_data
    assert not IllRequest.objects.get(peer_request_id="DMMYNIA2-3").events.filter(action="follows").exists()


def test_unknown_actions_and_reasons_get_their_own_error_types(hub):
    url = hub.url_of_hub
    assert post(url, mock_request()).confirmation_header.message_status == "OK"
    raw = action("Cancel", "DMMYNIA2-1").replace(b"<action>Cancel</action>", b"<action>Batalkan</action>")
    answer = post(url, raw)
    assert isinstance(answer, core.RequestingAgencyMessageConfirmation)
    assert refused(answer, E.UnsupportedActionType, "'Batalkan' is not one of")
    message = core.SupplyingAgencyMessage(
        header=el.Header(supplying_agency_id=_dmmy("NIA2"), requesting_agency_id=_dmmy("NIA1"),
                         timestamp=parse_datetime("2026-12-06T08:00:00Z"),
                         requesting_agency_request_id="1"),
        message_info=el.MessageInfo(reason_for_message=core.ReasonForMessage.StatusChange),
        status_info=el.StatusInfo(status=core.Status.Loaned,
                                  last_change=parse_datetime("2026-12-06T08:00:00Z")))
    raw = core.build(message).replace(b">StatusChange<", b">Perubahan<")
    answer = post(url, raw)
    assert isinstance(answer, core.SupplyingAgencyMessageConfirmation)
    assert refused(answer, E.UnsupportedReasonForMessageType, "'Perubahan' is not one of")
    assert IllRequest.objects.get().state == "RequestReceived"


def test_a_retry_under_a_new_id_moves_the_request_to_it(hub, principal):
    from jaringan.ill import services

    url = hub.url_of_hub
    assert post(url, mock_request()).confirmation_header.message_status == "OK"
    req = IllRequest.objects.get()
    services.illrequest_act(actor=principal("staf.unpatti"), request=req, action="RetryPossible",
                            expected_version=req.version, offered_cost=250000, note="ongkos kirim kilat")
    answer = post(url, mock_request(rid="DMMYNIA2-1b", request_type="Retry", previous="DMMYNIA2-1"))
    assert answer.confirmation_header.message_status == "OK", answer.error_data
    req.refresh_from_db()
    assert req.peer_request_id == "DMMYNIA2-1b" and req.state != "RetryPossible" and IllRequest.objects.count() == 1
    assert req.events.get(action="accept_conditions").note == "requestingAgencyRequestId DMMYNIA2-1b (was DMMYNIA2-1)"
    # From then on the request answers to its new id only.
    assert refused(post(url, action("StatusRequest", "DMMYNIA2-1")), E.UnrecognisedDataValue, "no such request")
    assert post(url, action("StatusRequest", "DMMYNIA2-1b")).confirmation_header.message_status == "OK"
