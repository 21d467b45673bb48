"""The offline base map in the package is what tools/basemap.py makes of Natural Earth's land
polygons (in ../shared/fixtures/geo/), and the plain map's dots fall on land."""

from __future__ import annotations

import importlib.util
import re

from tests.paths import REPO


def _tool():
    spec = importlib.util.spec_from_file_location("basemap", REPO / "tools" / "basemap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_packaged_base_map_is_made_from_the_source_data():
    from tests.paths import FIXTURES

    tool = _tool()
    assert tool.main([str(FIXTURES / "geo" / "ne_50m_land_indonesia_region.geojson"), "--check"]) == 0


def test_the_base_map_is_light_and_in_the_plain_maps_frame():
    svg = (REPO / "src" / "jaringan" / "static" / "jaringan" / "basemap.svg").read_text(encoding="utf-8")
    assert len(svg.encode()) < 40_000
    assert 'viewBox="0 0 480 180"' in svg
    rings = re.findall(r"M[^Z]+Z", svg)
    assert len(rings) > 50  # the archipelago, not a box


def test_library_positions_land_in_the_frame():
    from jaringan.core.geo import map_xy

    assert map_xy(-3.69, 128.18) == (341.8, 101.9)  # Ambon
    assert map_xy(10.0, 150.0) == (480.0, 0.0)  # clamped to the frame
