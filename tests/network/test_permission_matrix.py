"""Who may act for a library, by the state of its membership in a network.

Only a library's own staff (and a superuser) apply for it, and only an
*admitted* membership gives a network's coordinator any right over a library:
an application, a rejection, a suspension or a withdrawal gives nothing.

Every guarded action is tried, through the JSON API, the pages and the admin,
by every role against a library whose membership in the coordinator's network
is in each state (or that has none).
"""

import json
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from jaringan.network import services
from jaringan.network.models import Library, Membership, Network
from jaringan.network.permissions import SYSTEM
from tests.paths import FIXTURES

pytestmark = [pytest.mark.django_db, pytest.mark.permissions]

LIBRARY = {"code": "UJI-X", "name": "Perpustakaan Uji", "kind": "special", "city": "Bandung",
           "province": "Jawa Barat", "collection_size": 5000, "staff_count": 3, "budget_fixed": True,
           "annual_budget": "50000000", "open_to_outsiders": True}
NETWORK = "JPJB"  # coordinated by "koordinator"; "koordinator.fppti" coordinates FPPTI only

#: role → demo username (the library's own staff and reader, and the superuser, are made per test)
ROLES = {
    "anonymous": None, "reader": "pembaca.x", "staff_own": "staf.x", "staff_other": "staf.itb",
    "coord_net": "koordinator", "coord_other": "koordinator.fppti", "superuser": "super",
}
#: How each state is reached from none, by the membership service.
PATH_TO = {None: [], "applied": [], "admitted": ["admit"], "rejected": ["reject"],
           "suspended": ["admit", "suspend"], "withdrawn": ["withdraw"]}
STATES = list(PATH_TO)

OWN = {"staff_own", "superuser"}


def test_the_matrix_covers_every_state_a_membership_can_be_in():
    assert set(STATES) - {None} == set(Membership.State.values) == set(MOVES)


def acting_for_library(state):
    """Staff of the library and the superuser; the network's coordinator only while it is admitted."""
    return OWN | ({"coord_net"} if state == "admitted" else set())


def configuring(state):
    """Where another system serves the library, and the admin's library pages: not its staff."""
    return {"superuser"} | ({"coord_net"} if state == "admitted" else set())


def desk(state):
    """The interlibrary loan queues and ledger pages: the library's staff (coordinators read network figures)."""
    return OWN


#: action → (method, path, body, roles allowed by state, status when allowed)
GUARDED = {
    "library_edit": ("patch", "/api/libraries/UJI-X", {"staff_count": 4}, acting_for_library, 200),
    "library_edit_page": ("page", "/manage/libraries/UJI-X/", None, acting_for_library, 200),
    "library_admin_page": ("page", "/admin/network/library/{pk}/change/", None, configuring, 200),
    "catalogue_upload": ("upload", "/api/libraries/UJI-X/records", None, acting_for_library, 202),
    "catalogue_intake_page": ("page", "/manage/libraries/UJI-X/records/", None, acting_for_library, 200),
    "union_catalogue_nodes_page": ("page", "/manage/libraries/UJI-X/ucs/", None, acting_for_library, 200),
    "harvest_source_add": ("form", "/manage/libraries/UJI-X/sources/", {
        "endpoint": "https://oai.perpustakaan-uji.invalid/oai", "metadata_prefix": "oai_dc", "every_hours": 24},
        acting_for_library, 302),
    "batches": ("get", "/api/libraries/UJI-X/batches", None, acting_for_library, 200),
    "quarantine": ("get", "/api/libraries/UJI-X/quarantine", None, acting_for_library, 200),
    "ledger": ("get", "/api/ill/libraries/UJI-X/balance", None, acting_for_library, 200),
    "ill_ledger_page": ("page", "/manage/ill/ledger/?library=UJI-X", None, desk, 200),
    "ill_queue_page": ("page", "/manage/ill/lending/?library=UJI-X", None, desk, 200),
    "iso18626_peer": ("post", "/api/ill/peers",
                      {"library": "UJI-X", "url": "https://ill.perpustakaan-uji.invalid/iso18626"}, configuring, 201),
    "iso18626_agency_id": ("post", "/api/ill/libraries/UJI-X/agency-ids", {"id_type": "ISIL", "id_value": "ID-UJIX"},
                           acting_for_library, 201),
}

