"""Reading a large MARC 21 file on several cores.

Framing ISO 2709 records is cheap and stays in the calling process; decoding
each record with pymarc, normalising it and computing its blocking keys is
most of the cost of an import, and is done by worker processes, a few
hundred records at a time. Items come back in file order, with ``keys``,
``stored`` (the canonical data as the database keeps it) and ``work`` set.
At most ``2 × workers`` batches are in flight, so memory stays flat however
large the file.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO

from jaringan.core.collector import for_bulk_work

from .item import SourceItem
from .iso2709 import item_from_iso2709, split_records

__all__ = ["read_iso2709_parallel", "with_keys"]

#: Records sent to a worker at a time.
BATCH = 250


def with_keys(item: SourceItem) -> SourceItem:
    """The item with its blocking keys computed, as numbers, its record as stored (see
    ``SourceItem.stored``) and its same-work key; unchanged when it has no record."""
    from .. import codec
    from ..matching import key_numbers, same_work_key

    if item.record is None:
        return item
    data = codec.to_data(item.record)
    return replace(item, keys=tuple(key_numbers(item.record)),
                   stored=(codec.data_text(data), codec.description_number(data)), work=same_work_key(item.record))


def _items(frames: list[tuple[int, int, bytes, str | None]]) -> list[SourceItem]:
    return [
        with_keys(item_from_iso2709(raw, position=position, offset=offset, framing_error=error))
        for position, offset, raw, error in frames
    ]


def _batches(stream: BinaryIO) -> Iterator[list]:
    batch = []
    for position, (offset, raw, error) in enumerate(split_records(stream), start=1):
        batch.append((position, offset, raw, error))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def read_iso2709_parallel(stream: BinaryIO, *, workers: int = 2) -> Iterator[SourceItem]:
    """Every record of an ISO 2709 stream, decoded by `workers` processes, in file order."""
    if workers <= 1:
        for batch in _batches(stream):
            yield from _items(batch)
        return
    # "spawn": workers are fresh interpreters, safe whatever threads the caller runs.
    with multiprocessing.get_context("spawn").Pool(workers, initializer=for_bulk_work) as pool:
        pending: deque = deque()
        for batch in _batches(stream):
            pending.append(pool.apply_async(_items, (batch,)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
