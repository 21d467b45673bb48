"""A small demo catalogue: the demo network with the first 300 of its real records spread over the
libraries as the demo spreads them, the demo's interlibrary loans, and the analysis counts built."""

from __future__ import annotations

import pytest

DEMO_RECORDS = 150


@pytest.fixture
def catalogue(demo_network):
    from jaringan.analysis import services
    from jaringan.demo.catalogue import load_catalogue

    load_catalogue(limit=DEMO_RECORDS)
    services.profiles_refresh()
    return demo_network


def brute_force(library_ids):
    """Overlap figures counted the slow, obvious way: edition by edition from the member records."""
    from itertools import combinations

    from jaringan.catalog.models import SourceRecord

    holders: dict[int, set[int]] = {}
    for edition_id, library_id in SourceRecord.objects.filter(withdrawn=False, edition__isnull=False).values_list(
            "edition_id", "library_id"):
        holders.setdefault(edition_id, set()).add(library_id)
    group = set(library_ids)
    n = len(group)
    out = {"total": 0, "one": 0, "few": 0, "many": 0, "all": 0,
           "held": dict.fromkeys(library_ids, 0), "unique": dict.fromkeys(library_ids, 0),
           "pairs": {}}
    for libs in holders.values():
        inside = libs & group
        k = len(inside)
        if not k:
            continue
        out["total"] += 1
        if k == n:
            out["all"] += 1
        elif k == 1:
            out["one"] += 1
        elif k <= 5:
            out["few"] += 1
        else:
            out["many"] += 1
        for lib in inside:
            out["held"][lib] += 1
            if k == 1:
                out["unique"][lib] += 1
        for a, b in combinations(sorted(inside), 2):
            out["pairs"][(a, b)] = out["pairs"].get((a, b), 0) + 1
    return out, holders
