"""The search interface: one function, engine-neutral inputs and outputs.

Callers pass a query string, filters, a sort, a page and the facets they
want, and get plain data back, so Tantivy can later be replaced by a
distributed engine behind the same function.

Ranking is BM25 with field weights (title and author above subject, series,
publisher and notes), a bonus when the words form a phrase in the title, and
nothing for the number of holding libraries: a widely held edition never
buries a rare one that matches better.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import tantivy

from .index import FACET_FIELDS, SearchIndex
from .query import QueryError, compile_query  # noqa: F401  (raised through search)

__all__ = ["FILTER_FIELDS", "SORTS", "SearchResult", "search"]

#: Filter name → raw field (values in one filter are ORed, filters are ANDed).
FILTER_FIELDS = {
    "library": "library",
    "network": "network",
    "kind": "kind",
    "format": "format",
    "language": "language",
    "subject": "subject_facet",
}
SORTS = ("relevance", "year", "-year", "title")
MAX_LIMIT = 1000
MAX_OFFSET = 100_000
DEFAULT_FACET_SIZE = 50
#: Terms kept per index segment while aggregating: counts are exact while a
#: segment holds fewer distinct values than this (Tantivy caps buckets at 65,000).
FACET_SEGMENT_SIZE = 60_000
_YEAR_FILTER = re.compile(r"\s*(\d{1,4})?\s*(-)?\s*(\d{1,4})?\s*")


@dataclass(frozen=True, slots=True)
class SearchResult:
    """``total`` matches; ``hits`` of the requested page as (edition_id, score);
    ``facets`` as {name: [(value, count), ...]}, most frequent first.

    ``score`` is the relevance score, or None when sorted by year or title.
    """

    total: int
    hits: list[tuple[str, float | None]] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _const(query: tantivy.Query) -> tantivy.Query:
    """A filter: restricts matches, adds nothing to the score."""
    return tantivy.Query.const_score_query(query, 0.0)


def _filter_query(index: SearchIndex, name: str, values: Iterable) -> tantivy.Query:
    values = [v for v in values if v is not None and str(v) != ""]
    if name == "year":
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, _year_filter(index, v)) for v in values])
    if name == "available":
        return tantivy.Query.term_set_query(index.schema, "available", [_truthy(v) for v in values])
    if name not in FILTER_FIELDS:
        raise ValueError(f"unknown filter {name!r}; known: {sorted([*FILTER_FIELDS, 'year', 'available'])}")
    return tantivy.Query.term_set_query(index.schema, FILTER_FIELDS[name], [str(v) for v in values])


def _truthy(value) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes", "ya")


def _year_filter(index: SearchIndex, value) -> tantivy.Query:
    found = _YEAR_FILTER.fullmatch(str(value))
    if found is None or not (found.group(1) or found.group(3)):
        raise ValueError(f"year filter {value!r}: expected 1990 or 1990-2000")
    lower = int(found.group(1)) if found.group(1) else None
    upper = int(found.group(3)) if found.group(3) else None
    if not found.group(2):
        upper = lower
    return tantivy.Query.range_query(index.schema, "year", tantivy.FieldType.Integer, lower, upper)


def _facets(searcher: tantivy.Searcher, query: tantivy.Query, names: Sequence[str], size: int) -> dict:
    unknown = [n for n in names if n not in FACET_FIELDS]
    if unknown:
        raise ValueError(f"unknown facet(s) {unknown}; known: {sorted(FACET_FIELDS)}")
    if not names:
        return {}
    spec = {
        name: {"terms": {"field": FACET_FIELDS[name], "size": size, "segment_size": FACET_SEGMENT_SIZE}}
        for name in names
    }
    raw = searcher.aggregate(query, spec)
    facets = {}
    for name in names:
        buckets = [(str(b["key"]), int(b["doc_count"])) for b in raw.get(name, {}).get("buckets", [])]
        if name == "year":
            buckets = [(str(int(float(k))), c) for k, c in buckets]
        facets[name] = sorted((b for b in buckets if b[1] > 0), key=lambda b: (-b[1], b[0]))
    return facets


def search(
    index: SearchIndex,
    query: str | None,
    *,
    filters: Mapping[str, Sequence] | None = None,
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 20,
    facets: Sequence[str] = (),
    facet_size: int = DEFAULT_FACET_SIZE,
) -> SearchResult:
    """Search the edition index.

    ``query`` follows the language of :mod:`.query`; an empty or blank query
    matches every edition (browsing by filters and facets).  ``filters`` maps
    a filter name (``library``, ``network``, ``kind``, ``format``,
    ``language``, ``subject``, ``year`` as "1990" or "1990-2000",
    ``available``) to accepted values.  Facets are counted over the filtered
    result set.  Raises :class:`QueryError` for a query that cannot be
    searched and ValueError for a bad filter, facet, sort or page.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; known: {SORTS}")
    if not 0 <= offset <= MAX_OFFSET:
        raise ValueError(f"offset must be between 0 and {MAX_OFFSET}")
    if not 0 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 0 and {MAX_LIMIT}")
    if query is None or not str(query).strip():
        main = tantivy.Query.all_query()
    else:
        main = compile_query(query, index.schema)
    clauses = [(tantivy.Occur.Must, main)]
    for name, values in (filters or {}).items():
        values = list(values) if not isinstance(values, str) else [values]
        if values:
            clauses.append((tantivy.Occur.Must, _const(_filter_query(index, name, values))))
    final = main if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)

    searcher = index.searcher()
    kwargs = {}
    if sort in ("year", "-year"):
        kwargs = {"order_by_field": "year", "order": tantivy.Order.Asc if sort == "year" else tantivy.Order.Desc}
    elif sort == "title":
        kwargs = {"order_by_field": "title_sort", "order": tantivy.Order.Asc}
    # Tantivy panics on limit 0: always ask for at least one hit.
    found = searcher.search(final, max(limit, 1), count=True, offset=offset, **kwargs)
    hits = []
    for key, address in found.hits[:limit]:
        edition_id = searcher.doc(address).get_first("edition_id")
        hits.append((edition_id, float(key) if sort == "relevance" else None))
    return SearchResult(total=found.count, hits=hits, facets=_facets(searcher, final, list(facets), facet_size))
