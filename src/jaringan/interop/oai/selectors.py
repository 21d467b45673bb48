"""Reads behind the OAI-PMH provider: sets, the ordered list of items, datestamps.

An *item* is an edition (datestamp: ``Edition.updated``, which moves whenever
the edition or its holdings change) or a retired edition (datestamp: when it
was retired; reported as deleted). Lists are ordered by (datestamp, id) over
both, and each page starts strictly after the last (datestamp, id) sent, so a
harvest running while the catalogue changes misses nothing: an edition that
changes after it was sent moves to the end of the list and comes again.

Sets: ``library:CODE`` holds the editions a library holds; ``network:CODE``
the editions held by the network's admitted members; ``library`` and
``network`` are their parents (every edition; the editions held by any
admitted member of any network). An edition that leaves a set is no longer
listed in it. Retired editions are listed in every set: what they belonged to
is no longer known, and a harvester forgets an identifier it never had.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.catalog.models import Edition, RetiredEdition, SourceRecord
from jaringan.core.errors import NotFound
from jaringan.network.models import Library, Membership, Network

__all__ = [
    "Item",
    "NoSuchSet",
    "SetIndex",
    "count_items",
    "earliest_datestamp",
    "find_item",
    "has_sets",
    "list_items",
    "list_sets",
    "set_libraries",
]

ADMITTED = Membership.State.ADMITTED


class NoSuchSet(NotFound):
    """The set named in a request does not exist."""


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a list: an edition, or a retired one (``deleted``)."""

    datestamp: datetime
    id: int
    deleted: bool

    @property
    def key(self) -> tuple[datetime, int]:
        return self.datestamp, self.id


def list_sets() -> list[tuple[str, str]]:
    """(setSpec, setName) of every set: the two parents, each network, each library."""
    sets: list[tuple[str, str]] = []
    networks = list(Network.objects.order_by("code").values_list("code", "name"))
    libraries = list(Library.objects.order_by("code").values_list("code", "name"))
    if networks:
        sets.append(("network", _("Networks")))
        sets += [(f"network:{code}", name) for code, name in networks]
    if libraries:
        sets.append(("library", _("Libraries")))
        sets += [(f"library:{code}", name) for code, name in libraries]
    return sets


def has_sets() -> bool:
    """False only while no network and no library is registered."""
    return Network.objects.exists() or Library.objects.exists()


def set_libraries(spec: str | None) -> set[int] | None:
    """The library ids whose holdings make up a set; None for no set or ``library`` (every edition).

    Raises :class:`NoSuchSet` for a set that does not exist.
    """
    if spec in (None, "library"):
        return None
    kind, _, code = spec.partition(":")
    if kind == "network" and not code:
        return set(Membership.objects.filter(state=ADMITTED).values_list("library_id", flat=True))
    if kind == "network" and ":" not in code:
        network = Network.objects.filter(code=code).first()
        if network is None:
            raise NoSuchSet(spec)
        return set(Membership.objects.filter(network=network, state=ADMITTED).values_list("library_id", flat=True))
    if kind == "library" and code and ":" not in code:
        library = Library.objects.filter(code=code).values_list("pk", flat=True).first()
        if library is None:
            raise NoSuchSet(spec)
        return {library}
    raise NoSuchSet(spec)


def _editions(libraries: set[int] | None, from_: datetime | None, until: datetime | None):
    qs = Edition.objects.all()
    if libraries is not None:
        qs = qs.filter(Exists(SourceRecord.objects.filter(edition=OuterRef("pk"), withdrawn=False,
                                                          library_id__in=libraries)))
    if from_ is not None:
        qs = qs.filter(updated__gte=from_)
    if until is not None:
        qs = qs.filter(updated__lt=until)
    return qs


def _retired(from_: datetime | None, until: datetime | None):
    qs = RetiredEdition.objects.all()
    if from_ is not None:
        qs = qs.filter(retired__gte=from_)
    if until is not None:
        qs = qs.filter(retired__lt=until)
    return qs


def list_items(*, libraries: set[int] | None, from_: datetime | None, until: datetime | None,
               after: tuple[datetime, int] | None, limit: int) -> list[Item]:
    """Up to ``limit`` items in (datestamp, id) order, strictly after ``after``."""
    editions = _editions(libraries, from_, until)
    retired = _retired(from_, until)
    if after is not None:
        stamp, last = after
        editions = editions.filter(Q(updated__gt=stamp) | Q(updated=stamp, pk__gt=last))
        retired = retired.filter(Q(retired__gt=stamp) | Q(retired=stamp, edition_id__gt=last))
    live = [Item(d, i, False) for d, i in editions.order_by("updated", "pk").values_list("updated", "pk")[:limit]]
    gone = [Item(d, i, True)
            for d, i in retired.order_by("retired", "edition_id").values_list("retired", "edition_id")[:limit]]
    return sorted(live + gone, key=lambda item: item.key)[:limit]


def count_items(*, libraries: set[int] | None, from_: datetime | None, until: datetime | None) -> int:
    return _editions(libraries, from_, until).count() + _retired(from_, until).count()


def find_item(edition_id: int) -> Item | None:
    """The edition or its tombstone; None when no edition ever had this id."""
    found = Edition.objects.filter(pk=edition_id).values_list("updated", flat=True).first()
    if found is not None:
        return Item(found, edition_id, False)
    retired = RetiredEdition.objects.filter(edition_id=edition_id).values_list("retired", flat=True).first()
    return Item(retired, edition_id, True) if retired is not None else None


def earliest_datestamp() -> datetime:
    """The oldest datestamp in the repository (now, when it is empty)."""
    stamps = [Edition.objects.aggregate(m=Min("updated"))["m"], RetiredEdition.objects.aggregate(m=Min("retired"))["m"]]
    stamps = [s for s in stamps if s is not None]
    return min(stamps) if stamps else timezone.now()


class SetIndex:
    """The setSpecs of editions' headers: libraries and networks are read once per response."""

    def __init__(self) -> None:
        self.codes = dict(Library.objects.values_list("pk", "code"))
        self.networks: dict[int, list[str]] = {}
        for library_id, code in (Membership.objects.filter(state=ADMITTED)
                                 .values_list("library_id", "network__code")):
            self.networks.setdefault(library_id, []).append(code)

    def specs(self, edition_ids: list[int]) -> dict[int, list[str]]:
        """edition id → its setSpecs (``library:CODE`` then ``network:CODE``, each sorted)."""
        holders: dict[int, set[int]] = {}
        for edition_id, library_id in (SourceRecord.objects.filter(edition_id__in=edition_ids, withdrawn=False)
                                       .values_list("edition_id", "library_id")):
            holders.setdefault(edition_id, set()).add(library_id)
        out = {}
        for edition_id in edition_ids:
            libraries = holders.get(edition_id, set())
            codes = sorted(f"library:{self.codes[i]}" for i in libraries if i in self.codes)
            networks = sorted({f"network:{n}" for i in libraries for n in self.networks.get(i, ())})
            out[edition_id] = codes + networks
        return out
