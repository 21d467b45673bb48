"""Where an article appeared: journal and proceedings titles, full or abbreviated.

Citation lists write the same journal as "Journal of Documentation", "J.
Doc." (ISO 4 abbreviation) or "J Doc"; "Wall Street journal (Central ed.)"
as "Wall Street j. (Cent. ed.)"; a few as an acronym ("JASIST").  ISO 4 drops
articles, prepositions and conjunctions, and shortens each remaining word
by cutting its end ("Doc." for "Documentation") or, now and then, by
contraction ("Natl" for "National", "Mgmt" for "Management").  So two
venue names are compared word by word after dropping those small words:

* the same words → ``match``;
* the same number of words, each word of one side a prefix or a contraction
  (its letters in order, the first letter the same) of the word at the same
  place on the other side, with a typo allowed in full-length words →
  ``similar`` (an abbreviation);
* a single run of capitals standing for the initials of the other's words
  (with or without the small words and a qualifier in parentheses) →
  ``similar`` (an acronym);
* anything else → ``mismatch``: "J. Inf. Sci." is not "Journal of
  Informetrics" (word counts differ), nor "Journal of Documentation" the
  "Journal of Documentation and Information Science".

Numbers are dropped first (a volume or year typed into the venue cell), and
so are the words that say what kind of venue it is or who publishes it
("Proceedings of the 23rd International Conference on ...", "ACM", "IEEE"):
citation lists keep or drop them at will ("VLDB" / "Proceedings of the 23th
VLDB", "ACM SIGMOD Record" / "SIGMOD Record").  When nothing else is left,
they are kept.  A name whose words all stand, in order, among the other's
(one of them cut short, "VLDB J." in "The VLDB Journal: the international
journal on very large ...") is ``weak``: a truncated or fuller form of the
same name, or another venue with a longer name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from ..text import ALL_STOP_WORDS, normalise_for_match
from .comparison import MATCH, MISMATCH, SIMILAR, WEAK
from .titles import typo_apart

__all__ = ["venue_initials", "venue_named", "venue_uncertain", "venue_verdict", "venue_words"]

#: Words ISO 4 leaves out, in the languages journals of the region are named in.
VENUE_STOP_WORDS = ALL_STOP_WORDS | frozenset(
    "and de la le les des du et der die das und fur do da dos del von van".split()
)
#: Words naming the kind of venue or its publisher, left out when anything else is left.
VENUE_KIND_WORDS = frozenset(
    "proceedings proceeding proc procs conference conf international intl int symposium symp workshop "
    "annual meeting acm ieee the hellip first second third fourth fifth sixth seventh eighth ninth tenth".split()
)
#: A word this long at least, a typo away from a kind word, is that kind word misread.
KIND_WORD_TYPO_MIN = 4
_ORDINAL = re.compile(r"^[0-9]+(?:st|nd|rd|th)$")
#: An ordinal run into the next word by a citation database ("28 thvldb", "proc26th", "25 thinternational").
_GLUED_ORDINAL = re.compile(r"\b([0-9]+)\s?(st|nd|rd|th)(?:\b|(?=[a-z]{3,}))")
_GLUED_NUMBER = re.compile(r"([a-z])([0-9])")  # "proc26th" → "proc 26th"
#: Words that say a venue cell holds something else: a report series, an institution, a thesis.
NOT_A_VENUE_WORDS = frozenset(
    "report reports tr university universitat universitaet universite universidad universitas institute institut "
    "department dept laboratory laboratories lab thesis dissertation college school ecole center centre".split()
)
#: Marks of a name cut short by the citation database ("... on very large &hellip;").
TRUNCATED = ("hellip", "...", "\u2026")
#: Words no venue's name ends with: a cell ending in one was cut short ("... on management of").
CUT_AFTER_WORDS = frozenset("of on the and for in at to a an with".split())
#: Marks of a web address where the venue should be ("stanford . edu/pub/papers / ...").
WEB_ADDRESS = ("http", "www", "edu/", ". edu", ".edu", ".html", ".pdf")
#: A one-word venue name this long found among the other's words ("VLDB", "SIGMOD") is weak evidence.
DISTINCT_VENUE_WORD = 4
#: An acronym is one word of this many capitals at least.
ACRONYM_MIN_LENGTH = 2
VENUE_CACHE_SIZE = 50_000
#: A one-word venue in lower case ("vldb", "icde") is read as an acronym when it has this many letters.
LOWER_ACRONYM_LENGTHS = range(3, 7)
#: Initials of a name cut short ("proceedings of the international conference on very large") that begin
#: an acronym ("vldb") are weak evidence when there are this many at least, in a name of this many words
#: at least (citation databases cut long names, not short ones).
ACRONYM_CUT_SHORT_MIN, CUT_SHORT_MIN_WORDS = 1, 5
_ACRONYM = re.compile(r"^[A-Z][A-Z&]+$")
#: Words that make a cell the name of a journal or proceedings ("J.", "Trans.", "Record", "Jurnal"): a cell
#: without one (and no acronym) may be a place, a date, a topic or a publisher the citation put there.
VENUE_NAME_WORDS = frozenset(
    "journal jurnal j jour transactions trans proceedings proceeding proc procs conference conf symposium symp "
    "workshop record review rev letters lett bulletin bull magazine mag quarterly annals ann acta revista "
    "zeitschrift newsletter notices communications comm forum tidsskrift majalah buletin prosiding seminar".split()
)
#: Acronyms of venues that are not the initials of their names, and the words of the name they stand for
#: ("SIGMOD" for the ACM conference on Management of Data): what a citation spells out, the other abbreviates.
ACRONYM_NAMES = {
    "sigmod": "management of data",
    "sigir": "information retrieval",
    "sigkdd": "knowledge discovery and data mining",
    "icde": "data engineering",
    "cikm": "information and knowledge management",
    "www": "world wide web",
    "sigcomm": "data communication",
    "icdt": "database theory",
    "edbt": "extending database technology",
}
#: A cell of this many words at least, other than small words, without a comma, reads as a journal's name
#: ("Information and software technology") even without a word of ``VENUE_NAME_WORDS``.
NAME_MIN_WORDS = 3
#: A word of this many letters at least may give its acronym a second letter from inside it ("DataBases").
COMPOUND_WORD_MIN = 7
#: A qualifier in parentheses ("(U.S. ed.)", "(Print)"), left out of an acronym.
_QUALIFIER = re.compile(r"\([^)]*\)")


@lru_cache(maxsize=VENUE_CACHE_SIZE)
def venue_words(venue: str | None) -> tuple[str, ...]:
    """Folded words of a venue name without small words and numbers ("J. of Doc. 75" → ("j", "doc"))."""
    text = _GLUED_ORDINAL.sub(r"\1\2 ", _GLUED_NUMBER.sub(r"\1 \2", normalise_for_match(venue)))  # "28 thvldb"
    words = [w for w in text.split()
             if w not in VENUE_STOP_WORDS and w != "and" and not w.isdigit() and not _ORDINAL.match(w)]
    named = tuple(w for w in words if not _kind_word(w))
    return named or tuple(words)


@lru_cache(maxsize=VENUE_CACHE_SIZE)
def _kind_word(word: str) -> bool:
    """True for a word of ``VENUE_KIND_WORDS``, or one a letter away, misread from a scan ("conj" for "conf",
    "intt" for "intl", "internationul"): a name's own words seldom are ("processing" is two from "proceeding")."""
    if word in VENUE_KIND_WORDS:
        return True
    return len(word) >= KIND_WORD_TYPO_MIN and any(
        len(kind) >= KIND_WORD_TYPO_MIN and OSA.distance(word, kind, score_cutoff=1) <= 1 for kind in VENUE_KIND_WORDS)


