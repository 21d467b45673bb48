"""The interlibrary loan API: who may see and do what, and a journey through it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jaringan.ill import services
from jaringan.network import services as network

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "pembaca", "staf.unpatti", "lender", "staf.itb", "koordinator", "koordinator.fppti"]


@pytest.fixture
def setup(held, staff, user):
    """A loan UNPATTI asked for its reader, sent to its first lender; a token for every role."""
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[0], reader=user("pembaca").pk)
    lender = f"staf.{req.supplier.code.lower()}"
    tokens = {role: network.token_create(user=user(lender if role == "lender" else role))
              for role in ROLES if role != "anonymous"}
    return req, tokens


def call(method, path, tokens, role, body=None):
    headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}
    client = Client()
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **headers)


#: endpoint → (method, path, body, {role: expected status})
MATRIX = {
    "detail": ("get", "/api/ill/requests/{id}", None, {
        "anonymous": 401, "pembaca": 200, "staf.unpatti": 200, "lender": 200, "staf.itb": 404,
        "koordinator": 404, "koordinator.fppti": 404}),
    "supply": ("post", "/api/ill/requests/{id}/actions", {"action": "WillSupply"}, {
        "anonymous": 401, "pembaca": 403, "staf.unpatti": 403, "lender": 200, "staf.itb": 404,
        "koordinator": 404, "koordinator.fppti": 404}),
    "cancel": ("post", "/api/ill/requests/{id}/actions", {"action": "Cancel"}, {
        "anonymous": 401, "pembaca": 200, "staf.unpatti": 200, "lender": 403, "staf.itb": 404,
        "koordinator": 404, "koordinator.fppti": 404}),
    "lending_queue": ("get", "/api/ill/requests?side=lending&library={supplier}", None, {
        "anonymous": 401, "pembaca": 403, "staf.unpatti": 403, "lender": 200, "staf.itb": 403,
        "koordinator": 403, "koordinator.fppti": 403}),
    "ask_for_another_library": ("post", "/api/ill/requests", {"citation": {"title": "Sejarah Maluku"},
                                                             "requester": "UNPATTI", "reader_name": "X"}, {
        "anonymous": 401, "pembaca": 201, "staf.unpatti": 201, "lender": 403, "staf.itb": 403,
        "koordinator": 403, "koordinator.fppti": 403}),
    "network_balance": ("get", "/api/ill/networks/JPIT/balance?start=2026-01-01&end=2026-12-31", None, {
        "anonymous": 401, "pembaca": 403, "staf.unpatti": 403, "lender": 403, "staf.itb": 403,
        "koordinator": 200, "koordinator.fppti": 403}),
    "library_balance": ("get", "/api/ill/libraries/UNPATTI/balance", None, {
        "anonymous": 401, "pembaca": 403, "staf.unpatti": 200, "lender": 403, "staf.itb": 403,
        "koordinator": 200, "koordinator.fppti": 200}),
    "routing_weights": ("put", "/api/ill/networks/JPIT/routing-weights", {"weights": {"distance_per_1000km": 12}}, {
        "anonymous": 401, "pembaca": 403, "staf.unpatti": 403, "lender": 403, "staf.itb": 403,
        "koordinator": 200, "koordinator.fppti": 403}),
}


#: Endpoints that change the request: each role that may use them gets a request of its own.
CHANGING = {"supply", "cancel"}


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_every_role_against_every_endpoint(endpoint, setup, held, staff, user):
    req, tokens = setup
    method, path, body, expected = MATRIX[endpoint]
    for role in ROLES:
        if endpoint in CHANGING and expected[role] == 200:  # a new one, asked of the same lender
            desk = staff("staf.unpatti")
            fresh = services.illrequest_create(actor=desk, edition=held[0], reader=user("pembaca").pk, send=False)
            req = services.illrequest_send(actor=desk, request=fresh, lender=req.supplier.code)
        if body is not None and "action" in body:
            req.refresh_from_db()
            body = {**body, "expected_version": req.version}
        response = call(method, path.format(id=req.pk, supplier=req.supplier.code), tokens, role, body)
        assert response.status_code == expected[role], (role, response.content)
        if response.status_code in (403, 404, 409):
            assert response.json()["detail"]


def test_a_journey_through_the_api(setup):
    req, tokens = setup
    detail = call("get", f"/api/ill/requests/{req.pk}", tokens, "lender").json()
    assert detail["state"] == "RequestReceived" and "WillSupply" in detail["actions"]
    assert detail["rota"][0]["reasons"] and detail["rota"][0]["reasons"][0]["label"]
    assert {x["code"] for x in detail["excluded"]} >= {"same_library", "not_covered"}
    version = detail["version"]
    ok = call("post", f"/api/ill/requests/{req.pk}/actions", tokens, "lender",
              {"action": "Loaned", "expected_version": version, "due_date": "2099-01-31"})
    assert ok.status_code == 200 and ok.json()["state"] == "Loaned" and ok.json()["due_date"] == "2099-01-31"
    stale = call("post", f"/api/ill/requests/{req.pk}/actions", tokens, "lender",
                 {"action": "Recalled", "expected_version": version})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    version = call("get", f"/api/ill/requests/{req.pk}", tokens, "lender").json()["version"]
    illegal = call("post", f"/api/ill/requests/{req.pk}/actions", tokens, "staf.unpatti",
                   {"action": "ShippedReturn", "expected_version": version})
    assert illegal.status_code == 409 and illegal.json()["code"] == "illegal_transition"
    assert "received" in illegal.json()["detail"]
    got = call("post", f"/api/ill/requests/{req.pk}/actions", tokens, "staf.unpatti",
               {"action": "Received", "expected_version": version})
    assert got.json()["history"][-1]["action"] == "Received" and got.json()["history"][-1]["actor"] == "staf.unpatti"
    mine = call("get", "/api/ill/requests", tokens, "pembaca").json()
    assert [r["id"] for r in mine] == [req.pk] and mine[0]["state"] == "Loaned"
    assert call("get", f"/api/ill/requests/{req.pk}", tokens, "pembaca").json()["messages"] == []
    messages = got.json()["messages"]
    xml = call("get", f"/api/ill/requests/{req.pk}/messages/{messages[0]['id']}", tokens, "staf.unpatti")
    assert xml.status_code == 200 and b"ISO18626Message" in xml.content
    assert call("get", f"/api/ill/requests/{req.pk}/messages/{messages[0]['id']}", tokens,
                "pembaca").status_code == 403
    borrowing = call("get", "/api/ill/requests?side=borrowing&state=Loaned,Overdue", tokens, "staf.unpatti").json()
    assert [r["id"] for r in borrowing] == [req.pk]


def refused_fields(body: dict) -> set[str]:
    """The fields a 422 names: in ``errors``, or in django-ninja's own list of locations."""
    if isinstance(body.get("detail"), list):
        return {str(e["loc"][-1]) for e in body["detail"]}
    return {name.rsplit(".", 1)[-1] for name in body.get("errors", {})}


