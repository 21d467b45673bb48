"""NCIP 2: every real message read; every answer Jaringan writes valid against the 2.0, 2.01 and 2.02
schemas; the client against a member's NCIP server running as a process of its own on 127.0.0.1."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from lxml import etree

from jaringan.interop.ncip import messages
from tests.paths import SHARED
from tests.reciprocal.server import ncip_server

FIXTURES = SHARED / "fixtures" / "ncip"
SCHEMAS = {v: SHARED / "ncip" / f"ncip_v{v.replace('.', '_')}.xsd" for v in ("2.0", "2.01", "2.02")}
ALL = sorted(FIXTURES.rglob("*.xml"))
SECRET = "s3cret-shared-with-the-member"


@pytest.fixture(scope="module")
def schemas():
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return {v: etree.XMLSchema(etree.parse(str(path), parser)) for v, path in SCHEMAS.items()}


def assert_valid(schemas, body: bytes) -> etree._Element:
    doc = etree.fromstring(body)
    for version, schema in schemas.items():
        assert schema.validate(doc), (version, schema.error_log.last_error, body[:400])
    return doc


def test_every_real_message_is_read():
    assert len(ALL) >= 120
    services = {}
    for path in ALL:
        message = messages.parse(path.read_bytes())
        services[message.service] = services.get(message.service, 0) + 1
        if message.service == "LookupUser":
            query = messages.lookup_user_query(message)
            assert query.user_id or query.authentication, path.name
        if message.service == "LookupUserResponse":
            assert messages.standing_from(message, date(2015, 5, 10)).found, path.name
    assert services["LookupUser"] >= 15 and services["LookupUserResponse"] >= 5
    assert services["Problem"] >= 3 and len(services) >= 25


def test_responses_that_declare_windows_1252_but_are_utf8_are_read_as_utf8():
    koha = FIXTURES / "xc_ncip_toolkit" / "koha_connector" / "responseExamples"
    quirky = [p for p in sorted(koha.glob("*.xml"))
              if b'encoding="windows-1252"' in p.read_bytes()[:60] and max(p.read_bytes()) >= 0x80]
    assert len(quirky) == 4  # (two more declare it and are plain ASCII: read the same either way)
    for path in quirky:
        message = messages.parse(path.read_bytes())
        assert message.declared_encoding == "windows-1252" and message.encoding == "utf-8"
        assert "Ä" not in etree.tostring(message.body, encoding="unicode")  # no mojibake anywhere
    standing = messages.standing_from(messages.parse((koha / "user-lookup-by-UserId.xml").read_bytes()),
                                      date(2015, 5, 10))
    assert standing.name == "Dan Němec" and standing.loans == 3 and standing.overdue == 2


def test_messages_without_a_namespace_are_read_as_ncip():
    message = messages.parse((FIXTURES / "folio_mod_ncip" / "test_mockdata" / "ncip-checkin.xml").read_bytes())
    assert message.service == "CheckInItem" and message.text("InitiationHeader/FromAgencyId/AgencyId")


@pytest.mark.parametrize("raw, says", [
    (b"not xml", "not well-formed"), (b"<a/>", "not NCIPMessage"),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><NCIPMessage xmlns="http://www.niso.org/2008/ncip">'
     b"<LookupUser><UserId><UserIdentifierValue>&e;</UserIdentifierValue></UserId></LookupUser></NCIPMessage>",
     None),
])
def test_bad_bytes_are_refused_and_entities_never_resolved(raw, says):
    if says:
        with pytest.raises(messages.NcipError, match=says):
            messages.parse(raw)
    else:
        assert "root:" not in messages.lookup_user_query(messages.parse(raw)).user_id


def test_what_jaringan_writes_is_valid(schemas):
    today = date(2026, 12, 6)
    assert_valid(schemas, messages.lookup_user(from_agency="JARINGAN", to_agency="KOHA", user_id="7"))
    assert_valid(schemas, messages.lookup_user_response(
        user_agency="UNPATTI", user_id="x", header=("JARINGAN", "UNHAS"), name="Andi",
        loans=[messages.LoanOut("b1", today, "T")], privileges=[messages.Privilege("UNPATTI", "p", "Active", today)],
        blocks=[messages.BlockOut("UNHAS", "Block: lost book", today)]))
    for problem in (messages.UNKNOWN_USER, messages.INVALID_MESSAGE, messages.UNSUPPORTED_SERVICE):
        assert_valid(schemas, messages.problem_response(problem, detail="d", element="e", value="v",
                                                        service="LookupUser", header=("A", "B")))
        assert_valid(schemas, messages.problem_response(problem, detail="d"))


# --- the endpoint -----------------------------------------------------------------------------------------

def _register(code: str, agency: str, **kw):
    from jaringan.network.models import Library
    from jaringan.reciprocal.models import NcipServer

    server, _ = NcipServer.objects.update_or_create(
        library=Library.objects.get(code=code),
        defaults={"agency_id": agency, "url": kw.get("url", "http://127.0.0.1:9/ncip"),
                  "shared_secret": kw.get("secret", SECRET), "timeout": kw.get("timeout", 3)})
    return server


def _post(body: bytes, secret: str | None = SECRET):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return Client().post("/ncip", data=body, content_type="application/xml", **headers)


def _with_user(raw: bytes, user_id: str) -> bytes:
    return re.sub(rb"(<(?:\w+:)?UserIdentifierValue>)[^<]*(<)", rb"\g<1>" + user_id.encode() + rb"\2", raw, count=1)


@pytest.mark.django_db
def test_every_real_lookup_user_gets_a_valid_answer(demo_reciprocal, schemas):
    requests_ = [p for p in ALL if messages.parse(p.read_bytes()).service == "LookupUser"]
    assert len(requests_) >= 15
    statuses = set()
    for path in requests_:
        raw = path.read_bytes()
        agency = messages.lookup_user_query(messages.parse(raw)).from_agency
        if agency:
            _register("UNUD", agency)
        response = _post(raw)
        statuses.add(response.status_code)
        doc = assert_valid(schemas, response.content)
        assert doc.find(".//{%s}Problem" % messages.NS) is not None, path.name  # nobody here by those numbers
    assert statuses <= {200, 403}


@pytest.mark.django_db
def test_lookup_user_answers_a_visiting_readers_standing_and_refuses_strangers(demo_reciprocal, schemas):
    from jaringan.reciprocal.models import Pass

    _register("UNUD", "Relais")
    raw = (FIXTURES / "folio_mod_ncip" / "docs_sampleNcipMessages" / "lookupUser.xml").read_bytes()
    andi = Pass.objects.get(reader__username="pembaca")
    body = _post(_with_user(raw, andi.code)).content
    assert_valid(schemas, body)
    answer = messages.parse(body)
    assert answer.service == "LookupUserResponse" and not answer.problems
    standing = messages.standing_from(answer, date.today())
    assert standing.found and not standing.blocks
    assert standing.name == andi.reader_name  # "Name Information" was asked
    assert standing.privileges[0][:3] == ("UNPATTI", "Reciprocal borrowing: student", "Active")
    # Asked by the reader's number at home, with the home library's code as the agency.
    nurul = Pass.objects.get(home_user_id="H071201045")
    doc = assert_valid(schemas, _post(
        messages.lookup_user(from_agency="Relais", to_agency="JARINGAN", user_id="H071201045",
                             user_agency="UNHAS")).content)
    late = messages.standing_from(messages.parse(etree.tostring(doc)), date.today())
    # LoanedItemsDesired was asked: the open loan is listed, overdue.
    assert late.found and late.loans == late.overdue == 1 and any("Overdue" in k for _a, k, _u in late.blocks)
    assert nurul.loans.filter(returned_at__isnull=True).count() == 1
    # Strangers learn nothing; other services get a problem.
    ask = messages.lookup_user(from_agency="Relais", to_agency="JARINGAN", user_id=andi.code)
    for secret in (None, "wrong"):
        response = _post(ask, secret)
        assert response.status_code == 403
        assert b"Agency Authentication Failed" in assert_valid(schemas, response.content).xpath("string()").encode()
    # A library that shares no network with the reader's home learns nothing of them.
    _register("SMAN3-BDG", "BANDUNG")
    far = _post(messages.lookup_user(from_agency="BANDUNG", to_agency="JARINGAN", user_id=andi.code))
    assert b"Unknown User" in assert_valid(schemas, far.content).xpath("string()").encode()
    checkout = (FIXTURES / "folio_mod_ncip" / "docs_sampleNcipMessages" / "checkOutItem.xml").read_bytes()
    assert b"Unsupported Service" in etree.tostring(assert_valid(schemas, _post(checkout).content))
    broken = _post(b"<NCIPMessage")
    assert broken.status_code == 400 and assert_valid(schemas, broken.content) is not None
    assert Client().get("/ncip").status_code == 405


# --- the client, against a real NCIP server process ----------------------------------------------------

@pytest.mark.django_db
def test_the_desk_asks_the_home_librarys_ncip_server(demo_reciprocal):
    from jaringan.core.reciprocal import desk
    from jaringan.network.models import Library
    from jaringan.network.permissions import principal_for
    from jaringan.reciprocal import services
    from django.contrib.auth import get_user_model

    koha = FIXTURES / "xc_ncip_toolkit" / "koha_connector" / "responseExamples" / "user-lookup-by-UserId.xml"
    unhas, unud = Library.objects.get(code="UNHAS"), Library.objects.get(code="UNUD")
    staf_unhas = principal_for(get_user_model().objects.get(username="staf.unhas"))
    staf_unud = principal_for(get_user_model().objects.get(username="staf.unud"))
    passes = {}
    for number in ("1", "2", "3", "9"):
        passes[number] = services.pass_enrol(actor=staf_unhas, library=unhas, data={
            "reader_name": f"Pembaca {number}", "home_user_id": number, "category": "student"})

    def failed(number):
        view, _holder = services.visit_check(actor=staf_unud, host=unud, code=passes[number].code)
        return view.standing.source, {c.reason for c in view.decision.failed}

    with ncip_server("--secret", SECRET, "--reader", "1=good", "--reader", "2=blocked",
                     "--answer", f"3={koha}") as url:
        _register("UNHAS", "KOHA-TEST", url=url)
        assert failed("1") == ("ncip", set())
        assert failed("2") == ("ncip", {desk.BLOCKED})
        assert failed("3") == ("ncip", {desk.OVERDUE_RECIPROCAL})  # a real Koha answer: loans due in 2015
        assert failed("9") == ("ncip", {desk.READER_NOT_FOUND})
        _register("UNHAS", "KOHA-TEST", url=url, secret="not-the-agreed-one")
        assert failed("1") == ("ncip", {desk.READER_NOT_FOUND})  # refused: a Problem, never a guess
    _register("UNHAS", "KOHA-TEST", url=url)  # the server is gone now
    assert failed("1") == ("ncip", {desk.STANDING_UNKNOWN})
