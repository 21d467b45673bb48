"""Standard identifiers: ISBN, ISSN, LCCN and OCLC numbers.

Each ``normalise_*`` takes the raw text as catalogued (qualifiers, prices,
hyphens and all) and returns the canonical form, or ``None`` when the value
is not a valid identifier.  :func:`parse_isbn` also keeps the raw text, so a
record can remember an ISBN with a bad checksum without matching on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import isbnlib

__all__ = [
    "ParsedIsbn",
    "is_isbn13",
    "isbn10_of",
    "normalise_isbn",
    "normalise_issn",
    "normalise_lccn",
    "normalise_oclc",
    "oclc_from_035",
    "parse_isbn",
]

ISBN10_LENGTH = 10
ISBN13_LENGTH = 13
#: What an ISBN-10 becomes an ISBN-13 after, and what every ISBN-13 starts with.
ISBN13_PREFIX = "978"
ISBN13_PREFIXES = ("978", "979")
#: ISBN-10s written where the number is unknown, whatever their check digit says (isbnlib's list).
PLACEHOLDER_ISBN10S = frozenset({"0000000000", "000000000X"})
ISSN_LENGTH = 8
LCCN_SERIAL_DIGITS = 6
OCLC_PREFIX = "(OCoLC)"

_ISBN_CANDIDATE = re.compile(r"(?<![0-9])(?:97[89][\s-]?)?(?:[0-9][\s-]?){9}[0-9Xx](?![0-9])")
_ISBN_SEPARATORS = re.compile(r"[\s-]")
_QUALIFIER = re.compile(r"\(([^)]*)\)")
_ISSN_CANDIDATE = re.compile(r"([0-9]{4})\s*-?\s*([0-9]{3}[0-9Xx])")
_OCLC_NUMBER = re.compile(r"^\s*(?:\(OCoLC\))?\s*(?:ocm|ocn|on|oc)?\s*0*([0-9]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ParsedIsbn:
    """An ISBN as catalogued: ``isbn13`` is None when the checksum is wrong."""

    raw: str
    isbn13: str | None
    qualifier: str | None = None

    @property
    def valid(self) -> bool:
        """True when the raw text held an ISBN with a correct check digit."""
        return self.isbn13 is not None


def parse_isbn(raw: str | None) -> ParsedIsbn | None:
    """Find the ISBN in ``raw`` ("979-3062-79-7 (pbk.) : Rp40.000").

    Returns None when the text holds nothing shaped like an ISBN at all, a
    ``ParsedIsbn`` with ``isbn13=None`` when the check digit is wrong.
    """
    if not raw:
        return None
    qualifier_match = _QUALIFIER.search(raw)
    qualifier = qualifier_match.group(1).strip() or None if qualifier_match else None
    candidate = _ISBN_CANDIDATE.search(raw)
    if candidate is None:
        return None
    digits = _ISBN_SEPARATORS.sub("", candidate.group(0)).upper()
    return ParsedIsbn(raw=raw.strip(), isbn13=_to_isbn13(digits), qualifier=qualifier)


def _to_isbn13(digits: str) -> str | None:
    """The ISBN-13 of ``digits`` as ``_ISBN_CANDIDATE`` finds them (nine digits and a digit or X, perhaps after
    978 or 979), None when the check digit is wrong or the ISBN-10 is a placeholder.

    isbnlib's ``is_isbn10``, ``to_isbn13`` and ``is_isbn13`` give the same answers for such digits, but clean
    and check them three times over: asked here, they took a tenth of the CPU of normalising a MARC record.
    The digits are already clean, so only isbnlib's check-digit arithmetic is asked.
    """
    if len(digits) == ISBN10_LENGTH:
        if digits in PLACEHOLDER_ISBN10S or isbnlib.check_digit10(digits[:9]) != digits[9]:
            return None
        stem = ISBN13_PREFIX + digits[:9]
        return stem + isbnlib.check_digit13(stem)
    return digits if is_isbn13(digits) else None


def is_isbn13(digits: str) -> bool:
    """True when ``digits`` are an ISBN-13 written as thirteen ASCII digits (978 or 979 and the right check
    digit): ``isbnlib.is_isbn13`` for the catalogue's own form, without its parsing of every other one."""
    return (len(digits) == ISBN13_LENGTH and digits.isascii() and digits.isdigit()
            and digits[:3] in ISBN13_PREFIXES and isbnlib.check_digit13(digits[:12]) == digits[12])


def isbn10_of(isbn13: str) -> str | None:
    """The ISBN-10 of a valid ISBN-13 beginning with 978, None for one beginning with 979 (which has none)."""
    if not isbn13.startswith(ISBN13_PREFIX):
        return None
    return isbn13[3:12] + isbnlib.check_digit10(isbn13[3:12])


def normalise_isbn(raw: str | None) -> str | None:
    """Canonical ISBN-13 of ``raw`` (ISBN-10 accepted), or None if invalid."""
    parsed = parse_isbn(raw)
    return parsed.isbn13 if parsed else None


def _issn_check_digit(first_seven: str) -> str:
    total = sum(int(d) * w for d, w in zip(first_seven, range(ISSN_LENGTH, 1, -1)))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalise_issn(raw: str | None) -> str | None:
    """ISSN as ``NNNN-NNNC`` when its check digit is right, else None."""
    if not raw:
        return None
    found = _ISSN_CANDIDATE.search(raw)
    if found is None:
        return None
    digits = (found.group(1) + found.group(2)).upper()
    if _issn_check_digit(digits[:7]) != digits[7]:
        return None
    return f"{digits[:4]}-{digits[4:]}"


def normalise_lccn(raw: str | None) -> str | None:
    """LCCN normalised by the Library of Congress rules.

    Remove blanks; drop a forward slash and everything after it; if a hyphen
    is present, remove it and left-pad the digits after it with zeros to six.
    ("n78-890351" → "n78890351", "85-2" → "85000002", "75-425165//r75" →
    "75425165").  Returns None when nothing LCCN-shaped remains.
    """
    if not raw:
        return None
    value = re.sub(r"\s+", "", raw)
    value = value.split("/", 1)[0]
    if "-" in value:
        prefix, _, serial = value.partition("-")
        if not serial.isdigit():
            return None
        value = prefix + serial.zfill(LCCN_SERIAL_DIGITS)
    if not re.fullmatch(r"[a-z]{0,3}[0-9]{8,10}", value):
        return None
    return value


def normalise_oclc(raw: str | None) -> str | None:
    """OCLC number without prefix or leading zeros ("ocm00012345" → "12345")."""
    if not raw:
        return None
    found = _OCLC_NUMBER.match(raw)
    if found is None or found.group(1) == "":
        return None
    number = found.group(1).lstrip("0")
    return number or None


def oclc_from_035(value: str | None) -> str | None:
    """OCLC number of an 035 $a, only when it carries the ``(OCoLC)`` prefix."""
    if not value or not value.strip().startswith(OCLC_PREFIX):
        return None
    return normalise_oclc(value)
