"""The format of a MARC record, from leader 06/07 and 008.

Kept apart from ``marc.py`` because it is a small decision table of its own.
"""

from __future__ import annotations

import re

__all__ = ["carrier_from_extent", "carrier_from_leader", "format_from_marc"]

#: Leader/06 (type of record) → format, before leader/07 is considered.
TYPE_OF_RECORD_FORMATS = {
    "a": "book", "t": "book",
    "c": "music", "d": "music", "j": "music",
    "e": "map", "f": "map",
    "g": "video",
}
#: Leader/06 → carrier, finer than the format: a score and a recording are both music.
TYPE_OF_RECORD_CARRIERS = {
    "a": "text", "t": "text", "c": "score", "d": "score", "e": "map", "f": "map",
    "g": "projected", "i": "sound", "j": "sound", "k": "image", "m": "computer",
    "o": "kit", "p": "mixed", "r": "object",
}
#: Carrier words of an extent (300 $a); the one written first names the carrier.
#: Real exports miscode leader/06 (a CD coded as a score), the extent rarely lies.
EXTENT_CARRIERS = (
    ("sound disc", "sound"), ("audio disc", "sound"), ("sound cassette", "sound"), ("audiocassette", "sound"),
    ("compact disc", "sound"), ("sound recording", "sound"), ("videocassette", "projected"),
    ("videodisc", "projected"), ("video disc", "projected"), ("dvd", "projected"), ("film reel", "projected"),
    ("computer disc", "computer"), ("cd-rom", "computer"), ("online resource", "computer"),
    ("score", "score"), ("atlas", "map"), ("map", "map"),
)
#: A count of pages, leaves, volumes or parts in an extent ("193 p.", "xxii, 193 pages", "128p.", "[62] p.", "2 v.",
#: "11 pt.", "245 hlm.").
_PAGES_OR_VOLUMES = re.compile(
    r"\[?\b[0-9ivxlc]+\]?\s*(?:p\b|pp\b|pages?\b|leaves\b|l\.|v\.|vols?\b|volumes?\b|pts?\b|parts?\b|hlm\b|halaman\b)"
)
#: Leader/07 (bibliographic level) values that make a text record a serial.
SERIAL_LEVELS = frozenset("bis")
#: Leader/07 values of a component part (an article, a chapter).
COMPONENT_LEVELS = frozenset("ab")
#: 008/24-27 (books: nature of contents) code for theses.
THESIS_CONTENT_CODE = "m"
BOOK_CONTENTS = slice(24, 28)


def format_from_marc(*, leader: str, fixed_008: str | None, has_thesis_note: bool = False) -> str:
    """One of ``record.FORMATS`` for a record with this leader and 008.

    A short or blank leader falls back to "book": most member catalogues are
    books, and a wrong "other" would split editions that should merge.
    """
    type_of_record = leader[6] if len(leader) > 6 else "a"
    level = leader[7] if len(leader) > 7 else "m"
    fmt = TYPE_OF_RECORD_FORMATS.get(type_of_record, "other" if type_of_record.strip() else "book")
    if fmt != "book":
        return fmt
    if level in COMPONENT_LEVELS:
        return "article"
    if level in SERIAL_LEVELS:
        return "serial"
    contents = fixed_008[BOOK_CONTENTS] if fixed_008 and len(fixed_008) >= BOOK_CONTENTS.stop else ""
    if THESIS_CONTENT_CODE in contents or has_thesis_note:
        return "thesis"
    return "book"


def carrier_from_leader(leader: str) -> str | None:
    """The carrier named by leader/06, or None for a short or unknown leader."""
    return TYPE_OF_RECORD_CARRIERS.get(leader[6]) if len(leader) > 6 else None


def carrier_from_extent(extent: str | None) -> str | None:
    """The carrier named first in an extent ("2 sound discs" → "sound"), or None.

    A carrier word after a count of pages or volumes is what the book holds, not what it is: "193 p.
    incl. maps", "128p., map", "2 v. : maps" are books with maps.
    """
    if not extent:
        return None
    text = extent.casefold()
    first = _CARRIER_WORD.search(text)
    if first is None:
        return None
    counted = _PAGES_OR_VOLUMES.search(text)
    return _CARRIER_OF[first.group()] if counted is None or first.start() < counted.start() else None


#: The first carrier word of an extent, in one search: no word of ``EXTENT_CARRIERS`` begins another, so the
#: earliest match is the word written first (looking each word up in turn, and for the count of pages
#: every time, took ten times as long over the LoC extents, which mostly name no carrier).
_CARRIER_WORD = re.compile("|".join(re.escape(word) for word, _carrier in EXTENT_CARRIERS))
_CARRIER_OF = dict(EXTENT_CARRIERS)
