"""Personal and corporate names, compared the way cataloguers write them.

"Basuki, Sulistyo", "Sulistyo Basuki" and "Sulistyo-Basuki" are the same
person: many Indonesians have a single name, and catalogues invert, hyphenate
or keep it whole at will.  Names are therefore compared as bags of folded
tokens, order-insensitively, with initials allowed to stand for a given name
("Smith, J." ≈ "John Smith").
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from ..text import normalise_for_match

__all__ = ["citation_name_similarity", "name_similarity", "name_tokens", "named_in_statement"]

#: Honorifics and academic degrees that precede or follow Indonesian names.
HONORIFICS = frozenset(
    "dr drs dra prof ir h hj haji hajjah kh sh se mm ma msc mba phd st spd mpd mag mhum mm mt msi ssos "
    "sir mr mrs ms jr sr".split()
)
#: Similarity at or above which two names are taken as the same person.
SAME_NAME = 0.9
#: Similarity for a surname match whose given names are only initials.
INITIALS_MATCH = 0.9
#: Below this fuzzy score two names do not count as similar at all.
FUZZY_FLOOR = 0.85

#: Citation databases (Google Scholar and the like) garble names: a token this short at most beside a
#: surname may be several initials run together ("ikc faloutsos" for "I. Kamel, C. Faloutsos").
RUN_TOGETHER_INITIALS_MAX = 5
#: A surname is a name word of this many letters at least.
SURNAME_MIN_LENGTH = 3

NAME_CACHE_SIZE = 100_000
#: Pairs of names compared, kept (``name_similarity``): most come through ``compare.author_overlap``,
#: which keeps whole author lists, so few recur here (5 % in the million's second file).
NAME_PAIR_CACHE_SIZE = 20_000
_DATES = re.compile(r"\b[0-9]{3,4}\s*-\s*(?:[0-9]{3,4})?|\b(?:b|d|ca|fl)\.\s*[0-9]{3,4}")


@lru_cache(maxsize=NAME_CACHE_SIZE)
def name_tokens(name: str | None) -> tuple[str, ...]:
    """Folded tokens of a name without dates, punctuation or honorifics."""
    if not name:
        return ()
    text = _DATES.sub(" ", name).replace("-", " ")
    return tuple(t for t in normalise_for_match(text).split() if t not in HONORIFICS and t != "and")


#: Words a corporate name keeps or drops ("Colonial Williamsburg, inc" / "..., Incorporated") and small words.
CORPORATE_NOISE = frozenset(
    "inc incorporated co company corp corporation ltd limited firm the of and for in at on de".split()
)
#: A corporate name standing whole in another needs this many words of its own.
BODY_MIN_WORDS = 2


def _same_body(ta: tuple[str, ...], tb: tuple[str, ...]) -> bool:
    """True when the words of one name, without "Inc.", "Co." and small words, all stand in the other's:
    "Bausch & Lomb Optical Company" / "Bausch and Lomb Optical Co., Rochester, N. Y."."""
    wa = {t for t in ta if t not in CORPORATE_NOISE and len(t) > 1}
    wb = {t for t in tb if t not in CORPORATE_NOISE and len(t) > 1}
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(short) >= BODY_MIN_WORDS and short <= long


def _same_person_inverted(a: str | None, b: str | None) -> bool:
    """True for two inverted personal names ("Surname, Given") with the same surname (or a typo of it) whose
    first given names agree, in full, cut short or as an initial: "Hark, J. Max" / "Hark, Joseph Maximilian",
    "Greenwood, George" / "Greenwood, G. G.", "Englehardt, F. Rainer" / "Engelhardt, F. R."."""
    (sa, ca, ga), (sb, cb, gb) = (a or "").partition(","), (b or "").partition(",")
    if not (ca and cb):
        return False
    na, nb = name_tokens(sa), name_tokens(sb)
    fa, fb = name_tokens(ga), name_tokens(gb)
    if len(na) != 1 or len(nb) != 1 or not fa or not fb:
        return False
    x, y = na[0], nb[0]
    if x != y and not (min(len(x), len(y)) >= 5 and fuzz.ratio(x, y) >= 85):
        return False
    first_a, first_b = fa[0], fb[0]
    short, long = (first_a, first_b) if len(first_a) <= len(first_b) else (first_b, first_a)
    return long.startswith(short)


def _initials_compatible(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every token of ``short`` is in ``long`` or is the initial of a token of ``long``."""
    remaining = list(long)
    for token in sorted(short, key=len, reverse=True):
        if token in remaining:
            remaining.remove(token)
            continue
        initial = next((t for t in remaining if len(token) == 1 and t.startswith(token)), None)
        if initial is None:
            return False
        remaining.remove(initial)
    return True


