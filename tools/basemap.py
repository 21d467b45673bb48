"""Make the offline base map the pages draw under their library dots: ``src/jaringan/static/jaringan/basemap.svg``.

    python tools/basemap.py [GEOJSON] [--check]

Reads Natural Earth's 1:50m land polygons for the region (public domain; ``../shared/fixtures/geo/
ne_50m_land_indonesia_region.geojson`` by default), clips them to the plain map's frame (Sabang to
Merauke, ``jaringan.core.geo.MAP_*``), simplifies each coastline (Douglas–Peucker through shapely, a
tolerance of a fortieth of a degree, about 2.8 km) and writes one SVG path in map units. Islands smaller than
:data:`MIN_AREA` square degrees after clipping are left out. ``--check`` writes nothing and exits 1
when the file in the package differs from what the source gives.

The map ships with the package, so a hub with no internet (and no map tiles) still shows where its
libraries are; it is a derivative of the source data and may be regenerated from it at any time.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from shapely.geometry import box, shape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from jaringan.core.geo import MAP_EAST, MAP_NORTH, MAP_SCALE, MAP_SOUTH, MAP_WEST  # noqa: E402

SOURCE = REPO.parent / "shared" / "fixtures" / "geo" / "ne_50m_land_indonesia_region.geojson"
OUTPUT = REPO / "src" / "jaringan" / "static" / "jaringan" / "basemap.svg"
#: Douglas–Peucker tolerance, in degrees.
TOLERANCE = 0.025
#: Smallest island kept, in square degrees (about 60 km² at the equator).
MIN_AREA = 0.005
LAND, SEA = "#e9eadf", "#dbe8f3"


def _tenths(lon: float, lat: float) -> tuple[int, int]:
    """A point in tenths of a map unit (the map's precision, about 0.75 km)."""
    return round((lon - MAP_WEST) * MAP_SCALE * 10), round((MAP_NORTH - lat) * MAP_SCALE * 10)


def _num(tenths: int) -> str:
    """``12.5``, ``.5``, ``-.5``, ``3``: a number in SVG's shortest spelling."""
    return re.sub(r"^(-?)0\.", r"\1.", f"{tenths / 10:g}")


def _numbers(values: list[int]) -> str:
    """Numbers of a path, each separated from the one before only where SVG needs it: not before a minus, nor
    before a point when the one before has its own."""
    out = ""
    for value in values:
        text = _num(value)
        if out and not text.startswith("-") and not (text.startswith(".") and "." in last):
            out += " "
        out += text
        last = text
    return out


def _ring(coords) -> str:
    """One ring: its first point absolute (``M``), each next one relative to the one before (``l``): the same
    outline as absolute points in tenths, in about half the bytes."""
    points = [_tenths(lon, lat) for lon, lat in list(coords)[:-1]]  # the closing point repeats the first
    moves = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if (x1, y1) != (x0, y0):
            moves += [x1 - x0, y1 - y0]
    return "M" + _numbers(list(points[0])) + ("l" + _numbers(moves) if moves else "") + "Z"


def land_path(geojson: dict) -> str:
    """The SVG path data of the land within the frame, simplified."""
    frame = box(MAP_WEST, MAP_SOUTH, MAP_EAST, MAP_NORTH)
    rings = []
    for feature in geojson["features"]:
        clipped = shape(feature["geometry"]).intersection(frame)
        for polygon in getattr(clipped, "geoms", [clipped]):
            if polygon.geom_type != "Polygon" or polygon.area < MIN_AREA:
                continue
            simple = polygon.simplify(TOLERANCE, preserve_topology=True)
            if simple.is_empty or simple.geom_type != "Polygon":
                continue
            rings.append(_ring(simple.exterior.coords))
            rings.extend(_ring(hole.coords) for hole in simple.interiors)
    return "".join(rings)


def basemap_svg(geojson: dict) -> str:
    width, height = (MAP_EAST - MAP_WEST) * MAP_SCALE, (MAP_NORTH - MAP_SOUTH) * MAP_SCALE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'height="{height:g}">\n'
        "<!-- Land: Natural Earth 1:50m land polygons (public domain, naturalearthdata.com), clipped and "
        "simplified by tools/basemap.py. -->\n"
        f'<rect width="{width:g}" height="{height:g}" fill="{SEA}"/>\n'
        f'<path fill="{LAND}" stroke="#b9bba8" stroke-width=".3" fill-rule="evenodd" d="{land_path(geojson)}"/>\n'
        "</svg>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE)
    parser.add_argument("--check", action="store_true", help="compare with the packaged file, write nothing")
    args = parser.parse_args(argv)
    svg = basemap_svg(json.loads(args.source.read_text(encoding="utf-8")))
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == svg
        print("the packaged base map is up to date" if same else f"{OUTPUT} differs from {args.source}")
        return 0 if same else 1
    OUTPUT.write_text(svg, encoding="utf-8")
    print(f"{OUTPUT.relative_to(REPO)}: {len(svg.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