def venue_initials(venue: str | None) -> str:
    """The initials of a venue's words ("Journal of Documentation" → "jd")."""
    return "".join(w[0] for w in venue_words(venue))


def _shortened(short: str, full: str) -> bool:
    """True when ``short`` is ``full`` cut short ("doc"), or contracted ("natl"): same first and last letter, letters in order."""
    if len(short) > len(full) or short[0] != full[0]:
        return False
    if full.startswith(short):
        return True
    if short[-1] != full[-1]:
        return False
    rest = iter(full[1:])
    return all(ch in rest for ch in short[1:])


def _word_agrees(x: str, y: str) -> bool:
    if x == y:
        return True
    short, full = (x, y) if len(x) <= len(y) else (y, x)
    return _shortened(short, full) or typo_apart(x, y)


def _acronym(venue: str) -> str | None:
    """The letters of a venue written as one acronym ("JASIST", "IP&M", "J.A.S.I.S."), else None; in a
    list that is all lower case ("vldb"), one word of ``LOWER_ACRONYM_LENGTHS`` letters."""
    raw = (venue or "").strip().replace(".", "")
    if len(raw) >= ACRONYM_MIN_LENGTH and _ACRONYM.match(raw):
        return raw.replace("&", "").lower()
    if raw.islower() and raw.isalpha() and len(raw) in LOWER_ACRONYM_LENGTHS:
        return raw
    return None


