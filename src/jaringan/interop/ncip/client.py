"""Asking a member's NCIP server for its reader's standing (``LookupUser``).

The request goes through the operator's outbound policy (``jaringan.outbound``), with the shared secret
agreed with the member as ``Authorization: Bearer …``. Whatever goes wrong (the server down or slow, an
answer that is not NCIP) comes back as ``error`` set, never as an exception: the desk then says the
standing could not be learnt, and refuses to lend on a guess.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import requests
from django.conf import settings

from jaringan import outbound

from . import messages

log = logging.getLogger(__name__)

#: Reasons the standing could not be learnt (the desk words them).
UNREACHABLE = "ncip_unreachable"
REFUSED = "ncip_refused"
NOT_NCIP = "ncip_not_ncip"


@dataclass(frozen=True)
class Answer:
    found: bool = False
    error: str = ""
    detail: str = ""
    blocks: tuple = ()
    overdue: int = 0
    loans: int = 0
    name: str = ""
    problems: tuple = ()


def hub_agency_id() -> str:
    """The hub's own agency id in NCIP messages (``JARINGAN_NCIP_AGENCY_ID``, default ``JARINGAN``)."""
    return getattr(settings, "JARINGAN_NCIP_AGENCY_ID", "") or "JARINGAN"


def standing_of(server, user_id: str, today: date) -> Answer:
    """What ``server`` (an ``NcipServer``) says of its reader ``user_id``."""
    body = messages.lookup_user(from_agency=hub_agency_id(), to_agency=server.agency_id, user_id=user_id,
                                user_agency=server.agency_id)
    headers = {"Content-Type": "application/xml; charset=utf-8"}
    if server.shared_secret:
        headers["Authorization"] = f"Bearer {server.shared_secret}"
    try:
        with outbound.policy().session() as session:
            response = session.post(server.url, data=body, headers=headers, timeout=server.timeout)
    except outbound.OutboundRefused as exc:
        return Answer(error=REFUSED, detail=str(exc))
    except (requests.RequestException, OSError) as exc:
        log.warning("NCIP server of library %s not reached: %s", server.library_id, type(exc).__name__)
        return Answer(error=UNREACHABLE, detail=type(exc).__name__)
    try:
        message = messages.parse(response.content)
        remote = messages.standing_from(message, today)
    except messages.NcipError as exc:
        return Answer(error=NOT_NCIP, detail=f"HTTP {response.status_code}: {exc}")
    return Answer(remote.found, "", "", remote.blocks, remote.overdue, remote.loans, remote.name, remote.problems)
