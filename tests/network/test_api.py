"""The JSON API: every write endpoint against every role, token and session auth, errors."""

import json
from datetime import date

import pytest
from django.test import Client

from jaringan.network import services
from jaringan.network.models import Agreement, Library, Membership

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "pembaca", "staf.unpatti", "staf.itb", "koordinator.fppti", "koordinator"]

NEW_LIBRARY = {"code": "SMAN1-AMB", "name": "Perpustakaan SMA Negeri 1 Ambon", "kind": "school", "city": "Ambon",
               "province": "Maluku", "collection_size": 4000}
NEW_NETWORK = {"code": "JPKA", "name": "Jaringan Perpustakaan Kota Ambon", "structure": "multi_type",
               "scope": "city", "jurisdiction": "single", "funding": "non_profit"}
AGREEMENT = {"code": "JPIT-API-2026", "title": "Uji API", "purpose": "Uji.", "form": "unwritten",
             "services": ["copy"], "coverage": "network", "relation": "reciprocal", "starts": "2026-01-01"}


def _ipb_jpjb():
    return Membership.objects.get(network__code="JPJB", library__code="IPB").pk


# endpoint name → (method, path or path factory, body, roles allowed)
ENDPOINTS = {
    "library_create": ("post", "/api/libraries", NEW_LIBRARY, {"koordinator", "koordinator.fppti"}),
    "library_update": ("patch", "/api/libraries/ITB", {"staff_count": 70},
                       {"staf.itb", "koordinator", "koordinator.fppti"}),
    "network_create": ("post", "/api/networks", NEW_NETWORK, {"koordinator", "koordinator.fppti"}),
    "network_update": ("patch", "/api/networks/JPJB", {"area": "Provinsi Jawa Barat"}, {"koordinator"}),
    # only a library's own staff apply for it (ITB is admitted to koordinator's JPJB: still not theirs to file)
    "membership_apply": ("post", "/api/networks/JPIT/memberships", {"library": "ITB"}, {"staf.itb"}),
    "membership_act": ("post", lambda: f"/api/memberships/{_ipb_jpjb()}/actions", {"action": "admit"}, {"koordinator"}),
    "membership_detail": ("get", lambda: f"/api/memberships/{_ipb_jpjb()}", None, {"koordinator"}),
    "agreement_create": ("post", "/api/networks/JPIT/agreements", AGREEMENT, {"koordinator"}),
    "agreement_replace": ("put", "/api/agreements/JPIT-SL-2024", {**AGREEMENT, "code": "JPIT-SL-2024"}, {"koordinator"}),
}


def call(client, method, path, body=None, **headers):
    path = path() if callable(path) else path
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def tokens(user):
    return {name: services.token_create(user=user(name)) for name in ROLES if name != "anonymous"}


@pytest.mark.permissions
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_write_endpoint(endpoint, role, tokens):
    method, path, body, allowed = ENDPOINTS[endpoint]
    headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}
    response = call(Client(), method, path, body, **headers)
    if role == "anonymous":
        assert response.status_code == 401
    elif role in allowed:
        assert response.status_code in (200, 201), response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["detail"]


def test_a_bad_token_is_refused(demo_network):
    r = Client().patch("/api/libraries/ITB", data="{}", content_type="application/json",
                       HTTP_AUTHORIZATION="Bearer jrg_nonsense")
    assert r.status_code == 401


def test_session_writes_need_the_csrf_token(user, passwords):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="staf.itb", password=passwords["staf.itb"])
    r = client.patch("/api/libraries/ITB", data=json.dumps({"staff_count": 71}), content_type="application/json")
    assert r.status_code == 403
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    r = client.patch("/api/libraries/ITB", data=json.dumps({"staff_count": 71}), content_type="application/json",
                     HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200 and r.json()["staff_count"] == 71


def test_errors_name_the_field_and_nothing_is_saved(tokens):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['koordinator']}"}
    r = call(Client(), "post", "/api/libraries", {**NEW_LIBRARY, "province": "Atlantis"}, **auth)
    assert r.status_code == 400
    assert "province" in r.json()["errors"]
    assert not Library.objects.filter(code="SMAN1-AMB").exists()
    r = call(Client(), "post", "/api/libraries", {**NEW_LIBRARY, "collection_size": -5}, **auth)
    assert r.status_code == 422  # the schema refuses it before the service sees it


def test_not_eligible_admission_is_refused_with_reasons(tokens):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['koordinator']}"}
    m = Membership.objects.get(network__code="JPIT", library__code="SMAN1-MKW")
    r = call(Client(), "post", f"/api/memberships/{m.pk}/actions", {"action": "admit"}, **auth)
    assert r.status_code == 400 and r.json()["code"] == "not_eligible"
    assert Membership.objects.get(pk=m.pk).state == "applied"


def test_conflicts_are_409(tokens):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['koordinator']}"}
    pk = _ipb_jpjb()
    assert call(Client(), "post", f"/api/memberships/{pk}/actions", {"action": "admit"}, **auth).status_code == 200
    r = call(Client(), "post", f"/api/memberships/{pk}/actions", {"action": "reject", "expected_state": "applied"}, **auth)
    assert r.status_code == 409


def test_public_reads(demo_network):
    c = Client()
    libs = c.get("/api/libraries?kind=school").json()
    assert {lib["kind"] for lib in libs} == {"school"} and len(libs) >= 3
    assert c.get("/api/libraries/UNPATTI").json()["island"] == "maluku"
    assert c.get("/api/libraries/NOPE").status_code == 404
    members = c.get("/api/networks/JPJB/memberships").json()
    assert "applied" not in {m["state"] for m in members}  # applications are the coordinator's business
    agreement = c.get("/api/agreements/PNRI-PAPUA-2025").json()
    assert agreement["relation"] == "one_way" and agreement["status"] in ("active", "upcoming", "expired")
    schema = c.get("/api/openapi.json").json()
    assert "/api/agreements/check" in schema["paths"]


def test_agreement_check_endpoint(demo_network):
    r = Client().get("/api/agreements/check", {"requester": "DISPUSIP-PAPUA", "supplier": "PNRI",
                                              "service": "copy", "on": "2026-11-25", "pages": 10})
    body = r.json()
    assert body["allowed"] and body["agreement"] == "PNRI-PAPUA-2025" and float(body["fee"]) == 0
    r = Client().get("/api/agreements/check", {"requester": "PNRI", "supplier": "DISPUSIP-PAPUA",
                                              "service": "copy", "on": "2026-11-25"})
    assert not r.json()["allowed"] and r.json()["refusals"]
    assert Client().get("/api/agreements/check", {"requester": "PNRI", "supplier": "X", "service": "copy"}).status_code == 404
    assert Client().get("/api/agreements/check", {"requester": "PNRI", "supplier": "UI", "service": "fly"}).status_code == 422


def test_agreement_replace_keeps_its_network(tokens):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['koordinator']}"}
    body = {**AGREEMENT, "code": "JPIT-SL-2024", "ends": "2030-01-01", "coverage": "named",
            "parties": [{"library": "UNPATTI"}, {"library": "UNHAS"}]}
    r = call(Client(), "put", "/api/agreements/JPIT-SL-2024", body, **auth)
    assert r.status_code == 200, r.content
    a = Agreement.objects.get(code="JPIT-SL-2024")
    assert a.network.code == "JPIT" and a.ends == date(2030, 1, 1) and a.parties.count() == 2
