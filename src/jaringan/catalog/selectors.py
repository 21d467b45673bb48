"""Reads of the union catalogue for pages, the API and the command line."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator

from django.db import connection
from django.db.models import Count, JSONField, Max, Prefetch

from jaringan.core.catalog import codec
from jaringan.core.catalog.record import Holding
from jaringan.network.models import Library, UnionCatalogNode

from .models import Edition, ImportBatch, MatchLink, Quarantine, RetiredEdition, SourceRecord


#: One row of an edition's members, as ``_edition_members`` reads it: each model and the fields of it that
#: the edition's page and its API use (not the raw record, nor the library's contacts and budget).
_MEMBER_FIELDS = (
    (SourceRecord, ("id", "source_id", "data", "library_id", "edition_id")),
    (Library, ("id", "code", "name", "kind", "city", "province", "latitude", "longitude")),
    (MatchLink, ("id", "record_id", "edition_id", "decided", "score", "comparisons")),
)


@functools.cache
def _edition_members_query(vendor: str) -> tuple[str, tuple[list, list, list]]:
    """The members' SQL for this kind of database (tables and columns named as the models name them) and,
    for each model, its fields in the order the row holds them (the model's own, as ``from_db`` wants)."""
    qn = connection.ops.quote_name
    parts = tuple([f for f in model._meta.concrete_fields if f.attname in names] for model, names in _MEMBER_FIELDS)

    def table(model) -> str:
        return qn(model._meta.db_table)

    def col(alias: str, model, name: str) -> str:
        return f"{alias}.{qn(model._meta.get_field(name).column)}"

    select = ", ".join(f"{alias}.{qn(f.column)}" for alias, fields in zip("rlk", parts) for f in fields)
    sql = (f"SELECT {select} FROM {table(SourceRecord)} r "
           f"INNER JOIN {table(Library)} l ON {col('l', Library, 'id')} = {col('r', SourceRecord, 'library')} "
           f"LEFT OUTER JOIN {table(MatchLink)} k ON {col('k', MatchLink, 'record')} = {col('r', SourceRecord, 'id')} "
           f"WHERE {col('r', SourceRecord, 'edition')} = %s AND NOT {col('r', SourceRecord, 'withdrawn')} "
           f"ORDER BY {col('l', Library, 'name')}")
    return sql, parts


def _edition_members(edition: Edition) -> tuple[list[SourceRecord], list[tuple]]:
    """The edition's member records (withdrawn ones aside) by their library's name, each with its library
    and its match link (None when it has none) in place, carrying only the fields of ``_MEMBER_FIELDS``.

    What ``SourceRecord.objects.filter(edition=..., withdrawn=False).select_related("library", "link")
    .only(...).order_by("library__name")`` reads, in one query written once a process: Django's building
    of that query cost more than half of the whole selector, on the page every search result leads to.
    Also the rows as read (for ``edition_detail``'s fingerprint).
    """
    sql, (record_fields, library_fields, link_fields) = _edition_members_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [edition.pk])
        rows = cursor.fetchall()
    db = connection.alias
    a, b = len(record_fields), len(record_fields) + len(library_fields)
    out = []
    for row in rows:
        record = SourceRecord.from_db(db, _names(record_fields), _converted(record_fields, row[:a]))
        record.library = Library.from_db(db, _names(library_fields), _converted(library_fields, row[a:b]))
        if row[b] is None:
            _LINK.set_cached_value(record, None)  # as select_related leaves a record without a link
        else:
            link = MatchLink.from_db(db, _names(link_fields), _converted(link_fields, row[b:]))
            link.record = record  # and record.link is link
        out.append(record)
    return out, rows


_LINK = SourceRecord.link.related


def _names(fields) -> list[str]:
    return [f.attname for f in fields]


def _converted(fields, values) -> list:
    """A row's values as the fields hold them (JSON text read into Python; the other columns need nothing)."""
    return [f.from_db_value(v, None, connection) if isinstance(f, JSONField) else v for f, v in zip(fields, values)]


@functools.cache
def _other_editions_query(vendor: str) -> str:
    """The other editions of a work (``%s``: the work, the edition), the latest 50, each with its title and
    year and ``holding_count`` (its records, withdrawn ones too); as ``Edition.objects.filter(work_id=w)
    .exclude(pk=e).only("title", "year").annotate(holding_count=Count("records")).order_by("-year")[:50]``
    reads them, written once a process (building that query cost Django five times as much as running it)."""
    qn = connection.ops.quote_name
    e, r = Edition._meta, SourceRecord._meta
    pk, title, year, work = (f"e.{qn(e.get_field(name).column)}" for name in ("id", "title", "year", "work"))
    member_of = f"r.{qn(r.get_field('edition').column)}"
    return (f"SELECT {pk}, {title}, {year}, COUNT(r.{qn(r.pk.column)}) AS holding_count "
            f"FROM {qn(e.db_table)} e LEFT OUTER JOIN {qn(r.db_table)} r ON {member_of} = {pk} "
            f"WHERE {work} = %s AND {pk} <> %s GROUP BY {pk}, {title}, {year} ORDER BY {year} DESC LIMIT 50")


