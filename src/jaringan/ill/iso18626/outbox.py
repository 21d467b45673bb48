"""The outbox: messages kept for other systems, waiting to be sent (posted by `sender`).

An action that concerns a library served elsewhere keeps its message and
`enqueue` puts it in the outbox, due at once, in the same transaction as the
change. `queued` tells whoever sends (the serving process's background sender
listens, see `apps`) without the writer knowing who that is.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min
from django.dispatch import Signal

from ..models import IllMessage

S = IllMessage.Status
#: A message in the outbox not yet delivered, refused or given up.
UNFINISHED = (S.PENDING, S.SENDING, S.RETRYING)

#: Sent with ``message`` when a message is put in the outbox.
queued = Signal()


def enqueue(message: IllMessage) -> None:
    """Put a kept message in the outbox, due now; `queued` says so (the sender listens)."""
    IllMessage.objects.filter(pk=message.pk).update(next_attempt=message.at)
    message.next_attempt = message.at
    queued.send(sender=IllMessage, message=message)


def waiting_behind(msg: IllMessage) -> bool:
    """An earlier message about the same request to the same peer is not delivered yet: this one goes after it.
    (A request passed on to the next lender does not wait for the one before.)"""
    return msg.request_id is not None and IllMessage.objects.filter(
        request_id=msg.request_id, peer_id=msg.peer_id, direction=IllMessage.Direction.OUT, status__in=UNFINISHED,
        pk__lt=msg.pk,
    ).exists()


def due(now: datetime):
    """The messages of the outbox due at ``now``."""
    return IllMessage.objects.filter(direction=IllMessage.Direction.OUT, status__in=UNFINISHED,
                                     next_attempt__lte=now)


def next_due() -> datetime | None:
    """When the next message of the outbox falls due (None: the outbox is empty)."""
    return IllMessage.objects.filter(direction=IllMessage.Direction.OUT, status__in=UNFINISHED) \
        .aggregate(at=Min("next_attempt"))["at"]
