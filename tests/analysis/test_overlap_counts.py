"""Overlap figures from the kept counts equal a brute-force count on the demo catalogue, for every demo
network and a hand-picked group, after import, after withdrawals and merges, and after a rebuild."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count

from jaringan.analysis import selectors, services
from jaringan.analysis.models import EditionProfile, HoldingCount
from jaringan.catalog.models import Edition, SourceRecord
from jaringan.network.models import Library, Network

from .conftest import brute_force


def _check(members):
    ids = [m.pk for m in members]
    expected, _holders = brute_force(ids)
    figures = selectors.group_figures(members)
    e = figures.editions
    assert (e.total, e.one, e.few, e.many, e.all) == tuple(expected[k] for k in ("total", "one", "few", "many", "all"))
    assert e.held == [expected["held"][i] for i in ids]
    assert e.unique == [expected["unique"][i] for i in ids]
    for i, a in enumerate(ids):
        assert e.matrix[i][i] == expected["held"][a]
        for j, b in enumerate(ids):
            if i != j:
                assert e.matrix[i][j] == expected["pairs"].get((min(a, b), max(a, b)), 0)
    return expected


@pytest.mark.django_db
def test_every_network_and_a_picked_group_match_a_brute_force_count(catalogue):
    checked = 0
    for network in Network.objects.all():
        members = selectors.network_group(network)
        if members:
            expected = _check(members)
            checked += expected["total"] > 0
    assert checked >= 3  # the demo networks hold something: the test compares real figures
    picked = list(Library.objects.filter(code__in=["PNRI", "UNPATTI", "UNHAS", "ITB"]).order_by("name"))
    expected = _check(picked)
    assert expected["one"] and expected["few"]


@pytest.mark.django_db
def test_splits_by_language_and_decade_add_up_and_match_the_catalogue(catalogue):
    members = selectors.network_group(Network.objects.get(code="JLPN"))
    ids = {m.pk for m in members}
    held = {e for e, lib in SourceRecord.objects.filter(withdrawn=False, edition__isnull=False)
            .values_list("edition_id", "library_id") if lib in ids}
    languages = Counter(Edition.objects.filter(pk__in=held).values_list("language", flat=True))
    split = {s.value: s.total for s in selectors.group_split(members, "language")}
    assert split == {k: v for k, v in languages.items() if v}
    decades = Counter((y // 10 * 10 if y else None) for y in Edition.objects.filter(pk__in=held)
                      .values_list("year", flat=True))
    split = {s.value: s.total for s in selectors.group_split(members, "decade")}
    assert split == {("" if k is None else str(k)): v for k, v in decades.items()}
    total = selectors.group_figures(members).editions.total
    for dimension in ("ddc", "lcc", "udc", "decade", "language"):
        rows = selectors.group_split(members, dimension)
        assert sum(r.total for r in rows) == total
        assert sum(r.one for r in rows) == selectors.group_figures(members).editions.one


@pytest.mark.django_db
def test_withdrawals_and_splits_are_counted_by_the_next_refresh_as_a_rebuild_counts_them(catalogue):
    from jaringan.catalog.services.corrections import record_split
    from jaringan.catalog.services.placement import record_withdraw

    network = Network.objects.get(code="JPIT")
    members = selectors.network_group(network)
    before = _check(members)
    # Withdraw every record of one member that shares editions, and split a record out of its edition.
    victim = Library.objects.get(code="UNHAS")
    for record in SourceRecord.objects.filter(library=victim, withdrawn=False)[:40]:
        record_withdraw(record=record)
    shared = (SourceRecord.objects.filter(withdrawn=False, edition__isnull=False).values("edition_id")
              .annotate(n=Count("id")).filter(n__gt=1).order_by("edition_id").first())
    record = SourceRecord.objects.filter(edition_id=shared["edition_id"]).order_by("pk").last()
    record_split(actor=_superuser(), record=record)
    assert services.pending() > 0
    selectors.current()  # a read refreshes a short queue itself
    assert services.pending() == 0
    after = _check(members)
    assert after["held"][victim.pk] < before["held"][victim.pk]
    cells = set(HoldingCount.objects.values_list("dimension", "value", "holders", "editions"))
    profiles = set(EditionProfile.objects.values_list("edition_id", "holders", "work_id"))
    services.profiles_refresh(rebuild=True)
    assert set(HoldingCount.objects.values_list("dimension", "value", "holders", "editions")) == cells
    assert set(EditionProfile.objects.values_list("edition_id", "holders", "work_id")) == profiles


def _superuser():
    from django.contrib.auth import get_user_model

    from jaringan.network.permissions import principal_for

    return principal_for(get_user_model().objects.create_superuser("analysis-admin", password="x" * 20))


@pytest.mark.django_db
def test_last_copies_are_the_editions_one_member_holds(catalogue):
    network = Network.objects.get(code="JPIT")
    members = selectors.network_group(network)
    ids = [m.pk for m in members]
    expected, holders = brute_force(ids)
    unhas = Library.objects.get(code="UNHAS")
    total, rows = selectors.last_copies(members, holder=unhas, limit=None)
    wanted = sorted(e for e, libs in holders.items() if libs & set(ids) == {unhas.pk})
    assert total == expected["unique"][unhas.pk] == len(wanted) > 0
    assert [r["edition_id"] for r in rows] == wanted
    total, page = selectors.last_copies(members, limit=5, offset=5)
    assert total == expected["one"] and len(page) == 5
