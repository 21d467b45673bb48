"""Each edge answers each branch of the error tree (``jaringan.core.errors``) its own way, once.

Every error below is a real class of the project, raised where the edge meets it: the JSON API and the
pages through Django's whole request cycle (a view of this module's URLs raising it, then the real
membership endpoints), the protocols through their tables, and the command line as a process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import include, path

from jaringan.api_errors import DocumentedAPI
from jaringan.cli import EXIT_CODES
from jaringan.core.errors import Conflict, Forbidden, Invalid, JaringanError, NotFound, Unavailable
from jaringan.core.iso18626 import ErrorType, IllegalTransition
from jaringan.core.outbound import OutboundRefused
from jaringan.core.search.query import QueryError
from jaringan.discovery.store import WriterBusy
from jaringan.ill.iso18626 import endpoint, inbound
from jaringan.interop.oai.protocol import OaiError, oai_error_for
from jaringan.interop.oai.selectors import NoSuchSet
from jaringan.interop.sru.diagnostics import Diagnostic, diagnostic_for

#: One real error of each branch, each from another corner of the project.
RAISED = {
    "invalid": QueryError("The query is too long (more than 1000 characters)."),
    "forbidden": OutboundRefused("http://10.0.0.1/ leads to a private address", address="10.0.0.1", kind="private"),
    "not_found": NoSuchSet("network:NOPE"),
    "conflict": IllegalTransition("the request is Cancelled, which is final", state="Cancelled", event="cancel"),
    "unavailable": WriterBusy("the search index is being written by another process"),
}
BRANCH = {"invalid": Invalid, "forbidden": Forbidden, "not_found": NotFound, "conflict": Conflict,
          "unavailable": Unavailable}
STATUS = {"invalid": 400, "forbidden": 403, "not_found": 404, "conflict": 409, "unavailable": 503}

edge_api = DocumentedAPI(title="errors", version="test", urls_namespace="error-edges")


@edge_api.get("/raise/{name}")
def api_raise(request, name: str):
    raise RAISED[name]


def page_raise(request, name: str):
    raise RAISED[name]


def _urls():
    from jaringan import urls

    return [path("edge-api/", edge_api.urls), path("edge-page/<str:name>", page_raise), path("", include(urls))]


urlpatterns = _urls()


def test_the_examples_are_one_per_branch():
    for name, error in RAISED.items():
        assert isinstance(error, BRANCH[name]) and type(error) is not BRANCH[name]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("name", sorted(RAISED))
def test_json_api_answers_each_branch_with_its_status_and_one_shape(name, db):
    response = Client().get(f"/edge-api/raise/{name}")
    assert response.status_code == STATUS[name]
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["detail"] == RAISED[name].message and body["code"] == RAISED[name].code


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("name", sorted(RAISED))
@pytest.mark.parametrize("language", ["en", "id"])
def test_pages_answer_each_branch_with_its_status_and_a_page(name, language, db):
    response = Client(headers={"Accept-Language": language}).get(f"/edge-page/{name}")
    assert response.status_code == STATUS[name]
    text = response.content.decode()
    assert 'id="error-reason"' in text and "Traceback" not in text
    if name != "not_found":  # the 404 page says what it always says: no page at this address
        assert RAISED[name].message in text
    heading = {("en", "conflict"): "Not possible now", ("id", "conflict"): "Tidak dapat dilakukan sekarang",
               ("en", "unavailable"): "Not available at the moment", ("id", "unavailable"): "Sedang tidak tersedia",
               ("en", "invalid"): "The input was refused", ("id", "invalid"): "Masukan ditolak"}.get((language, name))
    if heading:
        assert f"<h1>{heading}</h1>" in text


@pytest.mark.django_db
def test_the_real_api_maps_its_services_errors(demo_network, user):
    """The membership endpoints raise Invalid, Forbidden, NotFound and Conflict from the service itself."""
    from jaringan.network import services
    from jaringan.network.models import Membership

    coordinator = {"HTTP_AUTHORIZATION": f"Bearer {services.token_create(user=user('koordinator'))}"}
    staff = {"HTTP_AUTHORIZATION": f"Bearer {services.token_create(user=user('staf.itb'))}"}
    pk = Membership.objects.get(network__code="JPJB", library__code="IPB").pk
    not_eligible = Membership.objects.get(network__code="JPIT", library__code="SMAN1-MKW").pk

    def act(pk, body, auth):
        return Client().post(f"/api/memberships/{pk}/actions", data=json.dumps(body), content_type="application/json",
                             **auth)

    answers = {
        "invalid": act(not_eligible, {"action": "admit"}, coordinator),
        "forbidden": act(pk, {"action": "admit"}, staff),
        "not_found": act(10**9, {"action": "admit"}, coordinator),
        "conflict": act(pk, {"action": "admit", "expected_state": "suspended"}, coordinator),
    }
    for name, response in answers.items():
        assert response.status_code == STATUS[name], (name, response.content)
        assert response.json()["detail"]
    assert answers["invalid"].json()["code"] == "not_eligible"
    assert answers["not_found"].json()["code"] == "not_found"
    assert answers["conflict"].json()["code"] == "stale"
    assert Membership.objects.get(pk=pk).state == "applied"


SRU = {"invalid": 6, "forbidden": 3, "not_found": 64, "conflict": 1, "unavailable": 2}


@pytest.mark.parametrize("name", sorted(RAISED))
def test_sru_answers_each_branch_with_a_diagnostic(name):
    diagnostic = diagnostic_for(RAISED[name])
    assert (diagnostic.number, diagnostic.details) == (SRU[name], RAISED[name].message)
    own = Diagnostic(10, "unbalanced brackets")
    assert diagnostic_for(own) is own


@pytest.mark.django_db
def test_sru_request_carries_the_diagnostic_it_met(client):
    response = client.get("/sru", {"version": "1.2", "operation": "searchRetrieve", "query": "title=(x"})
    assert response.status_code == 200
    assert b"info:srw/diagnostic/1/10" in response.content and b"<diag:message>Query syntax error" in response.content


@pytest.mark.parametrize("name", sorted(RAISED))
def test_oai_pmh_answers_each_branch_with_a_code_or_its_status(name):
    code = {"invalid": "badArgument", "not_found": "idDoesNotExist"}.get(name)
    answer = oai_error_for(RAISED[name])
    assert (answer.code if answer else None) == code
    own = OaiError("badResumptionToken", "not one of ours")
    assert oai_error_for(own) is own


@pytest.mark.django_db
def test_oai_pmh_request_carries_the_error_it_met(client):
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "network:NOPE"})
    assert response.status_code == 200
    assert b'<error code="noRecordsMatch">' in response.content or b'<error code="noSetHierarchy">' in response.content


ISO = {"invalid": ErrorType.UnrecognisedDataValue, "forbidden": ErrorType.UnrecognisedDataValue,
       "not_found": ErrorType.UnrecognisedDataValue, "conflict": ErrorType.UnsupportedActionType}


@pytest.mark.parametrize("name", sorted(ISO))
def test_iso18626_refuses_each_branch_with_an_error_type(name):
    refusal = inbound.refusal_for(RAISED[name], conflict=ErrorType.UnsupportedActionType)
    assert refusal.error_type == ISO[name] and refusal.value == RAISED[name].message
    for_a_reason = inbound.refusal_for(RAISED["conflict"], conflict=ErrorType.UnsupportedReasonForMessageType)
    assert for_a_reason.error_type == ErrorType.UnsupportedReasonForMessageType


def test_iso18626_turns_away_what_a_message_did_not_cause(db):
    """Unavailable is not the message's fault: the endpoint answers 503, keeps nothing, and the peer sends again."""
    response = endpoint.turned_away(RAISED["unavailable"])
    assert response.status_code == 503 and b"another process" in response.content


def test_every_branch_has_its_own_exit_code():
    codes = [EXIT_CODES[branch] for branch in (Invalid, Forbidden, NotFound, Conflict, Unavailable, JaringanError)]
    assert len(set(codes)) == len(codes) and 0 not in codes and 2 not in codes  # 2: argparse's usage error


def test_command_line_exits_with_the_branch_of_what_it_met(tmp_path):
    """Zebra's programs missing (no PATH) is Unavailable: EX_TEMPFAIL, and the words say what to install."""
    env = {**os.environ, "JARINGAN_HOME": str(tmp_path), "PATH": "", "LANGUAGE": "en"}
    done = subprocess.run([sys.executable, "-m", "jaringan", "z3950", "export"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == EXIT_CODES[Unavailable] == 75, done.stderr
    assert done.stderr.startswith("error: zebraidx is missing: install Zebra")
    assert "Traceback" not in done.stderr
