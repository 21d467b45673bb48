"""The search interface: one function, engine-neutral inputs and outputs.

Callers pass a query string, filters, a sort, a page and the facets they
want, and get plain data back, so Tantivy can later be replaced by a
distributed engine behind the same function.

Facets are counted over the whole result while it holds at most
``FACET_EXACT_LIMIT`` editions.  Beyond that (a one-word query on a
million-edition catalogue matches 100,000 and more) they are counted on a
uniform sample of ``FACET_SAMPLE_TARGET`` to twice as many of the matching
editions (one ``sample`` level of the index) and scaled up: the result says
``facets_estimated`` and a page shows "about".  This bounds the cost of a
search whatever the size of its result.

Ranking is BM25: an edition matched anywhere (the ``all`` field, which holds
series, publisher and notes too) ranks up where the words are in its title,
then author, then subject; a bonus when the words form a phrase in the title;
and nothing for the number of holding libraries: a widely held edition never
buries a rare one that matches better.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import tantivy

from .index import FACET_FIELDS, SAMPLE_LEVELS, SearchIndex, subject_key
from .query import build_query
from .syntax import QueryError, parse  # noqa: F401  (QueryError: raised through search)

__all__ = ["FILTERS", "SORTS", "SearchResult", "search"]

#: Filters the search accepts: one for each facet (see ``index.FACET_FIELDS``).
FILTERS = tuple(FACET_FIELDS)
SORTS = ("relevance", "year", "-year", "title")
MAX_LIMIT = 1000
MAX_OFFSET = 100_000
DEFAULT_FACET_SIZE = 20
#: Terms kept per index segment while aggregating, at most: counts are exact while a
#: segment holds fewer distinct values than this (Tantivy caps buckets at 65,000).
FACET_SEGMENT_SIZE = 60_000
#: Terms kept per segment for each term asked for: turning a term number back into its
#: text costs (~10 µs each), so a facet of many values (subjects) keeps little more than
#: it shows.  Counts of values beyond a segment's share can then come out a little low.
FACET_SEGMENT_FACTOR = 2
#: Results larger than this have their facets counted on a sample ...
FACET_EXACT_LIMIT = 3_000
#: ... of this many editions to twice as many (counting costs ~0.8 ms per 1,000 editions for
#: all facets; a value held by a tenth of the result is then estimated within about 6 %).
FACET_SAMPLE_TARGET = 1_500
_YEAR_FILTER = re.compile(r"\s*(\d{1,4})?\s*(-)?\s*(\d{1,4})?\s*")


@dataclass(frozen=True, slots=True)
class SearchResult:
    """``total`` matches; ``hits`` of the requested page as (edition_id, score);
    ``facets`` as {name: [(value, count), ...]}, most frequent first.

    ``score`` is the relevance score, or None when sorted by year or title.
    ``facets_estimated``: the facet counts were scaled up from a sample (the
    result was larger than ``FACET_EXACT_LIMIT``).
    """

    total: int
    hits: list[tuple[str, float | None]] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    facets_estimated: bool = False


def _const(query: tantivy.Query) -> tantivy.Query:
    """A filter: restricts matches, adds nothing to the score."""
    return tantivy.Query.const_score_query(query, 0.0)


def _filter_query(index: SearchIndex, name: str, values: Iterable) -> tantivy.Query:
    values = [v for v in values if v is not None and str(v) != ""]
    if name == "year":
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, _year_filter(index, v)) for v in values])
    if name == "available":
        return tantivy.Query.term_set_query(index.schema, "available", [_truthy(v) for v in values])
    if name not in FACET_FIELDS:
        raise ValueError(f"unknown filter {name!r}; known: {sorted(FILTERS)}")
    return tantivy.Query.term_set_query(index.schema, FACET_FIELDS[name], [str(v) for v in values])


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


#: Facets counted by another field than their name says: subjects by their number.
COUNTED_BY = {"subject": "subject_key"}
#: Numbers kept per segment (ten times more than text terms, for the same cost).
NUMBER_SEGMENT_SIZE = 400
#: Subject numbers whose text is known, kept across searches (a number always means one text).
SUBJECT_LABELS_KEPT = 100_000
_subject_labels: dict[int, str] = {}


def _facets(index: SearchIndex, searcher: tantivy.Searcher, query: tantivy.Query, names: Sequence[str],
            size: int, scale: float = 1.0, total: int | None = None) -> dict:
    if not names:
        return {}
    segment_size = min(FACET_SEGMENT_SIZE, size * FACET_SEGMENT_FACTOR)
    spec = {}
    for name in names:
        if name == "year":  # every year, whatever ``size``: a histogram of one-year buckets
            spec[name] = {"histogram": {"field": "year", "interval": 1, "min_doc_count": 1}}
        elif name in COUNTED_BY:  # numbers: cheap to keep many per segment
            kept = min(FACET_SEGMENT_SIZE, max(NUMBER_SEGMENT_SIZE, segment_size))
            spec[name] = {"terms": {"field": COUNTED_BY[name], "size": size, "segment_size": kept}}
        else:
            spec[name] = {"terms": {"field": FACET_FIELDS[name], "size": size, "segment_size": segment_size}}
    raw = searcher.aggregate(query, spec)
    facets = {}
    for name in names:
        found = raw.get(name, {}).get("buckets", [])
        if name == "year":
            buckets = [(str(int(float(b["key"]))), int(b["doc_count"])) for b in found]
        elif name == "subject":
            labels = _subjects(index, searcher, [int(float(b["key"])) for b in found])
            buckets = [(labels[int(float(b["key"]))], int(b["doc_count"])) for b in found
                       if int(float(b["key"])) in labels]
        else:
            buckets = [(str(b.get("key_as_string", b["key"])), int(b["doc_count"])) for b in found]
        if scale != 1.0:
            buckets = [(k, min(total, round(c * scale)) if total is not None else round(c * scale))
                       for k, c in buckets]
        facets[name] = sorted((b for b in buckets if b[1] > 0), key=lambda b: (-b[1], b[0]))
    return facets


def _subjects(index: SearchIndex, searcher: tantivy.Searcher, keys: list[int]) -> dict[int, str]:
    """The text of subject numbers: remembered, else read from one edition that has it."""
    out = {}
    for key in keys:
        label = _subject_labels.get(key)
        if label is None:
            found = searcher.search(tantivy.Query.term_query(index.schema, "subject_key", key), 1)
            if found.hits:
                texts = searcher.doc(found.hits[0][1]).get_all("subject_facet")
                label = next((t for t in texts if subject_key(t) == key), None)
            if label is None:
                continue
            if len(_subject_labels) >= SUBJECT_LABELS_KEPT:
                _subject_labels.clear()
            _subject_labels[key] = label
        out[key] = label
    return out


def _sample(index: SearchIndex, query: tantivy.Query, total: int) -> tuple[tantivy.Query, float]:
    """A uniform sample of a large result (one nested level: a single posting list to intersect),
    and the factor that scales its counts up."""
    level = min(SAMPLE_LEVELS, int(math.log2(total / FACET_SAMPLE_TARGET)))
    if level < 1:
        return query, 1.0
    chosen = tantivy.Query.term_query(index.schema, "sample", str(level))
    sampled = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, chosen)])
    return sampled, float(1 << level)


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
    ``language``, ``subject``, ``journal``, ``year`` as "1990" or "1990-2000",
    ``available``) to accepted values.  Facets are counted over the filtered
    result set.  Raises :class:`QueryError` for a query that cannot be
    searched and ValueError for a bad filter, facet, sort or page.
    """
    _check(sort=sort, facets=facets, offset=offset, limit=limit)
    searcher = index.searcher()
    ranked, counted = _queries(index, searcher, query, filters, sort)
    # Tantivy panics on limit 0: always ask for at least one hit.
    found = searcher.search(ranked, max(limit, 1), count=True, offset=offset, **SORT_ORDERS[sort])
    hits = []
    for key, address in found.hits[:limit]:
        edition_id = searcher.doc(address).get_first("edition_id")
        hits.append((edition_id, float(key) if sort == "relevance" else None))
    scale = 1.0
    if facets and found.count > FACET_EXACT_LIMIT:
        counted, scale = _sample(index, counted, found.count)
    return SearchResult(total=found.count, hits=hits, facets_estimated=scale != 1.0,
                        facets=_facets(index, searcher, counted, list(facets), facet_size, scale, found.count))


