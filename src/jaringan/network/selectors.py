"""Reads: what pages, the API and other apps ask of the network."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jaringan.core import agreements as rules
from jaringan.core import borders, geo
from jaringan.core import membership as ms

from . import permissions as perm
from .models import Agreement, BorderRule, Library, LibraryKind, Membership, Network
from .permissions import Principal


def library_by_code(code: str) -> Library | None:
    """The library with this code, if there is one."""
    return Library.objects.filter(code=code).first()


def library_count() -> int:
    return Library.objects.count()


def library_search(*, kind: str = "", q: str = "") -> QuerySet[Library]:
    """Libraries of a kind (any, if it is not one), whose name, city or province holds ``q`` or whose
    code is ``q``."""
    libraries = Library.objects.all()
    if kind in LibraryKind.values:
        libraries = libraries.filter(kind=kind)
    if q:
        libraries = libraries.filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(province__icontains=q)
                                     | Q(code__iexact=q))
    return libraries


def reader_library(p: Principal) -> Library | None:
    """The library a person reads at, if they are a reader."""
    return Library.objects.filter(pk=p.reader_of).first() if p.reader_of else None


def home_library(p: Principal) -> Library | None:
    """The library a person reads at, else the first they work at; None for anyone else."""
    if p.reader_of:
        return reader_library(p)
    if p.staff_of:
        return Library.objects.filter(pk__in=p.staff_of).first()
    return None


def libraries_staffed_by(p: Principal) -> QuerySet[Library]:
    return Library.objects.filter(pk__in=p.staff_of)


def libraries_by_code(codes) -> QuerySet[Library]:
    """The libraries with these codes (unknown codes are passed over), by name."""
    return Library.objects.filter(code__in=list(codes))


def libraries_by_id(ids) -> QuerySet[Library]:
    """The libraries with these ids, by name."""
    return Library.objects.filter(pk__in=list(ids))


def library_codes(ids) -> dict[int, str]:
    """The codes of the libraries with these ids, by id."""
    return dict(Library.objects.filter(pk__in=list(ids)).values_list("pk", "code"))


def libraries_memberships(libraries) -> QuerySet[Membership]:
    """The memberships of these libraries, each with its network and library."""
    return Membership.objects.filter(library__in=libraries).select_related("network", "library")


def library_agreements(library: Library) -> QuerySet[Agreement]:
    """The agreements that name the library as a party, or cover every admitted member of its networks."""
    return Agreement.objects.filter(
        Q(parties__library=library) | Q(coverage="network", network__memberships__library=library,
                                        network__memberships__state=ms.State.ADMITTED)
    ).distinct().select_related("network")


def network_by_code(code: str) -> Network | None:
    return Network.objects.filter(code=code).first()


def network_applications(network: Network) -> QuerySet[Membership]:
    """The network's waiting applications, each with its library."""
    return network.memberships.filter(state=ms.State.APPLIED).select_related("library")


def agreement_by_code(code: str) -> Agreement | None:
    """The agreement, with its network, parties and responsibilities."""
    return (Agreement.objects.select_related("network")
            .prefetch_related("parties__library", "responsibilities__library").filter(code=code).first())


def agreement_labels() -> tuple[dict[int, str], dict[int, str]]:
    """Every agreement's title and code, by id."""
    rows = list(Agreement.objects.values_list("pk", "title", "code"))
    return {pk: title for pk, title, _ in rows}, {pk: code for pk, _, code in rows}


def membership_get(pk) -> Membership | None:
    return Membership.objects.select_related("network", "library").filter(pk=pk).first()


def membership_events(membership: Membership):
    """The membership's history, oldest first, each with who acted."""
    return membership.events.select_related("actor")


def admitted_members(network_ids=None) -> dict[int, frozenset[int]]:
    """Network id → ids of its admitted (not suspended) members."""
    qs = Membership.objects.filter(state__in=ms.ACTIVE_STATES)
    if network_ids is not None:
        qs = qs.filter(network_id__in=network_ids)
    out: dict[int, set[int]] = defaultdict(set)
    for network_id, library_id in qs.values_list("network_id", "library_id"):
        out[network_id].add(library_id)
    return {k: frozenset(v) for k, v in out.items()}


def border_rules(network_ids) -> dict[int, tuple[borders.Rule, ...]]:
    """Network id → every border rule of the network (its own and its agreements')."""
    out: dict[int, list[borders.Rule]] = defaultdict(list)
    for row in BorderRule.objects.filter(network_id__in=list(network_ids)).only(
            "id", "network_id", "agreement_id", "kind", "region", "library_id"):
        out[row.network_id].append(row.as_core())
    return {k: tuple(v) for k, v in out.items()}


def sites(library_ids) -> dict[int, borders.Site]:
    """Library id → where it is, as the border rules see it."""
    return {pk: borders.Site(province, country, kind == LibraryKind.NATIONAL)
            for pk, province, country, kind in Library.objects.filter(pk__in=list(library_ids)).values_list(
                "pk", "province", "country", "kind")}


