"""The one item every reader yields: :class:`SourceItem`.

A reader never stops at a bad record.  It yields an item with ``error`` set
(a sentence a cataloguer can act on) and ``record`` None, keeps as much of
``raw`` and ``source_id`` as it could recover, and goes on with the next
record.  A deleted (withdrawn) record may have ``record`` None without an
error: a withdrawal needs only its ``source_id``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..record import CanonicalRecord, quick_pickling

__all__ = ["FORMATS", "SourceItem"]

#: The input formats the readers understand, as ``read(format=...)`` spells them.
FORMATS = ("marc21", "marcxml", "dc", "mods", "csv", "slims", "ris", "bibtex")


@quick_pickling
@dataclass(frozen=True, slots=True)
class SourceItem:
    """One record of a member's file, as read: the raw bytes and their canonical form.

    ``position`` is the 1-based record number in the file; ``offset`` the byte
    offset of the record where known (ISO 2709 only); ``raw`` the record as the
    member sent it (byte for byte for ISO 2709, the serialized element for XML,
    a small CSV document for CSV, the JSON object for SLiMS).
    """

    position: int
    offset: int | None
    source_id: str | None
    format: str
    raw: bytes
    record: CanonicalRecord | None
    error: str | None = None
    deleted: bool = False
    #: Blocking keys of ``record`` as numbers (``matching.key_number``), when the reader computed
    #: them already (parallel reading).
    keys: tuple[int, ...] | None = None
    #: ``record`` as stored: its canonical data as JSON text (``codec.data_text``) and its description
    #: number (``codec.description_number``), when the reader computed them already (parallel reading).
    stored: tuple[str, int] | None = None
    #: ``record``'s same-work key (``matching.same_work_key``), when the reader computed it already
    #: (parallel reading: the title and author are normalised there for the keys anyway).
    work: str | None = None

    @property
    def ok(self) -> bool:
        """True when the record was read and normalised."""
        return self.error is None and self.record is not None