#: state → the membership actions that lead on from it, and who may take each
#: ("C" the network's coordinator, "L" the library's staff). Any other action is 409 to either side.
MOVES = {
    "applied": {"admit": "C", "reject": "C", "withdraw": "CL"},
    "admitted": {"suspend": "C", "withdraw": "CL"},
    "suspended": {"reinstate": "C", "withdraw": "CL"},
    "rejected": {"reapply": "L"},
    "withdrawn": {"reapply": "L"},
}
SIDES = {"coord_net": "C", "staff_own": "L", "superuser": "CL"}
ACTIONS = ["admit", "reject", "suspend", "reinstate", "withdraw", "reapply"]

AGREEMENT = {"code": "JPJB-UJI-2026", "title": "Uji", "purpose": "Uji.", "form": "unwritten", "services": ["copy"],
             "coverage": "named", "relation": "reciprocal", "starts": "2026-01-01",
             "parties": [{"library": "UJI-X"}, {"library": "ITB"}]}
#: The library given a share of the network-wide division of labour (a class range to collect and lend).
SHARE = {**AGREEMENT, "coverage": "network", "parties": [],
         "responsibilities": [{"library": "UJI-X", "scheme": "DDC", "start": "630", "end": "639.99"}]}


def upload():
    record = (FIXTURES / "openlibrary_marc_tests" / "bin_input" / "lc_1416500308.mrc").read_bytes()
    return {"file": SimpleUploadedFile("koleksi.mrc", record)}


@pytest.fixture
def world(demo_network):
    """Library UJI-X with its staff and reader, a superuser, and a client per role (a token for the API,
    a session for pages)."""
    library = services.library_create(actor=SYSTEM, data=LIBRARY)
    services.user_create(username="staf.x", password="x", role="staff", library="UJI-X", check_password=False)
    services.user_create(username="pembaca.x", password="x", role="reader", library="UJI-X", check_password=False)
    services.user_create(username="super", password="x", superuser=True, check_password=False)
    clients = {}
    for role, username in ROLES.items():
        client = Client()
        if username:
            user = get_user_model().objects.get(username=username)
            client.force_login(user)
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {services.token_create(user=user)}"
        clients[role] = client
    return library, clients


def with_membership(library, state) -> Membership | None:
    if state is None:
        return None
    m = services.membership_apply(actor=SYSTEM, network=Network.objects.get(code=NETWORK), library=library)
    for action in PATH_TO[state]:
        m = services.membership_act(actor=SYSTEM, membership_id=m.pk, action=action)
    assert m.state == state
    return m


def send(client, method, path, body=None):
    if method == "page" or (method == "get" and body is None):
        return client.get(path)
    if method == "upload":
        return client.post(path, upload())
    if method == "form":
        return client.post(path, body)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def done(method, response, ok) -> bool:
    """A form's success is its redirect back to the library's records page."""
    if method == "form":
        return response.status_code == ok and response.url.endswith("/records/")
    return response.status_code == ok


def refused(role, method, response) -> bool:
    """API callers: 401 anonymous, else 403. Pages and forms: 403, or sent elsewhere (the login page, the
    admin's login, a reader's own requests, a coordinator's network figures); a form never to its success."""
    status = response.status_code
    if method == "form":
        return status == 403 or (status == 302 and "/login/" in response.url)
    if method == "page":
        return status == 403 or (status == 302 and "UJI-X" not in urlsplit(response.url).path)
    return status == (401 if role == "anonymous" else 403)


def tried(method, path, body=None, *, client):
    """The answer to one request, which is then undone (so each role tries from the same state)."""
    with transaction.atomic():
        response = send(client, method, path, body)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("state", STATES, ids=[s or "none" for s in STATES])
