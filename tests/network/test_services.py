"""Services on a real database (SQLite, and PostgreSQL when DATABASE_URL names it)."""

from datetime import date
from decimal import Decimal

import pytest

from jaringan.core import agreements as rules
from jaringan.core.errors import Conflict, Forbidden, Invalid
from jaringan.network import selectors, services
from jaringan.network.models import Agreement, Library, Membership, MembershipEvent, Network, Role

pytestmark = pytest.mark.django_db

NEW_LIBRARY = {
    "code": "PERPUSDA-NTB", "name": "Dinas Perpustakaan dan Kearsipan Provinsi Nusa Tenggara Barat",
    "kind": "public", "city": "Mataram", "province": "Nusa Tenggara Barat", "latitude": -8.5833,
    "longitude": 116.1167, "languages": ["ind", "sas"], "collection_size": 60000, "open_to_outsiders": True,
    "annual_budget": Decimal("900000000"), "budget_fixed": True, "staff_count": 14,
}


def test_coordinator_registers_a_library(principal):
    lib = services.library_create(actor=principal("koordinator"), data=NEW_LIBRARY)
    assert Library.objects.get(code="PERPUSDA-NTB").island == "bali_nusa_tenggara"
    assert lib.collection_size == 60000


@pytest.mark.parametrize(
    "change, field",
    [
        ({"code": "bad code"}, "code"),
        ({"province": "Atlantis"}, "province"),
        ({"latitude": 123.0}, "latitude"),
        ({"kind": "museum"}, "kind"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_library_input_names_the_field_and_saves_nothing(principal, change, field):
    with pytest.raises(Invalid) as info:
        services.library_create(actor=principal("koordinator"), data={**NEW_LIBRARY, **change})
    assert field in info.value.errors
    assert not Library.objects.filter(name=NEW_LIBRARY["name"]).exists()


def test_unknown_field_is_refused(principal):
    with pytest.raises(Invalid) as info:
        services.library_create(actor=principal("koordinator"), data={**NEW_LIBRARY, "colour": "red"})
    assert "colour" in info.value.errors


def test_duplicate_code_is_refused(principal):
    with pytest.raises(Invalid) as info:
        services.library_create(actor=principal("koordinator"), data={**NEW_LIBRARY, "code": "ITB"})
    assert "code" in info.value.errors


def test_staff_and_readers_cannot_register_libraries(principal):
    for who in ("staf.itb", "pembaca"):
        with pytest.raises(Forbidden):
            services.library_create(actor=principal(who), data=NEW_LIBRARY)


def test_staff_edit_only_their_own_library(principal):
    itb = Library.objects.get(code="ITB")
    services.library_update(actor=principal("staf.itb"), library=itb, data={"staff_count": 61})
    assert Library.objects.get(code="ITB").staff_count == 61
    with pytest.raises(Forbidden):
        services.library_update(actor=principal("staf.itb"), library=Library.objects.get(code="UNPATTI"),
                                data={"staff_count": 1})


def test_coordinator_edits_only_their_networks_libraries(principal):
    # koordinator coordinates JPJB and JPIT; UNAND (Sumatra) is in neither.
    services.library_update(actor=principal("koordinator"), library=Library.objects.get(code="UNPATTI"),
                            data={"phone": "+62 911 322626"})
    with pytest.raises(Forbidden):
        services.library_update(actor=principal("koordinator"), library=Library.objects.get(code="UNAND"),
                                data={"phone": "+62 751 1"})


def test_network_creator_becomes_its_coordinator(principal, user):
    net = services.network_create(actor=principal("koordinator"), data={
        "code": "JPKU", "name": "Jaringan Perpustakaan Kota Kupang", "structure": "multi_type",
        "scope": "city", "area": "Kupang", "jurisdiction": "single", "funding": "non_profit"})
    assert Role.objects.filter(user=user("koordinator"), network=net, kind="coordinator").exists()


def test_single_type_network_needs_its_kind(principal):
    with pytest.raises(Invalid):
        services.network_create(actor=principal("koordinator"), data={
            "code": "XX", "name": "X", "structure": "single_type", "library_kind": "", "scope": "city",
            "jurisdiction": "single", "funding": "non_profit"})


def _staff_of(code: str, principal):
    """A staff account for a library the demo gives none."""
    username = f"staf.{code.lower()}"
    services.user_create(username=username, password="x", role="staff", library=code, check_password=False)
    return principal(username)


def test_application_admission_and_history(principal):
    coord = principal("koordinator")
    ntb = services.library_create(actor=coord, data=NEW_LIBRARY)
    jpit = Network.objects.get(code="JPIT")
    with pytest.raises(Forbidden):  # registering a library does not make it the coordinator's to file
        services.membership_apply(actor=coord, network=jpit, library=ntb)
    m = services.membership_apply(actor=_staff_of("PERPUSDA-NTB", principal), network=jpit, library=ntb,
                                  note="Mohon bergabung")
    assert m.state == "applied" and m.eligible
    m = services.membership_act(actor=coord, membership_id=m.pk, action="admit", note="Selamat datang")
    assert m.state == "admitted"
    services.membership_act(actor=coord, membership_id=m.pk, action="suspend", note="Iuran belum dibayar")
    events = list(MembershipEvent.objects.filter(membership=m).values_list("action", "from_state", "to_state"))
    assert events == [("apply", "", "applied"), ("admit", "applied", "admitted"), ("suspend", "admitted", "suspended")]


def test_failing_library_is_recorded_but_not_admitted(principal):
    # SMAN1-MKW has no staff: its application to JPIT is pending in the demo.
    m = Membership.objects.get(network__code="JPIT", library__code="SMAN1-MKW")
    assert m.state == "applied" and not m.eligible
    with pytest.raises(Invalid) as info:
        services.membership_act(actor=principal("koordinator"), membership_id=m.pk, action="admit")
    assert info.value.code == "not_eligible"
    m.refresh_from_db()
    assert m.state == "applied" and m.events.count() == 1


def test_library_staff_apply_but_cannot_admit_themselves(principal):
    staff = principal("staf.itb")
    m = services.membership_apply(actor=staff, network=Network.objects.get(code="JPIT"), library=_lib("ITB"))
    assert m.state == "applied"
    with pytest.raises(Forbidden):
        services.membership_act(actor=staff, membership_id=m.pk, action="admit")
    services.membership_act(actor=staff, membership_id=m.pk, action="withdraw")
    assert Membership.objects.get(pk=m.pk).state == "withdrawn"


def test_staff_cannot_apply_for_another_library(principal):
    with pytest.raises(Forbidden):
        services.membership_apply(actor=principal("staf.itb"), network=Network.objects.get(code="JPIT"),
                                  library=_lib("UNPATTI"))


def test_coordinator_of_another_network_cannot_decide(principal):
    m = Membership.objects.get(network__code="FPPTI", library__code="UNCEN")
    with pytest.raises(Forbidden):
        services.membership_act(actor=principal("koordinator"), membership_id=m.pk, action="admit")


def test_stale_screen_is_told_and_changes_nothing(principal):
    coord = principal("koordinator")
    m = Membership.objects.get(network__code="JPJB", library__code="IPB")
    services.membership_act(actor=coord, membership_id=m.pk, action="admit", expected_state="applied")
    with pytest.raises(Conflict) as info:
        services.membership_act(actor=coord, membership_id=m.pk, action="reject", expected_state="applied")
    assert info.value.code == "stale"
    assert Membership.objects.get(pk=m.pk).state == "admitted"


def test_illegal_transition_is_refused(principal):
    m = Membership.objects.get(network__code="JPJB", library__code="ITB")
    with pytest.raises(Conflict):
        services.membership_act(actor=principal("koordinator"), membership_id=m.pk, action="admit")


def test_single_type_network_refuses_other_kinds(principal):
    with pytest.raises(Invalid):
        services.membership_apply(actor=_staff_of("PNRI", principal), network=Network.objects.get(code="FPPTI"),
                                  library=Library.objects.get(code="PNRI"))


def test_rejected_library_may_apply_again_but_not_twice(principal):
    m = Membership.objects.get(network__code="JPJB", library__code="HERBARIUM-BOGOR")
    assert m.state == "rejected"
    with pytest.raises(Forbidden):  # applying again is the library's decision, not the coordinator's
        services.membership_apply(actor=principal("koordinator"), network=m.network, library=m.library)
    staff = _staff_of("HERBARIUM-BOGOR", principal)
    again = services.membership_apply(actor=staff, network=m.network, library=m.library)
    assert again.pk == m.pk and again.state == "applied"
    with pytest.raises(Conflict):
        services.membership_apply(actor=staff, network=m.network, library=m.library)


AGREEMENT = {
    "code": "JPIT-TEST-2026", "title": "Perjanjian uji", "purpose": "Saling meminjamkan.", "form": "written",
    "document_ref": "No. 1/2026", "services": ["loan", "copy"], "coverage": "named", "relation": "reciprocal",
    "starts": date(2026, 1, 1), "ends": date(2026, 12, 31), "fee_per_loan": Decimal("10000"),
    "fee_per_page": Decimal("300"), "shipping_paid_by": "requester", "free_loans_per_year": 0, "technology": "ISO 18626",
}


def test_agreement_between_named_libraries(principal):
    a = services.agreement_save(
        actor=principal("koordinator"), network=Network.objects.get(code="JPIT"), data=AGREEMENT,
        parties=[{"library": "UNPATTI"}, {"library": "UNCEN"}],
        responsibilities=[{"library": "UNPATTI", "scheme": "DDC", "start": "590", "end": "599.99", "subject": "Zoologi laut"}],
    )
    assert sorted(a.parties.values_list("library__code", flat=True)) == ["UNCEN", "UNPATTI"]
    assert a.responsibilities.get().subject == "Zoologi laut"


@pytest.mark.parametrize(
    "parties, responsibilities, field",
    [
        ([{"library": "UNPATTI"}], [], "parties"),  # one party is not an agreement
        ([{"library": "UNPATTI"}, {"library": "ITB"}], [], "parties"),  # ITB is not in JPIT
        ([{"library": "UNPATTI"}, {"library": "UNCEN"}],
         [{"library": "UNPATTI", "start": "500", "end": "599"}, {"library": "UNCEN", "start": "590", "end": "610"}],
         "responsibilities"),  # overlapping ranges duplicate work
        ([{"library": "UNPATTI"}, {"library": "UNCEN"}],
         [{"library": "UNPATTI", "start": "599", "end": "500"}], "responsibilities"),  # backwards
        ([{"library": "UNPATTI"}, {"library": "UNCEN"}],
         [{"library": "UNHAS", "start": "500", "end": "510"}], "responsibilities"),  # not a party
    ],
)
def test_bad_agreements_are_refused_whole(principal, parties, responsibilities, field):
    with pytest.raises(Invalid) as info:
        services.agreement_save(actor=principal("koordinator"), network=Network.objects.get(code="JPIT"),
                                data=AGREEMENT, parties=parties, responsibilities=responsibilities)
    assert field in info.value.errors
    assert not Agreement.objects.filter(code="JPIT-TEST-2026").exists()


def test_one_way_needs_a_supplier_and_a_recipient(principal):
    with pytest.raises(Invalid):
        services.agreement_save(
            actor=principal("koordinator"), network=Network.objects.get(code="JPIT"),
            data={**AGREEMENT, "relation": "one_way"},
            parties=[{"library": "UNPATTI", "role": "supplier"}, {"library": "UNCEN", "role": "supplier"}],
        )


def test_agreement_dates_and_services_are_checked(principal):
    net = Network.objects.get(code="JPIT")
    with pytest.raises(Invalid) as info:
        services.agreement_save(actor=principal("koordinator"), network=net,
                                data={**AGREEMENT, "coverage": "network", "ends": date(2025, 1, 1)})
    assert "__all__" in info.value.errors or "ends" in info.value.errors
    with pytest.raises(Invalid):
        services.agreement_save(actor=principal("koordinator"), network=net,
                                data={**AGREEMENT, "coverage": "network", "services": ["teleport"]})


def test_only_the_networks_coordinator_records_agreements(principal):
    with pytest.raises(Forbidden):
        services.agreement_save(actor=principal("koordinator.fppti"), network=Network.objects.get(code="JPIT"),
                                data=AGREEMENT, parties=[{"library": "UNPATTI"}, {"library": "UNCEN"}])


def _lib(code):
    return Library.objects.get(code=code)


def test_agreement_check_from_the_database(demo_network):
    today = date(2026, 11, 25)
    # PNRI supplies copies one way to the Papua provincial library, free of charge.
    d = selectors.agreement_check(requester=_lib("DISPUSIP-PAPUA"), supplier=_lib("PNRI"), service="copy",
                                  on=today, pages=30)
    assert d.allowed and d.fee == 0
    assert Agreement.objects.get(pk=d.agreement_id).code == "PNRI-PAPUA-2025"
    back = selectors.agreement_check(requester=_lib("PNRI"), supplier=_lib("DISPUSIP-PAPUA"), service="copy", on=today)
    assert not back.allowed
    # Two universities of the FPPTI forum: reciprocal borrowing is covered.
    assert selectors.agreement_check(requester=_lib("UGM"), supplier=_lib("ITB"), service="reciprocal", on=today).allowed
    # A library with no network in common with another has no agreement to use.
    none = selectors.agreement_check(requester=_lib("SMAN3-BDG"), supplier=_lib("UNPATTI"), service="loan", on=today)
    assert not none.allowed and none.refusals == ((None, rules.NO_AGREEMENT),)


def test_suspended_member_cannot_ask(demo_network):
    # ULM is suspended in FPPTI.
    d = selectors.agreement_check(requester=_lib("ULM"), supplier=_lib("UGM"), service="reciprocal",
                                  on=date(2026, 11, 25))
    assert not d.allowed
    assert rules.REQUESTER_NOT_MEMBER in {r for _a, r in d.refusals}


def test_user_create_validates(demo_network):
    with pytest.raises(Conflict):
        services.user_create(username="koordinator", password="long-enough-pass")
    with pytest.raises(Invalid):
        services.user_create(username="baru", password="123")
    with pytest.raises(Invalid):
        services.user_create(username="baru2", password="long-enough-pass", role="staff", library="NOPE")


@pytest.mark.parametrize("bands, ok", [
    ([{"up_to_km": 100, "fee": 20000}, {"up_to_km": None, "fee": "90000"}], True),
    ([{"up_to_km": 300, "fee": 20000}, {"up_to_km": 100, "fee": 30000}], False),  # not nearest first
    ([{"up_to_km": None, "fee": 1}, {"up_to_km": 100, "fee": 2}], False),  # open band not last
    ([{"up_to_km": 100, "fee": -5}], False),
    ("sepuluh ribu", False),
])
def test_shipping_bands_are_checked_and_reach_the_terms(principal, bands, ok):
    from jaringan.network.selectors import agreement_terms

    save = lambda: services.agreement_save(  # noqa: E731
        actor=principal("koordinator"), network=Network.objects.get(code="JPIT"),
        data={**AGREEMENT, "shipping_bands": bands}, parties=[{"library": "UNPATTI"}, {"library": "UNCEN"}])
    if not ok:
        with pytest.raises(Invalid) as info:
            save()
        assert "shipping_bands" in info.value.errors
        return
    terms = agreement_terms(save())
    assert [(b.up_to_km, int(b.fee)) for b in terms.shipping_bands] == [(100, 20000), (None, 90000)]
