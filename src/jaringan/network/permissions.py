"""Who may do what. Every view, API call and admin page asks these functions.

A coordinator acts for the networks they coordinate and for the libraries
*admitted* to them: an application, a rejection, a suspension or a withdrawal
gives a coordinator nothing over a library (else anyone coordinating a network
could file an application for any library and act for it). Library staff act for
their own library only, and only they apply for it; a reader sees only their own
things. A superuser may do everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from jaringan.core import membership as ms

from .models import Library, Membership, Network, Role


@dataclass(frozen=True)
class Principal:
    user_id: int | None = None
    username: str = ""
    is_superuser: bool = False
    coordinated: frozenset[int] = field(default_factory=frozenset)
    staff_of: frozenset[int] = field(default_factory=frozenset)
    reader_of: int | None = None

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or bool(self.coordinated)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.staff_of)


ANONYMOUS = Principal()
#: The hub itself (loaders, the command line, harvests, the scheduled tick, the actions that follow others
#: at once): every check passes and no person is recorded.
SYSTEM = Principal(is_superuser=True, username="system")


def principal_for(user) -> Principal:
    """The roles of a user, read once per request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    coordinated, staff_of, reader_of = set(), set(), None
    for kind, network_id, library_id in Role.objects.filter(user=user).values_list("kind", "network_id", "library_id"):
        if kind == Role.Kind.COORDINATOR:
            coordinated.add(network_id)
        elif kind == Role.Kind.STAFF:
            staff_of.add(library_id)
        elif kind == Role.Kind.READER:
            reader_of = library_id
    return Principal(
        user_id=user.pk,
        username=user.get_username(),
        is_superuser=user.is_superuser,
        coordinated=frozenset(coordinated),
        staff_of=frozenset(staff_of),
        reader_of=reader_of,
    )


def principal_of(request) -> Principal:
    """The signed-in person's roles, read once per request."""
    if not hasattr(request, "_principal"):
        request._principal = principal_for(getattr(request, "user", None))
    return request._principal


def coordinates(p: Principal, network: Network | int) -> bool:
    network_id = network if isinstance(network, int) else network.pk
    return p.is_superuser or network_id in p.coordinated


def coordinated_library_ids(p: Principal, among: Iterable[int] | None = None) -> set[int]:
    """Libraries admitted to a network p coordinates (of ``among``, if given).

    The one place a coordinator's rights over libraries come from: every helper
    below and in the other apps asks it. A superuser's rights do not come from
    here (callers check ``is_superuser`` first).
    """
    if not p.coordinated:
        return set()
    members = Membership.objects.filter(network_id__in=p.coordinated, state__in=ms.ACTIVE_STATES)
    if among is not None:
        members = members.filter(library_id__in=list(among))
    return set(members.values_list("library_id", flat=True))


def coordinates_library(p: Principal, library: Library) -> bool:
    """The superuser, or a coordinator of a network the library is admitted to."""
    return p.is_superuser or bool(coordinated_library_ids(p, among=[library.pk]))


def acts_for_library(p: Principal, library: Library) -> bool:
    """The library's staff, a coordinator of a network it is admitted to, or the superuser."""
    return library.pk in p.staff_of or coordinates_library(p, library)


def library_ids_acted_for(p: Principal, among: Iterable[int]) -> set[int]:
    """Of these libraries, the ids `acts_for_library` allows (one query, not one per library)."""
    ids = set(among)
    if p.is_superuser:
        return ids
    return (ids & p.staff_of) | coordinated_library_ids(p, among=ids)


def can_register_library(p: Principal) -> bool:
    return p.is_coordinator


def can_create_network(p: Principal) -> bool:
    return p.is_coordinator


def can_edit_library(p: Principal, library: Library) -> bool:
    return acts_for_library(p, library)


def can_edit_network(p: Principal, network: Network) -> bool:
    return coordinates(p, network)


def can_apply(p: Principal, library: Library) -> bool:
    """Only a library's own staff (or the superuser) apply for it, to any network."""
    return p.is_superuser or library.pk in p.staff_of


def membership_sides(p: Principal, membership: Membership) -> set[ms.Actor]:
    """On whose behalf p may act on a membership: the network's coordinator, the library's staff, both or neither."""
    out = set()
    if coordinates(p, membership.network_id):
        out.add(ms.Actor.COORDINATOR)
    if p.is_superuser or membership.library_id in p.staff_of:
        out.add(ms.Actor.LIBRARY)
    return out


def can_record_agreement(p: Principal, network: Network) -> bool:
    return coordinates(p, network)
