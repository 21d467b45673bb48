"""Messages to other systems: an outbox, sent off the staff's request, tried again with backoff, sent once.

An action that concerns a library served elsewhere keeps its message
(``out``, ``pending``, due at once) in the same transaction as the change:
nothing is lost when the line drops, and nothing a person does waits for the
peer. A *sender* posts it afterwards:

* the serving process has one (``JARINGAN_ISO18626_SEND=background``, the
  default): a thread woken when the transaction commits, which also tries
  again whatever falls due; ``jaringan ill-send`` (a worker that runs until
  stopped) and ``jaringan ill-tick`` send what is due as well. With
  ``JARINGAN_ISO18626_SEND=worker`` only they do.
* A sender first *claims* a message with one conditional UPDATE (``sending``
  until its claim lapses): two senders never post it at once, and one that
  died leaves it to be tried again when its claim lapses.
* A message that did not arrive is ``retrying``: tried again after
  ``JARINGAN_ISO18626_RETRY_FIRST`` seconds, the wait doubling each time up
  to ``JARINGAN_ISO18626_RETRY_MAX``; once ``JARINGAN_ISO18626_RETRY_DAYS``
  have passed it is ``failed`` and left for a person to look at.
* It is sent again exactly as it was kept, the same bytes: a peer that got it
  but whose answer was lost (a timeout: the outcome is unknown) recognises
  the repeat — Jaringan by the message's digest, ReShare by request id and
  action — and confirms it again without acting twice.
* Messages about one request to one peer go in order: one waits while an
  earlier one about the same request to the same peer is not delivered yet.

The peer's confirmation is kept; a request the lender's system confirmed is
``RequestReceived`` there, one it refused goes to the next lender.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from jaringan.core import iso18626 as core
from jaringan.network.permissions import SYSTEM

from .. import conf
from ..models import IllEvent, IllMessage
from ..services.acting import act_locked, lock_request
from .agencies import agency_label, agency_of
from .messages import keep
from .outbox import UNFINISHED, due, next_due, waiting_behind
from .transport import TransportError, get_transport

log = logging.getLogger(__name__)

S = IllMessage.Status
#: How long a sender's claim outlives the peer's timeout (then another sender may try it again).
CLAIM_MARGIN = timedelta(seconds=30)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: the first wait, doubled each time, up to the longest."""
    first, longest = conf.retry_seconds(), conf.retry_max_seconds()
    return timedelta(seconds=min(longest, first * 2 ** max(0, min(attempts - 1, 30))))


def _claim(msg: IllMessage, now: datetime) -> bool:
    """Take the message for this sender (one conditional UPDATE); False when another sender has it or it is done."""
    lapses = now + timedelta(seconds=msg.peer.timeout) + CLAIM_MARGIN
    return IllMessage.objects.filter(
        pk=msg.pk, direction=IllMessage.Direction.OUT, status__in=UNFINISHED, next_attempt__lte=now,
    ).update(status=S.SENDING, next_attempt=lapses, attempts=F("attempts") + 1) == 1


def deliver(message_id: int, *, now: datetime | None = None) -> IllMessage:
    """Post one message of the outbox that is due, if no other sender has it, and act on the confirmation."""
    tried = _attempt(message_id, now or timezone.now())
    return tried if tried is not None else IllMessage.objects.get(pk=message_id)


def _attempt(message_id: int, now: datetime) -> IllMessage | None:
    """The message after this sender tried it; None when it was not this sender's to try now."""
    msg = IllMessage.objects.select_related("peer", "request").get(pk=message_id)
    if msg.status not in UNFINISHED or msg.peer is None or waiting_behind(msg) or not _claim(msg, now):
        return None
    msg.refresh_from_db(fields=["status", "attempts", "next_attempt"])
    try:
        answer = get_transport().send(msg.peer.url, bytes(msg.raw), timeout=msg.peer.timeout,
                                      secret=msg.peer.shared_secret)
    except TransportError as exc:
        log.warning("ISO 18626 %s %s not delivered (attempt %s): %s", msg.kind, msg.pk, msg.attempts, exc)
        return _not_delivered(msg, exc.kind, str(exc))
    return _confirmed(msg, answer)


def _mine(msg: IllMessage):
    """The message while this sender's claim holds."""
    return IllMessage.objects.filter(pk=msg.pk, status=S.SENDING, attempts=msg.attempts)


def _not_delivered(msg: IllMessage, kind: str, error: str) -> IllMessage:
    now = timezone.now()
    given_up = now - msg.at >= timedelta(days=conf.retry_days())
    _mine(msg).update(status=S.FAILED if given_up else S.RETRYING, error_kind=kind, last_error=error,
                      next_attempt=None if given_up else now + backoff(msg.attempts))
    msg.refresh_from_db()
    return msg


