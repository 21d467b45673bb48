"""Who may do what. Every view, API call and admin page asks these functions.

A coordinator acts for the networks they coordinate (and the libraries that are
or want to be members of them); library staff act for their own library only;
a reader sees only their own things. A superuser may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def coordinated_library_ids(p: Principal) -> set[int]:
    """Libraries that are (or applied to be) members of the networks p coordinates."""
    return set(
        Membership.objects.filter(network_id__in=p.coordinated).values_list("library_id", flat=True)
    )


def can_register_library(p: Principal) -> bool:
    return p.is_coordinator


def can_create_network(p: Principal) -> bool:
    return p.is_coordinator


def can_edit_library(p: Principal, library: Library) -> bool:
    if p.is_superuser or library.pk in p.staff_of:
        return True
    return bool(p.coordinated) and library.pk in coordinated_library_ids(p)


def can_edit_network(p: Principal, network: Network) -> bool:
    return coordinates(p, network)


def can_apply(p: Principal, library: Library, network: Network) -> bool:
    """A library's staff apply for it; a coordinator may file it for the network."""
    return p.is_superuser or library.pk in p.staff_of or network.pk in p.coordinated


def can_record_agreement(p: Principal, network: Network) -> bool:
    return coordinates(p, network)
