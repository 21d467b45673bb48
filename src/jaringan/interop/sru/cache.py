"""What one server process keeps between SRU requests: rendered records, compiled queries, counts.

* Rendered records are kept by (edition id, the edition's ``updated``
  datestamp, schema, site address): a record whose edition or holdings
  changed has a new datestamp, so it is rendered again and never served
  stale. Zebra serves the records it stored at indexing time; this is the
  same idea kept in memory, filled on first use.
* A CQL query's translation and its engine query depend on the text alone
  (and the index's schema), never on the data: they are kept by query text.
* A count (``maximumRecords=0``) is kept by query and index version: the
  next commit that reaches the process makes it again (see ``search.run``).

Sizes: ``SRU_RECORD_CACHE`` (records, default 5,000 per process) and
``SRU_QUERY_CACHE`` (queries and counts, default 1,024 each); 0 turns either off.
"""

from __future__ import annotations

from django.conf import settings

from jaringan.lru import LRU

__all__ = ["LRU", "query_cache_size", "record_cache_size"]

DEFAULT_RECORDS = 5_000
DEFAULT_QUERIES = 1_024


def record_cache_size() -> int:
    return int(getattr(settings, "SRU_RECORD_CACHE", DEFAULT_RECORDS))


def query_cache_size() -> int:
    return int(getattr(settings, "SRU_QUERY_CACHE", DEFAULT_QUERIES))