@lru_cache(maxsize=VENUE_CACHE_SIZE)
def venue_verdict(a: str | None, b: str | None) -> str:
    """``match``, ``similar`` (abbreviation or acronym) or ``mismatch`` for two venue names."""
    wa, wb = venue_words(a), venue_words(b)
    if not wa or not wb:
        return MISMATCH
    if wa == wb or sorted(wa) == sorted(wb) or "".join(wa) == "".join(wb):  # "sigmodrecord"
        return MATCH
    if len(wa) == len(wb) and all(_word_agrees(x, y) for x, y in zip(wa, wb)):
        return SIMILAR
    cut_short = False
    for one, other in ((a, b), (b, a)):
        if _named_by_acronym(one, other):
            return SIMILAR
        letters = _acronym(one or "")
        if not letters:
            continue
        initials = _initials_of(other or "")
        if len(venue_words(other)) > 1 and (letters in initials or _spelled(letters, venue_words(other))):
            return SIMILAR
        cut_short = cut_short or (_words(other) >= CUT_SHORT_MIN_WORDS and any(
            len(i) >= ACRONYM_CUT_SHORT_MIN and letters.startswith(i) for i in initials))
    if cut_short:
        return WEAK  # "vldb" / "proceedings of the international conference on very large"
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    cut_name = a if wa is short else b
    if _in_order(short, long) or (_words(cut_name) >= CUT_SHORT_MIN_WORDS - 1 and _cut_short(short, long)):
        return WEAK
    if _acronym_spelled_out(wa, wb) or _acronym_spelled_out(wb, wa):
        return SIMILAR
    return MISMATCH


