"""Dublin Core: oai_dc and simple DC XML, one record or many, bare or in OAI-PMH responses.

The unit read is the outermost OAI-PMH ``record`` or, outside one, a ``dc``
(or ``qualifieddc``) element.  Normalisation is ``dublin_core.py``'s
:func:`~jaringan.core.catalog.dublin_core.record_from_dublin_core`, which
knows the SLiMS quirks (``dc:identifier_isbn``, the DDC class as a
``dc:subject``).  ``source_id`` is the OAI header identifier (None for bare
DC); a header with ``status="deleted"`` gives a deleted item.  ``raw`` is
the serialized unit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from ..dublin_core import DC_CONTAINERS, dublin_core_records, record_from_dublin_core
from ..errors import NoTitle
from .item import SourceItem
from .xmlstream import local_name, oai_header, read_units

__all__ = ["item_from_dublin_core", "read_dublin_core"]

FORMAT = "dc"


def _is_unit(element: etree._Element) -> bool:
    name = local_name(element)
    return name == "record" or name in DC_CONTAINERS


def item_from_dublin_core(unit: etree._Element, *, position: int) -> SourceItem:
    """The :class:`SourceItem` of one OAI ``record`` or bare ``dc`` element (never raises for bad data)."""
    raw = etree.tostring(unit, encoding="utf-8")
    oai_id, deleted = oai_header(unit)
    found = next(iter(dublin_core_records(unit)), None)
    if found is None:
        error = None if deleted else "the record holds no Dublin Core metadata (no oai_dc:dc or dc element)"
        return SourceItem(position, None, oai_id, FORMAT, raw, None, error, deleted)
    identifier, container = found
    source_id = oai_id or identifier
    try:
        record = record_from_dublin_core(container, source_id=source_id)
    except NoTitle:
        error = None if deleted else "no title (dc:title is missing or empty)"
        return SourceItem(position, None, source_id, FORMAT, raw, None, error, deleted)
    return SourceItem(position, None, source_id, FORMAT, raw, record, None, deleted)


def read_dublin_core(stream: BinaryIO, *, name: str = "") -> Iterator[SourceItem]:
    """Every DC record of an XML stream, in order, bad ones included as error items."""
    return read_units(stream, is_unit=_is_unit, make_item=item_from_dublin_core, fmt=FORMAT, name=name)
