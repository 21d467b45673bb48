"""Geography of the archipelago: provinces, their island groups, and distances.

The 38 provinces of Indonesia are spelled as the government spells them. Each
belongs to one island group; interlibrary loan weighs distance and sea crossings
between groups, so the group is derived from the province, never typed twice.
"""

from __future__ import annotations

import math
from enum import StrEnum


class Island(StrEnum):
    """The island groups lender routing reasons about."""

    SUMATRA = "sumatra"
    JAVA = "java"
    KALIMANTAN = "kalimantan"
    SULAWESI = "sulawesi"
    BALI_NUSA_TENGGARA = "bali_nusa_tenggara"
    MALUKU = "maluku"
    PAPUA = "papua"
    ABROAD = "abroad"


PROVINCE_ISLAND: dict[str, Island] = {
    "Aceh": Island.SUMATRA,
    "Sumatera Utara": Island.SUMATRA,
    "Sumatera Barat": Island.SUMATRA,
    "Riau": Island.SUMATRA,
    "Kepulauan Riau": Island.SUMATRA,
    "Jambi": Island.SUMATRA,
    "Sumatera Selatan": Island.SUMATRA,
    "Kepulauan Bangka Belitung": Island.SUMATRA,
    "Bengkulu": Island.SUMATRA,
    "Lampung": Island.SUMATRA,
    "DKI Jakarta": Island.JAVA,
    "Jawa Barat": Island.JAVA,
    "Banten": Island.JAVA,
    "Jawa Tengah": Island.JAVA,
    "DI Yogyakarta": Island.JAVA,
    "Jawa Timur": Island.JAVA,
    "Bali": Island.BALI_NUSA_TENGGARA,
    "Nusa Tenggara Barat": Island.BALI_NUSA_TENGGARA,
    "Nusa Tenggara Timur": Island.BALI_NUSA_TENGGARA,
    "Kalimantan Barat": Island.KALIMANTAN,
    "Kalimantan Tengah": Island.KALIMANTAN,
    "Kalimantan Selatan": Island.KALIMANTAN,
    "Kalimantan Timur": Island.KALIMANTAN,
    "Kalimantan Utara": Island.KALIMANTAN,
    "Sulawesi Utara": Island.SULAWESI,
    "Gorontalo": Island.SULAWESI,
    "Sulawesi Tengah": Island.SULAWESI,
    "Sulawesi Barat": Island.SULAWESI,
    "Sulawesi Selatan": Island.SULAWESI,
    "Sulawesi Tenggara": Island.SULAWESI,
    "Maluku": Island.MALUKU,
    "Maluku Utara": Island.MALUKU,
    "Papua": Island.PAPUA,
    "Papua Barat": Island.PAPUA,
    "Papua Barat Daya": Island.PAPUA,
    "Papua Tengah": Island.PAPUA,
    "Papua Pegunungan": Island.PAPUA,
    "Papua Selatan": Island.PAPUA,
}

PROVINCES: tuple[str, ...] = tuple(PROVINCE_ISLAND)

#: A province field left empty or naming a place outside Indonesia.
OUTSIDE_INDONESIA = ""

EARTH_RADIUS_KM = 6371.0088


def island_of(province: str) -> Island:
    """The island group of a province; `Island.ABROAD` for anything else."""
    return PROVINCE_ISLAND.get(province, Island.ABROAD)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def valid_coordinates(latitude: float, longitude: float) -> bool:
    """Whether a latitude/longitude pair is on the globe."""
    return -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0


#: The plain map's frame: Indonesia from Sabang to Merauke, ``MAP_SCALE`` units a degree (the base map
#: in ``static/jaringan/basemap.svg`` is drawn in the same frame).
MAP_WEST, MAP_EAST, MAP_NORTH, MAP_SOUTH = 94.0, 142.0, 6.5, -11.5
MAP_SCALE = 10


def map_xy(latitude: float, longitude: float) -> tuple[float, float]:
    """A position on the plain map (x east, y south, in map units), clamped to its frame."""
    x = (min(max(longitude, MAP_WEST), MAP_EAST) - MAP_WEST) * MAP_SCALE
    y = (MAP_NORTH - min(max(latitude, MAP_SOUTH), MAP_NORTH)) * MAP_SCALE
    return round(x, 1), round(y, 1)
