"""The demo's past: its catalogues' files, a year of interlibrary loans and of reciprocal visits are dated over
the past twelve months when the demo is built, each request's steps in order and days apart, so the
statistics and the yearly report show a year."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jaringan.demo import history

pytestmark = pytest.mark.django_db

#: Records enough for the past year's requests to find books the lenders hold.
RECORDS = 300


def months_of(values) -> set[tuple[int, int]]:
    return {(timezone.localtime(v).year, timezone.localtime(v).month) if hasattr(v, "tzinfo") else (v.year, v.month)
            for v in values}


def year_months(today: date) -> set[tuple[int, int]]:
    return {(history.month_start(n, today).year, history.month_start(n, today).month) for n in range(history.MONTHS)}


def test_days_back_fall_in_their_month_and_are_drawn_from_the_seed():
    today = date(2026, 3, 15)
    for months_back in range(history.MONTHS):
        first = history.month_start(months_back, today)
        for _ in range(20):
            day = today - timedelta(days=history.days_back(random.Random(months_back), months_back, today))
            assert (day.year, day.month) == (first.year, first.month) and day < today
    assert history.month_start(11, today) == date(2025, 4, 1) and history.month_start(0, today) == date(2026, 3, 1)
    draws = [history.days_back(random.Random(history.SEED), n, today) for n in range(history.MONTHS)]
    assert draws == [history.days_back(random.Random(history.SEED), n, today) for n in range(history.MONTHS)]
    assert history.days_back(random.Random(1), 0, date(2026, 3, 1)) == 1  # nothing of this month is past yet


@pytest.fixture
def past(demo_network):
    from jaringan.demo.catalogue import load_catalogue
    from jaringan.demo.ill import load_ill
    from jaringan.demo.reciprocal import load_reciprocal

    load_catalogue(limit=RECORDS, past=True)
    made = load_ill(past=True)
    load_reciprocal(past=True)
    return made


def test_the_demo_spreads_a_year_and_keeps_each_step_in_order(past, user):
    from jaringan.catalog.models import Edition, ImportBatch, SourceRecord
    from jaringan.ill.models import IllRequest, LedgerEntry
    from jaringan.reciprocal.models import Loan, Visit

    today, now = timezone.localdate(), timezone.now()
    year = year_months(today)
    created = list(IllRequest.objects.values_list("created", flat=True))
    assert len(created) == past and max(created) <= now
    assert months_of(created) == year  # a request in every month of the year, none before it
    assert len(months_of(SourceRecord.objects.values_list("created", flat=True))) >= 6  # files over the year
    assert months_of(SourceRecord.objects.values_list("created", flat=True)) <= year
    for batch in ImportBatch.objects.all():  # a file and its records share their day
        days = {timezone.localtime(c).date() for c in batch.records.values_list("created", flat=True)}
        assert days == {timezone.localtime(batch.started).date()}, batch.name
    edition = Edition.objects.filter(records__isnull=False).order_by("pk").first()
    assert edition.created == min(edition.records.values_list("created", flat=True))
    assert len(months_of(Visit.objects.values_list("on", flat=True))) >= 6
    for loan in Loan.objects.filter(returned_at__isnull=False):
        assert loan.lent_at < loan.returned_at <= now
    for req in IllRequest.objects.filter(state__in=["LoanCompleted", "CopyCompleted"]):
        steps = list(req.events.order_by("id").values_list("at", flat=True))
        assert steps == sorted(steps) and steps[0] >= req.created - timedelta(seconds=1) and steps[-1] <= now
        supplied = req.rota.get(outcome="supplied").supplied_at
        assert steps[0] <= supplied <= steps[-1]
        for line in LedgerEntry.objects.filter(request=req):
            assert line.on == timezone.localtime(supplied).date()
    oldest = IllRequest.objects.filter(state="LoanCompleted").order_by("created").first()
    assert (oldest.events.latest("at").at - oldest.created).days >= 7  # a loan takes days, not seconds

    # The network's statistics show the months of the year, not one.
    from jaringan.analysis import evaluation
    from jaringan.core.ill.fees import Period
    from jaringan.network.models import Library

    ids = list(Library.objects.values_list("pk", flat=True))
    months = evaluation.trends(ids, Period(history.month_start(history.MONTHS - 1), today))
    assert len(months) == history.MONTHS and sum(1 for m in months if m.requests) == history.MONTHS
    assert sum(1 for m in months if m.records) >= 6
