"""Streaming readers of members' catalogue files: every format yields :class:`SourceItem`.

::

    for item in read("kiriman/perpus-kota.mrc"):
        if item.error:
            quarantine(item.position, item.raw, item.error)
        elif item.deleted:
            withdraw(item.source_id)
        else:
            upsert(item.record)

Modules, one format each, all built the same way (split the file into
records, normalise each, never stop at a bad one):

* ``item``      — :class:`SourceItem`, the one item type
* ``errors``    — file-level exceptions (``UnreadableFile`` and its kinds)
* ``sniff``     — :func:`sniff_format`: the format from the first bytes
* ``streams``   — paths or streams, peeking, size limits
* ``iso2709``   — MARC 21 binary (``marc21``), framed here byte for byte
* ``xmlstream`` — safe, bounded-memory ``iterparse`` shared by the XML readers
* ``marcxml``   — MARCXML (``marcxml``)
* ``dc``        — oai_dc / simple Dublin Core (``dc``)
* ``mods``      — MODS v3 (``mods``)
* ``csvfile``   — CSV, one row per holding (``csv``)
* ``slims``     — SLiMS Union Catalog push bodies (``slims``)
* ``ris``       — RIS citation files (``ris``), read a line at a time
* ``bibtex``    — BibTeX files (``bibtex``), through bibtexparser

A problem with one record is an item with ``error`` set; a problem with the
file (unknown format, not XML, a DTD, too large) raises one
:class:`~.errors.UnreadableFile` subclass.  :func:`read` raises
``UnknownFormat`` at once; the other file-level errors come when iteration
reaches them (usually at the first item).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

from .bibtex import read_bibtex
from .csvfile import CsvReader
from .dc import read_dublin_core
from .errors import (
    BadHeader,
    FileTooLarge,
    ForbiddenDtd,
    NotSlimsPush,
    NotXml,
    UnknownFormat,
    UnreadableFile,
)
from .item import FORMATS, SourceItem
from .iso2709 import read_iso2709
from .marcxml import read_marcxml
from .mods import read_mods
from .parallel import DecodingPool, read_iso2709_parallel
from .ris import read_ris
from .slims import MAX_PUSH_BYTES, read_slims_push
from .sniff import HEAD_BYTES, sniff_format
from .streams import LimitedStream, PrefixedStream, opened, read_all

__all__ = [
    "FORMATS",
    "MAX_FILE_BYTES",
    "BadHeader",
    "DecodingPool",
    "FileTooLarge",
    "ForbiddenDtd",
    "NotSlimsPush",
    "NotXml",
    "SourceItem",
    "UnknownFormat",
    "UnreadableFile",
    "read",
    "read_slims_push",
    "sniff_format",
]

#: The largest file the streaming readers accept (CSV and SLiMS have lower limits of their own).
MAX_FILE_BYTES = 4_000_000_000

_STREAMING = {"marc21": read_iso2709, "marcxml": read_marcxml, "dc": read_dublin_core, "mods": read_mods,
              "ris": read_ris}


def _streamed(source, fmt: str, max_bytes: int | None, workers: int = 1,
              pool: DecodingPool | None = None) -> Iterator[SourceItem]:
    with opened(source) as (stream, name):
        limited = io.BufferedReader(LimitedStream(stream, max_bytes, os.path.basename(name)))
        if fmt == "marc21" and (workers > 1 or pool is not None):
            yield from read_iso2709_parallel(limited, workers=workers, pool=pool)
            return
        reader = _STREAMING[fmt]
        yield from reader(limited) if fmt == "marc21" else reader(limited, name=os.path.basename(name))


def _slims(source) -> Iterator[SourceItem]:
    with opened(source) as (stream, name):
        body = read_all(stream, MAX_PUSH_BYTES, os.path.basename(name))
    _, items = read_slims_push(body)
    yield from items


def read(source, *, format: str | None = None, max_bytes: int | None = MAX_FILE_BYTES,
         workers: int = 1, pool: DecodingPool | None = None) -> Iterator[SourceItem]:
    """The records of a path, a binary stream or bytes, as :class:`SourceItem`\\ s, in file order.

    ``format`` is one of ``FORMATS``; when None it is sniffed from the first
    bytes and the file name.  For CSV the iterator is a
    :class:`~.csvfile.CsvReader` (with ``warnings``); for a SLiMS push body
    ``node_info`` is dropped (use :func:`read_slims_push` to keep it).
    ``workers`` > 1 decodes MARC 21 on that many processes (see :mod:`.parallel`), or on a kept
    ``pool``'s.
    """
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    if format is None:
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as handle:
                format = sniff_format(handle.read(HEAD_BYTES), os.fspath(source))
        else:
            head = source.read(HEAD_BYTES)
            format = sniff_format(head, str(getattr(source, "name", "") or ""))
            source = io.BufferedReader(PrefixedStream(head, source))
    if format not in FORMATS:
        raise UnknownFormat(f"no reader for the format {format!r}; known: {', '.join(FORMATS)}")
    if format == "csv":
        return CsvReader(source)
    if format == "slims":
        return _slims(source)
    if format == "bibtex":
        return read_bibtex(source)
    return _streamed(source, format, max_bytes, workers, pool)
