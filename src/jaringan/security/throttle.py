"""Login throttling: after too many failed logins for one user name (or UCS node) or from one address
within a window, further attempts are refused until the oldest of those failures leaves the window.

    keys = throttle.keys(user="ana", address="203.0.113.9")
    refusal = throttle.refusal(throttle.LOGIN, keys)   # a message to show, or None
    ... check the password ...
    throttle.failed(throttle.LOGIN, keys)               # or throttle.succeeded(throttle.LOGIN, keys)

The failures are rows in the database, so that every server process (granian
runs several) counts the same ones. The limits come from settings
(``LOGIN_FAILURES_PER_USER``, ``LOGIN_FAILURES_PER_ADDRESS``,
``LOGIN_FAILURE_WINDOW`` seconds). A success forgets the user name's failures,
not the address's: one's own account cannot be used to guess another's.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext

from .models import LoginFailure

__all__ = ["LOGIN", "UCS", "client_address", "failed", "keys", "refusal", "succeeded"]

#: What is logged into.
LOGIN = "login"
UCS = "ucs"

USER = "user"
ADDRESS = "address"


def keys(*, user: str, address: str) -> dict[str, str]:
    """The counters an attempt counts against: its user name (as typed, lower-cased) and its address."""
    return {USER: (user or "").strip().lower()[:255], ADDRESS: (address or "")[:255]}


def _limits() -> dict[str, int]:
    return {USER: settings.LOGIN_FAILURES_PER_USER, ADDRESS: settings.LOGIN_FAILURES_PER_ADDRESS}


def refusal(scope: str, counted: dict[str, str]) -> str | None:
    """Why an attempt is refused before its password is looked at, or None to let it be checked."""
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    now = timezone.now()
    waits = []
    for kind, limit in _limits().items():
        key = counted.get(kind)
        if not key or limit <= 0:
            continue
        recent = LoginFailure.objects.filter(scope=scope, kind=kind, key=key, at__gt=now - window)
        times = list(recent.order_by("-at").values_list("at", flat=True)[:limit])
        if len(times) >= limit:  # free again when the limit-th most recent failure leaves the window
            waits.append(times[-1] + window - now)
    if not waits:
        return None
    minutes = max(1, math.ceil(max(waits).total_seconds() / 60))
    return ngettext(
        "Too many failed attempts to log in. Try again in %(minutes)s minute.",
        "Too many failed attempts to log in. Try again in %(minutes)s minutes.", minutes) % {"minutes": minutes}


def failed(scope: str, counted: dict[str, str]) -> None:
    """Count a failed attempt against each of its keys (and forget failures older than the window)."""
    now = timezone.now()
    LoginFailure.objects.bulk_create([LoginFailure(scope=scope, kind=kind, key=key, at=now)
                                      for kind, key in counted.items() if key])
    LoginFailure.objects.filter(at__lt=now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)).delete()


def succeeded(scope: str, counted: dict[str, str]) -> None:
    """A correct password: the user name's failures are forgotten."""
    if counted.get(USER):
        LoginFailure.objects.filter(scope=scope, kind=USER, key=counted[USER]).delete()


def client_address(request) -> str:
    """The client's IP address: ``REMOTE_ADDR``, or behind a proxy (``JARINGAN_BEHIND_PROXY=1``) the last
    address of ``X-Forwarded-For``, the one the proxy itself added."""
    if settings.BEHIND_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
