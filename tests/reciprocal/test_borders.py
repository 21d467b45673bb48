"""Rules across borders at the host desk, on the demo network and a real database: a visitor from across a
border refused with the rule's reason, local content kept in its region."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from jaringan.core import borders
from jaringan.core.errors import Invalid
from jaringan.core.reciprocal import desk
from jaringan.network import borders as border_services
from jaringan.network.models import Agreement, BorderRule, Library, Network
from jaringan.network.texts import REFUSAL_LABELS
from jaringan.reciprocal import selectors, services
from jaringan.reciprocal.models import Pass

pytestmark = pytest.mark.django_db


@pytest.fixture
def andi(demo_reciprocal):
    """The demo reader: a student of Pattimura University (Ambon, Maluku) with a network pass."""
    return Pass.objects.get(reader__username="pembaca")


def test_the_forums_rule_keeps_hasanuddins_local_content_on_sulawesi(andi, principal):
    unhas = Library.objects.get(code="UNHAS")
    rule = BorderRule.objects.get(network__code="FPPTI", kind="local_content_stays_in_region")
    assert rule.region == "island" and unhas.local_content_locations == ["Koleksi Sulawesi"]
    decision, _standing = selectors.desk_decision(andi, unhas)
    assert decision.allowed and decision.kept == {"local_content"}
    assert desk.LOCAL_CONTENT_KEPT in {c.reason for c in decision.checks if c.passed}
    staf = principal("staf.unhas")
    with pytest.raises(Invalid) as refused:
        services.loan_create(actor=staf, host=unhas, code=andi.code, item_barcode="UNHAS-LOK-1",
                             title="Lontara Bugis", collection="local_content")
    assert "stays in its region" in refused.value.errors["collection"][0]
    loan = services.loan_create(actor=staf, host=unhas, code=andi.code, item_barcode="UNHAS-UMUM-1",
                                title="Sejarah Maluku", collection="general")
    assert loan.pk and loan.collection == "general"


def test_a_visitor_from_another_province_is_refused_with_the_reason(andi, principal, user):
    unhas = Library.objects.get(code="UNHAS")
    assert selectors.desk_decision(andi, unhas)[0].allowed
    for network, coordinator in (("FPPTI", "koordinator.fppti"), ("JPIT", "koordinator")):
        border_services.border_rule_add(actor=principal(coordinator), network=Network.objects.get(code=network),
                                        data={"kind": "same_province"})
    decision, _standing = selectors.desk_decision(andi, unhas)
    assert not decision.allowed
    assert {c.reason for c in decision.failed} == {borders.OUTSIDE_PROVINCE}
    with pytest.raises(services.Refused):
        services.loan_create(actor=principal("staf.unhas"), host=unhas, code=andi.code, item_barcode="UNHAS-9",
                             title="Buku", collection="general")
    # The desk page says why, in words.
    for language in ("en", "id"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user("staf.unhas"))
        html = client.post("/manage/reciprocal/UNHAS/desk/", {"code": andi.code}).content.decode()
        with translation.override(language):
            assert str(REFUSAL_LABELS[borders.OUTSIDE_PROVINCE]) in html
    # Where the pass is good: no longer at any host of another province.
    assert {lib.code for lib, _a in selectors.hosts_for(andi)} <= {"DISPUSIP-MALUKU"}


def test_the_last_resort_host_admits_the_visitor_and_the_desk_says_the_rule(andi, principal, user):
    unhas = Library.objects.get(code="UNHAS")
    before, _standing = selectors.desk_decision(andi, unhas)
    assert desk.LAST_RESORT_HOST not in {c.reason for c in before.checks}
    agreement = before.agreement_id
    chosen = Agreement.objects.get(pk=agreement)
    border_services.border_rule_add(actor=principal("koordinator.fppti" if chosen.network.code == "FPPTI"
                                                    else "koordinator"),
                                    network=chosen.network, agreement=chosen, data={"kind": "last_resort",
                                                                                    "library": "UNHAS"})
    decision, _standing = selectors.desk_decision(andi, unhas)
    assert decision.allowed and decision.agreement_id == agreement and decision.items_left == before.items_left
    assert desk.LAST_RESORT_HOST in {c.reason for c in decision.checks if c.passed}
    loan = services.loan_create(actor=principal("staf.unhas"), host=unhas, code=andi.code,
                                item_barcode="UNHAS-UMUM-7", title="Sejarah Maluku", collection="general")
    assert loan.pk
    for language, words in (("en", "last resort for interlibrary loans"), ("id", "pilihan terakhir")):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user("staf.unhas"))
        html = client.post("/manage/reciprocal/UNHAS/desk/", {"code": andi.code}).content.decode()
        assert words in html
