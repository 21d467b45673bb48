"""The shared text analyser: folding, tokenising, stop words and stemming.

Matching uses it now and the search index will use it later, so the same
words meet the same terms on both sides: a query for "pustaka" finds a title
with "perpustakaan", one for "library" finds "libraries".

Stemming combines two stemmers:

* Indonesian (``language`` ``ind``/``may``/``id``/``ms``): PySastrawi only.
* English (``eng``/``en``): Snowball ``english`` only.
* Unknown or other language: Sastrawi first, and its stem is kept when it
  changed the word by removing a known Indonesian affix (a prefix such as
  ``me-``/``pe-``/``ber-``/``di-``/``ke-``/``ter-``, a suffix such as
  ``-an``/``-kan``/``-i``/``-nya``, or a reduplication ``buku-buku``).
  Sastrawi only strips an affix when what remains is in its dictionary of
  Indonesian roots, so English words pass through it unchanged and then go
  to the Snowball English stemmer.  This keeps "kerjasama", "pustakawan" and
  "sekolah" intact (the Snowball Indonesian stemmer mangles them).

Index and query must be analysed with the same ``language`` argument (or
both with ``None``) for their terms to meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

__all__ = [
    "ENGLISH_STOP_WORDS",
    "INDONESIAN_STOP_WORDS",
    "analyse",
    "analyse_tokens",
    "fold",
    "normalise_for_match",
    "repair_mojibake",
    "stem",
    "tokenise",
]

#: Small, conservative lists: function words that carry no meaning in titles.
ENGLISH_STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or the to with".split()
)
INDONESIAN_STOP_WORDS = frozenset(
    (
        "adalah akan atau bagi dalam dan dari dengan di ini itu ke kepada "
        "oleh pada para sebagai serta tentang untuk yang"
    ).split()
)
ALL_STOP_WORDS = ENGLISH_STOP_WORDS | INDONESIAN_STOP_WORDS

INDONESIAN_LANGUAGES = frozenset({"ind", "id", "may", "msa", "ms"})
ENGLISH_LANGUAGES = frozenset({"eng", "en"})

#: Affixes whose removal by Sastrawi we trust when the language is unknown.
INDONESIAN_PREFIXES = ("me", "pe", "be", "di", "ke", "te", "se")
INDONESIAN_SUFFIXES = ("kan", "an", "i", "nya", "lah", "kah", "pun", "ku", "mu")

#: Letters that Unicode does not decompose into a base letter plus a mark.
_EXTRA_FOLDS = str.maketrans(
    {
        "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ı": "i",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
        "ð": "d", "Ð": "d", "ʻ": "", "ʼ": "", "‘": "'", "’": "'",
    }
)
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_APOSTROPHES = re.compile(r"(?<=\w)'(?=\w)")
_AMPERSAND_WORDS = frozenset({"&", "and", "dan"})
_MATCH_TOKEN = re.compile(r"&|[^\W_]+")

STEM_CACHE_SIZE = 200_000
SINGULAR_CACHE_SIZE = 200_000
MATCH_CACHE_SIZE = 200_000

#: Snowball's English stemmer: snowballstemmer hands out PyStemmer's, the same algorithm compiled (a
#: dependency of Jaringan: 16 times faster, and the same stems for all 216,000 words of the LoC records).
_english = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Fold accents and case: "Ümit" → "umit", "Straße" → "strasse"."""
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def tokenise(text: str) -> list[str]:
    """Folded word tokens; hyphenated words ("buku-buku") stay one token."""
    text = fold(text)
    if "'" in text:  # (most text has no apostrophe: no pass of the look-around pattern over it)
        text = _APOSTROPHES.sub("", text)
    return _TOKEN.findall(text)


@lru_cache(maxsize=1)
def _sastrawi_stemmer():
    """Built on first use: creating it loads Sastrawi's dictionary (~0.1 s).

    Sastrawi's stemmer itself, without the cache of whole words its factory wraps around it (a cache
    without bound; :func:`stem_indonesian` keeps a bounded one), and with its stems of single words
    remembered (:data:`SINGULAR_CACHE_SIZE`): it stems a hyphenated word ("anglo-american") part by
    part, parts that are mostly words met alone too, and :func:`_hyphenated_terms` stems those parts
    again when the whole has no root. On the 40,000 LoC records a quarter of its words are such
    repeats, the costliest part of their analysis.
    """
    stemmer = StemmerFactory().create_stemmer().delegatedStemmer
    stemmer.stem_singular_word = lru_cache(maxsize=SINGULAR_CACHE_SIZE)(stemmer.stem_singular_word)
    return stemmer


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem_indonesian(word: str) -> str:
    """PySastrawi stem of one folded word (cached: uncached it costs ~0.2 ms)."""
    return _sastrawi_stemmer().stem(word) or word


