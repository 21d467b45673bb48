"""What citation databases do to an article's authors and title, undone before two articles are compared.

Citation lists harvested from papers (Google Scholar and the like) cut a long
cell at a fixed length, mid-name or mid-word; read a PDF's letters with its
typesetting, losing the "fi", "fl" and "ffi" ligatures ("ecient", "e cient"
for "efficient", "les" for "files"); abbreviate a run of words to its
initials ("ir" for "information retrieval", "p2p" for "peer-to-peer"); and
split or join words ("semi-structured" / "semistructured").  These helpers
say what of a cell is left to compare; ``compare`` uses them for two
articles only.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import ALL_STOP_WORDS
from .names import SURNAME_MIN_LENGTH, name_tokens
from .titles import TITLE_CACHE_SIZE, after_preamble, title_words, typo_apart
from .venues import VENUE_KIND_WORDS

__all__ = ["CUT_AT_LETTERS", "cut_short_authors", "surnames_shared", "title_after_names", "title_edits", "title_spilled",
           "words_left_out"]

#: A citation's title of this many characters at least may have been cut at a fixed length: the other
#: title's words after it are not held against it.
CUT_AT_LETTERS = 90
#: Words a title never ends with: one that does was cut short after them ("a" and "an" left out: "vitamin a").
TITLE_NEVER_ENDS = frozenset("of on the and for in at to with its their through from by into via".split())
#: Letters a PDF's ligatures stand for, lost when a citation database reads it.
_LIGATURES = re.compile("ffi|ffl|ff|fi|fl")
#: Initials of this many words at most make an abbreviation ("www", "dbms" is not one: "database management
#: system" gives "dms").
ABBREVIATION_MAX_WORDS = 5
#: A word this long may give an abbreviation a second letter from inside it ("udb": "universal database").
COMPOUND_WORD_MIN = 7
#: Word edits counted at the most: more than this and the titles are simply different.
MAX_EDITS = 2


def cut_short_authors(authors: tuple[str, ...]) -> tuple[str, ...]:
    """The author list without the names cut to a lone initial at its end ("... d vandermeer; k"): a cell
    cut short at a fixed length leaves a name that cannot be compared; a name inside the list is kept."""
    end = len(authors)
    while end > 1 and all(len(t) == 1 for t in name_tokens(authors[end - 1])):
        end -= 1
    return authors[:end]


#: Surnames two author lists share, initials aside, for ``surnames_shared`` to count them.
SURNAMES_SHARED_MIN = 2


def _surname(name: str) -> str | None:
    """The last word of a name in "Given Surname" order, as citation lists write it ("dj ailamaki")."""
    surname, comma, given = name.partition(",")
    tokens = name_tokens(f"{given} {surname}" if comma else surname)
    return tokens[-1] if tokens and len(tokens[-1]) >= SURNAME_MIN_LENGTH else None


def surnames_shared(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Share (0..1) of the shorter author list whose surnames stand in the other, initials aside, when two
    of them at least do (else 0): a citation database that moved each author's initials to the next name
    ("ag adhs; dj ailamaki; md dewitt" for "a ailamaki; d dewitt; m hill") or read one wrong ("f
    sheikholeslami" for "g sheikholeslami") keeps the surnames in order; one surname alone is anybody's."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    others = [s for s in map(_surname, long) if s]
    shared = 0
    for surname in map(_surname, short):
        if surname in others:
            others.remove(surname)
            shared += 1
    return shared / len(short) if shared >= SURNAMES_SHARED_MIN else 0.0


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def _same_word(x: str, y: str) -> bool:
    """One word with a typo, or with a ligature's letters lost on one side ("les" / "files")."""
    return typo_apart(x, y) or _same_letters(x, y)


def _same_letters(x: str, y: str) -> bool:
    """The same letters, or a ligature's letters lost on one side ("les" / "files", "e cient" run together)."""
    if x == y:
        return True
    if "f" not in x and "f" not in y:  # every ligature has an "f"
        return False
    bare_x, bare_y = _LIGATURES.sub("", x), _LIGATURES.sub("", y)
    return bare_x == bare_y and len(bare_x) >= 2 and (bare_x != x or bare_y != y)


def _abbreviates(abbreviation: str, words: tuple[str, ...]) -> bool:
    """True when ``abbreviation`` is made of the initials of ``words`` in order, "2" standing for "to"
    ("p2p": "peer to peer"), a long word giving one more letter from inside it ("udb": "universal database")."""
    if not words:
        return not abbreviation
    if not abbreviation:
        return False
    word, rest = words[0], words[1:]
    initial = "2" if word == "to" else word[0]
    if abbreviation[0] != initial:
        return False
    if _abbreviates(abbreviation[1:], rest):
        return True
    return len(word) >= COMPOUND_WORD_MIN and len(abbreviation) > 1 and abbreviation[1] in word[3:] \
        and _abbreviates(abbreviation[2:], rest)