def _acronym_spelled_out(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """True when a word of ``one`` is an acronym the words of ``other`` spell out, and the rest agree word for
    word: "VLDB J." / "J. Very Large Data Bases", "Journal on Very Large Data Bases (VLDB)"."""
    for at, word in enumerate(one):
        if not (word.isalpha() and len(word) in LOWER_ACRONYM_LENGTHS) or len(one) < 2:
            continue
        rest = one[:at] + one[at + 1:]
        for start in range(len(other)):
            for end in range(start + 2, min(len(other), start + len(word)) + 1):
                if not _spelled(word, other[start:end]):
                    continue
                left = [w for w in other[:start] + other[end:] if w != word]  # the acronym after its name
                if len(left) == len(rest) and all(_word_agrees(x, y) for x, y in zip(sorted(rest), sorted(left))):
                    return True
    return False


def _named_by_acronym(one: str | None, other: str | None) -> bool:
    """True when ``one`` is a venue's acronym alone ("SIGMOD Conference") and ``other`` spells out the
    name it stands for ("International Conference on Management of Data"), from ``ACRONYM_NAMES``."""
    words = venue_words(one)
    name = ACRONYM_NAMES.get(words[0]) if len(words) == 1 else None
    return name is not None and f" {name} " in f" {' '.join(normalise_for_match(other).split())} "


def _spelled(letters: str, words: tuple[str, ...]) -> bool:
    """True when an acronym is spelled by a run of ``words``, each giving its initial and, a long word, one
    more letter from inside it ("vldb": "very large databases", a compound word for "data bases")."""
    def spells(rest: str, at: int) -> bool:
        if not rest:
            return True
        if at >= len(words) or rest[0] != words[at][0]:
            return False
        word = words[at]
        if spells(rest[1:], at + 1):
            return True
        return len(rest) > 1 and len(word) >= COMPOUND_WORD_MIN and rest[1] in word[3:] and spells(rest[2:], at + 1)

    return len(letters) >= 3 and any(spells(letters, start) for start in range(len(words)))


@lru_cache(maxsize=VENUE_CACHE_SIZE)
def venue_named(venue: str | None) -> bool:
    """True when a venue cell names a journal or proceedings: a word such as "journal", "trans." or
    "record" (``VENUE_NAME_WORDS``), an acronym ("VLDB", "sigmod"), or a name of ``NAME_MIN_WORDS`` words;
    not a place and date ("montreal , canada", "zurich , switzerland , sept") or a topic ("mobile computing")."""
    words = normalise_for_match(venue).split()
    if any(w in VENUE_NAME_WORDS for w in words):
        return True
    if "," not in (venue or "") and sum(w not in VENUE_STOP_WORDS for w in words) >= NAME_MIN_WORDS:
        return True
    named = venue_words(venue)
    return len(named) == 1 and _acronym(named[0]) is not None or _acronym(venue or "") is not None


def _cut_short(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """True when ``short`` (two words at least) agrees word by word with the start of ``long``, one side
    abbreviated or the other: "acm transactions on database" cut short of "acm trans . database syst ."."""
    return len(short) >= 2 and all(_word_agrees(x, y) for x, y in zip(short, long))


def _words(venue: str | None) -> int:
    """How many words a venue name has, small words and kind words included."""
    return len(normalise_for_match(venue).split())


def _in_order(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every word of ``short`` agrees, in order, with a word of ``long`` as long or longer (the first with
    one of the first two): the shorter name is the other cut short, never the other way round."""
    if len(short) == 1 and len(short[0]) >= DISTINCT_VENUE_WORD and short[0] in long:
        return True  # "VLDB" in "Proceedings of ... Very Large Databases (VLDB)"
    rest = iter(enumerate(long))
    for n, word in enumerate(short):
        found = next((at for at, other in rest if len(word) <= len(other) and _word_agrees(word, other)), None)
        if found is None or (n == 0 and found > 1):
            return False
    return True


def _initials_of(venue: str) -> set[str]:
    """What an acronym of ``venue`` may be: initials without or with the small words, qualifier or not."""
    bare = _QUALIFIER.sub(" ", venue)
    return {venue_initials(venue), _all_initials(venue), venue_initials(bare), _all_initials(bare)}


def _all_initials(venue: str | None) -> str:
    """Initials counting the small words too ("Journal of the American Society..." → "jotas...")."""
    return "".join(w[0] for w in normalise_for_match(venue).split() if not w.isdigit())


@lru_cache(maxsize=VENUE_CACHE_SIZE)
def venue_uncertain(venue: str | None) -> bool:
    """True when a venue cell cannot be compared: cut short, or a report number or an institution instead
    of a journal or proceedings ("technical report 00-11-006", "university of california at berkeley")."""
    text = (venue or "").lower()
    if any(mark in text for mark in TRUNCATED) or any(mark in text for mark in WEB_ADDRESS):
        return True
    words = normalise_for_match(venue).split()
    if words and words[-1] in CUT_AFTER_WORDS:
        return True  # "acm conference on management of": a cell cut at a fixed length, its end lost
    if all(w in VENUE_KIND_WORDS or w in VENUE_STOP_WORDS or w.isdigit() or _ORDINAL.match(w) for w in words):
        return True  # "proc . of the", "acm": no name left
    return any(w in NOT_A_VENUE_WORDS or w.startswith("universit") for w in words)
