"""Running a translated CQL query on the catalogue's search index, and scanning its word lists.

The query tree goes to the search core's own builder (``build_query``), so
SRU finds exactly what the catalogue's search page finds for the same
question: the same analyser (Indonesian and English stemming), the same
field weights. Scan walks the index's term dictionary of unstemmed words
(``title_words``, ``author_words``, ...), so each term shown is a word as
catalogued and its count is the number of editions holding it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import tantivy

from jaringan.core.catalog.text import tokenise
from jaringan.core.search.query import QueryError, build_query
from jaringan.discovery.selectors import current_index

from .cache import LRU, query_cache_size
from .cql import Translated, only_stopwords, translate
from .diagnostics import Diagnostic

__all__ = ["Found", "run", "scan", "translate_cached"]

#: Tantivy's top-k costs grow with the offset; past this a client should narrow its query.
MAX_START = 100_000


@dataclass(frozen=True)
class Found:
    total: int
    edition_ids: list[int]


_translations = LRU(query_cache_size)
_compiled = LRU(query_cache_size)
_counts = LRU(query_cache_size)


def translate_cached(query: str) -> Translated:
    """:func:`cql.translate`, kept by query text (a Diagnostic is raised again each time)."""
    found = _translations.get(query)
    if found is None:
        found = translate(query)
        _translations.put(query, found)
    return found


def _engine_query(node, index) -> tantivy.Query:
    key = (node, index.path)
    query = _compiled.get(key)
    if query is None:
        try:
            query = build_query(node, index.schema)
        except QueryError as error:
            raise Diagnostic(35 if only_stopwords(node) else 10, str(error)) from None
        _compiled.put(key, query)
    return query


def run(translated: Translated, *, offset: int, limit: int) -> Found:
    """The matching editions' count and the ids of one page, in rank (or sort) order."""
    index = current_index()
    query = _engine_query(translated.node, index)
    if limit == 0:
        return Found(total=_count(translated.node, query, index), edition_ids=[])
    searcher = index.searcher()
    options = {}
    if translated.sort in ("year", "-year"):
        options = {"order_by_field": "year",
                   "order": tantivy.Order.Asc if translated.sort == "year" else tantivy.Order.Desc}
    elif translated.sort == "title":
        options = {"order_by_field": "title_sort", "order": tantivy.Order.Asc}
    offset = min(offset, MAX_START)
    found = searcher.search(query, max(limit, 1), count=True, offset=offset, **options)
    ids = []
    for _score, address in found.hits[:limit]:
        value = searcher.doc(address).get_first("edition_id")
        if value is not None and str(value).isdigit():
            ids.append(int(value))
    return Found(total=found.count, edition_ids=ids)


def _count(node, query: tantivy.Query, index) -> int:
    """The number of matching editions, kept until the index's next commit reaches this process.

    The answer to a count depends on the query and the index's contents
    alone, so it is kept by query and index version (the generation and the
    commits reloaded into it), as search engines keep the answers of requests
    for no hits (Elasticsearch's shard request cache): a new commit changes
    the version, and the count is made again.
    """
    key = (node, index.path, index.version)  # the version is read before the searcher is taken
    total = _counts.get(key)
    if total is None:
        # Ordered by a fast field, Tantivy skips scoring every match.
        total = index.searcher().search(query, 1, count=True, order_by_field="year").count
        _counts.put(key, total)
    return total


def _sorted_terms(searcher, field: str, prefix: str) -> list[tuple[str, int]]:
    return sorted(searcher.terms_with_prefix(field, prefix))


def scan(field: str, term: str, *, position: int, maximum: int) -> list[tuple[str, int]]:
    """``maximum`` (word, editions) pairs around ``term``: the first word at or after it is at
    ``position`` (1 = first in the list, 0 = just before the list)."""
    words = tokenise(term or "")
    start = words[0] if words else ""
    searcher = current_index().searcher()
    terms = _sorted_terms(searcher, field, start[:1]) if start else _sorted_terms(searcher, field, "")
    at = bisect.bisect_left(terms, (start, -1))
    begin = at - (position - 1)
    if start and (begin < 0 or begin + maximum > len(terms)):  # the window leaves the first letter's words
        terms = _sorted_terms(searcher, field, "")
        at = bisect.bisect_left(terms, (start, -1))
        begin = at - (position - 1)
    return terms[max(begin, 0):max(begin + maximum, 0)]
