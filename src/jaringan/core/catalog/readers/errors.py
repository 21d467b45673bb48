"""File-level errors of the readers.

A problem with one record never raises: the reader yields a
:class:`~.item.SourceItem` with ``error`` set and reads on.  These exceptions
are for the whole file, raised once, before or instead of reading further::

    CatalogError
    └── UnreadableFile          the file as a whole cannot be read
        ├── UnknownFormat       no reader for this format, or it cannot be recognised
        ├── NotXml              an XML format was asked for, the file is not XML
        ├── ForbiddenDtd        the XML declares a DTD or entities (refused: entity bombs)
        ├── FileTooLarge        the file is larger than the limit a reader accepts
        ├── BadHeader           a CSV file without a usable header row
        └── NotSlimsPush        a SLiMS push body that is not JSON with ``node_data``
"""

from __future__ import annotations

from ..errors import CatalogError

__all__ = ["BadHeader", "FileTooLarge", "ForbiddenDtd", "NotSlimsPush", "NotXml", "UnknownFormat", "UnreadableFile"]


class UnreadableFile(CatalogError):
    """The file as a whole cannot be read; no (further) record can be taken from it."""


class UnknownFormat(UnreadableFile):
    """The format was not given and cannot be recognised, or no reader exists for it."""


class NotXml(UnreadableFile):
    """An XML format was expected but the file does not start as an XML document."""


class ForbiddenDtd(UnreadableFile):
    """The XML document declares a DTD (``<!DOCTYPE``) and with it possibly entities.

    Member files never need one, and entity declarations are how "billion
    laughs" bombs explode a small file into gigabytes, so any DTD is refused
    before a single element is parsed.
    """


class FileTooLarge(UnreadableFile):
    """The file (or, for CSV and SLiMS, the part read into memory) exceeds the reader's limit."""


class BadHeader(UnreadableFile):
    """A CSV file whose first row names no ``title`` column, so no row can be understood."""


class NotSlimsPush(UnreadableFile):
    """A SLiMS Union Catalog push body that is not JSON or has no ``node_data`` object."""
