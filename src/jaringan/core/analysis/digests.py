"""Readers' digests of new acquisitions: which period a digest covers, and the subjects a reader may follow.

A digest covers a whole period before the day it is made: for ``weekly`` the last Monday-to-Sunday week
that has ended, for ``monthly`` the last calendar month that has ended. A subject is a main class of a
classification scheme: ``ddc:5`` (500–599) or ``lcc:Q``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

FREQUENCIES = ("weekly", "monthly")
_SUBJECT = {"ddc": re.compile(r"[0-9]"), "lcc": re.compile(r"[A-Z]")}


def last_period(frequency: str, today: date) -> tuple[date, date]:
    """The first and last day of the last whole period of ``frequency`` before ``today``."""
    if frequency == "weekly":
        end = today - timedelta(days=today.isoweekday())
        return end - timedelta(days=6), end
    if frequency == "monthly":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    raise ValueError(f"no such frequency: {frequency!r}")


def subject(key: str) -> tuple[str, str] | None:
    """``("ddc", "5")`` for ``"ddc:5"``; None for anything that is not a subject."""
    scheme, _sep, value = key.partition(":")
    pattern = _SUBJECT.get(scheme)
    return (scheme, value) if pattern is not None and pattern.fullmatch(value) else None
