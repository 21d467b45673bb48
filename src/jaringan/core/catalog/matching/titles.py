"""Titles compared word by word, so that typos pass and different words do not.

Character similarity alone cannot tell "Pengantar ilmu perpustakan" (a typo)
from "Deposito berjangka tiga bulan" vs "... enam bulan" (two different
reports of one series): both are over 95 % alike.  Comparing the *words* that
differ can: a typo pairs a word with a close one, a different book leaves a
word with no partner.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from rapidfuzz.distance import OSA

from ..text import normalise_for_match
from .comparison import MATCH, MISMATCH, SIMILAR, WEAK

__all__ = ["title_text", "title_verdict", "title_words", "typo_apart"]

#: Edits (insert, delete, substitute, swap two neighbours) that still make a typo...
TYPO_MAX_EDITS = 1
#: ...or, when both words are at least ``TYPO_LONG_WORD`` letters long, this many.
TYPO_MAX_EDITS_LONG = 2
TYPO_LONG_WORD = 8
TYPO_WORD_MIN_LENGTH = 3
#: More typo-paired words than this and two titles are simply different.
TITLE_MAX_TYPOS = 3
#: Words a title may have more than the other and still be only "weak" evidence.
TITLE_EXTRA_WORDS_WEAK = 1
TITLE_CACHE_SIZE = 200_000

_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) ")


def title_text(text: str | None) -> str:
    """Normalised title without a leading English article."""
    return _LEADING_ARTICLE.sub("", normalise_for_match(text))


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def title_words(text: str | None) -> tuple[str, ...]:
    """Normalised title words; runs of single letters join ("N. U." → "nu")."""
    words: list[str] = []
    in_initials = False
    for word in title_text(text).split():
        initial = len(word) == 1 and word.isalpha()
        if initial and in_initials:
            words[-1] += word
        else:
            words.append(word)
        in_initials = initial
    return tuple(words)


def typo_apart(x: str, y: str) -> bool:
    """True when two words differ by a typo, counted as optimal-string-alignment edits.

    Digits never count ("1998" vs "1999" are different years), nor pairs of
    words both shorter than ``TYPO_WORD_MIN_LENGTH`` ("of"/"on").  "memorial"
    and "immortal" are 3 edits apart — different words, though 75 % alike by
    character ratio.
    """
    if not (x.isalpha() and y.isalpha()) or max(len(x), len(y)) < TYPO_WORD_MIN_LENGTH:
        return False
    limit = TYPO_MAX_EDITS_LONG if min(len(x), len(y)) >= TYPO_LONG_WORD else TYPO_MAX_EDITS
    return OSA.distance(x, y, score_cutoff=limit) <= limit


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def title_verdict(x: tuple[str, ...], y: tuple[str, ...]) -> str:
    """Compare two titles (as ``title_words``) word by word.

    Words in both are set aside; each remaining word of one side is paired
    with a typo-close word of the other ("perpustakan" ~ "perpustakaan").
    No unpaired word → ``match`` (or ``similar`` with typos); a single word
    more on one side → ``weak``; anything else → ``mismatch``: "deposito
    berjangka tiga bulan" and "... enam bulan" are different books, however
    similar their letters.

    Cached: in a large network one title meets the same other titles again and again (each library's
    copy of an edition is compared with the same candidates).
    """
    if not x or not y:
        return MISMATCH
    if x == y:
        return MATCH
    set_x, set_y = set(x), set(y)
    if len(set_x) == len(x) and len(set_y) == len(y):
        only_x = [w for w in x if w not in set_y]
        only_y = [w for w in y if w not in set_x]
    else:
        only_x = list((Counter(x) - Counter(y)).elements())
        only_y = list((Counter(y) - Counter(x)).elements())
    if len(only_x) + len(only_y) > 2 * TITLE_MAX_TYPOS + TITLE_EXTRA_WORDS_WEAK:
        return MISMATCH
    typos = 0
    for word in list(only_x):
        partner = next((other for other in only_y if typo_apart(word, other)), None)
        if partner is not None:
            only_x.remove(word)
            only_y.remove(partner)
            typos += 1
    unpaired = len(only_x) + len(only_y)
    if unpaired == 0:
        return MATCH if typos == 0 else SIMILAR
    if unpaired <= TITLE_EXTRA_WORDS_WEAK and (not only_x or not only_y):
        return WEAK
    return MISMATCH
