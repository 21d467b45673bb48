"""Rules across borders, in the pure core: each rule alone, in the agreement rule, the rota and the desk."""

from dataclasses import replace
from datetime import date

import pytest

from jaringan.core import agreements as rules
from jaringan.core import borders as b
from jaringan.core.ill import routing
from jaringan.core.ill.geography import Place
from jaringan.core.reciprocal import desk
from jaringan.core.reciprocal import terms as t

DAY = date(2026, 6, 1)
NET = 10
AMBON, MAKASSAR, MANADO, KUPANG, DILI = 1, 2, 3, 4, 5
JAKARTA_NATIONAL = 6
SITES = {
    AMBON: b.Site("Maluku"),
    MAKASSAR: b.Site("Sulawesi Selatan"),
    MANADO: b.Site("Sulawesi Utara"),
    KUPANG: b.Site("Nusa Tenggara Timur"),
    DILI: b.Site("", "TL"),
    JAKARTA_NATIONAL: b.Site("DKI Jakarta", national=True),
}
MEMBERS = {NET: frozenset(SITES)}


def terms(*border_rules, **kw) -> rules.Terms:
    base = dict(id=1, network_id=NET, services=frozenset(rules.Service), coverage=rules.Coverage.NETWORK,
                relation=rules.Relation.RECIPROCAL, starts=date(2025, 1, 1), ends=None, borders=tuple(border_rules))
    base.update(kw)
    return rules.Terms(**base)


def refusal(rule, requester, supplier, local=False):
    return b.refusal([rule], requester=SITES[requester], supplier=SITES[supplier], local_content=local)


def test_same_province_lets_only_neighbours_in_one_province():
    rule = b.checked("same_province")
    assert refusal(rule, MAKASSAR, MAKASSAR) is None
    assert refusal(rule, MAKASSAR, MANADO) == b.OUTSIDE_PROVINCE
    assert refusal(rule, AMBON, DILI) == b.PLACE_UNKNOWN  # a province nobody recorded proves nothing


def test_same_country_refuses_across_a_national_border_only():
    rule = b.checked("same_country")
    assert refusal(rule, AMBON, MAKASSAR) is None
    assert refusal(rule, KUPANG, DILI) == b.ACROSS_COUNTRY
    assert refusal(rule, DILI, KUPANG) == b.ACROSS_COUNTRY


@pytest.mark.parametrize("region, makassar_to_manado, makassar_to_ambon, ambon_to_dili", [
    ("province", b.LOCAL_CONTENT, b.LOCAL_CONTENT, b.PLACE_UNKNOWN),
    ("island", None, b.LOCAL_CONTENT, b.PLACE_UNKNOWN),
    ("country", None, None, b.LOCAL_CONTENT),
])
def test_local_content_stays_in_its_region_and_only_local_content(region, makassar_to_manado, makassar_to_ambon,
                                                                   ambon_to_dili):
    rule = b.checked("local_content_stays_in_region", region=region)
    assert refusal(rule, MANADO, MAKASSAR, local=True) == makassar_to_manado
    assert refusal(rule, AMBON, MAKASSAR, local=True) == makassar_to_ambon
    assert refusal(rule, DILI, AMBON, local=True) == ambon_to_dili
    assert refusal(rule, DILI, AMBON, local=False) is None  # the general collection travels


def test_last_resort_names_a_library_or_every_national_one():
    named = b.checked("last_resort", library_id=MAKASSAR)
    national = b.checked("last_resort")
    assert b.is_last_resort([named], MAKASSAR, SITES[MAKASSAR])
    assert not b.is_last_resort([named], JAKARTA_NATIONAL, SITES[JAKARTA_NATIONAL])
    assert b.is_last_resort([national], JAKARTA_NATIONAL, SITES[JAKARTA_NATIONAL])
    assert not b.is_last_resort([national], MAKASSAR, SITES[MAKASSAR])
    assert refusal(named, AMBON, MAKASSAR) is None  # it orders, it never refuses


