"""Messages: the ReShare samples read, what is built is schema-valid and reads back the same,
confirmations answer good and broken input, and nothing hostile gets through the parser."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from lxml import etree

from jaringan.core.iso18626.codec import NS, parse_datetime
from jaringan.core.iso18626.elements import (
    AgencyId,
    BibliographicInfo,
    BibliographicItemId,
    ConfirmationHeader,
    Costs,
    DeliveryInfo,
    ErrorData,
    Header,
    MessageInfo,
    SchemeValue,
    ServiceInfo,
    StatusInfo,
)
from jaringan.core.iso18626.errors import (
    BadlyFormedMessage,
    MessageError,
    UnrecognisedDataElement,
    UnrecognisedDataValue,
    UnsupportedActionType,
    UnsupportedReasonForMessageType,
)
from jaringan.core.iso18626.messages import (
    MESSAGE_TYPES,
    Request,
    RequestConfirmation,
    RequestingAgencyMessage,
    RequestingAgencyMessageConfirmation,
    SupplyingAgencyMessage,
    SupplyingAgencyMessageConfirmation,
    build,
    confirmation_for,
    parse,
    validate,
)
from jaringan.core.iso18626.vocabulary import (
    Action,
    ErrorType,
    MessageStatus,
    ReasonForMessage,
    RequestType,
    ServiceType,
    Status,
    YesNo,
)
from tests.paths import ISO18626

XSD = ISO18626 / "ISO-18626-v1_2.xsd"
SAMPLES = ISO18626 / "reshare_samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.xml"))
UTC = timezone.utc
NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)

#: What each ReShare sample is, by file name.
SAMPLE_TYPES = {
    "case1_request.xml": Request,
    "iso18626_req_1.xml": Request,
    "request.xml": Request,
    "requestConfirmation.xml": RequestConfirmation,
    "requestingAgencyMessage.xml": RequestingAgencyMessage,
    "requestingAgencyMessageConfirmation.xml": RequestingAgencyMessageConfirmation,
    "supplyingAgencyMessage.xml": SupplyingAgencyMessage,
    "supplyingAgencyMessageConfirmation.xml": SupplyingAgencyMessageConfirmation,
}


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _agency(value: str) -> AgencyId:
    return AgencyId(agency_id_type=SchemeValue(value="ISIL"), agency_id_value=value)


HEADER = Header(
    supplying_agency_id=_agency("ID-JKPNRI"),
    requesting_agency_id=_agency("ID-JBBDGUNP"),
    multiple_item_request_id="",
    timestamp=datetime(2026, 11, 24, 9, 15, 0, tzinfo=timezone(timedelta(hours=7))),
    requesting_agency_request_id="JRG-2026-000042",
    supplying_agency_request_id="PNRI-77",
)
CONFIRMATION_HEADER = ConfirmationHeader(
    supplying_agency_id=HEADER.supplying_agency_id,
    requesting_agency_id=HEADER.requesting_agency_id,
    timestamp=NOW,
    requesting_agency_request_id=HEADER.requesting_agency_request_id,
    timestamp_received=HEADER.timestamp,
    message_status=MessageStatus.OK,
)
#: One hand-made message of each of the six types, Jaringan-flavoured.
BUILT = {
    "request": Request(
        header=HEADER,
        bibliographic_info=BibliographicInfo(
            title="Bumi Manusia",
            author="Pramoedya Ananta Toer",
            bibliographic_item_ids=(
                BibliographicItemId(
                    bibliographic_item_identifier="9789799731234",
                    bibliographic_item_identifier_code=SchemeValue(value="ISBN"),
                ),
            ),
        ),
        service_info=ServiceInfo(
            request_type=RequestType.New,
            service_type=ServiceType.Loan,
            need_before_date=datetime(2026, 12, 20, tzinfo=UTC),
            any_edition=YesNo.Y,
        ),
    ),
    "supplyingAgencyMessage": SupplyingAgencyMessage(
        header=HEADER,
        message_info=MessageInfo(
            reason_for_message=ReasonForMessage.RequestResponse,
            offered_costs=Costs(currency_code=SchemeValue(value="IDR"), monetary_value=Decimal("25000.00")),
            retry_after=datetime(2027, 1, 5, tzinfo=UTC),
        ),
        status_info=StatusInfo(status=Status.RetryPossible, last_change=NOW),
    ),
    "supplyingAgencyMessage-loaned": SupplyingAgencyMessage(
        header=HEADER,
        message_info=MessageInfo(reason_for_message=ReasonForMessage.StatusChange),
        status_info=StatusInfo(status=Status.Loaned, due_date=datetime(2027, 1, 31, tzinfo=UTC), last_change=NOW),
        delivery_info=DeliveryInfo(date_sent=NOW, item_id="B-0001234", sent_to_patron=False),
    ),
    "requestingAgencyMessage": RequestingAgencyMessage(header=HEADER, action=Action.ShippedReturn, note="via JNE"),
    "requestConfirmation": RequestConfirmation(confirmation_header=CONFIRMATION_HEADER),
    "supplyingAgencyMessageConfirmation": SupplyingAgencyMessageConfirmation(
        confirmation_header=CONFIRMATION_HEADER, reason_for_message=ReasonForMessage.StatusChange
    ),
    "requestingAgencyMessageConfirmation": RequestingAgencyMessageConfirmation(
        confirmation_header=CONFIRMATION_HEADER.__class__(
            timestamp=NOW, timestamp_received=NOW, message_status=MessageStatus.ERROR
        ),
        action=Action.Renew,
        error_data=ErrorData(error_type=ErrorType.UnsupportedActionType, error_value="Renew"),
    ),
}


# --- reading the samples ---------------------------------------------------------------


def test_every_sample_is_known():
    assert {p.name for p in SAMPLE_FILES} == set(SAMPLE_TYPES)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_parses_as_its_type(path):
    assert type(parse(path.read_bytes())) is SAMPLE_TYPES[path.name]


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_builds_schema_valid_and_reads_back_the_same(path):
    message = parse(path.read_bytes())
    xml = build(message)
    assert validate(xml, XSD) == []
    assert parse(xml) == message


def test_the_raw_samples_are_dirty_which_is_why_parse_normalises():
    complaints = validate(_sample("request.xml"), XSD)
    assert complaints and all("+0000" in c for c in complaints)


def test_bare_elements_and_plus_0000_timestamps_are_normalised():
    message = parse(_sample("supplyingAgencyMessage.xml"))  # bare <supplyingAgencyMessage>, +0000
    assert message.header.timestamp == datetime(1900, 1, 1, 1, 1, 1, tzinfo=UTC)
    assert message.status_info.status is Status.RequestReceived
    assert message.delivery_info.sent_to_patron is True
    assert message.header.supplying_agency_id.agency_id_type == SchemeValue(
        value="agencyIdType1", scheme="http://uri1"
    )
    assert b"1900-01-01T01:01:01+00:00" in build(message)


def test_a_request_from_a_version_1_1_peer_reads_without_multiple_item_request_id():
    request = parse(_sample("case1_request.xml"))
    assert request.header.multiple_item_request_id == ""
    assert request.header.timestamp == datetime(2014, 3, 17, 9, 30, 47, tzinfo=UTC)
    assert request.service_info.service_type is ServiceType.Loan


def test_the_full_request_sample_keeps_every_repeated_element():
    request = parse(_sample("request.xml"))
    assert len(request.bibliographic_info.bibliographic_item_ids) == 3
    assert [s.sort_order for s in request.supplier_infos] == [1, 2, 3]
    assert len(request.service_info.request_sub_types) == 3
    assert request.billing_info.maximum_costs.monetary_value == Decimal(1)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2014-03-17T09:30:47.0Z", datetime(2014, 3, 17, 9, 30, 47, tzinfo=UTC)),
        ("1900-01-01T01:01:01+0000", datetime(1900, 1, 1, 1, 1, 1, tzinfo=UTC)),
        ("2026-11-24T16:15:00+0700", datetime(2026, 11, 24, 9, 15, tzinfo=UTC)),
        ("2026-11-24T16:15:00.1234567+07:00", datetime(2026, 11, 24, 9, 15, 0, 123456, tzinfo=UTC)),
        ("2026-11-24T16:15:00", datetime(2026, 11, 24, 16, 15)),
    ],
)
def test_timestamps_in_the_forms_peers_send(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["2026-11-24", "24/11/2026 16:15", "2026-13-40T99:00:00Z", ""])
def test_what_is_not_a_timestamp_is_badly_formed(text):
    with pytest.raises(BadlyFormedMessage):
        parse_datetime(text)


# --- building ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BUILT))
def test_each_message_type_builds_schema_valid_and_round_trips(name):
    message = BUILT[name]
    xml = build(message)
    assert validate(xml, XSD) == []
    assert parse(xml) == message


def test_built_messages_are_wrapped_and_say_version_1_2():
    root = etree.fromstring(build(BUILT["request"]))
    assert root.tag == f"{{{NS}}}ISO18626Message"
    assert root.get(f"{{{NS}}}version") == "1.2"
    assert [etree.QName(c).localname for c in root] == ["request"]


def test_every_message_type_is_covered():
    assert {type(m).ELEMENT for m in BUILT.values()} == set(MESSAGE_TYPES)


def test_validate_reports_what_the_schema_refuses():
    xml = build(BUILT["requestingAgencyMessage"]).replace(b"ShippedReturn", b"ShippedBack")
    (complaint,) = validate(xml, XSD)
    assert "action" in complaint


# --- confirmations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, confirmation, echoed",
    [
        ("request", RequestConfirmation, {}),
        ("supplyingAgencyMessage", SupplyingAgencyMessageConfirmation, {"reason_for_message": "RequestResponse"}),
        ("requestingAgencyMessage", RequestingAgencyMessageConfirmation, {"action": "ShippedReturn"}),
    ],
)
def test_an_ok_confirmation_mirrors_the_header_and_is_valid(name, confirmation, echoed):
    xml = confirmation_for(BUILT[name], status=MessageStatus.OK, now=NOW)
    assert validate(xml, XSD) == []
    answer = parse(xml)
    assert type(answer) is confirmation
    header = answer.confirmation_header
    assert header.message_status is MessageStatus.OK
    assert header.supplying_agency_id == HEADER.supplying_agency_id
    assert header.requesting_agency_id == HEADER.requesting_agency_id
    assert header.requesting_agency_request_id == HEADER.requesting_agency_request_id
    assert header.timestamp_received == HEADER.timestamp and header.timestamp == NOW
    assert answer.error_data is None
    for field, value in echoed.items():
        assert getattr(answer, field) == value


def test_an_error_confirmation_for_a_good_message_carries_the_error():
    xml = confirmation_for(
        BUILT["requestingAgencyMessage"],
        status="ERROR",
        error_type=ErrorType.UnsupportedActionType,
        error_value="ShippedReturn",
        now=NOW,
    )
    assert validate(xml, XSD) == []
    answer = parse(xml)
    assert answer.confirmation_header.message_status is MessageStatus.ERROR
    assert answer.error_data == ErrorData(error_type=ErrorType.UnsupportedActionType, error_value="ShippedReturn")


def test_nonsense_confirmations_are_refused():
    with pytest.raises(ValueError, match="itself a confirmation"):
        confirmation_for(BUILT["requestConfirmation"], status="OK")
    with pytest.raises(ValueError, match="needs an error_type"):
        confirmation_for(BUILT["request"], status="ERROR")
    with pytest.raises(ValueError, match="no error_type"):
        confirmation_for(BUILT["request"], status="OK", error_type="BadlyFormedMessage")
    with pytest.raises(ValueError, match="cannot be confirmed OK"):
        confirmation_for(BadlyFormedMessage("x"), status="OK")


# --- broken and hostile input ------------------------------------------------------------

REQUEST = _sample("iso18626_req_1.xml")
AGENCY_MESSAGE = _sample("requestingAgencyMessage.xml")

#: name → (bytes, error class, what the error says, kind of message it was, can the header be echoed)
BROKEN = {
    "not-xml": (b"hello, this is not XML", BadlyFormedMessage, "not well-formed", None, False),
    "truncated": (REQUEST[: len(REQUEST) // 2], BadlyFormedMessage, "not well-formed", None, False),
    "empty": (b"", BadlyFormedMessage, "not well-formed", None, False),
    "no-namespace": (REQUEST.replace(b'xmlns="http://illtransactions.org/2013/iso18626"', b""),
                     BadlyFormedMessage, "not in the ISO 18626 namespace", None, False),
    "unknown-root": (b'<loanRequest xmlns="http://illtransactions.org/2013/iso18626"/>',
                     BadlyFormedMessage, "not one of the ISO 18626 messages", None, False),
    "two-in-one-wrapper": (b'<ISO18626Message xmlns="http://illtransactions.org/2013/iso18626"><request/>'
                           b"<request/></ISO18626Message>", BadlyFormedMessage, "exactly one", None, False),
    "no-bibliographic-info": (
        REQUEST.replace(
            b"<bibliographicInfo>\n      <supplierUniqueRecordId>27345786</supplierUniqueRecordId>\n"
            b"    </bibliographicInfo>", b""),
        BadlyFormedMessage, "<bibliographicInfo> is missing", "request", True),
    "unknown-service-type": (REQUEST.replace(b">Loan<", b">Pinjam<"), UnrecognisedDataValue,
                             "'Pinjam' is not one of Copy, Loan, CopyOrLoan", "request", True),
    "unknown-element": (REQUEST.replace(b"<anyEdition>", b"<kodePerpustakaan>X</kodePerpustakaan><anyEdition>"),
                        UnrecognisedDataElement, "serviceInfo/kodePerpustakaan", "request", True),
    "out-of-order": (REQUEST.replace(b"<serviceType>Loan</serviceType>", b"").replace(
                         b"</anyEdition>", b"</anyEdition><serviceType>Loan</serviceType>"),
                     BadlyFormedMessage, "serviceInfo/serviceType: repeated or out of order", "request", True),
    "bad-timestamp": (REQUEST.replace(b"2014-03-17T09:30:47.0Z", b"kemarin sore"),
                      BadlyFormedMessage, "'kemarin sore' is not a date and time", "request", True),
    "unknown-action": (AGENCY_MESSAGE.replace(b"StatusRequest", b"Kembalikan"), UnsupportedActionType,
                       "'Kembalikan'", "requestingAgencyMessage", True),
    "unknown-reason": (_sample("supplyingAgencyMessage.xml").replace(b">RequestResponse<", b">Jawaban<"),
                       UnsupportedReasonForMessageType, "reasonForMessage: 'Jawaban'", "supplyingAgencyMessage",
                       True),
    "empty-required-date": (REQUEST.replace(b"2014-03-17T09:30:47.0Z", b""), BadlyFormedMessage,
                            "timestamp: '' is not a date", "request", True),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_input_is_refused_with_the_standard_error_type(name):
    xml, error, words, kind, echoed = BROKEN[name]
    with pytest.raises(error) as refused:
        parse(xml)
    assert words in refused.value.error_value
    assert refused.value.error_type == error.error_type
    assert refused.value.kind == kind


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_input_gets_a_schema_valid_error_confirmation(name):
    xml, error, _words, kind, echoed = BROKEN[name]
    with pytest.raises(MessageError) as refused:
        parse(xml)
    answer_xml = confirmation_for(refused.value, status=MessageStatus.ERROR, now=NOW)
    assert validate(answer_xml, XSD) == []
    answer = parse(answer_xml)
    assert answer.confirmation_header.message_status is MessageStatus.ERROR
    assert answer.error_data.error_type == error.error_type
    if kind == "requestingAgencyMessage":
        assert type(answer) is RequestingAgencyMessageConfirmation
    elif kind == "supplyingAgencyMessage":
        assert type(answer) is SupplyingAgencyMessageConfirmation
    else:
        assert type(answer) is RequestConfirmation
    if echoed:
        assert answer.confirmation_header.requesting_agency_id is not None
        assert answer.confirmation_header.requesting_agency_request_id


HOSTILE = {
    "external-entity": b"""<?xml version="1.0"?>
<!DOCTYPE request [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<request xmlns="http://illtransactions.org/2013/iso18626"><header>&secret;</header></request>""",
    "billion-laughs": b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<requestingAgencyMessage xmlns="http://illtransactions.org/2013/iso18626"><note>&lol3;</note>
</requestingAgencyMessage>""",
    "external-dtd": b"""<?xml version="1.0"?>
<!DOCTYPE request SYSTEM "http://example.invalid/iso18626.dtd">
<request xmlns="http://illtransactions.org/2013/iso18626"/>""",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_doctype_or_entity_is_refused(name):
    with pytest.raises(BadlyFormedMessage, match="DOCTYPE") as refused:
        parse(HOSTILE[name])
    assert b"root:" not in confirmation_for(refused.value, status="ERROR", now=NOW)
    assert validate(HOSTILE[name], XSD) == [refused.value.error_value]
