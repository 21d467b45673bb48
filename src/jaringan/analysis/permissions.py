"""Who sees which figures.

* A network's public figures (members, titles, how they overlap, its loans): anyone.
* A network's figures member by member (the pairwise matrix, last copies, each member's strengths,
  the division of labour against what members hold): its coordinators, and staff of its admitted
  members (their own network's aggregates).
* One member's own pages (its profile, last copies, evaluation, buy-warnings): its staff, and the
  coordinators of a network it is admitted to (`network.permissions.acts_for_library`).
* A network's yearly report: its coordinators; a member's yearly report: as its own pages.
* A group picked by hand: a coordinator, among the libraries admitted to networks they coordinate.
"""

from __future__ import annotations

from collections.abc import Iterable

from jaringan.core import membership as ms
from jaringan.network import permissions as perm
from jaringan.network.models import Library, Membership, Network
from jaringan.network.permissions import Principal


def sees_members(p: Principal, network: Network) -> bool:
    """Member-by-member figures of the network."""
    if p.is_superuser or perm.coordinates(p, network):
        return True
    return bool(p.staff_of) and Membership.objects.filter(
        network=network, library_id__in=p.staff_of, state__in=ms.ACTIVE_STATES).exists()


def sees_library(p: Principal, library: Library) -> bool:
    """A member's own figures and tools."""
    return p.is_superuser or perm.acts_for_library(p, library)


def may_pick(p: Principal, library_ids: Iterable[int]) -> bool:
    """A group of these libraries, picked by hand."""
    ids = set(library_ids)
    if p.is_superuser:
        return True
    return bool(ids) and ids <= perm.coordinated_library_ids(p, among=ids)


def sees_network_report(p: Principal, network: Network) -> bool:
    """A network's yearly report: its coordinators."""
    return p.is_superuser or perm.coordinates(p, network)
