"""The demo's past: a year of traffic, dated when the demo is built, relative to that day.

Everything the demo makes is made now, through the services staff and readers use. This module then moves
each piece back to the day it would have happened, all its dates by the same amount, so that a request's
steps, a loan's due date and the ledger lines they wrote keep their order and their intervals. The month
charts of the yearly report and of the statistics then show a year, not a day.

Deterministic for a seed: the same demo built on the same day gets the same dates.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from jaringan.catalog.models import Edition, ImportBatch, MatchLink, SourceRecord
from jaringan.ill.ledger import DEPOSIT_BACK
from jaringan.ill.models import Delivery, IllEvent, IllMessage, IllRequest, LedgerEntry, RotaEntry
from jaringan.reciprocal.models import Loan, Visit

#: The demo's dates are drawn from this seed.
SEED = 2026
#: Months of the demo's history: the month under way and the twelve before it (the statistics' default period).
MONTHS = 13
#: Days a step of a request takes after the one before it, at most (a third of it at least): a lender answers
#: in a few days, a book travels for a week or so, a reader keeps it for about a month.
STEP_DAYS = {"approve": 2, "route": 0, "send": 1, "ExpectToSupply": 3, "WillSupply": 3, "Unfilled": 4,
             "Loaned": 3, "CopyCompleted": 6, "Received": 8, "Renew": 20, "grant_renewal": 2,
             "ShippedReturn": 30, "LoanCompleted": 8}


def month_start(months_back: int, today: date | None = None) -> date:
    """The first day of the month ``months_back`` before this one (0: this month)."""
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def days_back(rng: random.Random, months_back: int, today: date | None = None) -> int:
    """Days from a day drawn in the month ``months_back`` before this one (up to yesterday) to today."""
    today = today or timezone.localdate()
    first = month_start(months_back, today)
    last = min(month_start(months_back - 1, today) - timedelta(days=1), today - timedelta(days=1))
    if last < first:  # the first of the month: this month has no yesterday in it
        return 1
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    return (today - day).days


def _date_fields(model) -> list[models.Field]:
    """The model's dates and times (a DateTimeField is a DateField)."""
    return [f for f in model._meta.concrete_fields if isinstance(f, models.DateField)]


def shift_rows(rows: Iterable[models.Model], delta: timedelta) -> int:
    """Move every date and time of ``rows`` (of one model) back by ``delta``; an empty one stays empty."""
    rows = list(rows)
    if not rows:
        return 0
    fields = _date_fields(type(rows[0]))
    for row in rows:
        for f in fields:
            value = getattr(row, f.attname)
            if value is not None:
                setattr(row, f.attname, value - delta)
    type(rows[0]).objects.bulk_update(rows, [f.name for f in fields], batch_size=500)
    return len(rows)


def age_request(req: IllRequest, days: int) -> None:
    """Move a request and all it left (history, rota, messages, deliveries, ledger lines) ``days`` back."""
    delta = timedelta(days=days)
    shift_rows(IllRequest.objects.filter(pk=req.pk), delta)
    for model in (IllEvent, RotaEntry, IllMessage, Delivery, LedgerEntry):
        shift_rows(model.objects.filter(request_id=req.pk), delta)


def stretch_request(req: IllRequest, rng: random.Random, *, within_days: int) -> None:
    """Give a request's steps the days they take: each step of its history comes some days after the one
    before it (up to `STEP_DAYS`), all within ``within_days``, and what each step wrote (a rota entry's
    answer, a ledger line, the due date) moves with it."""
    events = list(IllEvent.objects.filter(request_id=req.pk).order_by("at", "id"))
    if len(events) < 2:
        return
    draws = [0.0] + [rng.uniform(STEP_DAYS.get(e.action, 0) / 3, STEP_DAYS.get(e.action, 0)) for e in events[1:]]
    total = sum(draws)
    scale = min(1.0, max(within_days - 1, 0) / total) if total else 1.0
    steps, gap = [], 0.0
    for event, days in zip(events, draws):
        gap += days * scale
        steps.append((event.at, timedelta(days=gap)))

    def moved(value):  # by the gap of the step that wrote it: the first event recorded at or after it
        return next((g for at, g in steps if at >= value), steps[-1][1])

    def restamp(rows, dates=lambda row: {}):
        for row in rows:
            fields = _date_fields(type(row))
            anchors = dates(row)
            for f in fields:
                value = getattr(row, f.attname)
                if value is None:
                    continue
                if f.attname in anchors:  # a date moves as the day of the step it belongs to moves
                    anchor = anchors[f.attname]
                    days = timezone.localdate(anchor + moved(anchor)) - timezone.localdate(anchor)
                    setattr(row, f.attname, value + days)
                elif isinstance(f, models.DateTimeField):
                    setattr(row, f.attname, value + moved(value))
            type(row).objects.bulk_update([row], [f.name for f in fields])

    loaned = [e.at for e in events if e.action in ("Loaned", "grant_renewal")]
    restamp(IllRequest.objects.filter(pk=req.pk), lambda r: {"due_date": loaned[-1] if loaned else r.created,
                                                              "need_by": r.created})
    for model in (IllEvent, RotaEntry, IllMessage, Delivery):
        restamp(model.objects.filter(request_id=req.pk))
    restamp(LedgerEntry.objects.filter(request_id=req.pk), lambda r: {"on": r.at})


def age_visit(visit: Visit, days: int, *, kept_days: int = 0) -> None:
    """Move a reciprocal visit, the loans made at it and their ledger lines ``days`` back; a loan returned came
    back ``kept_days`` after it was lent (the deposit owed back then)."""
    delta = timedelta(days=days)
    loans = list(Loan.objects.filter(visit=visit))
    shift_rows(Visit.objects.filter(pk=visit.pk), delta)
    shift_rows(Loan.objects.filter(visit=visit), delta)
    shift_rows(LedgerEntry.objects.filter(reciprocal_loan__in=loans), delta)
    if kept_days:
        later = timedelta(days=kept_days)
        Loan.objects.filter(visit=visit, returned_at__isnull=False).update(returned_at=F("returned_at") + later)
        shift_rows(LedgerEntry.objects.filter(reciprocal_loan__in=loans, line=DEPOSIT_BACK), -later)


def age_batch(batch: ImportBatch, days: int) -> None:
    """Move an import and the records it brought ``days`` back (their editions follow: `editions_follow`)."""
    delta = timedelta(days=days)
    shift_rows(ImportBatch.objects.filter(pk=batch.pk), delta)
    SourceRecord.objects.filter(batch=batch).update(created=F("created") - delta, updated=F("updated") - delta)
    MatchLink.objects.filter(record__batch=batch).update(at=F("at") - delta)


def editions_follow() -> None:
    """An edition was made when its first record arrived, and last changed when its latest one did."""
    first = SourceRecord.objects.filter(edition=OuterRef("pk")).order_by("created").values("created")[:1]
    last = SourceRecord.objects.filter(edition=OuterRef("pk")).order_by("-updated").values("updated")[:1]
    Edition.objects.update(created=Coalesce(Subquery(first), F("created")),
                           updated=Coalesce(Subquery(last), F("updated")))
