"""The agreement check and a real request answer with one rule: the same agreement, the same cost in all
(fee and the requester's share of shipping over the distance), for loans and copies between demo members."""

import pytest
from django.test import Client

from jaringan.ill import services
from jaringan.ill.models import RotaEntry
from jaringan.ill.web.screens import rupiah
from jaringan.network.models import Agreement

pytestmark = pytest.mark.django_db


def _check_page(requester: str, supplier: str, service: str, pages: int | None = None) -> str:
    query = {"requester": requester, "supplier": supplier,
             "service": service}
    if pages:
        query["pages"] = pages
    response = Client().get("/agreements/check/", query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("desk", "service", "pages"), [
    ("staf.unpatti", "loan", None), ("staf.unpatti", "copy", 12), ("staf.itb", "loan", None),
    ("staf.itb", "copy", 30),
])
def test_the_check_page_names_the_agreement_and_cost_of_every_lender_of_a_real_request(
        held, staff, desk, service, pages):
    req = services.illrequest_create(actor=staff(desk), edition=held[0], service=service, page_count=pages,
                                     citation={"pages_requested": f"1-{pages}"} if pages else None)
    entries = list(RotaEntry.objects.filter(request=req).select_related("library", "agreement"))
    assert entries, "a rota"
    for entry in entries:
        page = _check_page(req.requester.code, entry.library.code, service, pages)
        assert f"Under the agreement “{entry.agreement.title}”" in page, (entry.library.code, entry.agreement.code)
        assert f"The requesting library pays {rupiah(entry.cost)} in all" in page, (entry.library.code, entry.cost)
        query = {"requester": req.requester.code, "supplier": entry.library.code, "service": service}
        answer = Client().get("/api/agreements/check", {**query, "pages": pages} if pages else query).json()
        assert (answer["agreement"], answer["cost"]) == (entry.agreement.code, entry.cost), entry.library.code


def test_unpatti_to_unhas_loan_shows_both_agreements_with_shipping(demo_network):
    page = _check_page("UNPATTI", "UNHAS", "loan")
    bilateral = Agreement.objects.get(code="UNHAS-UNPATTI-2026")
    eastern = Agreement.objects.get(code="JPIT-PKA-2025")
    assert bilateral.title in page and eastern.title in page
    assert "km" in page and "Shipping" in page
    # The bilateral agreement prices no shipping (paid at cost); the eastern one charges half of two parcels
    # over 979 km (band up to 1,000 km: Rp 60.000 each).
    assert "Rp 60,000" in page or "Rp 60.000" in page
