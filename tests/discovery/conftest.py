"""A catalogue of real LoC records taken in by demo libraries, and an index folder per test.

The catalogue: UNPATTI holds ~300 records (every 12th of the Indonesian file
and every one whose title has a form of "pustaka" or "library"); UNHAS holds
every 3rd of them and PNRI every 7th, as records of their own (merged into the
same editions); USU alone holds 10 other records.  UNPATTI, UNHAS and PNRI
lend under agreements active today; USU does not.  The outbox is drained.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from jaringan.core.catalog.text import analyse
from tests.catalog.items import loc_items, retyped

EVERY_NTH = 12
USU_ONLY = 10


@lru_cache(maxsize=1)
def _file_items() -> tuple:
    return tuple(loc_items(10_000))


def chosen_items() -> list:
    return [
        item for n, item in enumerate(_file_items())
        if n % EVERY_NTH == 0 or {"pustaka", "librari"} & set(analyse(item.record.full_title))
    ]


def usu_items() -> list:
    return [item for n, item in enumerate(_file_items()) if n % EVERY_NTH == EVERY_NTH // 2][:USU_ONLY]


@pytest.fixture
def index_dir(settings, tmp_path):
    """Each test searches an index of its own (the process-wide store is per folder)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    return settings.SEARCH_INDEX_DIR


def ingest(library_code: str, items, chunk: int = 200):
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest as catalogue_ingest
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=library_code), name="test.mrc",
                        format="marc21")
    return catalogue_ingest(batch=batch, items=items, chunk=chunk)


@pytest.fixture
def loc(demo_network):
    return chosen_items()


@pytest.fixture
def catalogue(loc, index_dir, django_capture_on_commit_callbacks):
    from jaringan.discovery import services

    # The imports' commits (the test's transaction never commits): their drains run here.
    with django_capture_on_commit_callbacks(execute=True):
        ingest("UNPATTI", loc)
        ingest("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(loc) if n % 3 == 0])
        ingest("PNRI", [retyped(i, source_id=f"PNRI-{n}") for n, i in enumerate(loc) if n % 7 == 0])
        ingest("USU", [retyped(i, source_id=f"USU-{n}") for n, i in enumerate(usu_items())])
    services.outbox_drain()
    return loc
