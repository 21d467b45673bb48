"""An edition of the union catalogue as MARCXML, Dublin Core or MODS, for OAI-PMH and SRU.

The edition goes out as its preferred member record (the member's own MARC
when it sent MARC, so nothing a cataloguer typed is lost) with the union's
holdings: one 852 per copy of every holding library in MARCXML, a
``location`` per library in MODS. The 001 (and MODS's ``recordIdentifier``) is
the edition's id, so a library that copies the record can find it again; the
record's address goes with it (MODS ``identifier type="uri"`` and ``location/url``,
a Dublin Core ``identifier``). The edition's own timestamps date the record
(MODS ``recordCreationDate``/``recordChangeDate``, MARC 005 and a built 008),
and its call number is the preferred record's classification, never a
holder's shelf mark.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.conf import settings

from lxml import etree

from jaringan.catalog.models import SourceRecord
from jaringan.core.catalog import codec
from jaringan.core.catalog import export
from jaringan.core.catalog.record import CanonicalRecord, Holding

__all__ = ["SCHEMAS", "ExportEdition", "call_number", "load_editions", "render", "render_or_build"]

logger = logging.getLogger(__name__)

#: Our short schema names and what they are.
SCHEMAS = ("marcxml", "dc", "mods")


@dataclass(frozen=True, slots=True)
class ExportEdition:
    """What rendering one edition needs, loaded set-wise by :func:`load_editions`."""

    id: int
    record: CanonicalRecord
    raw: bytes | None
    source_format: str
    holdings: tuple[tuple[str, Holding], ...]
    libraries: tuple[str, ...]
    created: dt.datetime | None = None
    updated: dt.datetime | None = None


def _holdings(lines) -> list[Holding]:
    out = []
    for line in lines or ():
        try:
            out.append(Holding(call_number=line.get("call_number"), location=line.get("location"),
                               items=max(int(line.get("items") or 1), 1)))
        except (AttributeError, TypeError, ValueError):
            continue
    return out or [Holding()]


def load_editions(ids: Iterable[int]) -> dict[int, ExportEdition]:
    """The editions with these ids that exist (retired ones are left out), in two queries."""
    ids = [int(i) for i in ids]
    if not ids:
        return {}
    holders: dict[int, list[tuple[int, str, object]]] = {}
    preferred: dict[int, int | None] = {}
    rows = (SourceRecord.objects.filter(edition_id__in=ids, withdrawn=False).order_by("library__code")
            .values_list("edition_id", "pk", "library__code", "data__holdings", "edition__preferred_id",
                         "edition__created", "edition__updated"))
    stamps: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for edition_id, record_id, code, lines, preferred_id, created, updated in rows:
        holders.setdefault(edition_id, []).append((record_id, code, lines))
        preferred[edition_id] = preferred_id
        stamps[edition_id] = (created, updated)
    chosen = {}
    for edition_id, members in holders.items():
        ids_of_members = {m[0] for m in members}
        pick = preferred.get(edition_id)
        chosen[edition_id] = pick if pick in ids_of_members else min(ids_of_members)
    sources = {r.pk: r for r in SourceRecord.objects.filter(pk__in=list(chosen.values()))
               .only("pk", "raw", "format", "data")}
    out = {}
    for edition_id, members in holders.items():
        source = sources[chosen[edition_id]]
        holdings = tuple((code, h) for _pk, code, lines in members for h in _holdings(lines))
        out[edition_id] = ExportEdition(
            id=edition_id, record=codec.from_data(source.data), raw=bytes(source.raw) if source.raw else None,
            source_format=source.format, holdings=holdings,
            libraries=tuple(dict.fromkeys(code for _pk, code, _l in members)),
            created=stamps[edition_id][0], updated=stamps[edition_id][1],
        )
    return out


def call_number(item: ExportEdition) -> str | None:
    """The edition's call number: its preferred record's DDC, else LCC, else its 090; or None."""
    found = export.call_number(item.record)
    if found is None:
        found = export.local_call_number(item.raw, item.source_format)
    return found


def render(item: ExportEdition, schema: str, *, url: str | None = None) -> etree._Element:
    """The edition's record in ``schema`` (one of :data:`SCHEMAS`); ``url`` is its page's address."""
    if schema == "marcxml":
        return export.to_marcxml(item.record, raw=item.raw, source_format=item.source_format,
                                 holdings=item.holdings, control_number=str(item.id),
                                 entered=item.created.date() if item.created else None, changed=item.updated)
    if schema == "dc":
        return export.to_dc(item.record, identifier=url)
    if schema == "mods":
        return export.to_mods(item.record, identifier=str(item.id), url=url, holdings=item.holdings,
                              call_number=call_number(item), created=item.created, changed=item.updated,
                              identifier_source=settings.OAI_REPOSITORY_ID)
    raise ValueError(f"unknown schema {schema!r}; known: {SCHEMAS}")


def render_or_build(item: ExportEdition, schema: str, *, url: str | None = None) -> etree._Element:
    """:func:`render`, or, when the member's own record cannot be written (an odd record must not
    break a harvest, a search or an export), the record built from the canonical form."""
    try:
        return render(item, schema, url=url)
    except Exception:
        logger.exception("edition %s: the member's record could not be written as %s", item.id, schema)
        return render(replace(item, raw=None, source_format=""), schema, url=url)
