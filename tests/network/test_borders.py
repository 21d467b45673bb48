"""Stating rules across borders: only a network's coordinators, on the network's and the agreement's pages,
each rule that cannot be stated refused with its field named, in both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from jaringan.core.errors import Forbidden, Invalid
from jaringan.network import borders
from jaringan.network.models import BorderRule, Library, Network

pytestmark = pytest.mark.django_db


def _client(user, username=None, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if username:
        client.force_login(user(username))
    return client


def test_the_demo_states_its_rules_and_the_pages_show_them(demo_network):
    assert set(BorderRule.objects.values_list("network__code", "kind")) == {
        ("JPJB", "same_province"), ("FPPTI", "same_country"), ("FPPTI", "local_content_stays_in_region"),
        ("JPIT", "local_content_stays_in_region"), ("JLPN", "last_resort")}
    assert BorderRule.objects.get(network__code="JLPN").library.code == "PNRI"
    for language, words in (("en", "is asked only as the last resort"), ("id", "hanya sebagai pilihan terakhir")):
        page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/networks/JLPN/").content.decode()
        assert 'id="border-rules"' in page and words in page
        assert "Perpustakaan Nasional Republik Indonesia" in page.split('id="border-rules"', 1)[1]


@pytest.mark.parametrize("username, status", [
    ("koordinator", 200), ("koordinator.fppti", 403), ("staf.unhas", 403), ("pembaca", 403), (None, 302),
])
def test_only_the_networks_coordinators_reach_its_rules(demo_network, user, username, status):
    client = _client(user, username)
    for url in ("/manage/networks/JPIT/rules/", "/manage/agreements/UNHAS-UNPATTI-2026/rules/"):
        assert client.get(url).status_code == status
        before = BorderRule.objects.count()
        r = client.post(url, {"kind": "same_country"})
        assert r.status_code == (302 if status == 200 else status)
        assert BorderRule.objects.count() == before + (1 if status == 200 else 0)
    rule = BorderRule.objects.filter(network__code="JPIT").order_by("pk").last()
    r = client.post("/manage/networks/JPIT/rules/", {"remove": rule.pk})
    assert BorderRule.objects.filter(pk=rule.pk).exists() == (status != 200)


def test_the_service_asks_the_permission_again(demo_network, principal):
    jpit = Network.objects.get(code="JPIT")
    with pytest.raises(Forbidden):
        borders.border_rule_add(actor=principal("koordinator.fppti"), network=jpit, data={"kind": "same_country"})
    rule = borders.border_rule_add(actor=principal("koordinator"), network=jpit, data={"kind": "same_country"})
    with pytest.raises(Forbidden):
        borders.border_rule_remove(actor=principal("koordinator.fppti"), rule_id=rule.pk)
    borders.border_rule_remove(actor=principal("koordinator"), rule_id=rule.pk)
    assert not BorderRule.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize("data, field", [
    ({"kind": "same_province", "region": "island"}, "region"),
    ({"kind": "same_country", "library": "UNHAS"}, "library"),
    ({"kind": "last_resort", "library": "ITB"}, "library"),  # not a member of the eastern network
    ({"kind": "same_island"}, "kind"),
    ({"kind": "local_content_stays_in_region", "region": "province"}, "kind"),  # already stated by the demo
])
def test_a_rule_that_cannot_be_stated_is_refused_naming_its_field(demo_network, principal, data, field):
    before = BorderRule.objects.count()
    with translation.override("en"), pytest.raises(Invalid) as refused:
        borders.border_rule_add(actor=principal("koordinator"), network=Network.objects.get(code="JPIT"), data=data)
    assert field in refused.value.errors
    assert BorderRule.objects.count() == before


def test_the_page_shows_the_error_on_its_field_in_both_languages(demo_network, user):
    for language, words in (("en", "Only the local-content rule takes a region."),
                            ("id", "Hanya aturan muatan lokal yang memakai wilayah.")):
        page = _client(user, "koordinator", language).post("/manage/networks/JPIT/rules/", {
            "kind": "same_province", "region": "island"}).content.decode()
        assert words in page
    # The agreement's page shows the network's rules too, and states its own.
    client = _client(user, "koordinator")
    client.post("/manage/agreements/UNHAS-UNPATTI-2026/rules/", {"kind": "last_resort", "library": "UNHAS"})
    page = client.get("/manage/agreements/UNHAS-UNPATTI-2026/rules/").content.decode()
    inherited, own = page.split('id="rules-inherited"', 1)[1].split('id="rules-own"', 1)
    assert "Local content is lent only within its province" in inherited
    assert Library.objects.get(code="UNHAS").name in own
    public = Client(HTTP_ACCEPT_LANGUAGE="en").get("/agreements/UNHAS-UNPATTI-2026/").content.decode()
    assert "is asked only as the last resort" in public and "/rules/" not in public