def _aligned(x: tuple[str, ...], y: tuple[str, ...], x_cut: bool, y_cut: bool) -> int:
    """Word edits (a word replaced, added or left out) between two titles in order; two words run together
    on one side, or an abbreviation of a run of words, cost nothing; the words of one side after the end of
    the other cost nothing when the other was cut (``x_cut``: ``x`` was cut short).  Counted up to
    ``MAX_EDITS`` + 1: once no row can bring the count under that, the titles are simply different."""
    n, m = len(x), len(y)
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]
    ends = [n] if y_cut else []
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                       d[i - 1][j - 1] + (0 if _same_word(x[i - 1], y[j - 1]) else 1))
            if i > 1 and _same_letters(x[i - 2] + x[i - 1], y[j - 1]):  # "semi structured" / "semistructured"
                best = min(best, d[i - 2][j - 1])
            if j > 1 and _same_letters(y[j - 2] + y[j - 1], x[i - 1]):
                best = min(best, d[i - 1][j - 2])
            if min(len(x[i - 1]), len(y[j - 1])) <= ABBREVIATION_MAX_WORDS:
                best = min(best, _abbreviated(x, y, i, j, d))
            d[i][j] = best
        if y_cut:  # x goes on after y was cut, perhaps in the middle of a word ("queri")
            ends.append(d[i][m])
            if x[i - 1].startswith(y[-1]):
                ends.append(d[i - 1][m - 1])
        if all(min(d[r]) > MAX_EDITS for r in range(max(0, i - ABBREVIATION_MAX_WORDS), i + 1)):
            return min(ends + [MAX_EDITS + 1])  # no later row can come back under the limit
    ends.append(d[n][m])
    if x_cut:
        ends.extend(d[n][j] for j in range(m + 1))
        ends.extend(d[n - 1][j - 1] for j in range(1, m + 1) if y[j - 1].startswith(x[-1]))
    return min(ends)


def _abbreviated(x: tuple[str, ...], y: tuple[str, ...], i: int, j: int, d: list[list[int]]) -> int:
    """The edits to ``x[:i]`` / ``y[:j]`` when the last word of one side abbreviates the last words of the
    other ("ir" / "information retrieval"), else a number larger than any."""
    best = len(x) + len(y)
    for one, other, at, in_x in ((x[i - 1], y, j, False), (y[j - 1], x, i, True)):
        if 2 <= len(one) <= ABBREVIATION_MAX_WORDS and one.isalnum() and one not in ALL_STOP_WORDS:
            for k in range(2, min(len(one), at) + 1):
                if _abbreviates(one, other[at - k: at]):
                    best = min(best, d[i - k][j - 1] if in_x else d[i - 1][j - k])
    return best


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def title_edits(a: str | None, b: str | None, min_words: int, names: frozenset[str] = frozenset()) -> int | None:
    """The fewest word edits (see ``_aligned``) between two citations' titles, each taken whole or after its
    preamble (``titles.after_preamble``); None when a title has fewer than ``min_words`` words or the titles
    are more than ``MAX_EDITS`` words apart in length.  A preamble of initials, numbers and the authors'
    ``names`` ("j. ( 1997 ) :") costs nothing; one with other words ("xmill :", a system's name) one edit."""
    sides = []
    for text in (a, b):
        words = title_words(text)
        forms = {words: 0}
        rest = after_preamble(text, min_words)
        if rest and rest != words:
            forms[rest] = 0 if _only_citation_words(words[:len(words) - len(rest)], names) else 1
        named = _after_names(words, names)
        if len(named) >= min_words:
            forms.setdefault(named, 0)
        sides.append({w: cost for w, cost in forms.items() if len(w) >= min_words})
    cut_a, cut_b = _cut(a), _cut(b)
    found = None
    for x, cost_x in sides[0].items():
        for y, cost_y in sides[1].items():
            if abs(len(x) - len(y)) > MAX_EDITS and not (cut_a or cut_b):
                continue
            edits = _aligned(x, y, cut_a, cut_b) + cost_x + cost_y
            found = edits if found is None else min(found, edits)
    return found


def _cut(text: str | None) -> bool:
    """True when a citation's title may have been cut short: long enough to reach a fixed length
    (``CUT_AT_LETTERS``), or ending in a word no title ends with ("... where does time go in")."""
    if len(text or "") >= CUT_AT_LETTERS:
        return True
    words = title_words(text)
    return bool(words) and words[-1] in TITLE_NEVER_ENDS


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def words_left_out(a: str | None, b: str | None, min_words: int = 2) -> int | None:
    """How many significant words (stop words aside) the longer title has more than the shorter when the
    shorter's stand in it in the same order, a typo or a lost ligature allowed, and the two begin and end
    with the same word: a citation left words out of the middle of a title ("efficient [and extensible]
    algorithms for multi query optimization", "... first-class citizens in a [database programming]
    language"), or put other small words between them ("research [network] for" / "research on").  None
    when they do not, or when the shorter has fewer than ``min_words`` significant words: words added before
    or after the other title ("a system for watermarking ...", "... : the partitioned-list approach") make
    another paper about it, not the title cited shorter; and a word put into a short title ("spatial [and
    temporal] indexes") says as much as the few it is put among."""
    x = [w for w in title_words(a) if w not in ALL_STOP_WORDS]
    y = [w for w in title_words(b) if w not in ALL_STOP_WORDS]
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if len(short) < max(2, min_words) or not (_same_word(short[0], long[0]) and _same_word(short[-1], long[-1])):
        return None
    found = 1
    for word in long[1:-1]:
        if found < len(short) - 1 and _same_word(word, short[found]):
            found += 1
    return len(long) - len(short) if found == len(short) - 1 else None