def test_every_role_against_every_guarded_action(world, state):
    library, clients = world
    membership = with_membership(library, state)
    wrong = []
    for action, (method, path, body, allowed_for, ok) in GUARDED.items():
        allowed = allowed_for(state)
        for role, client in clients.items():
            response = tried(method, path.format(pk=library.pk), body, client=client)
            if not (done(method, response, ok) if role in allowed else refused(role, method, response)):
                wrong.append((action, role, response.status_code))
    assert not wrong, f"membership {state}: (action, role, status) answered wrongly: {wrong}"
    assert Library.objects.get(pk=library.pk).staff_count == 3 and membership == with_state(library, state)


def with_state(library, state):
    return Membership.objects.filter(library=library).first() if state else None


@pytest.mark.parametrize("state", STATES, ids=[s or "none" for s in STATES])
def test_every_role_against_every_membership_action(world, state):
    library, clients = world
    membership = with_membership(library, state)
    wrong = []
    for role, client in clients.items():
        side = set(SIDES.get(role, ""))
        # applying (or applying again) for the library: its staff only
        status = tried("post", f"/api/networks/{NETWORK}/memberships", {"library": "UJI-X"}, client=client).status_code
        if role in OWN:
            want = 201 if state in (None, "rejected", "withdrawn") else 409
        else:
            want = 401 if role == "anonymous" else 403
        if status != want:
            wrong.append(("apply", role, status, want))
        # naming the library in an agreement, as a party or with a share of the work: the network's
        # coordinator, for a member (admitted, or suspended: its agreements outlast a suspension)
        for what, agreement in (("agreement_party", AGREEMENT), ("agreement_share", SHARE)):
            status = tried("post", f"/api/networks/{NETWORK}/agreements", agreement, client=client).status_code
            if "C" in side:
                want = 201 if state in ("admitted", "suspended") else 400
            else:
                want = 401 if role == "anonymous" else 403
            if status != want:
                wrong.append((what, role, status, want))
        if membership is None:
            continue
        status = tried("get", f"/api/memberships/{membership.pk}", client=client).status_code
        want = 200 if side else (401 if role == "anonymous" else 403)
        if status != want:
            wrong.append(("history", role, status, want))
        for action in ACTIONS:
            status = tried("post", f"/api/memberships/{membership.pk}/actions", {"action": action},
                           client=client).status_code
            takers = set(MOVES[state].get(action, ""))
            if role == "anonymous":
                want = 401
            elif not side:
                want = 403
            elif action not in MOVES[state]:
                want = 409
            else:
                want = 200 if side & takers else 403
            if status != want:
                wrong.append((action, role, status, want))
    assert not wrong, f"membership {state}: (action, role, status, expected) answered wrongly: {wrong}"
    assert with_state(library, state) == membership and (membership is None or (
        Membership.objects.get(pk=membership.pk).state == state))


# --- the takeover, step by step, as it was done --------------------------------------------------------

def test_a_coordinator_cannot_apply_for_a_library_outside_their_networks(demo_network, user):
    """UGM belongs to FPPTI only; the coordinator of JPJB and JPIT files an application for it."""
    client = Client(HTTP_AUTHORIZATION=f"Bearer {services.token_create(user=user('koordinator'))}")
    r = client.post("/api/networks/JPJB/memberships", data=json.dumps({"library": "UGM"}),
                    content_type="application/json")
    assert r.status_code == 403 and "Gadjah Mada" in r.json()["detail"]
    assert not Membership.objects.filter(network__code="JPJB", library__code="UGM").exists()
    # nor through the dashboard's form
    page = Client()
    page.force_login(user("koordinator"))
    r = page.post("/manage/memberships/apply/", {"network": "JPJB", "library": "UGM"})
    assert r.status_code == 302
    assert not Membership.objects.filter(network__code="JPJB", library__code="UGM").exists()
    assert b'value="UGM"' not in page.get("/manage/").content


