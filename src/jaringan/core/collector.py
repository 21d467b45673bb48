"""Python's cyclic garbage collector, tuned for bulk work: imports, harvests, index rebuilds.

CPython looks for reference cycles among the youngest container objects
after every 700 new ones, and goes through the whole heap each time the
objects that survived have grown by a quarter. A bulk job grows what it keeps
the whole time it runs (caches of analysed text, stems, canonical forms) and
makes hundreds of thousands of short-lived objects a second (pymarc fields,
rows, documents), so it kept going through that heap: in one process
normalising, storing, analysing and indexing the 40,000 LoC records, a third
of the CPU time went to the collector (``bench/ingest_floor.py``, with and
without these thresholds).

With :data:`BULK_THRESHOLDS` the young objects are still examined, every
10,000 new ones (cycles made while handling a chunk of records are found
while they are young), but the whole heap only rarely. Nothing is ever left
uncollected: the thresholds only space the passes out.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BULK_THRESHOLDS", "bulk_collection", "for_bulk_work"]

#: (new objects between young collections, young collections between middle ones, middle between full ones).
BULK_THRESHOLDS = (10_000, 50, 50)


def for_bulk_work() -> None:
    """Give this whole process the bulk thresholds (a worker process that does nothing else)."""
    gc.set_threshold(*BULK_THRESHOLDS)


@contextmanager
def bulk_collection() -> Iterator[None]:
    """The bulk thresholds while the block runs, the earlier ones after it (processes forked inside it
    keep the bulk ones)."""
    previous = gc.get_threshold()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
