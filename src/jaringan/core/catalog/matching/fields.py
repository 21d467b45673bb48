"""Keys for fields whose wording varies but whose meaning can be compared.

Edition statements ("2nd ed.", "Ed. 2", "Edisi kedua", "Cet. 2"), volume and
part numbers ("v. 2", "Jilid II", 245 $n "2") and publisher names ("Penerbit
Gramedia", "PT Gramedia") are reduced to comparable keys here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..record import CanonicalRecord
from ..text import ALL_STOP_WORDS, normalise_for_match

__all__ = ["edition_key", "pages_agree", "publisher_initials", "publisher_key", "volume_numbers", "FIRST_EDITION"]

CACHE_SIZE = 100_000
#: Page counts agree within max(absolute, relative) tolerance (unnumbered preliminaries, plates).
PAGES_ABS_TOLERANCE, PAGES_REL_TOLERANCE = 3, 0.05
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
    "pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5, "keenam": 6, "ketujuh": 7,
    "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10,
    "premiere": 1, "deuxieme": 2, "troisieme": 3, "erste": 1, "zweite": 2, "dritte": 3,
}
REVISED_WORDS = frozenset({"rev", "revised", "revisi", "revisied", "diperbarui", "enl", "enlarged"})
EDITION_WORDS = frozenset(
    "ed edition edisi cet cetakan cetak impression printing print ke th nd rd st and dan".split()
)
#: Words after a number that count what the edition holds ("New ed., rev., with 130 illus."), not which it is.
COUNTED_WORDS = frozenset(
    "illus illustrations ill plates plate maps map figures figs fig portraits ports port engravings woodcuts "
    "cuts pages p pp leaves volumes vols v gambar ilustrasi".split()
)
#: The edition key of a first edition, which many catalogues leave unstated.
FIRST_EDITION = "1"
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
VOLUME_WORDS = r"(?:v|vol|vols|volume|volumes|jilid|jil|buku|bagian|bag|part|pt|tome|t|bd|band|deel|teil|seri|no|nomor|number)"
_VOLUME = re.compile(rf"\b{VOLUME_WORDS}\.?\s*(?:ke\s*-?\s*)?([0-9]+|[ivxlc]+)\b", re.I)
_BARE_PART = re.compile(r"^\s*([0-9]+|[ivxlc]+)\s*$", re.I)
_NUMBER = re.compile(r"([0-9]+)")
PUBLISHER_NOISE = frozenset(
    (
        "penerbit pt cv ud tbk publisher publishers publishing publication publications pub "
        "inc incorporated ltd limited co company corp corporation the and press percetakan"
    ).split()
)


def _roman(text: str) -> int | None:
    total, previous = 0, 0
    for ch in reversed(text.lower()):
        value = ROMAN.get(ch)
        if value is None:
            return None
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total or None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else _roman(text)


@lru_cache(maxsize=CACHE_SIZE)
def edition_key(edition: str | None) -> str | None:
    """A comparable key of an edition statement, or None if there is none.

    "2nd ed." → "2", "Edisi kedua" → "2", "Cet. 3" → "3", "Rev. ed." → "rev",
    "3rd rev. ed." → "3 rev"; anything else → its folded words.
    """
    if not edition:
        return None
    tokens = normalise_for_match(edition).split()
    number = None
    for at, token in enumerate(tokens):
        if token in ORDINALS:
            number = ORDINALS[token]
            break
        found = _NUMBER.match(token)
        if found and not (at + 1 < len(tokens) and tokens[at + 1] in COUNTED_WORDS):
            number = int(found.group(1))
            break
    revised = any(t in REVISED_WORDS for t in tokens)
    if number is None and not revised:
        rest = [t for t in tokens if t not in EDITION_WORDS]
        return " ".join(rest) or None
    parts = [str(number)] if number is not None else []
    if revised:
        parts.append("rev")
    return " ".join(parts)


def volume_numbers(record: CanonicalRecord) -> frozenset[int]:
    """Volume/part numbers named in the part ($n) or title ("Jilid 2", "v. II").

    The subtitle is left out: a dropped subtitle must not look like a
    change of volume ("Piano concerto no. 15 : Symphony no. 36").
    """
    return _volume_numbers(record.title, record.part)


@lru_cache(maxsize=CACHE_SIZE)
def _volume_numbers(title: str | None, part: str | None) -> frozenset[int]:
    numbers: set[int] = set()
    if part:
        bare = _BARE_PART.match(part.strip().rstrip("."))
        if bare and _number(bare.group(1)) is not None:
            numbers.add(_number(bare.group(1)))
    for text in (part, title):
        for found in _VOLUME.finditer(text or ""):
            if (n := _number(found.group(1))) is not None:
                numbers.add(n)
    return frozenset(numbers)


@lru_cache(maxsize=CACHE_SIZE)
def publisher_key(publisher: str | None) -> str:
    """Publisher words without "Penerbit", "PT", "Press", "Inc." and the like."""
    tokens = normalise_for_match(publisher).split()
    return " ".join(t for t in tokens if t not in PUBLISHER_NOISE)


#: Letters an acronym written as one word needs ("asme"; "gpo" written "g p o" is letters however few).
ACRONYM_LETTERS = (3, 6)


def publisher_initials(pa: str, pb: str) -> bool:
    """True when one publisher key (``publisher_key``) is the initials of words of the other: "g p o" /
    "govt print off", "h m s o" / "printed for h m stationery off", "asme" / "american society of mechanical
    engineers", "unep" / "... centre united nations environment programme"; or the same letters spaced
    otherwise ("hmso" / "h m s o")."""
    if pa.replace(" ", "") == pb.replace(" ", ""):
        return True
    for short, long in ((pa, pb), (pb, pa)):
        acronym = _acronym(short)
        words = [w for w in long.split() if w not in ALL_STOP_WORDS]
        if acronym and len(words) >= len(acronym) and acronym in "".join(w[0] for w in words):
            return True
    return False


def _acronym(key: str) -> str | None:
    """The letters of a key written as initials ("g p o") or as one short word ("asme"), else None."""
    tokens = key.split()
    if len(tokens) >= 2 and all(len(t) == 1 and t.isalpha() for t in tokens):
        return "".join(tokens)
    if len(tokens) == 1 and tokens[0].isalpha() and ACRONYM_LETTERS[0] <= len(tokens[0]) <= ACRONYM_LETTERS[1]:
        return tokens[0]
    return None


def pages_agree(a: CanonicalRecord, b: CanonicalRecord) -> bool | None:
    """Whether two records' page counts agree within the tolerance; None when either gives none."""
    if not a.pages or not b.pages:
        return None
    return abs(a.pages - b.pages) <= max(PAGES_ABS_TOLERANCE, PAGES_REL_TOLERANCE * max(a.pages, b.pages))
