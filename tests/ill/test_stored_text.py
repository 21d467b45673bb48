"""Control characters: refused where people type them, harmless in what is already stored.

A control character in an agency id, a code or a note once made every ISO 18626
message about that library fail to build (XML 1.0 cannot carry it): every
action on its requests answered 500.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from jaringan.core import iso18626 as core
from jaringan.core.errors import Invalid
from jaringan.core.iso18626 import elements as el
from jaringan.core.iso18626.codec import parse_datetime
from jaringan.ill import services
from jaringan.ill.models import AgencyId, IllMessage
from jaringan.network import services as network
from jaringan.network.models import Library, Network

#: What a careless paste brings: C0 controls, DEL and a C1 control.
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\x85"]


def test_a_message_built_from_stored_control_characters_is_well_formed_and_keeps_the_rest():
    header = el.Header(
        supplying_agency_id=el.AgencyId(agency_id_type=el.SchemeValue(value="ISIL\x02"), agency_id_value="ID-U\x01I"),
        requesting_agency_id=el.AgencyId(agency_id_type=el.SchemeValue(value="ISIL"), agency_id_value="ID\x1b-ITB"),
        timestamp=parse_datetime("2026-12-01T08:00:00Z"),
        requesting_agency_request_id="12\x00",
    )
    message = core.RequestingAgencyMessage(header=header, action=core.Action.Notification,
                                           note="baris satu\x0c\nbaris\tdua\x7f")
    read = core.parse(core.build(message))
    assert read.header.supplying_agency_id.agency_id_value == "ID-UI"
    assert read.header.supplying_agency_id.agency_id_type.value == "ISIL"
    assert read.header.requesting_agency_id.agency_id_value == "ID-ITB"
    assert read.header.requesting_agency_request_id == "12"
    assert read.note == "baris satu\nbaris\tdua\x7f"  # tab and line breaks stay; DEL is XML


# --- stored already: actions still work ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_library_whose_stored_agency_id_holds_a_control_character_still_lends(held, staff, user):
    """Written straight to the database (as before the check existed): every step of a loan still answers."""
    ui = Library.objects.get(code="UI")
    AgencyId.objects.create(library=ui, id_type="ISIL", id_value="ID-\x01UI")
    Library.objects.filter(pk=ui.pk).update(name="Perpustakaan UI\x1b")
    Library.objects.filter(code="ITB").update(name="Perpustakaan\x02 ITB")
    tokens = {name: network.token_create(user=user(name)) for name in ("staf.itb", "staf.ui")}
    client = Client(raise_request_exception=False)

    def api(method, path, who, body=None):
        response = getattr(client, method)(f"/api{path}", data=json.dumps(body) if body is not None else None,
                                           content_type="application/json",
                                           HTTP_AUTHORIZATION=f"Bearer {tokens[who]}")
        assert response.status_code < 300, (path, response.status_code, response.content[:300])
        return response.json()

    made = api("post", "/ill/requests", "staf.itb",
               {"edition": held[0].pk, "service": "loan", "reader_name": "Mahasiswa", "note": "segera"})
    assert made["supplier"] == "UI" and made["state"] == "RequestReceived"
    steps = [("staf.ui", "WillSupply", {}), ("staf.ui", "Loaned", {"due_date": "2099-01-31"}),
             ("staf.itb", "Received", {}), ("staf.itb", "ShippedReturn", {}), ("staf.ui", "LoanCompleted", {})]
    for who, action, extra in steps:
        version = api("get", f"/ill/requests/{made['id']}", who)["version"]
        done = api("post", f"/ill/requests/{made['id']}/actions", who,
                   {"action": action, "expected_version": version, **extra})
        assert done["history"][-1]["action"] == action
    assert done["state"] == "LoanCompleted"
    messages = IllMessage.objects.filter(request_id=made["id"])
    assert messages.count() == 6 and all(m.valid is not False for m in messages), [m.errors for m in messages]
    first = core.parse(bytes(messages.order_by("id").first().raw))
    assert first.header.supplying_agency_id.agency_id_value == "ID-UI"  # named by its alias, made writable
    page = Client(raise_request_exception=False)
    page.force_login(user("staf.ui"))
    assert page.get(f"/manage/ill/requests/{made['id']}/").status_code == 200


# --- typed now: refused, the field named ------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("char", CONTROLS)
def test_an_agency_id_with_a_control_character_is_refused_naming_the_field(demo_network, user, char):
    token = network.token_create(user=user("staf.itb"))
    response = Client().post("/api/ill/libraries/ITB/agency-ids", data=json.dumps(
        {"id_type": "ISIL", "id_value": f"ID-{char}ITB"}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "control_character" and list(body["errors"]) == ["id_value"]
    assert f"U+{ord(char):04X}" in body["detail"] and "4" in body["errors"]["id_value"][0]
    assert not AgencyId.objects.filter(library__code="ITB").exists()


@pytest.mark.django_db
def test_a_peer_with_a_control_character_in_its_agency_id_is_refused(demo_network, principal):
    with pytest.raises(Invalid) as refused:
        services.peer_save(actor=principal("koordinator"), library=Library.objects.get(code="UNCEN"),
                           url="https://ill.example.org/iso18626", agency_id_type="ISIL",
                           agency_id_value="ID-UNCEN\x1f")
    assert list(refused.value.errors) == ["agency_id_value"]


@pytest.mark.django_db
def test_notes_and_citations_take_tab_and_line_breaks_but_no_other_control_character(held, staff):
    desk, lender = staff("staf.itb"), staff("staf.ui")
    with pytest.raises(Invalid) as refused:
        services.illrequest_create(actor=desk, edition=held[0], citation={"title": "Judul\x1b[31m"}, reader_name="X")
    assert list(refused.value.errors) == ["title"]
    with pytest.raises(Invalid) as refused:
        services.illrequest_create(actor=desk, edition=held[0], reader_name="Siti\x00", note="ok")
    assert list(refused.value.errors) == ["reader_name"]
    req = services.illrequest_create(actor=desk, edition=held[0], reader_name="X", note="baris satu\r\nbaris\tdua")
    version = req.version
    with pytest.raises(Invalid) as refused:
        services.illrequest_act(actor=lender, request=req, action="Unfilled", expected_version=version,
                                note="rusak\x07", reason="not on shelf")
    assert list(refused.value.errors) == ["note"]
    with pytest.raises(Invalid) as refused:
        services.illrequest_act(actor=lender, request=req, action="Unfilled", expected_version=version,
                                reason="NotOnShelf\x85")
    assert list(refused.value.errors) == ["reason"]
    req.refresh_from_db()
    assert req.version == version and req.state == "RequestReceived"  # refused: nothing changed
    services.illrequest_act(actor=lender, request=req, action="WillSupply", expected_version=version,
                            note="ada\tdi rak\nbesok dikirim")


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("code", "ITB-UI\x0b2026"), ("title", "Silang\x1b layan"),
                                              ("purpose", "Uji\x00.")])
def test_an_agreement_with_a_control_character_is_refused_naming_the_field(demo_network, principal, field, value):
    data = {"code": "ITB-UI-2026", "title": "Silang layan ITB-UI", "purpose": "Uji.\nBaris kedua.",
            "form": "unwritten", "services": ["loan"], "coverage": "named", "relation": "reciprocal",
            "starts": date(2026, 1, 1)}
    with pytest.raises(Invalid) as refused:
        network.agreement_save(actor=principal("koordinator"), network=Network.objects.get(code="JPJB"),
                               data={**data, field: value}, parties=[{"library": "ITB"}, {"library": "UI"}])
    assert field in refused.value.errors and refused.value.code == "control_character"
    saved = network.agreement_save(actor=principal("koordinator"), network=Network.objects.get(code="JPJB"),
                                   data=data, parties=[{"library": "ITB"}, {"library": "UI"}])
    assert saved.purpose == "Uji.\nBaris kedua."  # a text keeps its line breaks
