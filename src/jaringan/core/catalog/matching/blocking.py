"""Cheap keys that bring plausible pairs together, and the work key.

Only records that share a blocking key are ever compared, so the keys must
survive cataloguing variation (a typo, a dropped subtitle, "&" for "dan")
while staying selective.  A record gets:

* one key per valid ISBN, LCCN and OCLC number, and one for the DOI;
* title-word keys: each pair of neighbouring significant title words among
  the first ``TITLE_WORDS_FOR_KEYS`` (a typo breaks one pair, not all),
  combined with the year and, separately, with an author word;
* single-word keys: each of those words with the year *and* the first
  author word (or, lacking authors, the publisher's first word), so that a
  typo in a two-word title still leaves one key intact;
* an author-year key for one-word titles with a typo, and for one-word titles with a subtitle the
  title-word pair keys of that word and the subtitle's first;
* title-word pairs with the page count, for records that lack a year or an author the other gives (or
  give a year apart: a record's 008 against another's 260 $c);
* for a book whose title joins words by a hyphen, its title-word keys made again with those words
  written as one ("anti-trust" / "antitrust", "Trans-Pacific" / "Transpacific").

Keys are made twice over when the first author's surname differs from that
author word: citation lists cut author lists short ("et al."), catalogues
write given names in full or as initials ("Kern, John A." / "Kern, John
Adam") and add or leave out a contributor, and the first author's surname
survives all of these.  An article also gets keys of three neighbouring title words
alone: citation lists leave the year out and garble names beyond repair
("r gќting" / "rh gfiting"), while a paper's title words are seldom shared;
and keys of any three of its first four title words in any order, for the
title as given and after a citation's preamble (a typo, two words swapped,
the authors typed before the title).

The author word does not depend on the order of the authors or on "Surname,
Given" against "Given Surname" (see ``_author_key``).
"""

from __future__ import annotations

import hashlib
import re
from itertools import combinations

from ..record import CanonicalRecord
from ..text import ALL_STOP_WORDS, normalise_for_match
from .fields import publisher_key
from .names import name_tokens
from .titles import after_preamble, citation_segments

__all__ = ["blocking_keys", "key_number", "key_numbers", "same_work_key", "significant_title_words"]

TITLE_WORDS_FOR_KEYS = 4
ARTICLE = "article"
#: Title words shortened to this many letters in keys ("perpustakaan" → "perpus").
KEY_WORD_LENGTH = 6
#: A citation's title after its preamble is keyed when this many words at least are left.
PREAMBLE_TITLE_WORDS = 4


def significant_title_words(record: CanonicalRecord) -> list[str]:
    """Folded title words without stop words ("&", "dan", "the"...)."""
    return _significant_words(record.title)


def _significant_words(title: str) -> list[str]:
    words = normalise_for_match(title).split()
    kept = [w for w in words if w not in ALL_STOP_WORDS]
    return kept or words


def _author_key(record: CanonicalRecord) -> str | None:
    """One word for the authors, the same whatever their order or inversion.

    Each author gives its longest name word; the alphabetically first of
    those stands for all ("Dennis Budimir; Carroll, Barbara" → "barbara").
    """
    words = []
    for author in record.authors:
        tokens = sorted(name_tokens(author))
        if tokens:
            words.append(max(tokens, key=len))
    return min(words) if words else None


def _surname(name: str) -> str | None:
    """The surname of a personal name: before the comma when inverted, else its last word; no initials."""
    inverted = "," in name
    tokens = [t for t in name_tokens(name.split(",")[0] if inverted else name) if len(t) > 1]
    if not tokens:
        return None
    return max(tokens, key=len) if inverted else tokens[-1]


def _makers(record: CanonicalRecord) -> list[str]:
    """The author words keys are made with: ``_author_key``, and its first author's surname."""
    author = _author_key(record)
    makers = [author] if author else []
    if record.authors:
        surname = _surname(record.authors[0])
        if surname and surname not in makers:
            makers.append(surname)
    return makers


def _into_subtitle(record: CanonicalRecord, words: list[str]) -> list[str]:
    """For a title of one word with a subtitle ("Highways : acquiring land for ..."), the pair of that word
    and the subtitle's first, which another catalogue typing both into its title ("Highways, acquiring land
    ...") keys the title with."""
    if len(words) != 1 or not record.subtitle:
        return []
    following = [w for w in normalise_for_match(record.subtitle).split() if w not in ALL_STOP_WORDS]
    return [f"{words[0]}_{following[0][:KEY_WORD_LENGTH]}"] if following else []


def _title_word_keys(keys: set[str], record: CanonicalRecord, significant: list[str], makers: list[str],
                     year: int | str) -> list[str]:
    """Add to ``keys`` the keys of the first significant title words (pairs of neighbouring words with the
    year, with each author word and with the page count; each word with the year and an author or, lacking
    authors, the publisher's first word); return those words as keyed."""
    words = [w[:KEY_WORD_LENGTH] for w in significant[:TITLE_WORDS_FOR_KEYS]]
    pairs = [f"{x}_{y}" for x, y in zip(words, words[1:])] or words[:1] + _into_subtitle(record, words)
    for pair in pairs:
        keys.add(f"ty:{pair}:{year}")
        keys.update(f"ta:{pair}:{author}" for author in makers)
        if record.pages:  # the page count stands in for a year or author the other record lacks
            keys.add(f"tp:{pair}:{record.pages}")
    for maker in makers or [(publisher_key(record.publisher).split() or ["-"])[0][:KEY_WORD_LENGTH]]:
        keys.update(f"wy:{word}:{year}:{maker}" for word in words)
    return words


