"""Each lender's fair share, from the database: what the network's members supplied in the year and how many
can lend, the lender's own loans, the points they give, and the sentence staff read (SQLite and PostgreSQL)."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone, translation

from jaringan.core.ill import routing as core
from jaringan.ill import rota, services
from jaringan.ill.models import RotaEntry
from jaringan.ill.web import reasons
from jaringan.network.models import Library

pytestmark = pytest.mark.django_db


def act(actor, req, action, **params):
    return services.illrequest_act(actor=actor, request=req, action=action, **params)


def _supplied_loan(edition, staff):
    """A loan the first lender of UNPATTI's rota supplies: the lender."""
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=edition, service="loan")
    lender = staff(f"staf.{req.supplier.code.lower()}")
    act(lender, req, "WillSupply")
    act(lender, req, "Loaned")
    return req.supplier


def _fair_share(req, code):
    entry = req.rota.get(library__code=code)
    return next(r for r in entry.reasons if r["code"] == core.FAIR_SHARE)


def test_the_fair_share_is_read_from_the_year_of_lending(held, staff):
    first = _supplied_loan(held[0], staff)
    assert first.code in {"UNHAS", "UNUD"}
    other = {"UNHAS": "UNUD", "UNUD": "UNHAS"}[first.code]
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[1], service="loan")
    routed = {e.library.code for e in req.rota.all()}
    assert routed == {"UNHAS", "UNUD"}

    members = rota.admitted_members({t.network_id for c in rota.candidates(req)[0] for t in c.agreements})
    ids = set().union(*members.values())
    lenders = Library.objects.filter(Q(offers_loan=True) | Q(offers_copy=True), pk__in=ids).count()
    supplied = RotaEntry.objects.filter(outcome=RotaEntry.Outcome.SUPPLIED, library_id__in=ids).count()
    assert supplied == 1 and lenders >= 3
    assert rota.network_figures(members) == core.Network(lent=1, lenders=lenders)

    lent, idle = _fair_share(req, first.code), _fair_share(req, other)
    assert (lent["params"]["lent"], idle["params"]["lent"]) == (1, 0)
    for reason in (lent, idle):
        assert reason["params"]["network_lent"] == 1 and reason["params"]["lenders"] == lenders
        assert reason["params"]["share"] == round(1 / lenders, 1)
    # the library that lent more than its share loses points, the one that lent less gains
    assert lent["points"] < 0 < idle["points"]
    w = core.DEFAULT
    assert lent["points"] == round(-w.fair_share * math.log2((1 + w.fair_share_prior) / (1 / lenders
                                                                                         + w.fair_share_prior)), 2)


def test_a_year_without_lending_gives_no_points_either_way_and_the_words_in_both_languages(held, staff):
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[2], service="loan")
    share = _fair_share(req, "UNHAS")
    assert share["params"]["lent"] == 0 and share["params"]["network_lent"] == 0 and share["points"] == 0
    sentences = {}
    for language in ("en", "id"):
        with translation.override(language):
            sentences[language] = reasons.reason_sentence(share)
    assert sentences["en"].startswith("Lent 0 in the last year; its fair share is 0")
    assert sentences["id"].startswith("Meminjamkan 0 setahun terakhir; bagiannya yang adil 0")
    assert f'{share["params"]["lenders"]} members able to lend' in sentences["en"]


def test_a_lent_out_figure_outside_the_year_does_not_count(held, staff):
    _supplied_loan(held[0], staff)
    RotaEntry.objects.filter(outcome=RotaEntry.Outcome.SUPPLIED).update(
        sent_at=timezone.now() - rota.FIGURES_WINDOW - timedelta(days=1))
    req = services.illrequest_create(actor=staff("staf.unpatti"), edition=held[1], service="loan")
    assert {_fair_share(req, code)["params"]["network_lent"] for code in ("UNHAS", "UNUD")} == {0}
