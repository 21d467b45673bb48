"""Byte streams for the readers: open a path or take a stream, peek, limit.

Readers take either a path or a binary stream (an open file, ``io.BytesIO``,
an upload).  They read in chunks and never ask for the whole file, except
CSV and SLiMS whose records can only be assembled from all of it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from .errors import FileTooLarge

__all__ = ["CHUNK_SIZE", "LimitedStream", "PrefixedStream", "opened", "read_all"]

CHUNK_SIZE = 1 << 16


@contextmanager
def opened(source) -> Iterator[tuple[BinaryIO, str]]:
    """``(binary stream, file name)`` for a path or a stream; a path is closed afterwards."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            yield handle, os.fspath(source)
    elif isinstance(source, (bytes, bytearray)):
        yield io.BytesIO(source), ""
    else:
        yield source, str(getattr(source, "name", "") or "")


class PrefixedStream(io.RawIOBase):
    """A stream whose first bytes were already read (for sniffing) and are given back first."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        """Always true: this is an input stream."""
        return True

    def readinto(self, buffer) -> int:
        """Fill ``buffer`` from the head first, then from the rest of the stream."""
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        return len(data)


class LimitedStream(io.RawIOBase):
    """Passes reads through and raises :class:`FileTooLarge` past ``limit`` bytes."""

    def __init__(self, stream: BinaryIO, limit: int | None, name: str = "") -> None:
        self._stream = stream
        self._limit = limit
        self._name = name
        self.consumed = 0

    def readable(self) -> bool:
        """Always true: this is an input stream."""
        return True

    def readinto(self, buffer) -> int:
        """Read into ``buffer``, counting bytes against the limit."""
        data = self._stream.read(len(buffer))
        if not data:
            return 0
        self.consumed += len(data)
        if self._limit is not None and self.consumed > self._limit:
            where = f"{self._name}: " if self._name else ""
            raise FileTooLarge(f"{where}the file is larger than the limit of {self._limit:,} bytes")
        buffer[: len(data)] = data
        return len(data)


def read_all(stream: BinaryIO, limit: int, name: str = "") -> bytes:
    """The whole stream, or :class:`FileTooLarge` when it is longer than ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(CHUNK_SIZE, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    if size > limit:
        where = f"{name}: " if name else ""
        raise FileTooLarge(f"{where}the file is larger than the limit of {limit:,} bytes for this format")
    return data
