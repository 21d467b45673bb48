"""The pure rules: pass codes, terms, and the desk's decision, table by table (no database)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from jaringan.core import agreements as rules
from jaringan.core.reciprocal import desk, passcode
from jaringan.core.reciprocal import terms as t

DAY = date(2026, 12, 6)
HOME, HOST, OTHER = 1, 2, 3


def test_codes_are_random_and_read_back_however_typed():
    codes = {passcode.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = sorted(codes)[0]
    assert passcode.normalise(code) == code
    assert passcode.normalise(" " + code.lower().replace("-", " ") + " ") == code
    assert passcode.normalise(code[4:]) == code  # without the prefix


def test_every_single_mistyped_character_is_caught():
    code = passcode.new_code(lambda n: bytes(range(n)))
    compact = code.replace("-", "")[3:]
    for i in range(len(compact) - 1):
        for c in passcode.ALPHABET:
            if c == compact[i]:
                continue
            typo = compact[:i] + c + compact[i + 1:]
            with pytest.raises(passcode.BadPassCode):
                passcode.normalise(typo)


@pytest.mark.parametrize("text, says", [
    ("", "17 characters"), ("JRG-1234", "17 characters"), ("JRG-ABCD-EFGH-JKMN-PQR!-X", "'!'"),
])
def test_what_is_not_a_code_says_why(text, says):
    with pytest.raises(passcode.BadPassCode, match=says):
        passcode.normalise(text)


def test_o_i_and_l_read_as_digits():
    code = passcode.new_code(lambda n: b"\x00" * n)  # all zeros: 0000-0000-…
    assert passcode.normalise(code.replace("0", "O")) == code


def _terms(**kw):
    base = dict(agreement_id=10, categories=["student", "lecturer"], items_at_a_time=3, loan_days=14, renewals=1,
                excluded=["reference"])
    return t.checked(**{**base, **kw})


@pytest.mark.parametrize("kw, field", [
    ({"categories": []}, "categories"), ({"categories": ["alumni"]}, "categories"),
    ({"items_at_a_time": 0}, "items_at_a_time"), ({"items_at_a_time": 51}, "items_at_a_time"),
    ({"loan_days": 0}, "loan_days"), ({"renewals": -1}, "renewals"), ({"deposit": "-5"}, "deposit"),
    ({"fee": "abc"}, "fee"), ({"excluded": ["general"]}, "excluded"), ({"excluded": ["attic"]}, "excluded"),
])
def test_bad_terms_name_their_field(kw, field):
    with pytest.raises(t.BadTerms) as exc:
        _terms(**kw)
    assert exc.value.field == field


def _agreement(id=10, coverage=rules.Coverage.NETWORK, services=("reciprocal",), ends=None, parties=None,
               relation=rules.Relation.RECIPROCAL):
    return rules.Terms(id=id, network_id=100, services=frozenset(rules.Service(s) for s in services),
                       coverage=coverage, relation=relation, starts=date(2025, 1, 1), ends=ends,
                       parties=parties or {})


MEMBERS = {100: frozenset({HOME, HOST, OTHER})}
GOOD = desk.Standing()


def decide(*, visitor=None, agreements=None, standing=GOOD, out=0, host=HOST, on=DAY):
    visitor = visitor or desk.Visitor(HOME, "student", "active", DAY + timedelta(days=30))
    agreements = agreements if agreements is not None else [(_agreement(), _terms())]
    return desk.decide(visitor=visitor, host_id=host, on=on, agreements=agreements, members=MEMBERS,
                       standing=standing, items_out=out)


def test_a_visitor_in_good_standing_may_borrow_the_agreed_items_until_the_agreed_day():
    d = decide(out=1)
    assert d.allowed and d.items_left == 2 and d.due == DAY + timedelta(days=14) and d.agreement_id == 10
    assert {c.reason for c in d.checks} == {desk.PASS_ACTIVE, desk.PASS_VALID, desk.AGREEMENT_ADMITS,
                                            desk.GOOD_STANDING, desk.ITEMS_LEFT}
    assert d.excluded == (t.Collection.REFERENCE,)


@pytest.mark.parametrize("case, kw, reasons", [
    ("expired", {"visitor": desk.Visitor(HOME, "student", "active", DAY - timedelta(days=1))}, {desk.PASS_EXPIRED}),
    ("expires today: still good", {"visitor": desk.Visitor(HOME, "student", "active", DAY)}, set()),
    ("applied", {"visitor": desk.Visitor(HOME, "student", "applied", None)}, {desk.PASS_NOT_ACTIVE}),
    ("own library", {"host": HOME}, {desk.OWN_LIBRARY}),
    ("category", {"visitor": desk.Visitor(HOME, "public", "active", None)}, {desk.CATEGORY_NOT_ADMITTED}),
    ("no terms", {"agreements": [(_agreement(), None)]}, {desk.NO_BORROWING_TERMS}),
    ("other service", {"agreements": [(_agreement(services=("loan",)), _terms())]}, {rules.SERVICE_NOT_IN_SCOPE}),
    ("ended", {"agreements": [(_agreement(ends=DAY - timedelta(days=1)), _terms())]}, {rules.ENDED}),
    ("home not listed", {"agreements": [(_agreement(), _terms(home_libraries=[OTHER]))]}, {desk.HOME_NOT_ADMITTED}),
    ("none", {"agreements": []}, {rules.NO_AGREEMENT}),
    ("limit", {"out": 3}, {desk.LIMIT_REACHED}),
    ("blocked", {"standing": desk.Standing(blocks=(desk.Block(OTHER, DAY, "lost book"),))}, {desk.BLOCKED}),
    ("block ended", {"standing": desk.Standing(blocks=(desk.Block(OTHER, DAY - timedelta(days=1)),))}, set()),
    ("overdue ill", {"standing": desk.Standing(overdue_ill=1)}, {desk.OVERDUE_ILL}),
    ("overdue here", {"standing": desk.Standing(overdue_reciprocal=2)}, {desk.OVERDUE_RECIPROCAL}),
    ("overdue at home", {"standing": desk.Standing("ncip", overdue_home=1)}, {desk.OVERDUE_RECIPROCAL}),
    ("unknown", {"standing": desk.Standing("ncip", found=False)}, {desk.READER_NOT_FOUND}),
    ("home down", {"standing": desk.Standing("ncip", error="ncip_unreachable")}, {desk.STANDING_UNKNOWN}),
])
def test_each_reason_refuses_alone(case, kw, reasons):
    d = decide(**kw)
    assert {c.reason for c in d.failed} == reasons, case
    assert d.allowed is (not reasons)
    if reasons:
        assert d.items_left == 0


def test_every_failed_check_is_kept_not_only_the_first():
    d = decide(visitor=desk.Visitor(HOME, "student", "revoked", DAY - timedelta(days=3)),
               standing=desk.Standing(overdue_ill=1, blocks=(desk.Block(HOST, None),)))
    assert {c.reason for c in d.failed} == {desk.PASS_NOT_ACTIVE, desk.PASS_EXPIRED, desk.OVERDUE_ILL, desk.BLOCKED}


def test_named_agreement_wins_then_more_items():
    wide = (_agreement(id=1), _terms(agreement_id=1, items_at_a_time=5))
    named = (_agreement(id=2, coverage=rules.Coverage.NAMED,
                        parties={HOME: rules.PartyRole.BOTH, HOST: rules.PartyRole.BOTH}),
             _terms(agreement_id=2, items_at_a_time=2))
    assert decide(agreements=[wide, named]).agreement_id == 2
    more = (_agreement(id=3), _terms(agreement_id=3, items_at_a_time=6, loan_days=7))
    assert decide(agreements=[wide, more]).agreement_id == 3


def test_a_refusing_agreement_does_not_hide_one_that_admits():
    public = (_agreement(id=4), _terms(agreement_id=4, categories=["public"], items_at_a_time=2))
    students = (_agreement(id=5), _terms(agreement_id=5))
    d = decide(visitor=desk.Visitor(HOME, "public", "active", None), agreements=[students, public])
    assert d.allowed and d.agreement_id == 4 and d.items_limit == 2


def test_one_way_agreement_admits_only_the_recipient_side():
    one_way = _agreement(relation=rules.Relation.ONE_WAY, coverage=rules.Coverage.NAMED,
                         parties={HOME: rules.PartyRole.SUPPLIER, HOST: rules.PartyRole.RECIPIENT})
    assert {c.reason for c in decide(agreements=[(one_way, _terms())]).failed} == {rules.WRONG_DIRECTION}


def test_where_a_pass_is_good():
    hosts = desk.passes_valid_at(home_id=HOME, category="student", on=DAY,
                                 agreements=[(_agreement(), _terms())], members=MEMBERS)
    assert hosts == {HOST: 10, OTHER: 10}
    assert desk.passes_valid_at(home_id=HOME, category="public", on=DAY, agreements=[(_agreement(), _terms())],
                                members=MEMBERS) == {}


def test_renewal_counts_from_the_later_of_due_date_and_today():
    assert desk.due_after_renewal(DAY + timedelta(days=3), DAY, 14) == DAY + timedelta(days=17)
    assert desk.due_after_renewal(DAY - timedelta(days=3), DAY, 14) == DAY + timedelta(days=14)


def test_money_is_decimal():
    assert _terms(deposit="50000").deposit == Decimal("50000")
