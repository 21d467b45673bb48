"""What a library's readers can get from each other member, as the search results and a record's page say it.

For a home library, each member of a network it shares falls in one of four kinds, by the same rule a real
request's rota uses (`core.ill.fees.offer` over the agreements of the shared networks, the member's own
offer to lend or copy, the cost in all with shipping over the distance):

* ``HOME``: the reader's own library;
* ``LOAN``: an agreement lets the home library borrow from it, and it lends;
* ``COPY``: it may be asked for copies only (no agreement covers loans from it, or it does not lend);
* ``NONE``: nothing lets the home library ask it (no shared agreement, or it neither lends nor copies).

Members that may lend or copy are ordered by `core.ill.routing.reach_penalty`: nearest and cheapest first,
weighed as the rota weighs them. How many requests the home library already made under each agreement this
year (free quotas) belongs to interlibrary loan, which hands it over with `usage_source_set`; the catalogue
and the search pages read this module without knowing of interlibrary loan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jaringan.core import agreements as rules
from jaringan.core import membership as ms
from jaringan.core.ill import fees
from jaringan.core.ill.geography import Place, leg
from jaringan.core.ill.routing import reach_penalty

from .models import Agreement, Library, Membership
from .selectors import agreement_terms, border_rules

HOME, LOAN, COPY, NONE = "home", "loan", "copy", "none"
#: The kinds in the order a reader's list shows them.
ORDER = (HOME, LOAN, COPY, NONE)


@dataclass(frozen=True, slots=True)
class Route:
    """How a home library's reader can get an item held by the library ``library``."""

    library: str  # its code
    kind: str
    #: The agreement that would cover it (a loan's, else a copy's), its title, and the requester's cost in
    #: whole rupiah (a loan's; a copy's before its pages are known); None for HOME and NONE.
    agreement_id: int | None = None
    agreement: str = ""
    cost: int | None = None
    km: float | None = None
    #: Smaller first, within a kind (`reach_penalty`).
    penalty: float = 0.0
    #: Why NONE or COPY: ``no_agreement``, ``not_offered`` (the member does not lend, or lends nothing).
    why: str = ""

    @property
    def rank(self) -> tuple:
        return (ORDER.index(self.kind), self.penalty)


_usage: list[Callable[[int], Mapping[int, int]]] = []


def usage_source_set(source: Callable[[int], Mapping[int, int]]) -> None:
    """``source(library id)``: agreement id → supplies the library had under it this year."""
    _usage[:] = [source]


def _place(library: Library) -> Place:
    return Place(province=library.province, latitude=library.latitude, longitude=library.longitude)


class Reach(dict):
    """Library code → `Route` for one home library; a library it cannot ask is NONE."""

    def __init__(self, home: Library | None, routes: Iterable[Route] = ()) -> None:
        super().__init__((r.library, r) for r in routes)
        self.home = home

    def __missing__(self, code: str) -> Route:
        if self.home is not None and code == self.home.code:
            return Route(code, HOME)
        return Route(code, NONE, why="no_agreement")

    def ordered(self, codes: Iterable[str]) -> list[Route]:
        """The routes of these libraries in the order a reader's list shows them."""
        return sorted((self[c] for c in codes), key=lambda r: r.rank)


def reach_of(home: Library | None, *, on=None) -> Reach:
    """Every member of the home library's networks, and how its readers can get what that member holds (an
    empty `Reach` for no home library)."""
    if home is None:
        return Reach(None)
    networks = set(Membership.objects.filter(library=home, state__in=ms.ACTIVE_STATES)
                   .values_list("network_id", flat=True))
    if not networks:
        return Reach(home)
    members: dict[int, set[int]] = {}
    for network_id, library_id in (Membership.objects.filter(network_id__in=networks, state__in=ms.ACTIVE_STATES)
                                   .values_list("network_id", "library_id")):
        members.setdefault(network_id, set()).add(library_id)
    admitted = {n: frozenset(ids) for n, ids in members.items()}
    agreements = list(Agreement.objects.filter(network_id__in=networks).prefetch_related("parties"))
    found = border_rules(networks)  # the rules across borders bind the agreements, as in a request's rota
    terms = [agreement_terms(a, found) for a in agreements]
    titles = {a.pk: a.title for a in agreements}
    others = {i for ids in admitted.values() for i in ids} - {home.pk}
    used = _usage[0](home.pk) if _usage else {}
    day = on or timezone.localdate()
    routes = [Route(home.code, HOME)]
    for library in Library.objects.filter(pk__in=others):
        routes.append(_route(home, library, terms, admitted, titles, used, day))
    return Reach(home, routes)


def _route(home: Library, library: Library, terms, admitted, titles, used, day) -> Route:
    way = leg(_place(home), _place(library))
    offered = {rules.Service.LOAN: library.offers_loan, rules.Service.COPY: library.offers_copy}
    found = {}
    for service in (rules.Service.LOAN, rules.Service.COPY):
        if not offered[service]:
            continue
        offer = fees.offer(requester=home.pk, supplier=library.pk, service=service, on=day, agreements=terms,
                           members=admitted, km=way.km, used_this_year=used,
                           sites={home.pk: home.site, library.pk: library.site},
                           digital=service is rules.Service.COPY and "digital" in (library.delivery_methods or []))
        if offer.decision.allowed:
            found[service] = offer
    if not found:
        why = "not_offered" if not (library.offers_loan or library.offers_copy) else "no_agreement"
        return Route(library.code, NONE, km=way.km, why=why)
    service = rules.Service.LOAN if rules.Service.LOAN in found else rules.Service.COPY
    offer = found[service]
    cost = offer.quote.requester_cost
    why = "" if service is rules.Service.LOAN else ("not_offered" if not library.offers_loan else "no_agreement")
    return Route(library.code, LOAN if service is rules.Service.LOAN else COPY, offer.decision.agreement_id,
                 titles.get(offer.decision.agreement_id, ""), cost, way.km, reach_penalty(way, cost), why)


def _rupiah(amount: int) -> str:
    return "Rp " + number_format(int(amount), 0, force_grouping=True)


def route_sentence(route) -> str:
    """Why a reader can (or cannot) get an item from a holding library (`network.reach.Route`), in words."""
    if route.kind == HOME:
        return _("Your own library: ask at the desk.")
    if route.kind == LOAN and not route.cost:
        return _("Your library may borrow it from here under “%(agreement)s”, at no cost.") % {
            "agreement": route.agreement}
    if route.kind == LOAN:
        return _("Your library may borrow it from here under “%(agreement)s”, for about %(cost)s with shipping.") % {
            "agreement": route.agreement, "cost": _rupiah(route.cost)}
    if route.kind == COPY:
        why = (_("this library does not lend") if route.why == "not_offered"
               else _("no agreement covers loans from it"))
        return _("Copies only (under “%(agreement)s”): %(why)s.") % {"agreement": route.agreement, "why": why}
    if route.why == "not_offered":
        return _("This library does not lend or copy for other libraries.")
    return _("No agreement lets your library ask this library.")


def route_label(kind: str) -> str:
    """A short label of a route's kind, as a badge shows it."""
    return str({HOME: _("at your library"), LOAN: _("can be borrowed"), COPY: _("copy only")}.get(
        kind, _("not available to you")))
