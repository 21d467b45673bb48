"""Small thread-safe memories of bounded size, for what a process keeps between requests or chunks: a
least-recently-used map, and a set of pairs of 64-bit numbers that forgets its oldest first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

__all__ = ["LRU", "PairSet"]


class LRU:
    """At most ``size()`` entries (read on each put, so a setting can change it); 0 keeps nothing."""

    def __init__(self, size: Callable[[], int]) -> None:
        self._size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        size = self._size()
        if size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class PairSet:
    """At most ``size()`` pairs of 64-bit numbers (signed or not), the oldest forgotten first, half of them
    at a time; each pair is kept as one number, about 70 bytes with its place in the set.

    Pairs go into the newer of two halves; when it holds half of ``size()``, the older half is forgotten
    and the newer one becomes the older. (Forgetting one pair at a time from the front of one dict cost
    a scan past every slot already forgotten: about 100 µs an added pair once a million were kept.)
    """

    def __init__(self, size: Callable[[], int]) -> None:
        self._size = size
        self._newer: set[int] = set()
        self._older: set[int] = set()
        self._lock = threading.Lock()

    @staticmethod
    def _key(a: int, b: int) -> int:
        return (a << 64) | (b & 0xFFFF_FFFF_FFFF_FFFF)

    def __contains__(self, pair: tuple[int, int]) -> bool:
        key = self._key(*pair)
        return key in self._newer or key in self._older

    def add(self, pair: tuple[int, int]) -> None:
        size = self._size()
        if size <= 0:
            return
        key = self._key(*pair)
        with self._lock:
            if key in self._older:
                return
            self._newer.add(key)
            if len(self._newer) >= max(1, size // 2):
                self._older, self._newer = self._newer, set()
            if len(self._older) + len(self._newer) > size:  # the size was lowered: the new pair alone
                self._older, self._newer = set(), {key}

    def clear(self) -> None:
        with self._lock:
            self._newer.clear()
            self._older.clear()

    def __len__(self) -> int:
        return len(self._newer) + len(self._older)
