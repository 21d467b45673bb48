"""Rules across borders in interlibrary loan's rota, on the demo network and a real database: lenders left out
with the rule's reason, the last resort asked last, the agreement check saying the same."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape
from django.utils import translation

from jaringan.catalog.models import SourceRecord
from jaringan.core import borders
from jaringan.core.ill import routing
from jaringan.ill import rota, services
from jaringan.ill.web import reasons
from jaringan.network import borders as border_services
from jaringan.network.models import BorderRule, Library, Network
from jaringan.network.texts import REFUSAL_LABELS

pytestmark = pytest.mark.django_db


def _refusals(left_out, code):
    x = next(x for x in left_out if x.library_id == Library.objects.get(code=code).pk)
    assert x.code == routing.NOT_COVERED
    return {r["reason"] for r in x.params["refusals"]}


def test_a_province_rule_leaves_the_lenders_of_other_provinces_out_with_its_reason(held, principal):
    req = services.illrequest_create(actor=principal("pembaca"), edition=held[0], service="loan")
    chosen, _left_out, *_ = rota.rank(req)
    assert {lender.library_id for lender, _s in chosen} == set(
        Library.objects.filter(code__in=["UNHAS", "UNUD"]).values_list("pk", flat=True))
    border_services.border_rule_add(actor=principal("koordinator"), network=Network.objects.get(code="JPIT"),
                                    data={"kind": "same_province", "note": "Uji"})
    chosen, left_out, *_ = rota.rank(req)
    assert chosen == []
    assert borders.OUTSIDE_PROVINCE in _refusals(left_out, "UNHAS")
    assert borders.OUTSIDE_PROVINCE in _refusals(left_out, "UNUD")
    unhas = next(x for x in left_out if x.library_id == Library.objects.get(code="UNHAS").pk)
    with translation.override("en"):
        sentence = reasons.excluded_sentence(unhas.as_dict())
    assert "different provinces" in sentence


def test_local_content_held_only_on_a_local_shelf_stays_in_its_province(held, principal):
    unhas = Library.objects.get(code="UNHAS")
    req = services.illrequest_create(actor=principal("pembaca"), edition=held[0], service="loan")
    assert unhas.pk in {lender.library_id for lender, _s in rota.rank(req)[0]}
    for record in SourceRecord.objects.filter(library=unhas, edition=held[0]):  # shelved as local content
        record.data = {**record.data, "holdings": [{"location": "koleksi sulawesi", "items": 2}]}
        record.save(update_fields=["data"])
    chosen, left_out, *_ = rota.rank(req)  # the eastern network's rule keeps it in South Sulawesi
    assert unhas.pk not in {lender.library_id for lender, _s in chosen}
    assert borders.LOCAL_CONTENT in _refusals(left_out, "UNHAS")
    assert Library.objects.get(code="UNUD").pk in {lender.library_id for lender, _s in chosen}
    rule = BorderRule.objects.get(network__code="JPIT", kind="local_content_stays_in_region")
    border_services.border_rule_remove(actor=principal("koordinator"), rule_id=rule.pk)
    assert unhas.pk in {lender.library_id for lender, _s in rota.rank(req)[0]}


def test_the_last_resort_is_asked_last_and_the_rota_says_why(held, staff, principal, client, user):
    probe = services.illrequest_create(actor=principal("pembaca"), edition=held[1], service="loan")
    baseline = [lender for lender, _s in rota.rank(probe)[0]]
    first = Library.objects.get(pk=baseline[0].library_id)
    assert len(baseline) == 2 and baseline[0].score > baseline[1].score
    border_services.border_rule_add(actor=principal("koordinator"), network=Network.objects.get(code="JPIT"),
                                    data={"kind": "last_resort", "library": first.code})
    sent = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[1], service="loan",
                                      reader_name="Pembaca tamu")
    entries = list(sent.rota.order_by("position"))
    assert [e.library_id for e in entries] == [baseline[1].library_id, first.pk]
    assert sent.supplier_id == baseline[1].library_id
    assert entries[-1].reasons[-1]["code"] == routing.LAST_RESORT
    client.force_login(user("staf.unpatti"))
    for language in ("en", "id"):
        html = client.get(f"/manage/ill/requests/{sent.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            assert escape(reasons.reason_sentence({"code": routing.LAST_RESORT})) in html
    # The agreement check says it too.
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/agreements/check/", {
        "requester": "UNPATTI", "supplier": first.code, "service": "loan"}).content.decode()
    assert 'id="check-last-resort"' in page


def test_the_agreement_check_refuses_across_a_border_with_the_reason(held, principal):
    border_services.border_rule_add(actor=principal("koordinator"), network=Network.objects.get(code="JPIT"),
                                    data={"kind": "same_province"})
    for language in ("en", "id"):
        page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/agreements/check/", {
            "requester": "UNPATTI", "supplier": "UNHAS", "service": "loan"}).content.decode()
        with translation.override(language):
            assert str(REFUSAL_LABELS[borders.OUTSIDE_PROVINCE]) in page