@pytest.mark.parametrize("kind, kw, field", [
    ("same_island", {}, "kind"),
    ("local_content_stays_in_region", {"region": "kabupaten"}, "region"),
    ("same_province", {"region": "island"}, "region"),
    ("same_country", {"library_id": 3}, "library"),
])
def test_a_rule_that_cannot_be_stated_names_its_field(kind, kw, field):
    with pytest.raises(b.BadRule) as caught:
        b.checked(kind, **kw)
    assert caught.value.field == field and field in caught.value.errors


def test_refusals_come_in_a_fixed_order_whatever_order_the_rules_were_written():
    both = [b.checked("same_province"), b.checked("same_country")]
    assert b.refusal(both, requester=SITES[KUPANG], supplier=SITES[DILI]) == b.ACROSS_COUNTRY
    assert b.refusal(both[::-1], requester=SITES[KUPANG], supplier=SITES[DILI]) == b.ACROSS_COUNTRY


def test_the_network_rules_bind_every_agreement_and_an_agreements_rules_only_it():
    network_rule = b.checked("same_country")
    own = b.checked("same_province", agreement_id=7)
    assert b.binding([network_rule, own], agreement_id=7) == (network_rule, own)
    assert b.binding([network_rule, own], agreement_id=8) == (network_rule,)


def test_the_agreement_rule_reports_a_border_as_that_agreements_refusal():
    strict = terms(b.checked("same_province"), id=1)
    open_ = terms(id=2, coverage=rules.Coverage.NAMED, parties={AMBON: rules.PartyRole.BOTH})
    decision = rules.may_request(requester=MANADO, supplier=MAKASSAR, service=rules.Service.LOAN, on=DAY,
                                 agreements=[strict, open_], members=MEMBERS, sites=SITES)
    assert not decision.allowed
    assert (1, b.OUTSIDE_PROVINCE) in decision.refusals and (2, rules.REQUESTER_NOT_PARTY) in decision.refusals
    # No places given where a rule needs them: refused, never waved through.
    blind = rules.may_request(requester=MANADO, supplier=MAKASSAR, service=rules.Service.LOAN, on=DAY,
                              agreements=[strict], members=MEMBERS)
    assert blind.refusals == ((1, b.PLACE_UNKNOWN),)
    # An agreement without rules needs no places.
    plain = rules.may_request(requester=MANADO, supplier=MAKASSAR, service=rules.Service.LOAN, on=DAY,
                              agreements=[terms()], members=MEMBERS)
    assert plain.allowed and not plain.last_resort


def _candidate(library_id, **kw):
    place = Place(SITES[library_id].province or "Papua")
    base = dict(library_id=library_id, place=place, items=1, agreements=(terms(),), collection_size=50000,
                site=SITES[library_id])
    base.update(kw)
    return routing.Candidate(**base)


def _need(**kw):
    base = dict(requester_id=AMBON, service=rules.Service.LOAN, place=Place("Maluku"), on=DAY, members=MEMBERS,
                site=SITES[AMBON])
    base.update(kw)
    return routing.Need(**base)


def test_the_rota_leaves_a_lender_out_with_the_border_rules_reason():
    agreement = terms(b.checked("local_content_stays_in_region", region="island"))
    ranking = routing.rank(_need(), [
        _candidate(MAKASSAR, agreements=(agreement,), items=2, local_items=2),  # only local content
        _candidate(MANADO, agreements=(agreement,), items=2, local_items=1),  # a general copy too
    ])
    assert ranking.order == (MANADO,)
    (out,) = ranking.excluded
    assert out.code == routing.NOT_COVERED
    assert out.params["refusals"] == [{"agreement_id": 1, "reason": b.LOCAL_CONTENT}]
    # A copy of a page is not the item: local content is copied for anyone.
    copies = routing.rank(_need(service=rules.Service.COPY), [
        _candidate(MAKASSAR, agreements=(agreement,), items=2, local_items=2)])
    assert copies.order == (MAKASSAR,)


