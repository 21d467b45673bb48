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
from itertools import islice

from jaringan.core.catalog.text import analyse_tokens, fold, tokenise

__all__ = ["QueryWords", "snippet"]

#: Words shown at most, and before the first marked word.
SNIPPET_WORDS = 36
LEAD_WORDS = 8
#: Characters of an abstract looked through for the query's words (an abstract runs to 150-300 words).
SCANNED_CHARACTERS = 4_000
#: How far back from the first marked word the lead words are looked for.
LEAD_CHARACTERS = 200
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
    #: Words of a text that may be one of these (they hold a term's core): the only ones analysed.
    candidates: re.Pattern | None = None

    @classmethod
    def of(cls, query: str | None) -> QueryWords:
        text = _NEGATED.sub(" ", _FIELD.sub(" ", query or ""))
        prefixes = tuple(fold(p) for p in re.findall(r"([^\W_]+)\*", text))
        tokens = [t for t in re.split(r"[\s()\"]+", re.sub(r"[^\w\s()\"-]", " ", text)) if t and t not in _OPERATORS]
        words = [w for t in tokens for w in tokenise(t) if analyse_tokens([w])]  # stop words ("dan") unmarked
        terms = frozenset(analyse_tokens(words))
        # A word's stem lies within it, but for the root's first letter, which Indonesian prefixes may
        # change ("menulis" → "tulis", "peminjaman" → "pinjam"): look for the rest of it.
        cores = {t[1:] if len(t) > 3 else t for t in terms} | set(words) | set(prefixes)
        cores = sorted((re.escape(c) for c in cores if c), key=len, reverse=True)
        pattern = re.compile("|".join(cores)) if cores else None  # searched in the text in lower case
        return cls(terms, frozenset(words), prefixes, pattern)

    def __bool__(self) -> bool:
        return self.candidates is not None




@lru_cache(maxsize=WORDS_KEPT)
def _word(token: str) -> tuple[str, frozenset[str]]:
    """A token of an abstract folded, and its terms as the index has them."""
    folded = tokenise(token)
    return (folded[0] if len(folded) == 1 else " ".join(folded)), frozenset(analyse_tokens(folded))


def _word_start(text: str, position: int) -> int:
    """Where the word holding ``position`` starts (hyphens and apostrophes within a word)."""
    while position > 0 and (text[position - 1].isalnum() or text[position - 1] in _JOINERS
                            and position > 1 and text[position - 2].isalnum()):
        position -= 1
    return position


_JOINERS = "-'’"


def _marks(text: str, words: QueryWords) -> list[re.Match]:
    """The words of ``text`` (its first ``SCANNED_CHARACTERS``) that are words of the query: found by a
    core of one (a plain search), then taken whole and analysed."""
    marked = []
    after = 0
    lowered = text[:SCANNED_CHARACTERS].lower()
    if len(lowered) != min(len(text), SCANNED_CHARACTERS):  # a letter whose lower case is longer ("İ")
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text[:SCANNED_CHARACTERS])
    for core in words.candidates.finditer(lowered):
        if core.start() < after:
            continue  # within a word already looked at
        match = _WORD.match(text, _word_start(text, core.start()))
        if match is None:
            continue
        after = match.end()
        folded, terms = _word(match.group())
        if folded in words.words or (terms & words.terms) or (words.prefixes and folded.startswith(words.prefixes)):
            marked.append(match)
    return marked


def _html(text: str, marked: list[re.Match]) -> str:
    """About ``SNIPPET_WORDS`` words of ``text`` from a little before its first marked word, escaped, marked
    words in ``<mark>``."""
    first = marked[0].start() if marked else 0
    before = [m.start() for m in _WORD.finditer(text, max(0, first - LEAD_CHARACTERS), first)]
    start = before[-LEAD_WORDS] if len(before) >= LEAD_WORDS else (0 if first <= LEAD_CHARACTERS else before[0])
    shown = list(islice(_WORD.finditer(text, start), SNIPPET_WORDS + 1))
    if not shown:
        return ""
    cut = len(shown) > SNIPPET_WORDS
    end = shown[SNIPPET_WORDS - 1].end() if cut else len(text)
    out = ["… " if start > 0 else ""]
    position = start
    for match in marked:
        if match.start() < start or match.end() > end:
            continue
        out.append(html.escape(text[position:match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    out.append(html.escape(text[position:end]))
    if cut:
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
    best: tuple[str, list] | None = None
    for _lang, text in texts:
        marked = _marks(text, words) if words else []
        if best is None or len(marked) > len(best[1]):
            best = (text, marked)
    return _html(*best)
