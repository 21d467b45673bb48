"""How far a parcel travels between two libraries: kilometres and sea crossings.

Indonesia is an archipelago: a parcel from Medan to Jayapura crosses several
seas, and each crossing adds days and cost beyond what the distance says. The
island groups of `jaringan.core.geo` are joined by the main sea routes
(ferries and the national shipping lines); the number of crossings between
two groups is the fewest hops on that graph. Within one group, two provinces
of which one lies on islands of its own (Bali and Nusa Tenggara, Maluku,
Kepulauan Riau, Bangka Belitung, Papua's west) count one crossing.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import lru_cache

from jaringan.core.geo import Island, distance_km, island_of

#: The main sea routes between island groups (both ways).
SEA_ROUTES: tuple[tuple[Island, Island], ...] = (
    (Island.SUMATRA, Island.JAVA),  # Sunda Strait
    (Island.JAVA, Island.BALI_NUSA_TENGGARA),  # Bali Strait
    (Island.JAVA, Island.KALIMANTAN),  # Java Sea
    (Island.JAVA, Island.SULAWESI),  # Surabaya–Makassar
    (Island.KALIMANTAN, Island.SULAWESI),  # Makassar Strait
    (Island.BALI_NUSA_TENGGARA, Island.SULAWESI),  # Flores Sea
    (Island.SULAWESI, Island.MALUKU),  # Banda and Molucca Seas
    (Island.MALUKU, Island.PAPUA),  # Seram Sea
)

#: Crossings from anywhere in Indonesia to a library abroad (or of unknown province).
ABROAD_CROSSINGS = 2

#: Provinces that lie on islands apart from the rest of their group.
ISLAND_PROVINCES: frozenset[str] = frozenset({
    "Kepulauan Riau", "Kepulauan Bangka Belitung",
    "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur",
    "Maluku", "Maluku Utara",
    "Papua Barat",
})


@dataclass(frozen=True, slots=True)
class Place:
    """Where a library is: its province (for islands) and, if known, its coordinates."""

    province: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class Leg:
    """The way between two places: great-circle kilometres (None if a coordinate is missing) and sea crossings."""

    km: float | None
    crossings: int


@lru_cache(maxsize=None)
def _hops(a: Island, b: Island) -> int:
    if a is b:
        return 0
    if Island.ABROAD in (a, b):
        return ABROAD_CROSSINGS
    seen = {a}
    queue = deque([(a, 0)])
    while queue:
        here, n = queue.popleft()
        for x, y in SEA_ROUTES:
            nxt = y if x is here else x if y is here else None
            if nxt is None or nxt in seen:
                continue
            if nxt is b:
                return n + 1
            seen.add(nxt)
            queue.append((nxt, n + 1))
    return ABROAD_CROSSINGS  # unreachable with the routes above; kept total


@lru_cache(maxsize=4096)
def sea_crossings(province_a: str, province_b: str) -> int:
    """Sea crossings a parcel makes between two provinces."""
    a, b = island_of(province_a), island_of(province_b)
    if a is not b:
        return _hops(a, b)
    if a is Island.ABROAD:
        return 0 if province_a == province_b else ABROAD_CROSSINGS
    if province_a != province_b and (province_a in ISLAND_PROVINCES or province_b in ISLAND_PROVINCES):
        return 1
    return 0


def leg(a: Place, b: Place) -> Leg:
    """Distance and sea crossings from `a` to `b`."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        km = None
    else:
        km = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
    return Leg(km, sea_crossings(a.province, b.province))
