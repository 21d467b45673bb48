"""Who may see and change a bibliography. Every view and API call asks these functions.

A private list is seen by its owner only (and by whoever holds its sharing
link); a public one by anyone. Only its owner changes it. A coordinator
publishes a public list on the page of a network they coordinate, and takes
it off again; nobody else does (the superuser excepted).
"""

from __future__ import annotations

from jaringan.network.permissions import Principal, coordinates

from .models import Bibliography


def can_see(p: Principal, bibliography: Bibliography) -> bool:
    return bibliography.public or can_edit(p, bibliography)


def can_edit(p: Principal, bibliography: Bibliography) -> bool:
    return p.user_id is not None and bibliography.owner_id == p.user_id


def can_publish(p: Principal, network_id: int) -> bool:
    return coordinates(p, network_id)


def can_compile(p: Principal) -> bool:
    """Anyone signed in compiles lists of their own: staff, readers and coordinators."""
    return p.authenticated
