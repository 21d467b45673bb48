"""The OpenAPI document tells the truth: one name per schema, every error an operation can answer documented,
and every error in the documented shape."""

import json

import pytest
from django.test import Client

from jaringan.api import api
from jaringan.api_errors import STATUS_DESCRIPTIONS

pytestmark = pytest.mark.django_db

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def _inline(node, components):
    """A schema with every `$ref` replaced by what it names (and titles dropped), to compare shapes."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(components[node["$ref"].rsplit("/", 1)[1]], components)
        return {k: _inline(v, components) for k, v in node.items() if k not in ("title", "description")}
    if isinstance(node, list):
        return [_inline(v, components) for v in node]
    return node


def _shape(node):
    """What a client relies on: objects' property names and which are required, arrays' items, nullability."""
    if not isinstance(node, dict):
        return node
    if "anyOf" in node:
        shapes = [_shape(n) for n in node["anyOf"]]
        nullable = {"type": "null"} in node["anyOf"]
        objects = [s for s in shapes if isinstance(s, dict) and s.get("type") in ("object", "array")]
        return {"nullable": nullable, "of": objects or "scalar"}
    if node.get("type") == "object" or "properties" in node:
        return {"type": "object", "required": sorted(node.get("required", [])),
                "properties": {k: _shape(v) for k, v in node.get("properties", {}).items()}}
    if node.get("type") == "array":
        return {"type": "array", "items": _shape(node.get("items", {}))}
    return {"nullable": node.get("type") == "null", "of": "scalar"}


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _models():
    """(operation id, status, response model) of every operation the API serves."""
    for router in api._get_bound_routers():
        for view in router.path_operations.values():
            for op in view.operations:
                for status, model in op.response_models.items():
                    if model is not None and hasattr(model, "model_json_schema"):
                        yield op.operation_id or api.get_openapi_operation_id(op), status, model


def test_each_response_schema_in_the_document_is_the_one_the_code_answers_with(document):
    """Two apps' `EventOut` once shared a name: the document showed one shape for both."""
    components = document["components"]["schemas"]
    by_id = {op["operationId"]: op for _p, _m, op in _operations(document)}
    checked = 0
    for operation_id, status, model in _models():
        schema = model.model_json_schema(mode="serialization")
        expected = _inline(schema["properties"]["response"], schema.get("$defs", {}))
        documented = by_id[operation_id]["responses"][status]["content"]["application/json"]["schema"]
        assert _shape(_inline(documented, components)) == _shape(expected), (operation_id, status)
        checked += 1
    assert checked > 30


def test_membership_events_have_their_own_schema_with_the_actor(document):
    components = document["components"]["schemas"]
    events = components["MembershipDetail"]["properties"]["events"]["items"]
    assert events == {"$ref": "#/components/schemas/MembershipEventOut"}
    actor = components["MembershipEventOut"]["properties"]["actor"]
    assert {"type": "null"} in actor["anyOf"] and "actor_kind" in components["MembershipEventOut"]["required"]
    assert components["RequestDetail"]["properties"]["history"]["items"]["$ref"].endswith("/RequestEventOut")


def test_membership_history_names_who_acted(demo_network, user):
    from jaringan.network.models import Membership
    from jaringan.network.services import token_create

    token = token_create(user=user("koordinator"))
    membership = Membership.objects.get(network__code="JPJB", library__code="IPB")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    acted = Client().post(f"/api/memberships/{membership.pk}/actions", data=json.dumps({"action": "admit"}),
                          content_type="application/json", **headers)
    assert acted.status_code == 200, acted.content
    events = Client().get(f"/api/memberships/{membership.pk}", **headers).json()["events"]
    assert (events[-1]["action"], events[-1]["actor"], events[-1]["actor_kind"]) == ("admit", "koordinator", "person")
    assert (events[0]["actor"], events[0]["actor_kind"]) == (None, "system")  # filed by the demo's loader


def test_every_operation_documents_the_errors_it_can_answer(document):
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        expected = set()
        if operation.get("parameters") or operation.get("requestBody"):
            expected |= {400, 404, 422}
        if operation.get("security"):
            expected |= {401, 403}
        if method in ("post", "put", "patch", "delete"):
            expected |= {400, 403, 404, 409}
        expected.add(503)  # Unavailable: whatever an operation needs may be busy
        for status in expected:
            assert status in responses or str(status) in responses, (method, path, status)
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == ERROR_REF or status == 200, (method, path, status)
    assert set(STATUS_DESCRIPTIONS) >= {400, 401, 403, 404, 409, 422, 429, 503}


def _is_error(body):
    return set(body) == {"detail", "code", "errors"} and isinstance(body["detail"], str) and body["detail"]


def test_every_kind_of_error_has_the_documented_shape(demo_network, user, passwords):
    from jaringan.network.services import token_create

    anonymous = Client()
    unauthenticated = anonymous.get("/api/ill/requests")
    assert unauthenticated.status_code == 401 and _is_error(unauthenticated.json())
    assert anonymous.get("/api/libraries/NOPE").status_code == 404
    assert _is_error(anonymous.get("/api/libraries/NOPE").json())
    wrong_type = anonymous.get("/api/agreements/check", {"requester": "PNRI", "supplier": "UI", "service": "fly"})
    assert wrong_type.status_code == 422 and _is_error(wrong_type.json())
    assert list(wrong_type.json()["errors"]) == ["service"]
    session = Client(enforce_csrf_checks=True)
    assert session.login(username="staf.itb", password=passwords["staf.itb"])
    no_csrf = session.patch("/api/libraries/ITB", data="{}", content_type="application/json")
    assert no_csrf.status_code == 403 and _is_error(no_csrf.json())
    token = token_create(user=user("staf.itb"))
    broken = Client().post("/api/networks/JPIT/memberships", data="{not json", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert broken.status_code in (400, 422) and _is_error(broken.json())
    no_boundary = Client().post("/api/libraries/ITB/records", data=b"--x\r\n", content_type="multipart/form-data",
                                HTTP_AUTHORIZATION=f"Bearer {token}")
    assert no_boundary.status_code == 400 and _is_error(no_boundary.json())  # Django's HTML page before
    too_big = Client().post("/api/networks/JPIT/memberships", data=json.dumps({"library": "ITB", "note": "x" * 3_000_000}),
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert too_big.status_code == 400 and _is_error(too_big.json())


@pytest.mark.parametrize("params, field", [
    ({"offset": str(10**30)}, "offset"), ({"offset": str(2**63)}, "offset"), ({"offset": "-1"}, "offset"),
    ({"limit": "0"}, "limit"), ({"limit": "501"}, "limit"), ({"limit": "x"}, "limit"),
])
def test_a_page_out_of_range_is_refused_naming_the_field(demo_network, user, params, field):
    from jaringan.network.services import token_create

    token = token_create(user=user("staf.itb"))
    response = Client().get("/api/ill/requests", {"side": "lending", **params}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == [field]


def test_a_page_past_the_end_is_empty(demo_network, user):
    from jaringan.network.services import token_create

    token = token_create(user=user("staf.itb"))
    response = Client().get("/api/ill/requests", {"side": "lending", "offset": str(10**9)},
                            HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (response.status_code, response.json()) == (200, [])
