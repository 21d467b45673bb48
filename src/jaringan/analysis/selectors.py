"""Reads of collection analysis: overlap of a group, last copies, subject strengths, the division of
labour against holdings. Every figure comes from the counts kept by `services.profiles_refresh`."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from jaringan.catalog.models import Edition
from jaringan.core import membership as ms
from jaringan.core.analysis import overlap as ov
from jaringan.network.models import Library, Membership, Network, Responsibility

from . import services
from .models import AnalysisState, EditionProfile, HoldingCount, RetentionCommitment

#: The dimensions a group's figures are split by.
SPLITS = ("ddc", "lcc", "udc", "decade", "language")
#: "Recent" in a subject profile: published in the decade this many years before this one, or since.
RECENT_YEARS = 10

_cache_lock = threading.Lock()
_cells: dict[str, tuple[tuple, ov.Cube]] = {}


@dataclass
class Freshness:
    """How current the figures are: when last refreshed, and editions still waiting."""

    refreshed: object
    waiting: int


def current() -> Freshness:
    """Bring the counts up to date when little is queued; say how current they are."""
    waiting = services.pending()
    if 0 < waiting <= services.REFRESH_INLINE:
        services.profiles_refresh()
        waiting = services.pending()
    found = AnalysisState.objects.order_by("pk").first()
    return Freshness(refreshed=found.refreshed if found else None, waiting=waiting)


def _version() -> tuple:
    """What the counts are: the state row, its version and the time of the last refresh (a database made
    again starts its versions again, its refresh times do not)."""
    return AnalysisState.objects.order_by("pk").values_list("pk", "version", "refreshed").first() or ()


def cells(dimension: str) -> ov.Cube:
    """The cells of one dimension, kept in this process until the counts change."""
    from django.db import connection

    version = _version()
    held = _cells.get(dimension)
    if held and held[0] == version:
        return held[1]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT holders, value, editions FROM {HoldingCount._meta.db_table} WHERE dimension = %s",
                       [dimension])
        cube = ov.Cube(cursor.fetchall())
    with _cache_lock:
        _cells[dimension] = (version, cube)
    return cube


def network_group(network: Network) -> list[Library]:
    """A network's admitted members, by name."""
    return list(Library.objects.filter(memberships__network=network, memberships__state__in=ms.ACTIVE_STATES)
                .order_by("name"))


@dataclass
class GroupFigures:
    members: list[Library]
    editions: ov.Overlap
    works: ov.Overlap


def group_figures(members: list[Library], *, matrix: bool = True) -> GroupFigures:
    ids = [m.pk for m in members]
    return GroupFigures(members=members, editions=ov.overlap(cells("all"), ids, matrix=matrix),
                        works=ov.overlap(cells("work"), ids, matrix=False))


def group_split(members: list[Library], dimension: str, *, rest: bool = True) -> list[ov.Split]:
    """The group's figures per value of a dimension (subjects by main class), and with `rest` a last row
    (value "") for the editions with no value in it."""
    ids = [m.pk for m in members]
    rows = ov.split(cells(dimension), ids)
    if not rest:
        return rows
    remaining = ov.remainder(ov.overlap(cells("all"), ids, matrix=False), rows)
    return rows + [remaining] if remaining.total else rows


def last_copies(members: list[Library], *, holder: Library | None = None, limit: int | None = 100,
                offset: int = 0) -> tuple[int, list[dict]]:
    """Editions exactly one member of the group holds (that member `holder`, if given): the count and a page
    of them (edition, title, year, the holder)."""
    ids = [m.pk for m in members]
    patterns = ov.patterns_with(cells("all"), ids, member=holder.pk if holder else None)
    texts = sorted(patterns)
    by_id = {m.pk: m for m in members}
    total = 0
    chosen: list[tuple[int, str]] = []
    for start in range(0, len(texts), 500):
        part = texts[start:start + 500]
        qs = EditionProfile.objects.filter(holders__in=part)
        total += qs.count()
    if limit is None or limit > 0:
        qs = EditionProfile.objects.filter(holders__in=texts).order_by("edition_id")
        if len(texts) > 500:  # many patterns: filter in Python, in edition order
            wanted = set(texts)
            qs = EditionProfile.objects.order_by("edition_id").only("edition_id", "holders")
            rows = (p for p in qs.iterator(chunk_size=5_000) if p.holders in wanted)
        else:
            rows = qs.only("edition_id", "holders").iterator(chunk_size=5_000)
        skipped = 0
        for p in rows:
            if skipped < offset:
                skipped += 1
                continue
            chosen.append((p.edition_id, p.holders))
            if limit is not None and len(chosen) >= limit:
                break
    editions = Edition.objects.in_bulk([e for e, _h in chosen])
    out = []
    for edition_id, holders in chosen:
        holder_id = next(x for x in ov.parse_holders(holders) if x in by_id)
        edition = editions.get(edition_id)
        out.append({"edition_id": edition_id, "title": edition.title if edition else "",
                    "year": edition.year if edition else None, "holder": by_id[holder_id]})
    return total, out