def edition_detail(edition: Edition) -> dict:
    """The merged edition: preferred record, every holding, the work's other editions, and why."""
    records, rows = _edition_members(edition)
    preferred = next((r for r in records if r.pk == edition.preferred_id), records[0] if records else None)
    holdings = []
    for r in records:
        data = r.data
        lines = data.get("holdings") or [{}]
        holdings.append({
            "record": r, "library": r.library,
            "call_numbers": [h.get("call_number") for h in lines if h.get("call_number")],
            "items": sum(int(h.get("items") or 1) for h in lines),
            "link": getattr(r, "link", None),
        })
    others = []
    if edition.work_id:
        others = list(Edition.objects.raw(_other_editions_query(connection.vendor), [edition.work_id, edition.pk]))
    return {
        "fingerprint": _fingerprint(edition, rows, others),
        "edition": edition,
        "record": codec.from_data(preferred.data) if preferred else None,
        "preferred": preferred,
        "holdings": holdings,
        "other_editions": others,
    }


def _fingerprint(edition: Edition, rows: list[tuple], others: list[Edition]) -> str:
    """A digest of everything ``edition_detail`` makes of the edition's rows: its members' records, their
    libraries and match links as read, and the other editions of its work (ids, titles, years, counts). Two
    reads with the same fingerprint make the same page parts (``catalog_fragments``)."""
    read = (edition.pk, edition.preferred_id, edition.work_id, rows,
            [(e.pk, e.title, e.year, e.holding_count) for e in others])
    return hashlib.blake2b(repr(read).encode(), digest_size=20).hexdigest()


@functools.cache
def _edition_query(vendor: str) -> str:
    """One edition by its id, every field: as ``Edition.objects.filter(pk=...)`` reads it, written once a process."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in Edition._meta.concrete_fields)
    return f"SELECT {columns} FROM {qn(Edition._meta.db_table)} WHERE {qn(Edition._meta.pk.column)} = %s"


def edition_get(pk) -> Edition | None:
    """The edition with this id, if it is still in the catalogue."""
    if not isinstance(pk, int):  # an id as typed: Django's own checks and errors
        return Edition.objects.filter(pk=pk).first()
    return next(iter(Edition.objects.raw(_edition_query(connection.vendor), [pk])), None)


def edition_retired(pk) -> RetiredEdition | None:
    """What is known of an edition that is no more (merged, or its last holding withdrawn)."""
    return RetiredEdition.objects.filter(edition_id=pk).first()


def edition_successor(retired: RetiredEdition) -> int | None:
    """The id of the edition a retired one was merged into, if that edition is still in the catalogue."""
    if retired.successor_id and Edition.objects.filter(pk=retired.successor_id).exists():
        return retired.successor_id
    return None


def catalogue_counts() -> dict[str, int]:
    """How many editions the union catalogue holds, and how many members' records (withdrawn ones aside)."""
    return {"edition_count": Edition.objects.count(),
            "record_count": SourceRecord.objects.filter(withdrawn=False).count()}


def record_get(pk) -> SourceRecord | None:
    """A member's record (with its library), if there is one."""
    return SourceRecord.objects.select_related("library").filter(pk=pk).first()


def quarantine_get(pk) -> Quarantine | None:
    """A quarantined record (with its library and batch), if there is one."""
    return Quarantine.objects.select_related("library", "batch").filter(pk=pk).first()


def editions_recent(limit: int = 50):
    return Edition.objects.annotate(holding_count=Count("records")).order_by("-updated", "-pk")[:limit]


def batch_get(pk) -> ImportBatch | None:
    """The batch with this id (with its library), if there is one."""
    return ImportBatch.objects.select_related("library").filter(pk=pk).first()


def batch_quarantine(batch: ImportBatch):
    """The records of the batch kept in quarantine."""
    return Quarantine.objects.filter(batch=batch)


def library_batches(library, limit: int = 50):
    """The library's latest batches, each with ``kept``: its quarantine rows (for ``texts.batch_message``)."""
    return ImportBatch.objects.filter(library=library).annotate(kept=Count("quarantine")).order_by("-started")[:limit]


