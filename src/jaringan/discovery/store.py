"""Where the search index lives on disk: generations, the pointer to the current one, the writer's lock.

    SEARCH_INDEX_DIR/
        current           symlink to the generation readers use
        gen-<stamp>/      a complete Tantivy index
        write.lock        held by the one process that writes

A rebuild writes a fresh generation beside the current one and swaps the
``current`` symlink with one ``rename`` (atomic on POSIX): a reader sees the
old index or the new one, never half of one.  The generation before the
current one is kept for readers that have not looked at the pointer since;
older ones are removed.

Readers call :meth:`IndexStore.index` on every search: a ``readlink`` and a
``stat`` of the generation's ``meta.json`` (microseconds) tell whether
another process swapped or committed, and only then is the index reopened or
reloaded.  No Django here: the app passes the folder.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jaringan.core.errors import Unavailable
from jaringan.core.search import SearchIndex

__all__ = ["IndexOutdated", "IndexStore", "WriterBusy"]

CURRENT = "current"
LOCK = "write.lock"
GENERATION_PREFIX = "gen-"


class WriterBusy(Unavailable):
    """Another process (or thread) holds the index's write lock."""


class IndexOutdated(Unavailable):
    """The current generation was built with another schema (an older version): rebuild it."""


class IndexStore:
    """The index folder of one deployment; one instance per folder per process (see :func:`store_for`)."""

    def __init__(self, base: str | Path) -> None:
        self.base = Path(base)
        self._lock = threading.Lock()  # guards the cached index below
        self._write_lock = threading.Lock()  # one writer thread in this process
        self._generation: str | None = None
        self._index: SearchIndex | None = None
        self._stamp: tuple | None = None
        self._owner: int | None = None  # thread holding the write lock
        # Looked at on every search: plain strings, not Path objects (their joins cost more than the calls).
        self._current = os.path.join(self.base, CURRENT)
        self._meta: dict[str, str] = {}

    # --- reading ---------------------------------------------------------------

    def current_generation(self) -> str | None:
        """Name of the current generation, or None when no index was ever built."""
        try:
            return os.readlink(self._current)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.EINVAL:  # not a symlink: leave it alone, say there is none
                return None
            raise

    def _meta_stamp(self, generation: str) -> tuple | None:
        """Changes with every commit: Tantivy replaces meta.json by a rename (a new inode)."""
        meta = self._meta.get(generation)
        if meta is None:
            meta = self._meta[generation] = os.path.join(self.base, generation, "meta.json")
        try:
            found = os.stat(meta)
        except FileNotFoundError:
            return None
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    def index(self) -> SearchIndex:
        """The current index, reopened or reloaded when another process swapped or committed.

        Creates an empty generation when there is none yet.
        """
        generation = self.current_generation()
        if generation is None:
            generation = self._create_first()
        with self._lock:
            if generation != self._generation or self._index is None:
                try:
                    self._index = SearchIndex(self.base / generation)
                except ValueError as exc:
                    if "schema does not match" in str(exc):
                        raise IndexOutdated(f"{self.base / generation}: built with another schema") from exc
                    raise
                self._generation = generation
                self._stamp = self._meta_stamp(generation)
            else:
                stamp = self._meta_stamp(generation)
                if stamp != self._stamp:
                    self._index.reload()
                    self._stamp = stamp
            return self._index

    def _create_first(self) -> str:
        """Make an empty generation current unless another thread or process got there first.

        Takes no lock: a reader must never hold the writer's lock, or a drain
        finding it taken would leave its changes to a process that does not
        drain.  ``symlink`` fails when the pointer exists, so of readers
        racing here one wins and the others remove what they made.
        """
        path = self.new_generation()
        try:
            SearchIndex(path)  # writes an empty meta.json
            os.symlink(path.name, self.base / CURRENT)
        except Exception:
            self.discard(path)
            generation = self.current_generation()
            if generation is None:
                raise
            return generation
        _fsync_dir(self.base)
        return path.name

    # --- writing ---------------------------------------------------------------

    @contextmanager
    def write_lock(self, *, wait: bool = False, timeout: float = 600.0) -> Iterator[None]:
        """Hold the one writer's lock (a file lock, so it spans processes); re-entrant in one thread.

        Raises :class:`WriterBusy` when it is held elsewhere and ``wait`` is
        false, or when waiting exceeds ``timeout`` seconds.
        """
        if self._owner == threading.get_ident():
            yield
            return
        self.base.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + timeout
        if not self._write_lock.acquire(blocking=wait, timeout=timeout if wait else -1):
            raise WriterBusy("the search index is being written by another thread")
        try:
            with open(self.base / LOCK, "a+") as handle:
                while True:
                    try:
                        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if not wait or time.monotonic() > deadline:
                            raise WriterBusy("the search index is being written by another process") from None
                        time.sleep(0.05)
                self._owner = threading.get_ident()
                try:
                    yield
                finally:
                    self._owner = None
                    fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self._write_lock.release()

    def new_generation(self) -> Path:
        """A fresh, empty folder for a rebuild (not yet current)."""
        self.base.mkdir(parents=True, exist_ok=True)
        name = f"{GENERATION_PREFIX}{time.time_ns()}-{os.getpid()}"
        path = self.base / name
        path.mkdir()
        return path

    def swap(self, generation: str) -> None:
        """Make ``generation`` current in one rename, then remove generations no reader needs.

        Call it holding the write lock.  The generation that was current stays
        (a reader may be between reading the pointer and opening it); any
        other, e.g. a rebuild that crashed half-way, is removed.
        """
        previous = self.current_generation()
        temporary = self.base / f"{CURRENT}.{os.getpid()}.{threading.get_ident()}"
        temporary.unlink(missing_ok=True)
        os.symlink(generation, temporary)
        os.replace(temporary, self.base / CURRENT)
        _fsync_dir(self.base)
        keep = {generation, previous}
        for path in self.base.iterdir():
            if path.name.startswith(GENERATION_PREFIX) and path.name not in keep and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)

    def discard(self, path: Path) -> None:
        """Remove an unfinished generation (a rebuild that failed)."""
        shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_stores: dict[Path, IndexStore] = {}
#: The same stores by the text they were asked for (resolving a path costs system calls).
_by_text: dict[str, IndexStore] = {}
_stores_lock = threading.Lock()


def store_for(base: str | Path) -> IndexStore:
    """The process-wide store of a folder."""
    found = _by_text.get(str(base))
    if found is not None:
        return found
    key = Path(base).resolve()
    with _stores_lock:
        if key not in _stores:
            _stores[key] = IndexStore(key)
        _by_text[str(base)] = _stores[key]
        return _stores[key]


def forget_stores() -> None:
    """Drop this process's stores (a forked process opens its own indexes)."""
    _stores.clear()
    _by_text.clear()


os.register_at_fork(after_in_child=forget_stores)