def test_an_application_gives_the_coordinator_nothing_over_the_library(demo_network, user):
    """UGM's own staff apply to JPJB: until JPJB admits it, JPJB's coordinator may not act for UGM."""
    services.user_create(username="staf.ugm", password="x", role="staff", library="UGM", check_password=False)
    ugm_staff = Client(HTTP_AUTHORIZATION=f"Bearer {services.token_create(user=user('staf.ugm'))}")
    r = ugm_staff.post("/api/networks/JPJB/memberships", data=json.dumps({"library": "UGM"}),
                       content_type="application/json")
    assert r.status_code == 201 and r.json()["state"] == "applied"
    coordinator = Client(HTTP_AUTHORIZATION=f"Bearer {services.token_create(user=user('koordinator'))}")
    before = Library.objects.get(code="UGM")
    assert coordinator.patch("/api/libraries/UGM", data=json.dumps({"email": "x@evil.example"}),
                             content_type="application/json").status_code == 403
    assert coordinator.post("/api/libraries/UGM/records", upload()).status_code == 403
    assert coordinator.get("/api/libraries/UGM/batches").status_code == 403
    assert coordinator.get("/api/ill/libraries/UGM/balance").status_code == 403
    r = coordinator.post("/api/ill/peers", data=json.dumps({"library": "UGM", "url": "https://evil.example/iso18626"}),
                         content_type="application/json")
    assert r.status_code == 403
    after = Library.objects.get(code="UGM")
    assert after.email == before.email and not hasattr(after, "iso18626_peer")
    # once admitted, the coordinator acts for it
    m = Membership.objects.get(network__code="JPJB", library__code="UGM")
    assert coordinator.post(f"/api/memberships/{m.pk}/actions", data=json.dumps({"action": "admit"}),
                            content_type="application/json").status_code == 200
    assert coordinator.get("/api/libraries/UGM/batches").status_code == 200


def _admin_agreement_form(library_pk: int, *, party: bool, share: bool) -> dict:
    """The admin's add-agreement form for JPJB, naming a library as a party and/or giving it a share."""
    inline = {}
    for prefix, rows in (("parties", [{"library": library_pk, "role": "both"}] if party else []),
                         ("responsibilities", [{"library": library_pk, "scheme": "DDC", "start": "630",
                                                "end": "639.99", "subject": ""}] if share else [])):
        inline.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0,
                       f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for n, row in enumerate(rows):
            inline.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return {"network": Network.objects.get(code="JPJB").pk, "code": "JPJB-ADMIN-2026", "title": "Lewat admin",
            "purpose": "Uji.", "form": "unwritten", "document_ref": "", "services": '["copy"]',
            "coverage": "network", "relation": "reciprocal", "starts": "2026-01-01", "ends": "", "fee_per_loan": "0",
            "fee_per_page": "0", "shipping_paid_by": "requester", "free_loans_per_year": "0", "shipping_bands": "[]",
            "technology": "", **inline}


@pytest.mark.parametrize("party, share", [(True, False), (False, True)], ids=["party", "share"])
def test_the_admin_names_in_an_agreement_only_the_networks_members(demo_network, user, party, share):
    """JPJB's coordinator, in the admin, names UGM (a member of FPPTI only) in a new JPJB agreement."""
    from jaringan.network.models import Agreement

    client = Client()
    client.force_login(user("koordinator"))
    ugm = Library.objects.get(code="UGM")
    r = client.post("/admin/network/agreement/add/", _admin_agreement_form(ugm.pk, party=party, share=share))
    assert r.status_code == 200 and (b"not a member" in r.content or b"bukan anggota" in r.content)
    assert not Agreement.objects.filter(code="JPJB-ADMIN-2026").exists()
    itb = Library.objects.get(code="ITB")  # an admitted member of JPJB: the same form is saved
    r = client.post("/admin/network/agreement/add/", _admin_agreement_form(itb.pk, party=party, share=share))
    assert r.status_code == 302, r.content.decode()[:3000]
    saved = Agreement.objects.get(code="JPJB-ADMIN-2026")
    assert [p.library.code for p in saved.parties.all()] == (["ITB"] if party else [])
    assert [s.library.code for s in saved.responsibilities.all()] == (["ITB"] if share else [])