def _confirmed(msg: IllMessage, answer: bytes) -> IllMessage:
    try:
        parsed = core.parse(answer)
        kind, error = parsed.ELEMENT, None
    except core.MessageError as exc:
        parsed, kind, error = None, "unreadable", f"{exc.error_type}: {exc.error_value}"
    confirmation = getattr(parsed, "confirmation_header", None)
    if confirmation is None:
        keep(raw=answer, direction=IllMessage.Direction.IN, kind=kind, status=IllMessage.Status.ACCEPTED,
                 request=msg.request, peer=msg.peer)
        return _not_delivered(msg, "no_confirmation", error or f"the answer is a {kind}, not a confirmation")
    with transaction.atomic():
        kept = keep(raw=answer, direction=IllMessage.Direction.IN, kind=kind,
                        status=IllMessage.Status.ACCEPTED, request=msg.request, peer=msg.peer)
        if confirmation.message_status is core.MessageStatus.OK:
            status = S.SENT
        else:
            status = S.REFUSED
            data = parsed.error_data
            error = f"{data.error_type}: {data.error_value or ''}".strip() if data else "ERROR"
        if not _mine(msg).update(status=status, answer=kept, last_error=error or "", delivered_at=timezone.now(),
                                 next_attempt=None, error_kind="" if status == S.SENT else "refused"):
            log.warning("ISO 18626 %s %s: confirmed after this sender's claim lapsed", msg.kind, msg.pk)
            msg.refresh_from_db()
            return msg
        msg.refresh_from_db()
        if msg.request_id is not None:
            _consequence(msg, kept, ok=status == S.SENT, error=error or "")
    return msg


def _consequence(msg: IllMessage, answer: IllMessage, *, ok: bool, error: str) -> None:
    """What a confirmation means for the request: our request confirmed or refused, or a message refused."""
    req = lock_request(msg.request_id)
    if msg.kind == core.Request.ELEMENT:
        here = req.state == "Sent" and req.supplier_id == msg.peer.library_id
        if here:
            act_locked(req, actor=SYSTEM, action="confirm" if ok else "refuse", note=error,
                                message=answer)
            return
    if not ok:
        IllEvent.objects.create(
            request=req, actor_kind=IllEvent.ActorKind.REMOTE, actor_label=agency_label(
                agency_of(msg.peer.library)), action="message_refused", from_state=req.state,
            to_state=req.state, lender=req.supplier, note=error, message=answer)


def send_due(now: datetime | None = None) -> list[IllMessage]:
    """One pass of a sender: every message due (oldest first), those about one request in order.

    Messages waiting past ``JARINGAN_ISO18626_RETRY_DAYS`` are given up first.
    A message that waited behind an earlier one delivered in this pass is sent
    in the same pass. Returns the messages tried.
    """
    IllMessage.objects.filter(direction=IllMessage.Direction.OUT, status__in=[S.PENDING, S.RETRYING],
                              at__lt=(now or timezone.now()) - timedelta(days=conf.retry_days())) \
        .update(status=S.FAILED, next_attempt=None, error_kind="gave_up")
    tried: dict[int, IllMessage] = {}
    while True:
        at = now or timezone.now()
        progress = False
        for pk in due(at).order_by("next_attempt", "id").values_list("pk", flat=True):
            if pk in tried:
                continue
            msg = _attempt(pk, at)
            if msg is not None:
                tried[pk] = msg
                progress = progress or msg.status in (S.SENT, S.REFUSED)
        if not progress:
            return list(tried.values())


class BackgroundSender:
    """The serving process's sender: a thread woken after each commit that queued a message, and when a try
    falls due. Idle (no query at all) while the outbox is empty."""

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="iso18626-sender", daemon=True)
                self._thread.start()

    def wake(self) -> None:
        self.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                send_due()
                due = next_due()
            except Exception:  # the sender outlives any one failure; the outbox keeps the messages
                log.exception("ISO 18626 sender: a pass failed")
                due = timezone.now() + timedelta(seconds=conf.retry_seconds())
            finally:
                connection.close()
            wait = None if due is None else max(0.05, (due - timezone.now()).total_seconds())
            self._wake.wait(wait)


SENDER = BackgroundSender()


def wake_on_commit(**_signal) -> None:
    """A message was put in the outbox (`outbox.queued`): the background sender wakes once the transaction
    commits (``JARINGAN_ISO18626_SEND=background``)."""
    if conf.send_mode() == "background":
        transaction.on_commit(SENDER.wake)


def start_background() -> bool:
    """Start the serving process's sender when it sends (``JARINGAN_ISO18626_SEND=background``)."""
    if conf.send_mode() != "background":
        return False
    SENDER.wake()
    return True


def work(*, once: bool = False, interval: float = 2.0, report=None, stop: threading.Event | None = None) -> int:
    """``jaringan ill-send``: pass after pass over the outbox until stopped (``once``: a single pass).

    Between passes it sleeps until the next message falls due, and at most
    ``interval`` seconds (messages queued by the web servers are seen then).
    ``report`` is given each pass's counts when something was tried.
    """
    stop = stop or threading.Event()
    while True:
        tried = send_due()
        if tried and report is not None:
            counts = {"sent": 0, "refused": 0, "waiting": 0, "failed": 0}
            for msg in tried:
                key = {S.SENT: "sent", S.REFUSED: "refused", S.FAILED: "failed"}.get(msg.status, "waiting")
                counts[key] += 1
            report(counts)
        if once:
            return 0
        due = next_due()
        connection.close()
        wait = interval if due is None else min(interval, max(0.05, (due - timezone.now()).total_seconds()))
        if stop.wait(wait):
            return 0
