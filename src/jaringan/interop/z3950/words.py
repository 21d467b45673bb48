"""The words Zebra indexes for an edition: the union catalogue's own search text, spelled so that
a Z39.50 query finds what the same query finds over ``/sru``.

Jaringan searches an edition by the text of all its member records (the search document), each
word analysed (folded, stop words out, Indonesian and English stemmed: "perpustakaan",
"kepustakaan" and "pustaka" are one term), and analyses a query the same way. Zebra cannot stem
a query. So each term an edition holds is written for Zebra as every word of the catalogue that
analyses to it (its *spellings*, learnt from the catalogue's own text): a Z39.50 query for
"perpustakaan" reaches an edition that says only "pustaka", as ``/sru`` does.

Each word's spellings are written with the word itself first and last ("pustaka perpustakaan
kepustakaan pustaka"), so two words that stand side by side in the text still stand side by side
for a phrase query. Stop words are left out, as the search index leaves them out.

A spelling the catalogue learns later reaches editions already written when they are written again
(a change, or the next full export).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from jaringan.core.catalog.text import analyse_tokens, tokenise
from jaringan.core.search.document import EditionDocument
from jaringan.core.search.index import text_values

__all__ = ["ZEBRA_INDEXES", "Vocabulary", "edition_words"]

#: The search index's text fields → the Bib-1 indexes (``bib1.att`` names) Zebra gives them.
ZEBRA_INDEXES = {
    "title": "Title:w Any:w",
    "author": "Author:w Author-name-personal:w Any:w",
    "subject": "Subject-heading:w Any:w",
    "series": "Title-series:w Any:w",
    "publisher": "Publisher:w Any:w",
    "notes": "Note:w Any:w",
    "all": "Any:w",
}


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The search index's terms of one folded word (none for a stop word; a term each part of some
    hyphenated words)."""
    return tuple(" ".join(analyse_tokens([word])).split())


class Vocabulary:
    """Term → the words of the catalogue that analyse to it."""

    def __init__(self, spellings: dict[str, set[str]] | None = None) -> None:
        self._spellings: dict[str, set[str]] = defaultdict(set, spellings or {})

    def learn(self, texts: Iterable[str | None]) -> int:
        """Learn the words of ``texts``; returns how many spellings were new."""
        new = 0
        for text in texts:
            for word in tokenise(text or ""):
                for term in word_terms(word):
                    known = self._spellings[term]
                    if word not in known:
                        known.add(word)
                        new += 1
        return new

    def learn_edition(self, edition: EditionDocument) -> int:
        return self.learn(value for _field, values in text_values(edition) for value in values)

    def spellings(self, term: str) -> list[str]:
        """The words a reader may type for ``term``, sorted; the term itself among them when it is
        a word that analyses to itself ("pustaka")."""
        words = set(self._spellings.get(term, ()))
        if word_terms(term) == (term,):
            words.add(term)
        return sorted(words)

    def __len__(self) -> int:
        return sum(len(words) for words in self._spellings.values())

    def save(self, path: Path) -> None:
        data = {term: sorted(words) for term, words in sorted(self._spellings.items()) if words}
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({term: set(words) for term, words in data.items()})


def _spelled(text: str, vocabulary: Vocabulary) -> str:
    out: list[str] = []
    for word in tokenise(text):
        for term in word_terms(word):
            # A hyphenated spelling ("sosial-ekonomi") is left out: Zebra would index each of its parts.
            others = [w for w in vocabulary.spellings(term) if w != word and "-" not in w]
            out += [word, *others, word] if others else [word]
    return " ".join(out)


def edition_words(edition: EditionDocument, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(field of :data:`ZEBRA_INDEXES`, words to index) for each text value of ``edition``."""
    found = []
    for field, values in text_values(edition):
        for value in values:
            if value and (words := _spelled(value, vocabulary)):
                found.append((field, words))
    return found