#: Sort → how Tantivy orders the hits (relevance: by score, its default).
SORT_ORDERS = {
    "relevance": {},
    "year": {"order_by_field": "year", "order": tantivy.Order.Asc},
    "-year": {"order_by_field": "year", "order": tantivy.Order.Desc},
    "title": {"order_by_field": "title_sort", "order": tantivy.Order.Asc},
}
assert tuple(SORT_ORDERS) == SORTS


def _check(*, sort: str, facets: Sequence[str], offset: int, limit: int) -> None:
    """ValueError for a sort, facet, offset or limit the search does not take."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; known: {SORTS}")
    unknown = [n for n in facets if n not in FACET_FIELDS]
    if unknown:
        raise ValueError(f"unknown facet(s) {unknown}; known: {sorted(FACET_FIELDS)}")
    if not 0 <= offset <= MAX_OFFSET:
        raise ValueError(f"offset must be between 0 and {MAX_OFFSET}")
    if not 0 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 0 and {MAX_LIMIT}")


def _queries(index: SearchIndex, searcher: tantivy.Searcher, query: str | None,
             filters: Mapping[str, Sequence] | None, sort: str) -> tuple[tantivy.Query, tantivy.Query]:
    """The query whose hits are shown (ranked when sorted by relevance) and the one facets are counted
    on, which needs the matches only, not their rank: a cheaper query."""
    if query is None or not str(query).strip():
        main = matching = tantivy.Query.all_query()
    else:
        node = parse(query)
        matching = build_query(node, index.schema, matching_only=True, searcher=searcher)
        main = build_query(node, index.schema, searcher=searcher) if sort == "relevance" else matching
    restrictions = []
    for name, values in (filters or {}).items():
        values = list(values) if not isinstance(values, str) else [values]
        if values:
            restrictions.append((tantivy.Occur.Must, _const(_filter_query(index, name, values))))
    if not restrictions:
        return main, matching
    return (tantivy.Query.boolean_query([(tantivy.Occur.Must, main), *restrictions]),
            tantivy.Query.boolean_query([(tantivy.Occur.Must, matching), *restrictions]))
