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

__all__ = ["after_preamble", "citation_segments", "segment_letters_agree", "title_after_words", "title_contained", "title_run_together", "title_text", "title_verdict", "title_words", "typo_apart", "without_responsibility"]

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
#: Titles of this many words at least that differ in one word each ("query"/"queries", "in"/"under")
#: are weak evidence, not a mismatch: a short title's one other word makes another book ("Deposito
#: berjangka tiga bulan" / "... enam bulan"), a long one's is as often a slip.
TITLE_ONE_WORD_OTHER_MIN_WORDS = 7
#: A title found whole at the start of a longer one ("Forest and range policy" in "Forest and range
#: policy, its development in the United States") is weak evidence when it has this many letters...
TITLE_PREFIX_MIN_LETTERS = 6
#: ...and found anywhere inside it ("historical queries along ..." in "on historical queries along
#: ... to appear at the") when it has this many words.
TITLE_INSIDE_MIN_WORDS = 4
TITLE_CACHE_SIZE = 200_000
#: Pairs of titles compared, kept (``title_verdict``, ``title_contained``): about 190 bytes an entry,
#: a pair recurs less often than a title (45-55 % of calls found kept in the million's second file).
TITLE_PAIR_CACHE_SIZE = 100_000
#: Pairs of titles found run together or not, kept: computing one again costs about 2 µs, little
#: more than finding it kept, and an entry about 270 bytes.
RUN_TOGETHER_CACHE_SIZE = 20_000

_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) ")
#: English articles, which titles keep or drop inside too.
ARTICLES = frozenset({"the", "a", "an"})


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


@lru_cache(maxsize=TITLE_PAIR_CACHE_SIZE)
def title_verdict(x: tuple[str, ...], y: tuple[str, ...]) -> str:
    """Compare two titles (as ``title_words``) word by word.

    Words in both are set aside; each remaining word of one side is paired
    with a typo-close word of the other ("perpustakan" ~ "perpustakaan").
    No unpaired word → ``match`` (or ``similar`` with typos); a single word
    more on one side → ``weak``; anything else → ``mismatch``: "deposito
    berjangka tiga bulan" and "... enam bulan" are different books, however
    similar their letters; in titles of ``TITLE_ONE_WORD_OTHER_MIN_WORDS``
    words or more, one other word on each side is only ``weak``.

    Cached: in a large network one title meets the same other titles again and again (each library's
    copy of an edition is compared with the same candidates).
    """
    if not x or not y:
        return MISMATCH
    if x == y:
        return MATCH
    if len(x) != len(y):  # "What you should know about the Suez" / "... about Suez": an article is no word
        bare_x, bare_y = tuple(w for w in x if w not in ARTICLES), tuple(w for w in y if w not in ARTICLES)
        if bare_x and bare_x == bare_y:
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
    if len(only_x) == len(only_y) == 1 and min(len(x), len(y)) >= TITLE_ONE_WORD_OTHER_MIN_WORDS:
        return WEAK  # "... maintenance in fully concurrent ..." / "... under fully concurrent ..."
    return MISMATCH


def _same_words(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    return len(x) == len(y) and all(p == q or typo_apart(p, q) for p, q in zip(x, y))


def title_after_words(x: tuple[str, ...], y: tuple[str, ...], names: frozenset[str] = frozenset()) -> bool:
    """True when the shorter title stands in the longer only after real words ("an investigation into",
    "overview of"): another paper about it.  Not what a citation puts before a title by mistake:
    numbers, initials, small words, month names and the authors' ``names`` ("june 1998, exploratory
    mining ...", "s. and pazzani mj: locally adaptive ...")."""
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if not short or len(short) == len(long) or _same_words(short, long[: len(short)]):
        return False
    for at in range(1, len(long) - len(short) + 1):
        if _same_words(short, long[at: at + len(short)]):
            return not all(w.isdigit() or len(w) <= 2 or w in names or w in _MONTHS for w in long[:at])
    return False


#: Month names (English, Indonesian) a citation's date brings before its title.
_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec "
                    "januari februari maret mei juni juli agustus oktober desember agu agt okt des".split())


