"""MARC 21 decoded on other processes: the same items as decoded here, file after file on kept processes."""

import io

import pytest

from jaringan.core.catalog.readers import DecodingPool, read
from jaringan.core.catalog.readers.iso2709 import split_records
from jaringan.core.catalog.readers.parallel import read_iso2709_parallel
from tests.paths import LOC_INDONESIA


def _seen(items) -> list[tuple]:
    """What an import takes from each item (the canonical record compared through its stored form)."""
    return [(i.position, i.offset, i.source_id, i.raw, i.error, i.keys, i.stored, i.work) for i in items]


@pytest.fixture(scope="module")
def files() -> tuple[bytes, bytes]:
    data = LOC_INDONESIA.read_bytes()
    frames = [raw for _offset, raw, _error in split_records(io.BytesIO(data))]
    # A second file: other records, the last one cut short (a framing error the reader reports).
    other = b"".join(frames[-700:]) + frames[0][:300]
    return b"".join(frames[:900]), other


def _here(data: bytes) -> list[tuple]:
    return _seen(read_iso2709_parallel(io.BytesIO(data), workers=1))


def test_kept_processes_decode_file_after_file_as_this_process_does(files):
    first, second = files
    with DecodingPool(2) as pool:
        one = _seen(pool.decode(io.BytesIO(first)))
        started = sorted(p.pid for p in pool._pool._pool)
        two = _seen(pool.decode(io.BytesIO(second)))
        assert sorted(p.pid for p in pool._pool._pool) == started  # not started again for the second file
    assert pool._pool is None  # stopped at the end of the block
    assert one == _here(first) and len(one) == 900
    assert two == _here(second) and len(two) == 701
    assert two[-1][4] and not any(item[4] for item in two[:-1])  # only the cut record has an error


def test_a_file_left_half_read_does_not_leak_into_the_next(files):
    first, second = files
    with DecodingPool(2) as pool:
        items = pool.decode(io.BytesIO(first))
        for _ in range(300):  # the import of the first file fails part way
            next(items)
        items.close()
        assert _seen(pool.decode(io.BytesIO(second))) == _here(second)


def test_an_error_in_the_block_stops_the_processes_at_once(files):
    first, _second = files
    with pytest.raises(RuntimeError), DecodingPool(2) as pool:
        next(pool.decode(io.BytesIO(first)))
        processes = list(pool._pool._pool)
        raise RuntimeError("the import failed")
    assert pool._pool is None
    assert not any(p.is_alive() for p in processes)


def test_read_takes_a_kept_pool_for_marc21(files):
    first, _second = files
    with DecodingPool(2) as pool:
        assert _seen(read(io.BytesIO(first), format="marc21", pool=pool)) == _here(first)


class _CountingPool:
    """Stands for the processes: runs each batch when asked for its result, counting batches sent but not taken."""

    def __init__(self) -> None:
        self.waiting = 0
        self.most_waiting = 0

    def apply_async(self, function, args):
        self.waiting += 1
        self.most_waiting = max(self.most_waiting, self.waiting)
        pool = self

        class Result:
            def get(self):
                pool.waiting -= 1
                return function(*args)

        return Result()


def test_batches_decoded_ahead_of_the_importer_are_bounded(files):
    # An importer slower than its decoding processes does not gather decoded records in its memory:
    # at most 2 x workers batches are sent ahead of the one it reads.
    first, _second = files
    pool = DecodingPool(1)  # 900 records are four batches: more than the two sent ahead for one process
    counting = pool._pool = _CountingPool()
    items = pool.decode(io.BytesIO(first))
    taken = [next(items) for _ in range(3)]  # the importer holds on to its first records...
    assert counting.most_waiting <= 2 * pool.workers  # ...and no more batches than that were sent
    assert len(taken) + len(list(items)) == 900
    assert counting.most_waiting <= 2 * pool.workers
