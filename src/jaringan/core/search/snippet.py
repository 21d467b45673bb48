"""A few lines of an abstract around the words a reader searched for, those words marked.

The words of the query are analysed as the index analyses them (folded, stop
words out, Indonesian and English stems), so "perpustakaan" marks "pustaka"
and "libraries" marks "library".  Made from the abstracts a result already
carries (its preferred record's data): no query to the database or the index.

::

    words = QueryWords.of('literasi "perpustakaan sekolah" -skripsi title:mahasiswa')
    html = snippet([("ind", "Penelitian ini ..."), ("eng", "This study ...")], words, prefer="ind")
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from jaringan.core.catalog.text import analyse_tokens, fold, tokenise

__all__ = ["QueryWords", "snippet"]

#: Words shown at most, and before the first marked word.
SNIPPET_WORDS = 36
LEAD_WORDS = 8
#: Words of an abstract looked through for the query's words (an abstract runs to 150-300).
SCANNED_WORDS = 400
#: Words analysed and remembered across pages.
WORDS_KEPT = 50_000

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
#: What the query language adds around words: fields ("title:"), operators, negated words and groups.
_FIELD = re.compile(r"\b[A-Za-z]+:")
_NEGATED = re.compile(r"(?:(?<=\s)|^)-\S+|\bNOT\s+(?:\([^)]*\)|\"[^\"]*\"|\S+)")
_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass(frozen=True, slots=True)
class QueryWords:
    """The terms of a query to mark: stems, folded words, and prefixes (``perpus*``)."""

    terms: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    @classmethod
    def of(cls, query: str | None) -> QueryWords:
        text = _NEGATED.sub(" ", _FIELD.sub(" ", query or ""))
        prefixes = tuple(fold(p) for p in re.findall(r"([^\W_]+)\*", text))
        tokens = [t for t in re.split(r"[\s()\"]+", re.sub(r"[^\w\s()\"-]", " ", text)) if t and t not in _OPERATORS]
        words = [w for t in tokens for w in tokenise(t) if analyse_tokens([w])]  # stop words ("dan") unmarked
        return cls(frozenset(analyse_tokens(words)), frozenset(words), prefixes)

    def __bool__(self) -> bool:
        return bool(self.terms or self.words or self.prefixes)


@lru_cache(maxsize=WORDS_KEPT)
def _word(token: str) -> tuple[str, frozenset[str]]:
    """A token of an abstract folded, and its terms as the index has them."""
    folded = tokenise(token)
    return (folded[0] if len(folded) == 1 else " ".join(folded)), frozenset(analyse_tokens(folded))


def _marks(text: str, words: QueryWords) -> tuple[list[re.Match], list[int]]:
    """The word matches of ``text`` (at most ``SCANNED_WORDS``) and the indexes of those to mark."""
    found = []
    marked = []
    for n, match in enumerate(_WORD.finditer(text)):
        if n >= SCANNED_WORDS:
            break
        found.append(match)
        folded, terms = _word(match.group())
        if folded in words.words or (terms & words.terms) or (words.prefixes and folded.startswith(words.prefixes)):
            marked.append(n)
    return found, marked


def _html(text: str, found: list[re.Match], marked: list[int]) -> str:
    """The window of ``text`` around its first marked word, escaped, marked words in ``<mark>``."""
    first = max(0, marked[0] - LEAD_WORDS) if marked else 0
    last = min(len(found), first + SNIPPET_WORDS) - 1
    if last < first:
        return ""
    start, end = found[first].start(), found[last].end()
    if last == len(found) - 1 and len(found) < SCANNED_WORDS:
        end = len(text)  # the abstract's own ending (its full stop)
    out = ["… " if first > 0 else ""]
    position = start
    chosen = set(marked)
    for n in range(first, last + 1):
        if n in chosen:
            match = found[n]
            out.append(html.escape(text[position:match.start()]))
            out.append(f"<mark>{html.escape(match.group())}</mark>")
            position = match.end()
    out.append(html.escape(text[position:end]))
    if end < len(text):
        out.append(" …")
    return "".join(out)


def snippet(abstracts: Sequence[Sequence], words: QueryWords, *, prefer: str | None = None) -> str:
    """HTML (escaped, matches in ``<mark>``) of the abstract that has the query's words, in the reader's
    language (``prefer``, ISO 639-2) when two have them alike; the beginning of that abstract when none
    has them; "" when there is no abstract."""
    texts = [(lang, text) for lang, text in abstracts if text]
    if not texts:
        return ""
    texts.sort(key=lambda pair: pair[0] != prefer)  # the reader's language first, else as recorded
    best = None
    for _lang, text in texts:
        found, marked = _marks(text, words) if words else (list(_WORD.finditer(text, 0, 20_000))[:SCANNED_WORDS], [])
        if best is None or len(marked) > len(best[2]):
            best = (text, found, marked)
        if marked and not words.prefixes and len({_word(found[n].group())[0] for n in marked}) >= len(words.words):
            break  # every word of the query is already marked here
    return _html(*best)
