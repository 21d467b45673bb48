"""Reading a large MARC 21 file on several cores.

Framing ISO 2709 records is cheap and stays in the calling process; decoding
each record with pymarc, normalising it and computing its blocking keys is
most of the cost of an import, and is done by worker processes, a few
hundred records at a time. Items come back in file order, with ``keys``,
``stored`` (the canonical data as the database keeps it) and ``work`` set.
At most ``2 × workers`` batches are in flight, so memory stays flat however
large the file.

Starting the processes costs about half a second (each is a fresh interpreter
that imports the normaliser and the stemmer's dictionary): a :class:`DecodingPool`
keeps them for one file after another, so that a run of many files (a
benchmark's twenty libraries, uploads waiting one after another) pays it once.
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

__all__ = ["DecodingPool", "read_iso2709_parallel", "with_keys"]

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


class DecodingPool:
    """`workers` processes decoding MARC 21, started when the first file needs them and kept for the
    files after it until :meth:`close` (or the end of a ``with`` block)."""

    def __init__(self, workers: int = 2) -> None:
        self.workers = max(1, workers)
        self._pool = None

    def decode(self, stream: BinaryIO) -> Iterator[SourceItem]:
        """Every record of an ISO 2709 stream, decoded by the processes, in file order. Results of a
        file left unread (its import failed) are dropped: the next file's never mix with them."""
        if self._pool is None:
            # "spawn": workers are fresh interpreters, safe whatever threads the caller runs.
            self._pool = multiprocessing.get_context("spawn").Pool(self.workers, initializer=for_bulk_work)
        pending: deque = deque()
        for batch in _batches(stream):
            pending.append(self._pool.apply_async(_items, (batch,)))
            if len(pending) >= 2 * self.workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def close(self, *, at_once: bool = False) -> None:
        """Stop the processes: after the work sent to them (or `at_once`, dropping it)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            if at_once:
                pool.terminate()
            else:
                pool.close()
            pool.join()

    def __enter__(self) -> "DecodingPool":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.close(at_once=kind is not None)


def read_iso2709_parallel(stream: BinaryIO, *, workers: int = 2,
                          pool: DecodingPool | None = None) -> Iterator[SourceItem]:
    """Every record of an ISO 2709 stream, decoded by `workers` processes (or a kept `pool`'s), in file order."""
    if pool is not None:
        yield from pool.decode(stream)
        return
    if workers <= 1:
        for batch in _batches(stream):
            yield from _items(batch)
        return
    with DecodingPool(workers) as started:
        yield from started.decode(stream)
