"""The scheduled work of interlibrary loan (``jaringan ill-tick``, from cron every few minutes).

One pass:

1. loans lent by a library served here and past their due date become
   ``Overdue`` (the reader and the reader's library are told);
2. a lender that has not answered by its deadline (``JARINGAN_ILL_ANSWER_DAYS``)
   is passed over: the next lender of the rota is asked;
3. conditions a lender offered that lapsed (``retryBefore`` passed) without an
   answer are declined: the next lender is asked;
4. ISO 18626 messages of the outbox that are due are sent (a pass of a sender,
   as ``jaringan ill-send`` and the serving process make: ``outbound``);
5. the files of expired download links are deleted;
6. ISO 18626 messages refused and about no request are deleted once
   ``JARINGAN_ISO18626_REFUSED_DAYS`` have passed.

Each request is handled in a transaction of its own; one a person changed in
the meantime is left as they left it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jaringan.core.errors import JaringanError
from jaringan.network.permissions import SYSTEM

from . import deliveries
from .iso18626 import gate, sender
from .models import IllMessage, IllRequest, Origin, RotaEntry
from .services.acting import act_locked, lock_request

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    overdue: list[int] = field(default_factory=list)
    timed_out: list[int] = field(default_factory=list)
    lapsed: list[int] = field(default_factory=list)
    delivered: int = 0
    undelivered: int = 0
    purged: int = 0
    refused_deleted: int = 0


def _each(ids, action: str, still, done: list[int]) -> None:
    for pk in ids:
        try:
            with transaction.atomic():
                req = lock_request(pk)
                if not still(req):
                    continue
                act_locked(req, actor=SYSTEM, action=action)
                done.append(pk)
        except JaringanError as exc:
            log.warning("ill-tick: %s on request %s not taken: %s", action, pk, exc.message)


def tick(now=None) -> TickReport:
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = TickReport()
    served_elsewhere = Q(supplier__iso18626_peer__active=True)

    overdue = (IllRequest.objects.filter(state="Loaned", due_date__lt=today, returned_at__isnull=True)
               .exclude(served_elsewhere).values_list("pk", flat=True))
    _each(list(overdue), "Overdue",
          lambda r: r.state == "Loaned" and r.due_date and r.due_date < today and r.returned_at is None,
          report.overdue)

    late = RotaEntry.objects.filter(outcome=RotaEntry.Outcome.ASKED, answer_by__lt=now,
                                    request__origin=Origin.LOCAL, request__state__in=["Sent", "RequestReceived"])
    late_ids = [pk for pk, position, current in late.values_list("request_id", "position", "request__rota_position")
                if position == current]
    _each(late_ids, "timeout",
          lambda r: r.state in ("Sent", "RequestReceived") and r.rota.filter(
              position=r.rota_position, answer_by__lt=now).exists(),
          report.timed_out)

    lapsed = IllRequest.objects.filter(state="RetryPossible", offered_before__lt=now, origin=Origin.LOCAL)
    _each(list(lapsed.values_list("pk", flat=True)), "decline_conditions",
          lambda r: r.state == "RetryPossible" and r.offered_before and r.offered_before < now, report.lapsed)

    for message in sender.send_due(now):
        if message.status == IllMessage.Status.SENT:
            report.delivered += 1
        elif message.status in (IllMessage.Status.RETRYING, IllMessage.Status.FAILED):
            report.undelivered += 1
    report.purged = deliveries.purge_expired(now)
    report.refused_deleted = gate.purge_refused(now)
    return report
