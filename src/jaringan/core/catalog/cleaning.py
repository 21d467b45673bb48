"""Small helpers that turn catalogued strings into plain values.

ISBD punctuation (" /", " :", " ;", trailing "."), brackets of supplied data
("[Jakarta]"), "sine nomine" placeholders and years written as "c1998." or
"[199-?]" are shared dirt of MARC and Dublin Core alike.
"""

from __future__ import annotations

import re

__all__ = ["clean", "clean_name", "clean_publisher", "clean_place", "year_from_text"]

#: Years outside this window are treated as typos or placeholders (9999).
EARLIEST_YEAR = 1400
LATEST_YEAR = 2100

_YEAR = re.compile(r"(?<![0-9])(1[4-9][0-9]{2}|20[0-9]{2})(?![0-9])")
_SINE_NOMINE = re.compile(r"^\[?\s*(s\.?\s*n\.?|s\.?\s*l\.?|n\.?\s*p\.?|tanpa penerbit|t\.?\s*p\.?|t\.?\s*t\.?|publisher not identified|place of publication not identified)\s*\]?$", re.I)


def clean(value: str | None) -> str | None:
    """Strip ISBD punctuation and surrounding space; None when nothing is left.

    A final period is dropped after a word of three or more letters
    ("Jakarta." → "Jakarta") but kept after initials and abbreviations
    ("Smith, J." and "2nd ed." stay as they are).

    String methods, not regular expressions: a pattern anchored at the end
    is tried at every position of the text, and this runs for every
    subfield of every record imported.
    """
    if value is None:
        return None
    text = " ".join(value.split())
    if not text or (text[-1] not in _END and text[0] not in _EDGE):
        # Nothing to strip (most subfields): the steps below would give ``text`` unchanged, as split and
        # join leave no space at either end. This returns in a quarter of their time.
        return text or None
    # Punctuation and a final period, twice over ("Jakarta. :" → "Jakarta"); the second time only after a
    # period went the first time, as otherwise nothing is left to take.
    text = text.rstrip(_EDGE)
    if text.endswith(".") and _final_period_goes(text):
        text = text[:-1].rstrip(_EDGE)
        if text.endswith(".") and _final_period_goes(text):
            text = text[:-1]
    return text.lstrip(_EDGE).strip() or None


#: ISBD punctuation at either end of a value (after spaces are collapsed, a space is the only one left).
_EDGE = " /:;,=+"
#: What ``clean`` may take from a value's end: ISBD punctuation, or a final period.
_END = _EDGE + "."


def _final_period_goes(text: str) -> bool:
    """A final period after three letters that are not spaces or periods, or after a bracket."""
    before = text[-4:-1]
    return (len(before) == 3 and " " not in before and "." not in before) or text[-2:-1] in (")", "]")


def _unbracket(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.replace("[", "").replace("]", "")
    if text.count("(") != text.count(")"):
        text = text.replace("(", "").replace(")", "")
    return clean(text)


def clean_name(value: str | None) -> str | None:
    """A personal or corporate name without ISBD punctuation or a final comma."""
    text = clean(value)
    return text.rstrip(",").strip() or None if text else None


def clean_publisher(value: str | None) -> str | None:
    """Publisher name, brackets removed; None for "[s.n.]" and its kin."""
    text = _unbracket(value)
    if text is None or _SINE_NOMINE.match(text):
        return None
    return text


def clean_place(value: str | None) -> str | None:
    """Place of publication, brackets removed; None for "[S.l.]" and its kin."""
    return clean_publisher(value)


def year_from_text(value: str | None) -> int | None:
    """The first plausible year in a date statement ("c1998.", "[1993]", "2005, c2004")."""
    if not value:
        return None
    found = _YEAR.search(value)
    return int(found.group(1)) if found else None
