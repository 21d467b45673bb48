from jaringan.core import geo


def test_38_provinces_each_on_one_island_group():
    assert len(geo.PROVINCES) == 38
    assert {geo.island_of(p) for p in geo.PROVINCES} == set(geo.Island) - {geo.Island.ABROAD}
    assert geo.island_of("Maluku Utara") is geo.Island.MALUKU
    assert geo.island_of("Selangor") is geo.Island.ABROAD


def test_distances_across_the_archipelago():
    jakarta, jayapura = (-6.1754, 106.8272), (-2.5337, 140.7181)
    # Jakarta to Jayapura is about 3,780 km as the crow flies.
    assert 3700 < geo.distance_km(*jakarta, *jayapura) < 3850
    assert geo.distance_km(*jakarta, *jakarta) == 0
    assert geo.valid_coordinates(-6.2, 106.8) and not geo.valid_coordinates(-95, 0)
