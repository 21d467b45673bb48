"""The rules across borders over the JSON API: public reads, writes by the network's coordinators only
(the same service as the pages), errors through the project's error tree, and the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jaringan.network import services
from jaringan.network.models import BorderRule

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "pembaca", "staf.unhas", "koordinator.fppti", "koordinator"]


@pytest.fixture
def auth(user):
    tokens = {name: services.token_create(user=user(name)) for name in ROLES if name != "anonymous"}
    return lambda role: {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}


def post(path, body, language="en", **headers):
    return Client(HTTP_ACCEPT_LANGUAGE=language).post(path, data=json.dumps(body), content_type="application/json",
                                                      **headers)


def test_anyone_reads_a_networks_and_an_agreements_rules_in_their_language(demo_network):
    rules = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/networks/JLPN/rules").json()
    assert [(r["kind"], r["library"], r["agreement"]) for r in rules] == [("last_resort", "PNRI", None)]
    assert "is asked only as the last resort" in rules[0]["sentence"]
    rules = Client(HTTP_ACCEPT_LANGUAGE="id").get("/api/agreements/UNHAS-UNPATTI-2026/rules").json()
    assert [(r["kind"], r["region"], r["network"], r["agreement"]) for r in rules] == [
        ("local_content_stays_in_region", "province", "JPIT", None)]
    assert "provinsi" in rules[0]["sentence"]
    missing = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/networks/NOPE/rules")
    assert missing.status_code == 404 and missing.json()["detail"] == "No network with code NOPE."
    assert Client().get("/api/agreements/NOPE/rules").status_code == 404


@pytest.mark.permissions
@pytest.mark.parametrize("role", ROLES)
def test_only_the_networks_coordinators_state_and_lift_rules(auth, role):
    allowed = role == "koordinator"
    before = BorderRule.objects.count()
    for path in ("/api/networks/JPIT/rules", "/api/agreements/UNHAS-UNPATTI-2026/rules"):
        r = post(path, {"kind": "same_country", "note": "Dana publik"}, **auth(role))
        assert r.status_code == {"anonymous": 401}.get(role, 201 if allowed else 403), r.content
        if not allowed:
            assert r.json()["detail"]
    assert BorderRule.objects.count() == before + (2 if allowed else 0)
    # a rule stated by the coordinator, which nobody else may lift
    rule = BorderRule.objects.get(network__code="JPIT", kind="local_content_stays_in_region", agreement=None)
    r = Client().delete(f"/api/networks/JPIT/rules/{rule.pk}", **auth(role))
    assert r.status_code == {"anonymous": 401}.get(role, 204 if allowed else 403)
    assert BorderRule.objects.filter(pk=rule.pk).exists() == (not allowed)


def test_a_stated_rule_is_answered_read_back_and_lifted_once(auth):
    koordinator = auth("koordinator")
    r = post("/api/agreements/UNHAS-UNPATTI-2026/rules", {"kind": "last_resort", "library": "unhas"}, **koordinator)
    assert r.status_code == 201
    stated = r.json()
    assert (stated["kind"], stated["library"], stated["agreement"], stated["region"]) == (
        "last_resort", "UNHAS", "UNHAS-UNPATTI-2026", None)
    assert "Universitas Hasanuddin" in stated["sentence"]
    listed = Client().get("/api/agreements/UNHAS-UNPATTI-2026/rules").json()
    assert stated["id"] in [x["id"] for x in listed]
    assert stated["id"] not in [x["id"] for x in Client().get("/api/networks/JPIT/rules").json()]
    # the agreement's rule is not the network's: lifted only at the agreement's address
    assert Client().delete(f"/api/networks/JPIT/rules/{stated['id']}", **koordinator).status_code == 404
    assert Client().delete(f"/api/agreements/UNHAS-UNPATTI-2026/rules/{stated['id']}", **koordinator).status_code == 204
    again = Client(HTTP_ACCEPT_LANGUAGE="en").delete(f"/api/agreements/UNHAS-UNPATTI-2026/rules/{stated['id']}", **koordinator)
    assert again.status_code == 404 and again.json()["detail"] == "No such rule."
    # a network's rule is not lifted through one of its agreements, nor through another network
    network_rule = BorderRule.objects.get(network__code="JPIT", agreement=None)
    assert Client().delete(f"/api/agreements/UNHAS-UNPATTI-2026/rules/{network_rule.pk}",
                           **koordinator).status_code == 404
    assert Client().delete(f"/api/networks/JPJB/rules/{network_rule.pk}", **koordinator).status_code == 404
    assert BorderRule.objects.filter(pk=network_rule.pk).exists()


@pytest.mark.parametrize("body, status, field", [
    ({"kind": "same_province", "region": "island"}, 400, "region"),
    ({"kind": "same_country", "library": "UNHAS"}, 400, "library"),
    ({"kind": "last_resort", "library": "ITB"}, 400, "library"),  # not a member of the eastern network
    ({"kind": "local_content_stays_in_region"}, 400, "kind"),  # the demo states it already
    ({"kind": "same_island"}, 422, "kind"),  # not one of the kinds the document lists
    ({"kind": "same_country", "note": "x" * 301}, 422, "note"),
])
def test_a_rule_that_cannot_be_stated_is_refused_naming_its_field(auth, body, status, field):
    before = BorderRule.objects.count()
    r = post("/api/networks/JPIT/rules", body, **auth("koordinator"))
    assert r.status_code == status, r.content
    assert field in r.json()["errors"]
    assert BorderRule.objects.count() == before


def test_the_refusal_is_in_the_callers_language(auth):
    r = post("/api/networks/JPIT/rules", {"kind": "same_province", "region": "island"}, language="id",
             **auth("koordinator"))
    assert r.json()["errors"]["region"] == ["Hanya aturan muatan lokal yang memakai wilayah."]


def test_the_openapi_document_describes_the_rules_endpoints(demo_network):
    doc = Client().get("/api/openapi.json").json()
    paths = doc["paths"]
    for path, methods in (("/api/networks/{code}/rules", {"get", "post"}),
                          ("/api/networks/{code}/rules/{rule_id}", {"delete"}),
                          ("/api/agreements/{code}/rules", {"get", "post"}),
                          ("/api/agreements/{code}/rules/{rule_id}", {"delete"})):
        assert methods <= set(paths[path]), path
    post_op = paths["/api/networks/{code}/rules"]["post"]
    assert {"201", "400", "401", "403", "404", "422"} <= set(post_op["responses"])
    assert {"204", "401", "403", "404"} <= set(paths["/api/networks/{code}/rules/{rule_id}"]["delete"]["responses"])
    kinds = doc["components"]["schemas"]["BorderRuleIn"]["properties"]["kind"]
    assert set(kinds.get("enum") or kinds["anyOf"][0]["enum"]) == {
        "same_province", "same_country", "local_content_stays_in_region", "last_resort"}
