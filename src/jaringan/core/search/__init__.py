"""Search over the union catalogue's editions: a small interface, Tantivy behind it.

* ``document`` — ``EditionDocument`` and ``document_from_records``
* ``index``    — ``SearchIndex`` (schema, one writer, readers)
* ``syntax``   — the cataloguer's query language → its syntax tree (``parse``, ``QueryError``)
* ``query``    — the syntax tree → engine queries (ranking fields and boosts)
* ``service``  — ``search(...) -> SearchResult`` (ranking, filters, sort, pages, facets)

Text goes through the shared analyser (``catalog.text``) on both sides.  No
Django here.
"""

from .document import EditionDocument, document_from_records
from .index import SearchIndex, SearchIndexWriter
from .syntax import QueryError, parse
from .service import SearchResult, search

__all__ = [
    "EditionDocument",
    "QueryError",
    "SearchIndex",
    "SearchIndexWriter",
    "SearchResult",
    "document_from_records",
    "parse",
    "search",
]