def test_an_action_names_its_version_and_is_applied_once(setup):
    from jaringan.ill.models import LedgerEntry

    req, tokens = setup
    path = f"/api/ill/requests/{req.pk}/actions"
    missing = call("post", path, tokens, "lender", {"action": "Loaned"})
    assert missing.status_code == 422
    assert "expected_version" in refused_fields(missing.json()), missing.json()
    version = call("get", f"/api/ill/requests/{req.pk}", tokens, "lender").json()["version"]
    assert call("post", path, tokens, "lender", {"action": "Loaned", "expected_version": version}).status_code == 200
    charged = LedgerEntry.objects.filter(request=req).count()
    now = call("get", f"/api/ill/requests/{req.pk}", tokens, "lender").json()
    again = call("post", path, tokens, "lender", {"action": "Loaned", "expected_version": now["version"]})
    assert again.status_code == 409 and again.json()["code"] == "unchanged" and again.json()["detail"]
    stale = call("post", path, tokens, "lender", {"action": "Loaned", "expected_version": version})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    after = call("get", f"/api/ill/requests/{req.pk}", tokens, "lender").json()
    assert after["version"] == now["version"] and [h["action"] for h in after["history"]].count("Loaned") == 1
    assert LedgerEntry.objects.filter(request=req).count() == charged
    scan = Client().post(f"/api/ill/requests/{req.pk}/scan", data={"pages": "4"},
                         HTTP_AUTHORIZATION=f"Bearer {tokens['lender']}")
    assert scan.status_code == 422 and "expected_version" in refused_fields(scan.json())


def test_a_scan_uploaded_through_the_api_reaches_only_the_reader(held, staff, user, passwords):
    from django.core.files.uploadedfile import SimpleUploadedFile

    req = services.illrequest_create(actor=staff("staf.itb"), edition=held[2], service="copy",
                                     citation={"pages_requested": "1-4"}, reader_name="Tamu")
    token = network.token_create(user=user("staf.ui"))
    scan = SimpleUploadedFile("artikel.pdf", b"%PDF-1.4 four pages", content_type="application/pdf")
    response = Client().post(f"/api/ill/requests/{req.pk}/scan",
                             data={"scan": scan, "pages": "4", "expected_version": req.version},
                             HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    link = response.json()["deliveries"][0]["link"]
    assert response.json()["state"] == "CopyCompleted" and link.startswith("/ill/deliveries/")
    anonymous = Client().get(link)
    assert anonymous.status_code == 302  # to the login page
    lender = Client()
    lender.force_login(user("staf.ui"))
    assert lender.get(link).status_code == 404  # the lender's staff do not download the reader's copy
    desk = Client()
    desk.force_login(user("staf.itb"))
    got = desk.get(link)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 four pages"
    assert got["Content-Disposition"].startswith("attachment") and got["X-Content-Type-Options"] == "nosniff"
