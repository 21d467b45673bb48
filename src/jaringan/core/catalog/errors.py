"""Errors raised by the catalogue core.

One family under one class, so a batch importer can catch
``CatalogError`` for a single record, quarantine it with the message, and go on.
It is the project's ``Invalid`` (see :mod:`jaringan.core.errors`): what cannot
be read is the input's fault::

    Invalid
    └── CatalogError
        ├── NoTitle            a record without any title cannot be catalogued
        ├── UnreadableRecord   the input is not a record at all (broken XML, wrong root)
        ├── UnreadableFile     the file as a whole (``readers.errors``)
        └── RecordTooLong      too long for ISO 2709 (``export.marc``)
"""

from __future__ import annotations

from jaringan.core.errors import Invalid

__all__ = ["CatalogError", "NoTitle", "UnreadableRecord"]


class CatalogError(Invalid):
    """Base class of every error the catalogue core raises on purpose."""


class NoTitle(CatalogError):
    """The record carries no title (no 245 $a/$k/$b, no ``dc:title``).

    A union catalogue entry without a title cannot be shown, searched or
    matched, so such a record is rejected rather than normalised half-way.
    """

    def __init__(self, source_id: str | None = None) -> None:
        self.source_id = source_id
        where = f"record {source_id!r}" if source_id else "record"
        super().__init__(f"{where} has no title (245 or dc:title is missing or empty)")


class UnreadableRecord(CatalogError):
    """The input cannot be parsed as a record (malformed XML, unexpected root element)."""