def stem_english(word: str) -> str:
    """Snowball English stem of one folded word (compiled and cheap; :func:`stem` keeps its answers)."""
    return _english.stemWord(word)


_DIGIT = re.compile(r"\d")


def _has_digit(word: str) -> bool:
    """Sastrawi leaves a word with a digit as it is ("1990an", "20-20", "ke-2"): no need to ask it."""
    return _DIGIT.search(word) is not None


def _is_indonesian_affixation(word: str, root: str) -> bool:
    """True when ``word`` differs from ``root`` by a known Indonesian affix."""
    if root == word or not root:
        return False
    if "-" in word:
        first, _, rest = word.partition("-")
        return bool(rest) and (root == first or root in word)
    return word.startswith(INDONESIAN_PREFIXES) or word.endswith(INDONESIAN_SUFFIXES)


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str, language: str | None = None) -> str:
    """Stem one folded word according to ``language`` (ISO 639-1 or 639-2, or None); cached."""
    if word.isdigit():
        return word
    if language in INDONESIAN_LANGUAGES:
        return stem_indonesian(word)
    if language in ENGLISH_LANGUAGES:
        return stem_english(word)
    if not (word.startswith(INDONESIAN_PREFIXES) or word.endswith(INDONESIAN_SUFFIXES)) or _has_digit(word):
        # Sastrawi's stem would not be kept (no affix to trust), or it finds no root (digits): skip
        # it, the costly part of analysis (~0.2 ms a word; nine words in ten of a mixed catalogue).
        return stem_english(word)
    root = stem_indonesian(word)
    if _is_indonesian_affixation(word, root):
        return root
    return stem_english(word)


def _hyphenated_terms(token: str, language: str | None, stop_words: frozenset[str]) -> list[str]:
    """Terms of a hyphenated token: one root for a reduplication, else its parts."""
    if language not in ENGLISH_LANGUAGES and not _has_digit(token):  # "1914-1918", "ke-2": no root
        root = stem_indonesian(token)
        if root != token and "-" not in root:
            return [root]  # buku-buku → buku, kota-kota → kota
    return [stem(part, language) for part in token.split("-") if part and part not in stop_words]


def analyse(text: str | None, language: str | None = None) -> list[str]:
    """Index/query terms of ``text``: folded, tokenised, stop words out, stemmed.

    >>> analyse("Perpustakaan dan buku-buku")
    ['pustaka', 'buku']
    """
    if not text:
        return []
    return analyse_tokens(tokenise(text), language)


def analyse_tokens(tokens: list[str], language: str | None = None) -> list[str]:
    """:func:`analyse` of text already split by :func:`tokenise` (for callers that keep the words too)."""
    stop_words = ALL_STOP_WORDS
    if language in INDONESIAN_LANGUAGES:
        stop_words = INDONESIAN_STOP_WORDS
    elif language in ENGLISH_LANGUAGES:
        stop_words = ENGLISH_STOP_WORDS
    terms: list[str] = []
    for token in tokens:
        if "-" in token:
            terms.extend(_hyphenated_terms(token, language, stop_words))
        elif token not in stop_words:
            terms.append(stem(token, language))
    return terms


#: UTF-8 read as Windows-1252 ("Ã©" for "é", "â€™" for "’"): a lead letter and one or two continuation
#: characters (what bytes 0x80-0xBF look like in Windows-1252).
_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]{{1,2}}")
#: The same after the continuation bytes were lost or spelled out by a citation database, as the list
#: prints it ("â ??", "ã ¡", "ã cents â ? ¬"): a lead letter followed by question marks or symbols, not letters.
_MOJIBAKE_LOST = re.compile(r"[âãåÂÃÅ](?:\s?(?:\?+|[¬¦©¡¯¨¢]|cents\b))+")


def repair_mojibake(text: str) -> str:
    """UTF-8 text that was read as Windows-1252 put right ("Ã©" → "é", "â€™" → "’"); what cannot be put
    right (the bytes replaced by "?") left out: "xwrap : â ?? an xml-based" → "xwrap :  an xml-based"."""
    def repaired(found: re.Match) -> str:
        try:
            return found.group().encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return found.group()

    return _MOJIBAKE_LOST.sub(" ", _MOJIBAKE.sub(repaired, text))


@lru_cache(maxsize=MATCH_CACHE_SIZE)
def normalise_for_match(text: str | None) -> str:
    """Text for fuzzy comparison: folded, punctuation dropped, "&"/"dan" → "and".

    >>> normalise_for_match("Sejarah & Budaya: Jawa!")
    'sejarah and budaya jawa'
    """
    if not text:
        return ""
    if not text.isascii():
        text = repair_mojibake(text)
    tokens = _MATCH_TOKEN.findall(_APOSTROPHES.sub("", fold(text)))
    return " ".join("and" if tok in _AMPERSAND_WORDS else tok for tok in tokens)