def subject_profile(members: list[Library], member: Library, scheme: str) -> list[ov.Strength]:
    """One member's strength per main class of `scheme` within the group."""
    ids = [m.pk for m in members]
    subjects = group_split(members, scheme, rest=False)
    recent = ov.recent_counts(cells(f"{scheme}_decade"), member.pk, recent_since())
    return ov.strengths(subjects, ids.index(member.pk), recent)


def recent_since() -> int:
    """The first year "recent" titles are from: the decade `RECENT_YEARS` before this one."""
    return timezone.localdate().year // 10 * 10 - RECENT_YEARS


@dataclass
class Duty:
    """A responsibility of an agreement beside what the group holds in its class range."""

    responsibility: Responsibility
    titles: int
    held: int
    unique: int

    @property
    def share(self) -> float:
        return self.held / self.titles if self.titles else 0.0


def _in_range(r: Responsibility):
    from jaringan.core import agreements as rules

    if r.scheme == "DDC":
        low, high = (float(rules.class_key("DDC", r.start)[0]), float(rules.class_key("DDC", r.end)[0]))
        return EditionProfile.objects.filter(ddc__gte=low, ddc__lte=high)
    if r.scheme == "UDC":
        start = "".join(ch for ch in r.start if ch.isdigit())
        end = "".join(ch for ch in r.end if ch.isdigit())
        return EditionProfile.objects.filter(udc__gte=start, udc__lte=end + "9" * (40 - len(end)))
    (a, a_num), (b, b_num) = rules.class_key("LCC", r.start), rules.class_key("LCC", r.end)
    qs = EditionProfile.objects.filter(lcc__gte=a, lcc__lte=b)
    rows = []
    for letters, number, holders, n in qs.values_list("lcc", "lcc_number", "holders").annotate(n=Count("pk")):
        key = (letters, float(number) if number is not None else 0.0)
        if (a, float(a_num)) <= key <= (b, float(b_num)):
            rows.append((holders, n))
    return rows


def division_of_labour(network: Network, members: list[Library]) -> list[Duty]:
    """Each member's assigned class ranges (the network's agreements) against what the group holds there."""
    ids = {m.pk for m in members}
    out = []
    for r in Responsibility.objects.filter(agreement__network=network).select_related("library", "agreement"):
        found = _in_range(r)
        if not isinstance(found, list):
            found = list(found.values_list("holders").annotate(n=Count("pk")))
        titles = held = unique = 0
        for holders, n in found:
            inside = ids.intersection(ov.parse_holders(holders))
            if not inside:
                continue
            titles += n
            if r.library_id in inside:
                held += n
                unique += n if len(inside) == 1 else 0
        out.append(Duty(r, titles, held, unique))
    return out


def networks_of(library: Library) -> list[Network]:
    return list(Network.objects.filter(memberships__library=library, memberships__state__in=ms.ACTIVE_STATES)
                .order_by("name"))


def admitted(network: Network, library: Library) -> bool:
    return Membership.objects.filter(network=network, library=library, state__in=ms.ACTIVE_STATES).exists()


def choosable(p) -> set[int]:
    """Libraries a person may put in a hand-picked group."""
    from jaringan.network import permissions as perm

    if p.is_superuser:
        return set(Library.objects.values_list("pk", flat=True))
    return perm.coordinated_library_ids(p)


def busiest_scheme() -> str:
    """The classification scheme most editions carry a number of (what subject pages show first)."""
    counts = {scheme: int(cells(scheme).counts.sum()) for scheme in ("ddc", "lcc", "udc")}
    return max(("ddc", "lcc", "udc"), key=lambda s: (counts[s], s == "ddc"))


@functools.cache
def _edition_commitments_query(vendor: str) -> str:
    qn = connection.ops.quote_name
    meta = RetentionCommitment._meta
    library, edition, until = (qn(meta.get_field(name).column) for name in ("library", "edition", "until"))
    return f"SELECT {library}, {until} FROM {qn(meta.db_table)} WHERE {edition} = %s ORDER BY {library}"


def edition_commitments(edition_id: int) -> list[tuple[int, int]]:
    """(library id, until) of each commitment to keep a copy of the edition, by library id: as
    ``RetentionCommitment.objects.filter(edition_id=...).values_list("library_id", "until")`` reads them, in
    SQL written once a process (building that query cost more than running it, on every edition's page)."""
    with connection.cursor() as cursor:
        cursor.execute(_edition_commitments_query(connection.vendor), [edition_id])
        return [tuple(row) for row in cursor.fetchall()]


def commitment_get(library: Library, pk) -> RetentionCommitment | None:
    """One of the library's retention commitments (with its edition), if it made one with this id."""
    return RetentionCommitment.objects.select_related("edition", "library").filter(library=library, pk=pk).first()


def library_commitments(library: Library):
    """The library's retention commitments, the soonest to end first."""
    return RetentionCommitment.objects.filter(library=library).select_related("edition").order_by("until",
                                                                                                  "edition__title")


def withdrawals_asked(library: Library):
    """The library's committed copies that one of its files, harvests or pushes said are gone: kept until its
    staff confirm or refuse, the oldest request first."""
    return (RetentionCommitment.objects.filter(library=library, withdrawal_asked__isnull=False)
            .select_related("edition", "withdrawal_batch").order_by("withdrawal_asked", "pk"))