def library_quarantine(library, *, resolved: bool = False):
    return Quarantine.objects.filter(library=library, resolved=resolved).select_related("batch")


def ucs_nodes(library: Library):
    """The SLiMS nodes that push the library's records."""
    return UnionCatalogNode.objects.filter(library=library)


def ucs_node_get(library: Library, pk) -> UnionCatalogNode | None:
    """One of the library's SLiMS nodes, if it has one with this id."""
    return UnionCatalogNode.objects.filter(library=library, pk=pk).first()


def ucs_pushes(library: Library):
    """What the library's SLiMS nodes pushed, the latest first."""
    return ImportBatch.objects.filter(library=library, source=ImportBatch.Source.SLIMS).order_by("-started")


def export_editions() -> Iterator[str]:
    """One JSON line per edition: its id, its work's id (editions of one work: reprints, translations, a
    paper's versions) and its member records with their identifiers and libraries."""
    records = SourceRecord.objects.filter(withdrawn=False).select_related("library").only(
        "pk", "source_id", "edition_id", "library__code")
    qs = Edition.objects.order_by("pk").prefetch_related(Prefetch("records", queryset=records))
    for edition in qs.iterator(chunk_size=2000):
        yield json.dumps({
            "edition": edition.pk,
            "work": edition.work_id,
            "records": [{"id": r.pk, "source_id": r.source_id, "library": r.library.code}
                        for r in edition.records.all()],
        }, ensure_ascii=False)


def _holding_lines(lines) -> list[Holding]:
    """The holdings of a member record's data, skipping malformed lines; one plain holding when none."""
    out = []
    for line in lines if isinstance(lines, list) else ():
        try:
            out.append(Holding(call_number=line.get("call_number") or None, location=line.get("location") or None,
                               items=max(int(line.get("items") or 1), 1)))
        except (AttributeError, TypeError, ValueError):
            continue
    return out or [Holding()]


def edition_export_source(edition: Edition) -> dict | None:
    """What exporting an edition needs: its preferred record (canonical, raw bytes, format) and every holding.

    ``holdings`` are ``(library code, Holding)`` pairs, one per holding line of
    each member record.  None when no member holds the edition any more.
    """
    rows = list(SourceRecord.objects.filter(edition=edition, withdrawn=False)
                .order_by("library__code").values_list("pk", "library__code", "data__holdings"))
    if not rows:
        return None
    ids = [pk for pk, _code, _lines in rows]
    preferred = SourceRecord.objects.only("raw", "format", "data").get(
        pk=edition.preferred_id if edition.preferred_id in ids else ids[0])
    return {
        "record": codec.from_data(preferred.data),
        "raw": bytes(preferred.raw) or None,
        "format": preferred.format,
        "holdings": [(code, h) for _pk, code, lines in rows for h in _holding_lines(lines)],
    }


def new_acquisitions(*, libraries=None, limit: int = 50) -> list[dict]:
    """The editions most recently taken into holdings, newest first, with the preferred record.

    ``libraries`` (a queryset of libraries, or None for all) limits whose
    holdings count.  Each entry: ``edition``, ``record`` (canonical),
    ``added`` (when the newest such holding was created) and ``holders``
    (names of every library holding the edition).
    """
    holdings = SourceRecord.objects.filter(withdrawn=False, edition__isnull=False)
    if libraries is not None:
        holdings = holdings.filter(library__in=libraries)
    latest = list(holdings.values("edition_id").annotate(added=Max("created"))
                  .order_by("-added", "-edition_id")[:limit])
    ids = [row["edition_id"] for row in latest]
    editions = Edition.objects.in_bulk(ids)
    holders: dict[int, list[str]] = {}
    first_record: dict[int, int] = {}
    for edition_id, pk, name in (SourceRecord.objects.filter(edition_id__in=ids, withdrawn=False)
                                 .order_by("library__name").values_list("edition_id", "pk", "library__name")):
        holders.setdefault(edition_id, []).append(name)
        first_record.setdefault(edition_id, pk)
    wanted = {e.pk: e.preferred_id if e.preferred_id else first_record.get(e.pk) for e in editions.values()}
    data = dict(SourceRecord.objects.filter(pk__in=[pk for pk in wanted.values() if pk]).values_list("pk", "data"))
    out = []
    for row in latest:
        edition = editions.get(row["edition_id"])
        record_data = data.get(wanted.get(row["edition_id"])) or data.get(first_record.get(row["edition_id"]))
        if edition is None or record_data is None:
            continue
        out.append({"edition": edition, "record": codec.from_data(record_data), "added": row["added"],
                    "holders": holders.get(edition.pk, [])})
    return out