def test_the_last_resort_comes_last_whatever_its_score_with_a_reason_saying_so():
    agreement = terms(b.checked("last_resort"))
    national = _candidate(JAKARTA_NATIONAL, agreements=(agreement,), items=40, collection_size=200000, filled=50,
                          asked=50)
    weak = _candidate(KUPANG, agreements=(agreement,), filled=0, asked=20, open_lending=5)
    without = routing.rank(_need(), [replace(national, agreements=(terms(),)), replace(weak, agreements=(terms(),))])
    assert without.order == (JAKARTA_NATIONAL, KUPANG)  # the national library scores better...
    ranking = routing.rank(_need(), [national, weak])
    assert ranking.order == (KUPANG, JAKARTA_NATIONAL)  # ...and is asked last all the same
    last = ranking.lenders[-1]
    assert last.last_resort and last.reasons[-1].code == routing.LAST_RESORT and last.reasons[-1].points == 0
    assert last.score > ranking.lenders[0].score
    assert last.as_dict()["last_resort"] is True


def _borrow(**kw):
    base = dict(agreement_id=1, categories=["student", "public"], items_at_a_time=3, loan_days=14, renewals=1)
    base.update(kw)
    return t.checked(**base)


def _visit(home, host, *border_rules):
    return desk.decide(visitor=desk.Visitor(home, "student", "active", None), host_id=host, on=DAY,
                       agreements=[(terms(*border_rules), _borrow())], members=MEMBERS, standing=desk.Standing(),
                       items_out=0, sites=SITES)


def test_the_desk_refuses_a_visitor_from_across_the_border_with_the_reason():
    decision = _visit(DILI, KUPANG, b.checked("same_country"))
    assert not decision.allowed
    assert [(c.reason, c.params) for c in decision.failed] == [(b.ACROSS_COUNTRY, {"agreement_id": 1})]
    assert _visit(AMBON, KUPANG, b.checked("same_country")).allowed


def test_the_desk_admits_a_visitor_from_outside_the_region_but_keeps_local_content_home():
    rule = b.checked("local_content_stays_in_region")
    away = _visit(AMBON, MAKASSAR, rule)
    assert away.allowed and away.kept == frozenset({t.Collection.LOCAL_CONTENT})
    assert desk.LOCAL_CONTENT_KEPT in [c.reason for c in away.checks if c.passed]
    assert away.lends_from("general") and not away.lends_from("local_content")
    assert away.as_dict()["kept"] == ["local_content"]
    neighbour = desk.decide(visitor=desk.Visitor(MANADO, "student", "active", None), host_id=MAKASSAR, on=DAY,
                            agreements=[(terms(b.checked("local_content_stays_in_region", region="island")),
                                         _borrow())], members=MEMBERS, standing=desk.Standing(), items_out=0,
                            sites=SITES)
    assert neighbour.allowed and not neighbour.kept and neighbour.lends_from("local_content")


def test_passes_are_good_only_where_the_border_rules_let_them():
    valid = desk.passes_valid_at(home_id=KUPANG, category="student", on=DAY,
                                 agreements=[(terms(b.checked("same_country")), _borrow())], members=MEMBERS,
                                 sites=SITES)
    assert DILI not in valid and AMBON in valid


def test_the_desk_of_the_last_resort_admits_a_visitor_and_says_the_rule():
    national = _visit(AMBON, JAKARTA_NATIONAL, b.checked("last_resort"))
    assert national.allowed and national.items_left == 3 and national.lends_from("general")
    line = [c for c in national.checks if c.reason == desk.LAST_RESORT_HOST]
    assert line == [desk.Check(desk.AGREEMENT, True, desk.LAST_RESORT_HOST, {"agreement_id": 1})]
    named = _visit(AMBON, MAKASSAR, b.checked("last_resort", library_id=MAKASSAR))
    assert named.allowed and desk.LAST_RESORT_HOST in [c.reason for c in named.checks]
    # another host, or no such rule, says nothing of it
    assert desk.LAST_RESORT_HOST not in [c.reason for c in _visit(AMBON, MAKASSAR, b.checked("last_resort")).checks]
    assert desk.LAST_RESORT_HOST not in [c.reason for c in _visit(AMBON, JAKARTA_NATIONAL).checks]
    # a visitor the rules refuse is refused for that, not admitted for being at the last resort
    abroad = _visit(DILI, JAKARTA_NATIONAL, b.checked("last_resort"), b.checked("same_country"))
    assert not abroad.allowed and desk.LAST_RESORT_HOST not in [c.reason for c in abroad.checks]
