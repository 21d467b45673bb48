"""The network pass's code: 80 random bits and a check character, written in Crockford's base 32.

``JRG-7K3M-Q9TD-X2PA-4HNB-W`` — sixteen random characters (no one can guess a valid code: 2⁸⁰ of them)
and a check character (Crockford's mod-37 symbol) so that a mistyped code is refused as mistyped, not
looked up. Typing is forgiving: case, spaces and dashes do not matter, O reads as 0 and I, L as 1.
The printed form is what the QR code and the Code 128 barcode carry.
"""

from __future__ import annotations

import secrets

from jaringan.core.errors import Invalid

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
RANDOM_CHARS = 16
PREFIX = "JRG"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class BadPassCode(Invalid):
    """Text that is not a pass code (wrong length, a character outside the alphabet, a wrong check character)."""


def _value(chars: str) -> int:
    n = 0
    for c in chars:
        n = n * 32 + ALPHABET.index(c)
    return n


def check_char(chars: str) -> str:
    return CHECK_ALPHABET[_value(chars) % 37]


def new_code(token_bytes=secrets.token_bytes) -> str:
    """A fresh code in its printed form."""
    n = int.from_bytes(token_bytes(10), "big")
    chars = "".join(ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(RANDOM_CHARS)))
    return format_code(chars + check_char(chars))


def format_code(compact: str) -> str:
    body = "-".join(compact[i:i + 4] for i in range(0, RANDOM_CHARS, 4))
    return f"{PREFIX}-{body}-{compact[RANDOM_CHARS:]}"


def normalise(text: str) -> str:
    """The printed form of a typed or scanned code, or ``BadPassCode`` saying what is wrong."""
    compact = "".join((text or "").split()).replace("-", "").upper()
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX):]
    compact = compact[:RANDOM_CHARS].translate(_READ_AS) + compact[RANDOM_CHARS:]
    if len(compact) != RANDOM_CHARS + 1:
        raise BadPassCode(f"a pass code has {RANDOM_CHARS + 1} characters after {PREFIX}, not {len(compact)}")
    body, check = compact[:RANDOM_CHARS], compact[RANDOM_CHARS:]
    bad = [c for c in body if c not in ALPHABET]
    if bad:
        raise BadPassCode(f"{bad[0]!r} is not a character of a pass code")
    if check_char(body) != check.translate(_READ_AS if check in "OIL" else {}):
        raise BadPassCode("the check character does not match: the code was mistyped")
    return format_code(body + check_char(body))