def agreement_terms(agreement: Agreement, network_rules: dict[int, tuple[borders.Rule, ...]] | None = None
                    ) -> rules.Terms:
    """The rule's view of an agreement, with the border rules binding it (read here unless the caller read
    its networks' rules already with `border_rules`)."""
    if network_rules is None:
        network_rules = border_rules([agreement.network_id])
    return rules.Terms(
        id=agreement.pk,
        network_id=agreement.network_id,
        services=frozenset(rules.Service(s) for s in agreement.services),
        coverage=rules.Coverage(agreement.coverage),
        relation=rules.Relation(agreement.relation),
        starts=agreement.starts,
        ends=agreement.ends,
        parties={p.library_id: rules.PartyRole(p.role) for p in agreement.parties.all()},
        fee_per_loan=agreement.fee_per_loan,
        fee_per_page=agreement.fee_per_page,
        shipping_paid_by=rules.ShippingPayer(agreement.shipping_paid_by),
        free_loans_per_year=agreement.free_loans_per_year,
        shipping_bands=rules.shipping_bands_from(agreement.shipping_bands or []),
        borders=borders.binding(network_rules.get(agreement.network_id, ()), agreement_id=agreement.pk),
    )


def agreements_between(requester: Library, supplier: Library) -> QuerySet[Agreement]:
    """Agreements of every network that both libraries belong to (in any state)."""
    def networks_of(library):
        return set(Membership.objects.filter(library=library).values_list("network_id", flat=True))

    shared = networks_of(requester) & networks_of(supplier)
    return Agreement.objects.filter(network_id__in=shared).prefetch_related("parties")


def agreement_check(
    *, requester: Library, supplier: Library, service: str, on: date | None = None, pages: int | None = None,
    used_this_year: dict[int, int] | None = None, local_content: bool = False,
) -> rules.Decision:
    """May `requester` ask `supplier` for `service` on a day, and at what fee? (The rule is in the core.)"""
    candidates = list(agreements_between(requester, supplier))
    found = border_rules({a.network_id for a in candidates})
    return rules.may_request(
        requester=requester.pk,
        supplier=supplier.pk,
        service=rules.Service(service),
        on=on or timezone.localdate(),
        agreements=[agreement_terms(a, found) for a in candidates],
        members=admitted_members({a.network_id for a in candidates}),
        pages=pages,
        used_this_year=used_this_year,
        sites={requester.pk: requester.site, supplier.pk: supplier.site},
        local_content=local_content,
    )


def network_list() -> QuerySet[Network]:
    return Network.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__state=ms.State.ADMITTED))
    ).order_by("name")


def network_members(network: Network, states=(ms.State.ADMITTED,)) -> QuerySet[Membership]:
    return network.memberships.filter(state__in=states).select_related("library").order_by("library__name")


def network_agreements(network: Network) -> list[Agreement]:
    return list(network.agreements.prefetch_related("parties__library", "responsibilities__library"))


def library_networks(library: Library) -> QuerySet[Membership]:
    return library.memberships.select_related("network").order_by("network__name")


def map_points(libraries) -> list[dict]:
    """Libraries with coordinates, for the map and its plain (no tiles, no JavaScript) fallback."""
    points = []
    for lib in libraries:
        if lib.latitude is None or lib.longitude is None:
            continue
        x, y = geo.map_xy(lib.latitude, lib.longitude)
        points.append({
            "code": lib.code, "name": lib.name, "lat": lib.latitude, "lon": lib.longitude, "kind": lib.kind,
            "city": lib.city, "island": str(lib.island), "x": x, "y": y,
        })
    return points


def distance_between(a: Library, b: Library) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return geo.distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


def pending_applications(p: Principal) -> QuerySet[Membership]:
    qs = Membership.objects.filter(state=ms.State.APPLIED).select_related("library", "network")
    if not p.is_superuser:
        qs = qs.filter(network_id__in=p.coordinated)
    return qs.order_by("applied")


def libraries_editable_by(p: Principal) -> QuerySet[Library]:
    """The libraries p acts for (`permissions.acts_for_library`)."""
    if p.is_superuser:
        return Library.objects.all()
    return Library.objects.filter(pk__in=p.staff_of | perm.coordinated_library_ids(p))


def libraries_applying_by(p: Principal) -> QuerySet[Library]:
    """The libraries p may file an application for (`permissions.can_apply`): their own."""
    if p.is_superuser:
        return Library.objects.all()
    return Library.objects.filter(pk__in=p.staff_of)


def networks_coordinated_by(p: Principal) -> QuerySet[Network]:
    """The networks p coordinates (every network for the superuser), by name."""
    if p.is_superuser:
        return Network.objects.order_by("name")
    return Network.objects.filter(pk__in=p.coordinated).order_by("name")


def border_rules_shown(network: Network, agreement: Agreement | None = None) -> list[BorderRule]:
    """The border rules binding the network's agreements (without ``agreement``), or one agreement: the
    network's and its own."""
    qs = BorderRule.objects.filter(network=network).select_related("network", "library", "agreement")
    if agreement is None:
        return list(qs.filter(agreement__isnull=True))
    return list(qs.filter(Q(agreement__isnull=True) | Q(agreement=agreement)))
