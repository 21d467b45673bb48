"""'Did you mean': for a query that found nothing, the nearest words of the index's vocabulary.

Only words the index does not know are replaced, each by the known word at
the smallest edit distance (rapidfuzz's Levenshtein), the more frequent one
on a tie; the suggestion is offered only if it finds something.  It costs a
walk of the term dictionary under the word's first letter, so it runs only
for queries with no hits.  No Django here.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from jaringan.core.catalog.text import tokenise
from jaringan.core.search import QueryError, SearchIndex, search

__all__ = ["suggest"]

#: The vocabulary searched (folded, unstemmed words of every text field).
VOCABULARY_FIELD = "all_words"
#: Words shorter than this are left alone (too many near neighbours).
MIN_LENGTH = 4
#: Candidates walked per first letter, most frequent first.
CANDIDATES = 100_000
_WORD = re.compile(r"[^\W\d_]{2,}")
_OPERATORS = {"AND", "OR", "NOT"}


def _max_distance(word: str) -> int:
    return 1 if len(word) < 7 else 2


def _correction(searcher, word: str) -> str | None:
    terms = searcher.terms_with_prefix(VOCABULARY_FIELD, word[0], limit=CANDIDATES)
    if not terms:
        return None
    frequency = dict(terms)
    found = process.extract(word, list(frequency), scorer=Levenshtein.distance,
                            score_cutoff=_max_distance(word), limit=20)
    if not found:
        return None
    best = min(found, key=lambda f: (f[1], -frequency[f[0]], f[0]))
    return best[0]


def suggest(index: SearchIndex, query: str | None, *, filters=None) -> str | None:
    """A corrected query that finds something, or None."""
    if not query or not query.strip():
        return None
    searcher = index.searcher()
    changed = False
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(query):
        text = match.group(0)
        after = query[match.end():match.end() + 1]
        if text in _OPERATORS or after == ":" or after == "*":
            continue
        words = tokenise(text)
        if len(words) != 1 or len(words[0]) < MIN_LENGTH:
            continue
        word = words[0]
        if searcher.doc_freq(VOCABULARY_FIELD, word) > 0:
            continue
        better = _correction(searcher, word)
        if better is None or better == word:
            continue
        pieces.append(query[last:match.start()])
        pieces.append(better)
        last = match.end()
        changed = True
    if not changed:
        return None
    pieces.append(query[last:])
    suggestion = "".join(pieces)
    try:
        if search(index, suggestion, filters=filters, limit=0).total == 0:
            return None
    except (QueryError, ValueError):
        return None
    return suggestion