#: A year as a citation writes it, with the letter that tells one author's papers of a year apart ("1997a").
_CITED_YEAR = re.compile(r"(?:1[5-9]|20)\d\d[a-z]?")


def _named(word: str, names: frozenset[str]) -> bool:
    """True when ``word`` is one of the authors' ``names``, alone or with its initial run on ("singhv" for
    "singh v.": a name of four letters at least)."""
    return word in names or len(word) > 4 and word[:-1] in names


def _citation_word(word: str, names: frozenset[str]) -> bool:
    """True when ``word`` is what a citation puts before a title: an initial, a number or a year ("2002",
    "1997a"), or a name (``_named``)."""
    return len(word) <= 2 or word.isdigit() or _named(word, names) or _CITED_YEAR.fullmatch(word) is not None


def _after_names(words: tuple[str, ...], names: frozenset[str]) -> tuple[str, ...]:
    """The title words after the authors' ``names``, initials and year a citation put before it, whatever
    stands between them ("k , shim , fast similarity search ...", "ganti 2002 eliminating ..."); the words
    unchanged when no name opens them."""
    at = 0
    while at < len(words) and _citation_word(words[at], names):
        at += 1
    return words[at:] if any(_named(w, names) for w in words[:at]) else words


def _only_citation_words(words: tuple[str, ...], names: frozenset[str]) -> bool:
    """True when a preamble holds only what a citation puts before a title (``_citation_word``)."""
    return all(_citation_word(w, names) for w in words)


@lru_cache(maxsize=TITLE_CACHE_SIZE)
def title_after_names(a: str | None, b: str | None, names: frozenset[str] = frozenset(),
                      venue: frozenset[str] = frozenset()) -> bool:
    """True when one title, word for word, is the other once what a citation puts around a title is left out:
    before it, initials, numbers and the authors' ``names`` ("jm patel , jb yu , client-server paradise");
    after it, its venue ("online aggregation , acm sigmod int": words of ``venue``, the records' venue
    names, or of ``VENUE_KIND_WORDS``)."""
    for one, other in ((a, b), (b, a)):
        target, words = title_words(other), title_words(one)
        if len(target) >= 2 and target != words and target in _cited_forms(one, names, venue):
            return True
    return False


def _cited_forms(text: str | None, names: frozenset[str], venue: frozenset[str]) -> set[tuple[str, ...]]:
    """The title words of a citation's title cell without its preamble of names, its trailing venue, or both."""
    words = title_words(text)
    forms = {words, _after_names(words, names)}
    rest = after_preamble(text, 2)
    if rest and _only_citation_words(words[:len(words) - len(rest)], names):
        forms.add(rest)
    bare = _without_venue(text, venue)
    if bare:
        forms.update((bare, _after_names(bare, names)))
    return forms


#: Where a title cell's venue typed after the title begins: a full stop, colon, semicolon or comma.
_VENUE_BREAK = re.compile(r"\s[.:;,]\s|,\s")


def _without_venue(text: str | None, venue: frozenset[str]) -> tuple[str, ...] | None:
    """The title words before the pieces at the end of a cell that name its venue, function words at the cut
    left out ("an adaptive replication algorithm in : acm trans . database syst ."), or None."""
    pieces = _VENUE_BREAK.split(text or "")
    kept = len(pieces)
    while kept > 1 and (_names_venue(title_words(pieces[kept - 1]), venue) or kept < len(pieces)
                        and all(w in ALL_STOP_WORDS for w in title_words(pieces[kept - 1]))):  # "in :"
        kept -= 1
    if kept == len(pieces):
        return None
    words = list(title_words(" ".join(pieces[:kept])))
    while words and words[-1] in ALL_STOP_WORDS:
        words.pop()
    return tuple(words)


def _names_venue(words: tuple[str, ...], venue: frozenset[str]) -> bool:
    def of_venue(word: str) -> bool:
        return word in VENUE_KIND_WORDS or any(len(v) >= 3 and word.startswith(v) for v in venue) or word in venue

    return any(of_venue(w) for w in words) and all(of_venue(w) or w in ALL_STOP_WORDS or w.isdigit() for w in words)


def title_spilled(venue: str | None, other_title: str | None) -> bool:
    """True when a venue cell holds the end of the paper's title, not a venue: a citation database split the
    title at a comma and put the rest where the venue goes ("world wide database - integrating the web" /
    venue "corba and", of "... integrating the web , corba , and databases")."""
    words = [w for w in title_words(venue) if w not in ALL_STOP_WORDS]
    title = set(title_words(other_title))
    return bool(words) and all(w in title for w in words) and not VENUE_KIND_WORDS.intersection(words)
