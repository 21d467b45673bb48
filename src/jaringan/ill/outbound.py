"""Messages to other systems: kept first, sent after the change commits, tried again until they arrive.

An action that concerns a library served elsewhere keeps its message
(``out``, ``pending``) in the same transaction as the change, so nothing is
lost when the line drops. Once the transaction commits, `deliver` posts it
through the transport and keeps the confirmation that came back. A request
the lender's system confirmed is ``RequestReceived`` there; one it refused
goes to the next lender. A message that could not be delivered stays
``failed`` and `deliver_pending` (run by ``jaringan ill-tick``) tries it again;
a peer that got it twice recognises the repeat and confirms it again without
acting twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jaringan.core import iso18626 as core

from . import iso
from .models import IllEvent, IllMessage
from .transport import TransportError, get_transport

log = logging.getLogger(__name__)

#: Attempts before a message is left for a person to look at.
MAX_ATTEMPTS = 12
#: Messages older than this are not tried again.
RETRY_WINDOW = timedelta(days=7)


def enqueue(message: IllMessage) -> None:
    """Send ``message`` once the current transaction commits."""
    transaction.on_commit(lambda: deliver(message.pk))


def deliver(message_id: int) -> IllMessage:
    """Post one kept message to its peer and act on the confirmation."""
    msg = IllMessage.objects.select_related("peer", "request").get(pk=message_id)
    if msg.status not in (IllMessage.Status.PENDING, IllMessage.Status.FAILED) or msg.peer is None:
        return msg
    IllMessage.objects.filter(pk=msg.pk).update(attempts=F("attempts") + 1)
    try:
        answer = get_transport().send(msg.peer.url, bytes(msg.raw), timeout=msg.peer.timeout,
                                      secret=msg.peer.shared_secret)
    except TransportError as exc:
        log.warning("ISO 18626 %s %s not delivered: %s", msg.kind, msg.pk, exc)
        IllMessage.objects.filter(pk=msg.pk).update(status=IllMessage.Status.FAILED, last_error=str(exc))
        msg.refresh_from_db()
        return msg
    return _confirmed(msg, answer)


def _confirmed(msg: IllMessage, answer: bytes) -> IllMessage:
    try:
        parsed = core.parse(answer)
        kind, error = parsed.ELEMENT, None
    except core.MessageError as exc:
        parsed, kind, error = None, "unreadable", f"{exc.error_type}: {exc.error_value}"
    with transaction.atomic():
        kept = iso.keep(raw=answer, direction=IllMessage.Direction.IN, kind=kind,
                        status=IllMessage.Status.ACCEPTED, request=msg.request, peer=msg.peer)
        confirmation = getattr(parsed, "confirmation_header", None)
        if confirmation is None:
            status = IllMessage.Status.FAILED
            error = error or f"the answer is a {kind}, not a confirmation"
        elif confirmation.message_status is core.MessageStatus.OK:
            status = IllMessage.Status.SENT
        else:
            status = IllMessage.Status.REFUSED
            data = parsed.error_data
            error = f"{data.error_type}: {data.error_value or ''}".strip() if data else "ERROR"
        IllMessage.objects.filter(pk=msg.pk).update(status=status, answer=kept, last_error=error or "")
        msg.refresh_from_db()
        if msg.request_id is not None and status in (IllMessage.Status.SENT, IllMessage.Status.REFUSED):
            _consequence(msg, kept, ok=status == IllMessage.Status.SENT, error=error or "")
    return msg


def _consequence(msg: IllMessage, answer: IllMessage, *, ok: bool, error: str) -> None:
    """What a confirmation means for the request: our request confirmed or refused, or a message refused."""
    from . import services
    from .permissions import SYSTEM

    req = services.lock_request(msg.request_id)
    if msg.kind == core.Request.ELEMENT:
        here = req.state == "Sent" and req.supplier_id == msg.peer.library_id
        if here:
            services.act_locked(req, actor=SYSTEM, action="confirm" if ok else "refuse", note=error,
                                message=answer)
            return
    if not ok:
        IllEvent.objects.create(
            request=req, actor_kind=IllEvent.ActorKind.REMOTE, actor_label=iso.agency_label(
                iso.agency_of(msg.peer.library)), action="message_refused", from_state=req.state,
            to_state=req.state, lender=req.supplier, note=error, message=answer)


def deliver_pending(now=None) -> list[IllMessage]:
    """Try again every message that has not arrived yet (oldest first)."""
    now = now or timezone.now()
    ids = list(IllMessage.objects.filter(
        direction=IllMessage.Direction.OUT, status__in=[IllMessage.Status.PENDING, IllMessage.Status.FAILED],
        attempts__lt=MAX_ATTEMPTS, at__gte=now - RETRY_WINDOW,
    ).order_by("at", "id").values_list("pk", flat=True))
    return [deliver(pk) for pk in ids]
