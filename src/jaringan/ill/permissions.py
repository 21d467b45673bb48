"""Who may see and act on a request.

* The staff of the requesting library act as the **requester** (a library
  served by another system has no staff here: its system acts for it);
* the staff of the lender asked now act as the **supplier**;
* the **reader** the request is for sees it and may cancel it;
* staff of a lender asked before still see it (it was in their queue);
* coordinators do not see single requests (they name a reader): they read the
  network's figures (`selectors.network_balance`);
* the hub itself (``SYSTEM``: the scheduled tick, the follow-ups) acts as
  either side; another system acts for its own library through messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from jaringan.core.ill.lifecycle import Role
from jaringan.network.models import Library
from jaringan.network.permissions import Principal

from .models import IllMessage, IllRequest, Peer, RotaEntry


@dataclass(frozen=True)
class Remote:
    """Another system acting for its library, through the ISO 18626 message it sent."""

    library: Library
    peer: Peer | None
    message: IllMessage | None
    label: str


def is_system(actor) -> bool:
    return isinstance(actor, Principal) and actor.is_superuser and actor.user_id is None


def _served_here(library_id: int | None, elsewhere: frozenset[int] | None = None) -> bool:
    if library_id is None:
        return False
    if elsewhere is not None:
        return library_id not in elsewhere
    return not Peer.objects.filter(library_id=library_id, active=True).exists()


def served_elsewhere(library_ids) -> frozenset[int]:
    """Which of ``library_ids`` another system serves (an active peer): one query for a page of requests."""
    return frozenset(Peer.objects.filter(library_id__in=set(library_ids) - {None}, active=True)
                     .values_list("library_id", flat=True))


def roles_on(actor, req: IllRequest, *, elsewhere: frozenset[int] | None = None) -> set[Role]:
    """The roles ``actor`` holds on ``req`` (``elsewhere``: the libraries another system serves, when the caller
    read them already, see `served_elsewhere`)."""
    if isinstance(actor, Remote):
        out = set()
        if actor.library.pk == req.supplier_id:
            out.add(Role.supplier)
        if actor.library.pk == req.requester_id:
            out.add(Role.requester)
        return out
    if is_system(actor):
        return {Role.system}
    out: set[Role] = set()
    if actor.is_superuser or req.requester_id in actor.staff_of:
        if _served_here(req.requester_id, elsewhere):
            out.add(Role.requester)
    if req.supplier_id and (actor.is_superuser or req.supplier_id in actor.staff_of):
        if _served_here(req.supplier_id, elsewhere):
            out.add(Role.supplier)
    if actor.user_id is not None and req.reader_id == actor.user_id:
        out.add(Role.reader)
    return out


def can_see(actor: Principal, req: IllRequest, *, elsewhere: frozenset[int] | None = None) -> bool:
    if is_system(actor) or actor.is_superuser:
        return True
    if roles_on(actor, req, elsewhere=elsewhere):
        return True
    if not actor.staff_of:
        return False
    return RotaEntry.objects.filter(request=req, library_id__in=actor.staff_of).exclude(
        outcome=RotaEntry.Outcome.WAITING).exists()


def can_request_for(actor: Principal, library: Library) -> bool:
    """Staff ask for their own library's readers."""
    return actor.is_superuser or library.pk in actor.staff_of