@lru_cache(maxsize=NAME_PAIR_CACHE_SIZE)
def name_similarity(a: str | None, b: str | None) -> float:
    """0..1 similarity of two names, order-insensitive.

    1.0 for the same bag of tokens; ``INITIALS_MATCH`` when one is the other
    with given names reduced to initials (or missing, for a single name);
    otherwise the fuzzy token-sort ratio (typos), or 0 below ``FUZZY_FLOOR``.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    if sorted(ta) == sorted(tb):
        return 1.0
    # The side with initials may have as many tokens as the other ("Smith, J. P." / "Smith, John Paul").
    for short, long in ((ta, tb), (tb, ta)):
        if len(short) <= len(long) and any(len(t) > 1 for t in short) and _initials_compatible(short, long):
            return INITIALS_MATCH
    if sorted(t for t in ta if len(t) > 1) == sorted(t for t in tb if len(t) > 1):
        return 0.0  # same surname, conflicting initials: "Smith, J." vs "Smith, K."
    if _same_body(ta, tb) or _same_person_inverted(a, b):
        return INITIALS_MATCH
    score = fuzz.token_sort_ratio(" ".join(ta), " ".join(tb)) / 100
    return score if score >= FUZZY_FLOOR else 0.0


#: A letter outside the Latin script inside a Latin name is a character lost to a wrong encoding
#: ("kieпling" for "Kießling", "жzsu" for "Özsu"): it stands for one or two letters.
_NOT_LATIN = re.compile(r"[^a-z0-9]")


def _garbled_alike(x: str, y: str) -> bool:
    """True when one surname is the other with letters lost to a wrong encoding ("kieпling" / "kiessling")."""
    for garbled, clean in ((x, y), (y, x)):
        if clean.isascii() and not garbled.isascii() and len(garbled) >= SURNAME_MIN_LENGTH + 1:
            pattern = "".join(".{1,2}" if _NOT_LATIN.match(ch) else re.escape(ch) for ch in garbled)
            if pattern.count(".{1,2}") <= 2 and re.fullmatch(pattern, clean):
                return True
    return False


def _given_first(name: str | None) -> tuple[str, ...]:
    """The name's tokens in "Given Surname" order ("Pacitti, E." → ("e", "pacitti"))."""
    surname, comma, given = (name or "").partition(",")
    return name_tokens(f"{given} {surname}" if comma else surname)


def _initials_and_surname(tokens: tuple[str, ...]) -> tuple[str, str] | None:
    """("ikc", "faloutsos") for ("ikc", "faloutsos"): the letters of the short words and the last long word,
    when the name is short words (initials, run together or not) before one surname; else None."""
    if len(tokens) < 2 or len(tokens[-1]) < SURNAME_MIN_LENGTH or not tokens[-1].isalpha():
        return None
    given = tokens[:-1]
    if not all(t.isalpha() and len(t) <= RUN_TOGETHER_INITIALS_MAX for t in given):
        return None
    return "".join(given), tokens[-1]


@lru_cache(maxsize=NAME_CACHE_SIZE)
def citation_name_similarity(a: str | None, b: str | None) -> float:
    """``name_similarity``, and what citation databases make of a name, at ``INITIALS_MATCH``:

    * initials run together with a neighbour's ("ikc faloutsos" / "c faloutsos", "csjj clifford" /
      "j clifford"): the same surname (or a typo of it, or letters lost to a wrong encoding, "w kieпling"
      / "w kiessling") and the other's initial among the run;
    * given name and surname crossed ("p esther" / "e pacitti", "s sunita" / "s sarawagi", "oj mbali" /
      "m okafor" with a middle initial run in): one name's first initial is the first letter of the
      other's word, and that word's first letter among the other's initials;
    * the same letters split into words elsewhere ("p o'neil" / "po ` neil").

    Used for two articles only: a catalogue's heading is not garbled that way, and "Smith, J." is
    not "Smith, K." there.
    """
    score = name_similarity(a, b)
    if score >= SAME_NAME:
        return score
    ta, tb = name_tokens(a), name_tokens(b)
    if len("".join(ta)) >= SURNAME_MIN_LENGTH + 2 and "".join(ta) == "".join(tb):
        return INITIALS_MATCH  # the same letters split elsewhere: "p o'neil" / "po ` neil"
    x, y = _initials_and_surname(_given_first(a)), _initials_and_surname(_given_first(b))
    if x is None or y is None:
        return score
    (gx, sx), (gy, sy) = x, y
    same_surname = sx == sy or (min(len(sx), len(sy)) >= 5 and fuzz.ratio(sx, sy) >= 80) or _garbled_alike(sx, sy)
    garbled_initial = bool(_NOT_LATIN.match(gx[0]) or _NOT_LATIN.match(gy[0]))  # "ж ulusoy" / "o ulusoy"
    if same_surname and (gy[0] in gx or gx[0] in gy or garbled_initial):
        return INITIALS_MATCH
    if sx != sy and min(len(gx), len(gy)) == 1 and (sx[0] == gy[0] and sy[0] in gx or sy[0] == gx[0] and sx[0] in gy):
        return INITIALS_MATCH
    return score


#: Shorter surname words ("de", "la", "von") say nothing when found in a statement of responsibility.
SURNAME_MIN_LETTERS = 3


def named_in_statement(authors: tuple[str, ...], statement: str | None) -> bool:
    """True when the surname of one of the personal ``authors`` ("Surname, Given") is a word of the
    statement of responsibility ("comp. by Gertrude F. Hess", "by Lewis Melville [pseud.]")."""
    if not statement:
        return False
    words = set(normalise_for_match(statement).split())
    return any(word in words for author in authors if "," in author
               for word in name_tokens(author.split(",", 1)[0]) if len(word) >= SURNAME_MIN_LETTERS)