@lru_cache(maxsize=TITLE_PAIR_CACHE_SIZE)
def title_contained(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """True when the shorter title stands whole in the longer (typos allowed), with the rest around it.

    Catalogues and citation lists put different amounts into a title: one
    ends it where the other goes on with its subtitle, its other title ("...,
    or, China under the allies"), the statement of responsibility ("..., by
    David Cushman Coyle") or a note ("... to appear at the").  At the start
    of the longer title a short title counts (``TITLE_PREFIX_MIN_LETTERS``);
    elsewhere it must be long enough not to be a common phrase
    (``TITLE_INSIDE_MIN_WORDS``).
    """
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if not short or len(short) == len(long):
        return False
    if _same_words(short, long[: len(short)]):
        return sum(map(len, short)) >= TITLE_PREFIX_MIN_LETTERS
    if len(short) < TITLE_INSIDE_MIN_WORDS:
        return False
    return any(_same_words(short, long[at: at + len(short)]) for at in range(1, len(long) - len(short) + 1))


@lru_cache(maxsize=RUN_TOGETHER_CACHE_SIZE)
def title_run_together(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """True when two titles differ only in where words are split ("the casefor enhanced abstract
    datatypes" / "the case for enhanced abstract data types"), a typo allowed in long titles."""
    jx, jy = "".join(x), "".join(y)
    if jx == jy:
        return True
    return min(len(jx), len(jy)) >= 20 and OSA.distance(jx, jy, score_cutoff=2) <= 2


#: Words that open a statement of responsibility typed into a title ("Uncommon sense, by David Cushman Coyle").
RESPONSIBILITY_WORDS = frozenset({"by", "oleh", "par", "von"})


def without_responsibility(words: tuple[str, ...], names: frozenset[str]) -> tuple[str, ...]:
    """The title words before a statement of responsibility typed into the title: "by" (or "oleh")
    followed by a word of an author's name; the title unchanged when there is none."""
    for at in range(1, len(words) - 1):
        if words[at] in RESPONSIBILITY_WORDS and any(w in names for w in words[at + 1:]):
            return words[:at]
    return words


#: Where what a citation puts before its title ends: a full stop or a closing parenthesis before a space
#: ("s. abiteboul . and h. garcia-molina . object fusion ...", "panga ( 1998 ) exploratory mining ..."), or
#: a colon after a system's name ("xtrie : efficient filtering of xml ...").
#: Words of a preamble that make the item a notice about a paper, not the paper.
NOTICE_WORDS = frozenset(
    "erratum errata corrigendum correction corrections addendum comment comments reply response rejoinder "
    "retraction retracted review".split()
)
_PREAMBLE_END = re.compile(r"[.):]\s")


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def after_preamble(text: str | None, min_words: int) -> tuple[str, ...] | None:
    """The title words after the last full stop, closing parenthesis or colon of ``text`` that leaves at
    least ``min_words`` words, or None when there is none: a citation's authors, year or a system's name
    typed before the title, which the other record leaves out."""
    if not text:
        return None
    for found in reversed(list(_PREAMBLE_END.finditer(text))):
        if NOTICE_WORDS.intersection(title_words(text[:found.start()])):
            return None  # "erratum : a database model ...": a notice about the paper, not the paper
        words = title_words(text[found.end():])
        if len(words) >= min_words:
            return words
    return None


#: Where a citation database breaks a title into pieces: a full stop, colon or semicolon standing between
#: spaces, an opening bracket, a comma, a quotation mark lost to mojibake ("â ??").
_SEGMENT_BREAK = re.compile(r"\s[.:;]\s|\s[\[(]\s?|\s,\s|,\s|\s\.$|â\s?\?\?|\u201c|\u201d")
#: Letters a title (or run of pieces) must have for its letters alone to say it is the other title.
SEGMENT_MIN_LETTERS = 18
#: Edits allowed between the letters of two titles, per this many letters (a typo, an "ffi" ligature lost).
SEGMENT_LETTERS_PER_EDIT = 20
#: Pieces of a title tried at the most (the longest runs of them come from the first ones).
SEGMENT_MAX_PIECES = 8


def _letters(text: str) -> str:
    return "".join(title_words(text))


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def citation_segments(text: str | None) -> tuple[str, ...]:
    """The letters (spaces left out) of each run of consecutive pieces of a title broken at full stops,
    colons, brackets and commas, with ``SEGMENT_MIN_LETTERS`` letters at least, whole title first: what a
    citation database may have typed around the title (authors and year before it, "in : proceedings of
    ..." or "[ j ]" after it) falls away, and words run together ("viewmaintenanceina") do not matter."""
    pieces = [p for p in _SEGMENT_BREAK.split(text or "") if p and p.strip()][:SEGMENT_MAX_PIECES]
    runs = {_letters(text or "")}
    for start in range(len(pieces)):
        for end in range(start + 1, len(pieces) + 1):
            runs.add(_letters(" ".join(pieces[start:end])))
    whole = _letters(text or "")
    return (whole,) + tuple(sorted(r for r in runs if len(r) >= SEGMENT_MIN_LETTERS and r != whole))


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def segment_letters_agree(x: str | None, y: str | None) -> int:
    """The number of letters of the title that one citation's title (whole, or a run of its pieces, see
    ``citation_segments``) shares with the other whole title, letter for letter up to a typo in every
    ``SEGMENT_LETTERS_PER_EDIT`` letters; 0 when none does, or when the citation is a notice about the paper
    ("erratum : ...", ``NOTICE_WORDS``)."""
    for one, other in ((x, y), (y, x)):
        whole = _letters(other or "")
        if len(whole) < SEGMENT_MIN_LETTERS or NOTICE_WORDS.intersection(title_words(one)):
            continue
        for run in citation_segments(one):
            limit = min(len(run), len(whole)) // SEGMENT_LETTERS_PER_EDIT
            if abs(len(run) - len(whole)) <= limit and len(run) >= SEGMENT_MIN_LETTERS \
                    and OSA.distance(run, whole, score_cutoff=limit) <= limit:
                return len(whole)
    return 0
