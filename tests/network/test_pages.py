"""Server-rendered pages: public pages in both languages, staff forms, permissions."""

import pytest
from django.test import Client
from django.urls import reverse

from jaringan.network.models import Agreement, Library, Membership

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/networks/", "/networks/JPJB/", "/networks/JPIT/", "/libraries/", "/libraries/?kind=school&q=Makassar",
          "/libraries/UNPATTI/", "/agreements/PNRI-PAPUA-2025/", "/agreements/check/",
          "/agreements/check/?requester=DISPUSIP-PAPUA&supplier=PNRI&service=copy&pages=5"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_in_both_languages(demo_network, path):
    client = Client()
    r_id = client.get(path, HTTP_ACCEPT_LANGUAGE="id")
    assert r_id.status_code == 200 and r_id.headers["Content-Language"] == "id"
    r_en = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert r_en.status_code == 200 and r_en.headers["Content-Language"] == "en"


def test_default_language_is_indonesian(demo_network):
    page = Client().get("/networks/JPJB/").content.decode()
    assert 'lang="id"' in page and "<h2>Anggota</h2>" in page and "Lingkup geografis" in page
    english = Client().get("/networks/JPJB/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h2>Members</h2>" in english and "Geographic scope" in english


def test_network_page_shows_members_map_and_agreements(demo_network):
    page = Client().get("/networks/JPIT/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "UPT Perpustakaan Universitas Pattimura" in page
    assert "<svg" in page and 'id="members-map"' in page  # the plain map, with its data for Leaflet
    assert "Kesepakatan Silang Layan Jaringan Perpustakaan Indonesia Timur" in page
    assert "SMA Negeri 1 Manokwari" not in page  # a pending application is not a member


def test_language_switch(demo_network):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "The network between libraries" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()  # the choice beats the browser's
    assert "The network between libraries" not in page and 'lang="id"' in page


def test_unknown_things_are_404(demo_network):
    c = Client()
    assert c.get("/networks/NOPE/").status_code == 404
    assert c.get("/libraries/NOPE/").status_code == 404
    assert c.get("/agreements/NOPE/").status_code == 404


def test_odd_query_input_is_handled(demo_network):
    c = Client()
    assert c.get("/libraries/", {"q": "🙂" * 500, "kind": "../../etc"}).status_code == 200
    r = c.get("/agreements/check/", {"requester": "X", "supplier": "Y", "service": "loan", "pages": "-1"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()


def login(client, username, passwords):
    assert client.login(username=username, password=passwords[username])
    return client


def test_manage_pages_need_login(demo_network):
    r = Client().get("/manage/")
    assert r.status_code == 302 and "/accounts/login/" in r.headers["Location"]


def test_coordinator_admits_from_the_dashboard(demo_network, passwords):
    c = login(Client(), "koordinator", passwords)
    m = Membership.objects.get(network__code="JPJB", library__code="IPB")
    page = c.get("/manage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'id="application-{m.pk}"' in page and "Has a fixed annual budget." in page
    r = c.post(reverse("membership_act", args=[m.pk]),
               {"action": "admit", "expected_state": "applied", "note": "Selamat", "next": "/manage/"})
    assert r.status_code == 302 and r.headers["Location"] == "/manage/"
    assert Membership.objects.get(pk=m.pk).state == "admitted"
    # The same button pressed again from a stale page: told, nothing changes.
    c.post(reverse("membership_act", args=[m.pk]), {"action": "reject", "expected_state": "applied"})
    assert Membership.objects.get(pk=m.pk).state == "admitted"


def test_admit_waits_for_the_requirements_and_says_why(demo_network, passwords):
    """A library that no longer meets a requirement cannot be admitted (the server refuses): the
    button says so before it is pressed, on the dashboard and on the application's page."""
    m = Membership.objects.get(network__code="JPJB", library__code="IPB")
    Library.objects.filter(code="IPB").update(budget_fixed=False)
    c = login(Client(), "koordinator", passwords)
    page = c.get("/manage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = page[page.index(f'id="application-{m.pk}"'):]
    card = card[:card.index("</article>")]
    assert f'value="admit" disabled aria-describedby="not-yet-{m.pk}"' in card
    assert "It can be admitted once every requirement marked ✗ is met" in card and "Applied on" in card
    assert 'value="reject" disabled' not in card
    detail = c.get(reverse("membership_detail", args=[m.pk]), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'value="admit" disabled aria-describedby="not-yet"' in detail
    assert "Dapat diterima setelah setiap persyaratan bertanda ✗ terpenuhi." in detail
    # As soon as the library meets it again, the buttons are live.
    Library.objects.filter(code="IPB").update(budget_fixed=True)
    page = c.get("/manage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'aria-describedby="not-yet-{m.pk}"' not in page


def test_open_redirect_is_refused(demo_network, passwords):
    c = login(Client(), "koordinator", passwords)
    m = Membership.objects.get(network__code="JPJB", library__code="IPB")
    r = c.post(reverse("membership_act", args=[m.pk]), {"action": "admit", "next": "https://evil.example/"})
    assert r.headers["Location"] == reverse("membership_detail", args=[m.pk])


def test_other_coordinators_and_staff_cannot_act(demo_network, passwords):
    m = Membership.objects.get(network__code="JPJB", library__code="IPB")
    for who in ("koordinator.fppti", "staf.unpatti", "pembaca"):
        c = login(Client(), who, passwords)
        assert c.post(reverse("membership_act", args=[m.pk]), {"action": "admit"}).status_code == 403
        assert c.get(reverse("membership_detail", args=[m.pk])).status_code == 404
    assert Membership.objects.get(pk=m.pk).state == "applied"


def test_library_form_errors_name_the_field(demo_network, passwords):
    c = login(Client(), "koordinator", passwords)
    r = c.post("/manage/libraries/new/", {"code": "x", "name": "", "kind": "school", "city": "Ambon",
                                          "province": "Maluku", "languages": "ind, english",
                                          "collection_size": "10", "staff_count": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    page = r.content.decode()
    assert r.status_code == 200 and "Not a three-letter language code: english" in page
    assert not Library.objects.filter(city="Ambon", kind="school").exists()


def test_coordinator_registers_and_staff_edit_own_library(demo_network, passwords):
    c = login(Client(), "koordinator", passwords)
    r = c.post("/manage/libraries/new/", {"code": "SMAN1-AMB", "name": "Perpustakaan SMA Negeri 1 Ambon",
                                          "kind": "school", "city": "Ambon", "province": "Maluku",
                                          "latitude": "-3.6954", "longitude": "128.1814", "languages": "ind",
                                          "collection_size": "4000", "staff_count": "2",
                                          "delivery_methods": ["post", "pickup"]})
    assert r.status_code == 302
    assert Library.objects.get(code="SMAN1-AMB").delivery_methods == ["post", "pickup"]
    staff = login(Client(), "staf.itb", passwords)
    assert staff.get("/manage/libraries/ITB/").status_code == 200
    assert staff.get("/manage/libraries/UNPATTI/").status_code == 403
    assert staff.get("/manage/libraries/new/").status_code == 403


def test_staff_apply_from_the_dashboard(demo_network, passwords):
    c = login(Client(), "staf.itb", passwords)
    r = c.post("/manage/memberships/apply/", {"library": "ITB", "network": "JPIT", "note": "Kami ingin bergabung"})
    m = Membership.objects.get(network__code="JPIT", library__code="ITB")
    assert r.status_code == 302 and m.state == "applied"
    # and not for a library that is not theirs
    c.post("/manage/memberships/apply/", {"library": "UNPATTI", "network": "JPJB"})
    assert not Membership.objects.filter(network__code="JPJB", library__code="UNPATTI").exists()


def test_coordinator_records_an_agreement_with_parties_and_division_of_labour(demo_network, passwords):
    c = login(Client(), "koordinator", passwords)
    assert c.get("/manage/networks/JPIT/agreements/new/").status_code == 200
    data = {
        "code": "JPIT-FORM-2026", "title": "Perjanjian formulir", "purpose": "Uji formulir", "form": "written",
        "document_ref": "No. 3/2026", "services": ["loan", "acquisition"], "coverage": "named",
        "relation": "reciprocal", "starts": "2026-01-01", "ends": "2027-12-31", "fee_per_loan": "5000",
        "fee_per_page": "0", "shipping_paid_by": "shared", "free_loans_per_year": "10", "technology": "surel",
        "parties-TOTAL_FORMS": "3", "parties-INITIAL_FORMS": "0",
        "parties-0-library": "UNPATTI", "parties-0-role": "both",
        "parties-1-library": "UNHAS", "parties-1-role": "both",
        "parties-2-library": "", "parties-2-role": "both",
        "resp-TOTAL_FORMS": "1", "resp-INITIAL_FORMS": "0",
        "resp-0-library": "UNHAS", "resp-0-scheme": "DDC", "resp-0-start": "340", "resp-0-end": "349.99",
        "resp-0-subject": "Hukum",
    }
    r = c.post("/manage/networks/JPIT/agreements/new/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    a = Agreement.objects.get(code="JPIT-FORM-2026")
    assert a.parties.count() == 2 and a.responsibilities.get().library.code == "UNHAS"
    # Edited page shows what is there; another coordinator cannot open it.
    assert c.get(f"/manage/agreements/{a.code}/").status_code == 200
    other = login(Client(), "koordinator.fppti", passwords)
    assert other.get(f"/manage/agreements/{a.code}/").status_code == 403


def test_admin_shows_a_coordinator_only_their_networks(demo_network, passwords):
    c = login(Client(), "koordinator", passwords)
    page = c.get("/admin/network/network/").content.decode()
    assert "JPJB" in page and "JPIT" in page and "FPPTI" not in page
    assert c.get("/admin/network/agreement/").status_code == 200
    fppti_agreement = Agreement.objects.filter(network__code="FPPTI").first()
    assert c.get(f"/admin/network/agreement/{fppti_agreement.pk}/change/").status_code in (302, 404)
