"""Rules across borders: who may lend to whom beyond membership.

Politics and jurisdiction draw lines that membership alone does not: a
provincial network lends only within its province, public money may not send
a book across a national border, local content (*koleksi muatan lokal*) never
leaves its region, and the national library is asked only when no one else
can supply. A network, or one of its agreements, states such rules as data:
a small set of kinds, each with its parameters.

============================  ==========================================================
kind                          what it says
============================  ==========================================================
same_province                 both libraries lie in the same province (and country)
same_country                  both libraries lie in the same country
local_content_stays_in_region an item of a local-content collection is lent only to a
                              library of the same region (province, island group or
                              country, the rule's ``region``); a copy is not the item
                              and is not held back
last_resort                   the library the rule names (or, naming none, every
                              national library) is asked only after all the others
============================  ==========================================================

The rules that bind a request under an agreement are the network's own and the
agreement's own (``Terms.borders``). The first three refuse: ``refusal`` gives
the reason, which the agreement rule (`core.agreements.why_not`) reports as
that agreement's refusal, so the rota, the agreement check and the host desk
say it as they say every other refusal. The last orders: ``is_last_resort``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from jaringan.core.errors import Invalid
from jaringan.core.geo import island_of


class Kind(StrEnum):
    SAME_PROVINCE = "same_province"
    SAME_COUNTRY = "same_country"
    LOCAL_CONTENT_STAYS = "local_content_stays_in_region"
    LAST_RESORT = "last_resort"


class Region(StrEnum):
    """How far local content may travel under ``local_content_stays_in_region``."""

    PROVINCE = "province"
    ISLAND = "island"  # the island group of `core.geo` (Sumatra, Java, Sulawesi, ...)
    COUNTRY = "country"


#: The country a library lies in when nothing else is said (ISO 3166-1 alpha-2).
HOME_COUNTRY = "ID"

# Reasons an agreement's border rules refuse a request (message ids for the edge).
OUTSIDE_PROVINCE = "border_outside_province"
ACROSS_COUNTRY = "border_across_country"
LOCAL_CONTENT = "border_local_content"
PLACE_UNKNOWN = "border_place_unknown"
REFUSALS = (OUTSIDE_PROVINCE, ACROSS_COUNTRY, LOCAL_CONTENT, PLACE_UNKNOWN)

#: The order rules are tried in, so a request refused by two rules always gives the same reason.
_ORDER = {Kind.SAME_COUNTRY: 0, Kind.SAME_PROVINCE: 1, Kind.LOCAL_CONTENT_STAYS: 2, Kind.LAST_RESORT: 3}


@dataclass(frozen=True, slots=True)
class Rule:
    kind: Kind
    #: For ``local_content_stays_in_region``: how far local content may go.
    region: Region = Region.PROVINCE
    #: For ``last_resort``: the library asked last; None means every national library.
    library_id: int | None = None
    #: The agreement the rule belongs to; None for a rule of the whole network.
    agreement_id: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Site:
    """Where a library is, as the rules see it."""

    province: str
    country: str = HOME_COUNTRY
    national: bool = False


class BadRule(Invalid):
    """A rule that cannot be stated: an unknown kind or region, a last resort without a library it names."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", errors={field: [message]})
        self.field = field


def checked(kind: str, *, region: str | None = None, library_id: int | None = None,
            agreement_id: int | None = None, id: int | None = None) -> Rule:
    """A rule from plain values, or ``BadRule`` naming the field at fault.

    Only ``local_content_stays_in_region`` takes a region (the province when
    none is given); only ``last_resort`` takes a library.
    """
    try:
        kind = Kind(kind)
    except ValueError:
        raise BadRule("kind", f"{kind!r} is not one of {', '.join(k.value for k in Kind)}") from None
    if kind is Kind.LOCAL_CONTENT_STAYS:
        try:
            region = Region(region or Region.PROVINCE)
        except ValueError:
            raise BadRule("region", f"{region!r} is not one of {', '.join(r.value for r in Region)}") from None
    elif region:
        raise BadRule("region", f"a {kind.value} rule takes no region")
    else:
        region = Region.PROVINCE
    if library_id is not None and kind is not Kind.LAST_RESORT:
        raise BadRule("library", f"a {kind.value} rule names no library")
    return Rule(kind, region, library_id, agreement_id, id)


def region_of(site: Site, region: Region) -> tuple[str, str] | None:
    """The region a library lies in (None when its province is not known)."""
    if region is Region.COUNTRY:
        return (site.country, "")
    if not site.province:
        return None
    if region is Region.ISLAND:
        return (site.country, str(island_of(site.province)))
    return (site.country, site.province)


def _refuses(rule: Rule, requester: Site, supplier: Site) -> str | None:
    if rule.kind is Kind.SAME_COUNTRY:
        return ACROSS_COUNTRY if requester.country != supplier.country else None
    region = Region.PROVINCE if rule.kind is Kind.SAME_PROVINCE else rule.region
    here, there = region_of(requester, region), region_of(supplier, region)
    if here is None or there is None:
        return PLACE_UNKNOWN
    if here != there:
        return OUTSIDE_PROVINCE if rule.kind is Kind.SAME_PROVINCE else LOCAL_CONTENT
    return None


def refusal(rules: Iterable[Rule], *, requester: Site | None, supplier: Site | None,
            local_content: bool = False) -> str | None:
    """Why these rules do not let ``supplier`` lend to ``requester``, or None when they do.

    ``local_content``: what is asked is an item of the supplier's local-content collections (the
    ``local_content_stays_in_region`` rules count only then). A rule that needs a place nobody
    recorded refuses (``PLACE_UNKNOWN``): a border is not crossed by not knowing where it is.
    """
    binding = sorted((r for r in rules if r.kind is not Kind.LAST_RESORT
                      and (local_content or r.kind is not Kind.LOCAL_CONTENT_STAYS)),
                     key=lambda r: (_ORDER[r.kind], r.region, r.id or 0))
    if not binding:
        return None
    if requester is None or supplier is None:
        return PLACE_UNKNOWN
    for rule in binding:
        reason = _refuses(rule, requester, supplier)
        if reason:
            return reason
    return None


def is_last_resort(rules: Iterable[Rule], library_id: int, site: Site | None) -> bool:
    """Whether these rules make ``library_id`` the last resort (asked after every other lender)."""
    for rule in rules:
        if rule.kind is not Kind.LAST_RESORT:
            continue
        if rule.library_id == library_id or (rule.library_id is None and site is not None and site.national):
            return True
    return False


def binding(rules: Iterable[Rule], *, agreement_id: int) -> tuple[Rule, ...]:
    """The rules that bind requests under one agreement: the network's own and the agreement's own."""
    return tuple(r for r in rules if r.agreement_id is None or r.agreement_id == agreement_id)
