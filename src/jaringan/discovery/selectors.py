"""Reads of the search index for pages, the API and the SRU server.

``edition_search`` runs the search service on the current index and loads
the editions of the hits from the database (two queries, whatever the page
size), in hit order.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from jaringan.catalog.models import Edition, SourceRecord
from jaringan.core.catalog import codec
from jaringan.core.search import EditionDocument, SearchIndex, SearchResult, search
from jaringan.core.search.service import FILTERS
from jaringan.network.models import Library
from jaringan.serials.selectors import Covered, holders_by_edition

from .documents import build_documents, part_of
from .store import IndexStore, store_for

__all__ = [
    "FACETS",
    "FILTERS",
    "Hit",
    "HitEdition",
    "SearchPage",
    "current_index",
    "documents_for",
    "edition_search",
    "index_store",
]

#: Facets shown on the search page: every one (and each is a filter: ``FILTERS``).
FACETS = FILTERS


def index_store() -> IndexStore:
    """The process-wide store of ``settings.SEARCH_INDEX_DIR``."""
    return store_for(settings.SEARCH_INDEX_DIR)


def current_index() -> SearchIndex:
    """The index readers search: process-wide, and fresh (sees what other processes committed).

    A read: it never rebuilds. An index left by an older version (another
    schema) raises ``IndexOutdated`` (search unavailable) until a writer
    rebuilds it: ``jaringan serve`` at start (``ensure_index``), ``jaringan
    reindex``, or the next change the outbox applies (``services``).
    """
    return index_store().index()


def documents_for(edition_ids: Iterable[int]) -> list[EditionDocument]:
    """Search documents of editions, built set-wise from the database (see ``documents``)."""
    return build_documents(edition_ids)


@dataclass(slots=True)
class HitEdition:
    """What a result shows of its edition (pages and API alike), read as values rather than model instances
    (a page's twenty results cost a fifth of a millisecond less)."""

    pk: int
    title: str
    year: int | None
    format: str
    language: str
    #: The preferred record's data ({} when the edition has none).
    data: dict
    #: Libraries holding it (withdrawn records aside).
    holding_count: int = 0


@dataclass
class Hit:
    edition: HitEdition
    score: float | None
    #: Codes and names of the holding libraries, in name order.
    libraries: list[tuple[str, str]] = field(default_factory=list)
    #: For a serial or an article: its serial and the members whose holdings cover it (their volume and year).
    covered: Covered | None = None

    @property
    def holding_count(self) -> int:
        return self.edition.holding_count


@dataclass
class SearchPage:
    """One page of results: the engine's answer and the editions it names, in hit order."""

    result: SearchResult
    hits: list[Hit]
    offset: int
    limit: int

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def facets(self) -> dict[str, list[tuple[str, int]]]:
        return self.result.facets

    @property
    def facets_estimated(self) -> bool:
        return self.result.facets_estimated


def edition_search(
    *,
    query: str | None,
    filters: Mapping[str, Sequence] | None = None,
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 20,
    facets: Sequence[str] = (),
) -> SearchPage:
    """Search the union catalogue; raises ``QueryError`` for a query that cannot be searched
    and ValueError for a bad filter, facet, sort or page.

    The facet counts of a very large result are estimated from a sample
    (``page.result.facets_estimated``; see ``core.search.service``).
    """
    result = search(current_index(), query, filters=filters, sort=sort, offset=offset, limit=limit, facets=facets)
    return SearchPage(result=result, hits=_hits(result.hits), offset=offset, limit=limit)


@functools.cache
def _hits_queries(vendor: str) -> tuple[str, str]:
    """The two reads of a page's hits, with ``{}`` for the editions' ids (``%s, %s, …``), tables and columns
    named as the models name them; written once a process (the ORM's building of the two queries cost
    it five times as much as running them):

    - each edition's ``HitEdition`` fields with its preferred record's data (``Edition.objects.filter(pk__in=
      ids).values_list("pk", "title", "year", "format", "language", "preferred__data")``);
    - each edition's holding libraries, by name (``SourceRecord.objects.filter(edition_id__in=ids,
      withdrawn=False).order_by("library__name").values_list("edition_id", "library__code", "library__name")``).
    """
    qn = connection.ops.quote_name
    e, r, lib = Edition._meta, SourceRecord._meta, Library._meta

    def col(alias: str, meta, name: str) -> str:
        return f"{alias}.{qn(meta.get_field(name).column)}"

    editions = (f"SELECT {', '.join(col('e', e, name) for name in ('id', 'title', 'year', 'format', 'language'))}, "
                f"{col('p', r, 'data')} FROM {qn(e.db_table)} e "
                f"LEFT OUTER JOIN {qn(r.db_table)} p ON {col('e', e, 'preferred')} = {col('p', r, 'id')} "
                f"WHERE {col('e', e, 'id')} IN ({{}})")
    libraries = (f"SELECT {col('r', r, 'edition')}, {col('l', lib, 'code')}, {col('l', lib, 'name')} "
                 f"FROM {qn(r.db_table)} r INNER JOIN {qn(lib.db_table)} l ON {col('r', r, 'library')} = "
                 f"{col('l', lib, 'id')} WHERE {col('r', r, 'edition')} IN ({{}}) AND NOT {col('r', r, 'withdrawn')} "
                 f"ORDER BY {col('l', lib, 'name')}")
    return editions, libraries


_DATA = SourceRecord._meta.get_field("data")


def _hits(hits: list[tuple[str, float | None]]) -> list[Hit]:
    """The editions of the hits with their preferred record's data and holding libraries: two queries."""
    ids = [int(e) for e, _score in hits if str(e).isdigit()]
    if not ids:
        return []
    editions_sql, libraries_sql = (sql.format(", ".join(["%s"] * len(ids)))
                                   for sql in _hits_queries(connection.vendor))
    with connection.cursor() as cursor:
        cursor.execute(editions_sql, ids)
        editions = {row[0]: HitEdition(*row[:5], data=_DATA.from_db_value(row[5], None, connection) or {})
                    for row in cursor.fetchall()}
        cursor.execute(libraries_sql, ids)
        rows = cursor.fetchall()
    libraries: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for edition_id, code, name in rows:
        libraries[edition_id].append((code, name))
    out = []
    for edition_id, score in hits:
        edition = editions.get(int(edition_id)) if str(edition_id).isdigit() else None
        if edition is not None:  # an edition deleted since the index last heard: skipped
            edition.holding_count = len(libraries[edition.pk])
            out.append(Hit(edition=edition, score=score, libraries=libraries[edition.pk]))
    _cover(out)
    return out


#: Formats whose results are asked of the union catalogue of serials (and records that name a journal).
JOURNAL_FORMATS = ("serial", "article")


def _cover(hits: list[Hit]) -> None:
    """Each serial's or article's members holding it (no query when the page has neither)."""
    parts = []
    for hit in hits:
        data = hit.edition.data
        if hit.edition.format in JOURNAL_FORMATS or data.get("container"):
            if part := part_of(hit.edition.pk, codec.from_data(data)):
                parts.append(part)
    if parts:
        covered = holders_by_edition(parts)
        for hit in hits:
            hit.covered = covered.get(hit.edition.pk)
