"""The door of ``POST /iso18626``: how large, how often, who must prove itself, what of a refusal is kept.

Anyone may post to the endpoint, so what it keeps of strangers is bounded:

* a message larger than ``JARINGAN_ISO18626_MAX_KB`` is turned away unread
  (`TooLarge`);
* a peer given a shared secret (``Peer.shared_secret``) must send it as
  ``Authorization: Bearer <secret>``; a message claiming to come from it
  without it is turned away (`Unauthenticated`);
* more than ``JARINGAN_ISO18626_RATE`` messages kept in a minute from one
  address (or from one peer that proved itself) are turned away
  (`Throttled`, with the seconds to wait);
* of a message refused and about no request, only its first
  ``JARINGAN_ISO18626_KEEP_KB`` are kept (with its length and SHA-256), and
  `purge_refused` (``jaringan ill-tick``) deletes it after
  ``JARINGAN_ISO18626_REFUSED_DAYS``.

A message turned away is not kept at all. The exceptions know nothing of
HTTP; the view gives each its status (413, 401, 429). Each sits on its branch
of the project's tree (:mod:`jaringan.core.errors`)::

    Invalid     └── TooLarge          ``answer``: the ERROR confirmation to send
    Forbidden   └── Unauthenticated   ``answer``: the ERROR confirmation to send
    Unavailable └── Throttled         ``retry_after``: seconds
"""

from __future__ import annotations

import hmac
import ipaddress
import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from jaringan.core import iso18626 as core
from jaringan.core.errors import Forbidden, Invalid, Unavailable

from .. import conf
from ..models import IllMessage, Peer
from .agencies import library_for_agency

#: The window the rate is counted over.
WINDOW = timedelta(minutes=1)
#: Messages deleted at a time by `purge_refused`.
PURGE_BATCH = 500


@dataclass(frozen=True)
class Sender:
    """Who posted: the network address, and the secret it presented (``Authorization: Bearer``)."""

    address: str | None = None
    secret: str = ""

    @classmethod
    def of(cls, *addresses: str | None, secret: str = "") -> Sender:
        """A sender at the first of ``addresses`` that is an IP address (else none: a Unix socket)."""
        for address in addresses:
            try:
                return cls(address=str(ipaddress.ip_address((address or "").strip())), secret=secret)
            except ValueError:
                continue
        return cls(address=None, secret=secret)


class TooLarge(Invalid):
    """Turned away, nothing kept: larger than ``JARINGAN_ISO18626_MAX_KB``; ``answer`` is the ERROR confirmation."""

    def __init__(self, answer: bytes):
        super().__init__("the message is too large")
        self.answer = answer


class Unauthenticated(Forbidden):
    """Turned away, nothing kept: a peer with a shared secret was named without it; ``answer`` is the ERROR confirmation."""

    def __init__(self, reason: str, answer: bytes = b""):
        super().__init__(reason)
        self.reason = reason
        self.answer = answer


class Throttled(Unavailable):
    """Turned away, nothing kept: too many messages from one address or peer this minute; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many messages; try again in {retry_after} s")
        self.retry_after = retry_after


def too_large() -> TooLarge:
    error = core.BadlyFormedMessage(f"the message is larger than {conf.max_message_bytes() // 1024} KB")
    return TooLarge(core.confirmation_for(error, status=core.MessageStatus.ERROR))


def claimed_peer(message) -> Peer | None:
    """The active peer a request or agency message says it comes from (its requester, or the supplier)."""
    header = getattr(message, "header", None)
    if header is None:
        return None
    sender = header.supplying_agency_id if message.ELEMENT == core.SupplyingAgencyMessage.ELEMENT \
        else header.requesting_agency_id
    return library_for_agency(sender)[1]


def authenticate(message, sender: Sender) -> Peer | None:
    """The peer that proved itself with its shared secret, or None; `Unauthenticated` when one was owed."""
    peer = claimed_peer(message)
    if peer is None or not peer.shared_secret:
        return None
    if not proves(peer, sender.secret):
        raise Unauthenticated(f"Authorization: the shared secret agreed with {peer.agency_id_type}:"
                              f"{peer.agency_id_value} is {'wrong' if sender.secret else 'missing'}")
    return peer


def secret_presented(request) -> str:
    """The secret an HTTP request presents (``Authorization: Bearer <secret>``), else ``""``."""
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def proves(peer: Peer | None, secret: str) -> bool:
    """``secret`` is the one agreed with ``peer`` (any will do when none was agreed)."""
    return peer is None or not peer.shared_secret or hmac.compare_digest(secret.encode(), peer.shared_secret.encode())


def throttle(sender: Sender, peer: Peer | None, *, now=None) -> None:
    """Refuse the message (`Throttled`) when its address, or its proven peer, has used this minute's rate."""
    limit = conf.rate_per_minute()
    if limit <= 0 or (peer is None and not sender.address):
        return
    now = now or timezone.now()
    whose = Q(peer=peer) if peer is not None else Q(address=sender.address)
    recent = IllMessage.objects.filter(whose, direction=IllMessage.Direction.IN, at__gt=now - WINDOW)
    times = list(recent.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) >= limit:
        raise Throttled(max(1, math.ceil((times[-1] + WINDOW - now).total_seconds())))


def shorten(kept: IllMessage) -> None:
    """Of a message refused and about no request, keep the first ``JARINGAN_ISO18626_KEEP_KB`` only."""
    keep = conf.keep_bytes()
    raw = bytes(kept.raw)
    if kept.request_id is None and len(raw) > keep:
        kept.raw = raw[:keep]
        IllMessage.objects.filter(pk=kept.pk).update(raw=kept.raw)


def purge_refused(now=None) -> int:
    """Delete messages refused and about no request once ``JARINGAN_ISO18626_REFUSED_DAYS`` have passed, with
    the confirmations that answered them; the number of messages received deleted."""
    now = now or timezone.now()
    old = IllMessage.objects.filter(direction=IllMessage.Direction.IN, status=IllMessage.Status.REFUSED,
                                    request__isnull=True, at__lt=now - timedelta(days=conf.refused_days()))
    deleted = 0
    while ids := list(old.values_list("pk", "answer_id")[:PURGE_BATCH]):
        IllMessage.objects.filter(pk__in=[pk for pk, _answer in ids]).delete()
        IllMessage.objects.filter(pk__in=[a for _pk, a in ids if a is not None], request__isnull=True).delete()
        deleted += len(ids)
    return deleted
