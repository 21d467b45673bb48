"""A small union catalogue of real records for the protocol tests.

Three libraries in two networks hold 120 real LoC Indonesian records:

* ``PNRI`` (national library) holds records 0–79;
* ``ITB`` holds its own copies of records 40–99 (40–79 merge with PNRI's);
* ``UNPATTI`` holds its own copies of records 100–119;
* network ``JABAR``: PNRI and ITB admitted; network ``TIMUR``: UNPATTI admitted, ITB only applied.

Then UNPATTI withdraws record 100 (its edition is retired: a deleted record)
and ITB withdraws record 40 (the edition stays, held by PNRI alone).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from tests.catalog.items import loc_items, retyped

RECORDS = 120


@dataclass
class Union:
    """What the fixture built: ids to check answers against."""

    editions: dict[str, int]  # "<library>:<record number>" → edition id
    retired: list[int]
    items: list


def _library(code, name, kind, city, province):
    from jaringan.network.models import Library

    return Library.objects.create(code=code, name=name, kind=kind, city=city, province=province,
                                  collection_size=10000, open_to_outsiders=True, budget_fixed=True, staff_count=5)


def _network(code, name):
    from jaringan.network.models import Network

    return Network.objects.create(code=code, name=name, structure="multi_type", scope="region",
                                  jurisdiction="multiple", funding="non_profit")


def _ingest(code, items):
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code), name="test.mrc",
                        format="marc21")
    return ingest(batch=batch, items=items, chunk=50)


@pytest.fixture
def union(db, settings, tmp_path) -> Union:
    from jaringan.catalog.models import RetiredEdition, SourceRecord
    from jaringan.network.models import Membership

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    pnri = _library("PNRI", "Perpustakaan Nasional RI", "national", "Jakarta", "DKI Jakarta")
    itb = _library("ITB", "Perpustakaan ITB", "academic", "Bandung", "Jawa Barat")
    unpatti = _library("UNPATTI", "Perpustakaan Universitas Pattimura", "academic", "Ambon", "Maluku")
    jabar, timur = _network("JABAR", "Jaringan Jawa Barat"), _network("TIMUR", "Jaringan Indonesia Timur")
    for network, library, state in ((jabar, pnri, "admitted"), (jabar, itb, "admitted"),
                                    (timur, unpatti, "admitted"), (timur, itb, "applied")):
        Membership.objects.create(network=network, library=library, state=state)
    items = loc_items(RECORDS)
    _ingest("PNRI", items[:80])
    _ingest("ITB", [retyped(i, source_id=f"ITB-{n}") for n, i in enumerate(items) if 40 <= n < 100])
    _ingest("UNPATTI", [retyped(i, source_id=f"UNPATTI-{n}") for n, i in enumerate(items) if 100 <= n])
    editions = {}
    for r in SourceRecord.objects.select_related("library"):
        number = r.source_id.split("-")[-1] if "-" in r.source_id else str(
            next(n for n, i in enumerate(items) if i.source_id == r.source_id))
        editions[f"{r.library.code}:{number}"] = r.edition_id
    _ingest("UNPATTI", [replace(retyped(items[100], source_id="UNPATTI-100"), deleted=True, record=None)])
    _ingest("ITB", [replace(retyped(items[40], source_id="ITB-40"), deleted=True, record=None)])
    retired = list(RetiredEdition.objects.values_list("edition_id", flat=True))
    return Union(editions=editions, retired=retired, items=items)


@pytest.fixture
def indexed(union) -> Union:
    """The union catalogue with its search index built."""
    from jaringan.discovery.services import reindex

    assert reindex() == 119
    return union