#: A hyphen between two letters: "anti-trust", "Trans-Pacific", "buku-buku" (not "1890-1912").
_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011](?=[^\W\d_])")


def _hyphens_joined(title: str, significant: list[str]) -> list[str] | None:
    """The significant title words with the words a hyphen joins written as one ("Federal anti-trust
    decisions" → federal, antitrust, decisions), when the title has such a hyphen: one catalogue keeps the
    hyphen, another writes the compound as one word, and their title-word keys would share nothing."""
    if "-" not in title and "\u2010" not in title and "\u2011" not in title:
        return None
    joined = _significant_words(_HYPHEN_IN_WORD.sub("", title))
    return joined if joined[:TITLE_WORDS_FOR_KEYS] != significant[:TITLE_WORDS_FOR_KEYS] else None


def blocking_keys(record: CanonicalRecord) -> set[str]:
    """Keys under which ``record`` is indexed for candidate look-up."""
    keys = {f"isbn:{isbn}" for isbn in record.isbns}
    if record.lccn:
        keys.add(f"lccn:{record.lccn}")
    keys.update(f"oclc:{n}" for n in record.oclc_numbers)
    if record.doi:
        keys.add(f"doi:{record.doi}")
    significant = significant_title_words(record)
    makers = _makers(record)
    year = record.year or "-"
    words = _title_word_keys(keys, record, significant, makers, year)
    keys.update(f"ay:{author}:{year}" for author in makers)
    if record.format != ARTICLE and (joined := _hyphens_joined(record.title, significant)):
        _title_word_keys(keys, record, joined, makers, year)
    if record.format == ARTICLE:  # citations drop the year and garble the authors: three title words alone
        keys.update(f"tt:{'_'.join(words[n:n + 3])}" for n in range(len(words) - 2))
        keys.update(_citation_title_keys(record.title))
        keys.update(_letter_keys(record.title))
    return keys


#: Letters at the start and at the end of a citation's title (or of a run of its pieces) made into keys.
LETTER_KEY_LENGTH = 12


def _letter_keys(title: str) -> set[str]:
    """Keys of the first and of the last letters of the title and of each run of its pieces
    (``titles.citation_segments``): citation databases run words together ("integratingcontentsand...")
    and type authors before the title or the venue after it, which word keys do not survive."""
    keys = set()
    for run in citation_segments(title):
        if len(run) >= LETTER_KEY_LENGTH:
            keys.add(f"lh:{run[:LETTER_KEY_LENGTH]}")
            keys.add(f"le:{run[-LETTER_KEY_LENGTH:]}")
    return keys


def _citation_title_keys(title: str) -> set[str]:
    """Keys of three of the first four title words, in any order and with one of the four left out (a
    typo, or two words swapped: "distributed asynchronous" / "asynchronous distributed"), made for the
    title as given and for the title after a citation's preamble ("ds , and m. tan . semantic data ...")."""
    keys = set()
    for text in (title, " ".join(after_preamble(title, PREAMBLE_TITLE_WORDS) or ())):
        kept = [w for w in normalise_for_match(text).split() if w not in ALL_STOP_WORDS]
        words = [w[:KEY_WORD_LENGTH] for w in kept[:TITLE_WORDS_FOR_KEYS]]
        if len(words) < 3:
            continue
        keys.update(f"ts:{'_'.join(sorted(three))}" for three in combinations(words, 3))
    return keys


#: Keys are cut to this many characters before they are numbered.
KEY_LENGTH = 120


def key_number(key: str) -> int:
    """A blocking key as the signed 64-bit number it is stored and looked up as.

    A number indexes smaller and compares faster than the text; two keys sharing a number (about
    one pair in 10**7 for a billion keys) only add a candidate, which matching then judges.
    """
    hasher = _KEY_HASHER.copy()
    hasher.update(key[:KEY_LENGTH].encode("utf-8"))
    return int.from_bytes(hasher.digest(), "big", signed=True)


#: The 8-byte BLAKE2b that numbers keys, fed nothing yet: a copy of it hashes a key as one made for each key
#: would, in three quarters of the time (a record has some fifteen keys).
_KEY_HASHER = hashlib.blake2b(digest_size=8)


def key_numbers(record: CanonicalRecord) -> list[int]:
    """The blocking keys of ``record`` as the numbers they are stored under, in order."""
    return sorted({key_number(k) for k in blocking_keys(record)})


def same_work_key(record: CanonicalRecord) -> str:
    """Normalised title + first author, for grouping editions into works.

    Word order of the author is ignored ("Basuki, Sulistyo" and "Sulistyo
    Basuki" give one key); the subtitle and edition are left out.
    """
    title = " ".join(significant_title_words(record))
    author = " ".join(sorted(name_tokens(record.authors[0]))) if record.authors else ""
    return f"{title}/{author}"
