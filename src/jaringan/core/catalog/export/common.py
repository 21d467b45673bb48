"""What every export format shares: safe text, names, leading articles, the format vocabulary.

A canonical record may hold any Unicode its member typed, including control
characters that neither XML 1.0 nor ISO 2709 can carry (a stray 0x1E ends a
MARC field).  :func:`safe_text` is the one gate every value passes through on
its way out.
"""

from __future__ import annotations

import re

__all__ = [
    "call_number",
    "host_citation",
    "is_corporate",
    "language_code",
    "language_name",
    "part_of",
    "language_tag",
    "nonfiling_length",
    "safe_text",
    "split_name",
    "is_writable",
    "writable",
]

#: Characters XML 1.0 forbids, plus the ISO 2709 delimiters (0x1D-0x1F are among the C0 controls).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WHITESPACE = re.compile(r"[\t\n\r]+")
#: "Body. Unit": a word of four letters or more before ". " (not initials or "Moh. Hatta").
_SUBORDINATE_UNIT = re.compile(r"\w{4}\.\s+\w")

#: Leading articles skipped in filing, by ISO 639-2/B language; None = language unknown.
LEADING_ARTICLES = {
    "eng": ("the ", "a ", "an "),
    "fre": ("le ", "la ", "les ", "l'", "un ", "une "),
    "ger": ("der ", "die ", "das ", "ein ", "eine "),
    "dut": ("de ", "het ", "een ", "'t "),
    "spa": ("el ", "la ", "los ", "las ", "un ", "una "),
    "ita": ("il ", "lo ", "la ", "i ", "gli ", "le ", "l'", "un ", "una "),
    None: ("the ", "an "),
}
#: The longest non-filing count MARC 245 ind2 can hold.
MAX_NONFILING = 9

#: Words that make a heading with no comma a body rather than a person.
CORPORATE_WORDS = frozenset("""
    universitas university institut institute sekolah perpustakaan library badan dinas departemen
    kementerian lembaga pusat yayasan foundation society association asosiasi ikatan bank
    perusahaan company corporation commission komisi dewan council panitia committee
    museum arsip archives bureau biro direktorat directorate pemerintah government
    persatuan organisasi organization organisation conference konferensi seminar kongres
    """.split())

#: ISO 639-2/B → BCP 47 for the languages the network's members catalogue in.
LANGUAGE_TAGS = {
    "ind": "id", "eng": "en", "may": "ms", "jav": "jv", "sun": "su", "ara": "ar", "dut": "nl",
    "fre": "fr", "ger": "de", "chi": "zh", "jpn": "ja", "spa": "es", "por": "pt", "ita": "it",
    "rus": "ru", "kor": "ko", "tha": "th", "vie": "vi", "hin": "hi", "fin": "fi", "lat": "la",
    "ban": "ban", "min": "min", "ace": "ace", "bug": "bug", "mad": "mad", "mak": "mak", "btk": "btk",
}
#: ISO 639-2/B → the language's name as a receiving catalogue files it. Indonesian and English are
#: spelled as SLiMS ships them ("Indonesia", "English": its language table matches on the name), the
#: others with their ISO 639-2 English names (each at most SLiMS's 20 characters).
LANGUAGE_NAMES = {
    "ind": "Indonesia", "eng": "English", "may": "Malay", "jav": "Javanese", "sun": "Sundanese",
    "ara": "Arabic", "dut": "Dutch", "fre": "French", "ger": "German", "chi": "Chinese", "jpn": "Japanese",
    "spa": "Spanish", "por": "Portuguese", "ita": "Italian", "rus": "Russian", "kor": "Korean", "tha": "Thai",
    "vie": "Vietnamese", "hin": "Hindi", "fin": "Finnish", "lat": "Latin", "ban": "Balinese",
    "min": "Minangkabau", "ace": "Achinese", "bug": "Buginese", "mad": "Madurese", "mak": "Makasar",
    "btk": "Batak languages", "kaw": "Kawi", "map": "Austronesian", "san": "Sanskrit", "tam": "Tamil",
    "tgl": "Tagalog", "per": "Persian", "tur": "Turkish", "heb": "Hebrew", "gre": "Greek", "dan": "Danish",
    "swe": "Swedish", "nor": "Norwegian", "pol": "Polish", "cze": "Czech", "hun": "Hungarian",
    "mul": "Multiple languages", "und": "Undetermined",
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{3}$")
#: Classification schemes whose number makes a call number, in the order tried (Indonesian
#: libraries shelve by DDC; LCC when that is all the record has).
CALL_NUMBER_SCHEMES = ("ddc", "lcc")


def safe_text(value: object) -> str:
    """``value`` as text any XML or MARC writer accepts: no controls, no lone surrogates, no outer blanks.

    Tabs and line breaks become one space; other controls are dropped.  The
    Unicode normalisation form is left as catalogued (MARC 21 allows both).
    """
    if value is None:
        return ""
    return _FORBIDDEN.sub("", _WHITESPACE.sub(" ", str(value))).strip()


def is_writable(value: str) -> bool:
    """Whether ``value`` holds nothing :func:`writable` would remove (one search, no copy)."""
    return _FORBIDDEN.search(value) is None


def writable(value: str) -> str:
    """``value`` with only what XML 1.0 and ISO 2709 cannot carry removed (no other change)."""
    return _FORBIDDEN.sub("", value)


def is_corporate(name: str) -> bool:
    """True when a heading looks like a body ("Indonesia. Badan Pusat Statistik"), not a person.

    A person's heading in inverted form has a comma ("Toer, Pramoedya Ananta");
    a body's heading has none and either has subordinate units (". ") or a word
    such as "Universitas" or "Departemen".
    """
    if "," in name:
        return False
    if _SUBORDINATE_UNIT.search(name):
        return True
    words = re.findall(r"\w+", name.casefold())
    return any(word in CORPORATE_WORDS for word in words)


def split_name(name: str) -> tuple[str, str | None]:
    """(family, given) of an inverted personal name; (name, None) when it is not inverted.

    "Toer, Pramoedya Ananta" → ("Toer", "Pramoedya Ananta"); "Sulistyo-Basuki"
    → ("Sulistyo-Basuki", None): many Indonesian names have no family name.
    """
    family, comma, given = name.partition(",")
    if not comma or not family.strip() or not given.strip():
        return name.strip(), None
    return family.strip(), given.strip()


def nonfiling_length(title: str, language: str | None) -> int:
    """How many leading characters of ``title`` are an article to skip in sorting ("The " → 4)."""
    articles = LEADING_ARTICLES.get(language, ())
    lowered = title.casefold()
    for article in articles:
        if lowered.startswith(article) and len(title) > len(article) and len(article) <= MAX_NONFILING:
            return len(article)
    return 0


def language_tag(code: str | None) -> str | None:
    """The BCP 47 tag of an ISO 639-2/B code ("ind" → "id"), or None when not known."""
    return LANGUAGE_TAGS.get(code or "")


def language_code(code: str | None) -> str | None:
    """``code`` when it is shaped as an ISO 639-2/B code (three small letters), else None."""
    code = (code or "").strip().lower()
    return code if _LANGUAGE_CODE.match(code) else None


def language_name(code: str | None) -> str | None:
    """The name of an ISO 639-2/B language ("ind" → "Indonesia"), or None when not known."""
    return LANGUAGE_NAMES.get(language_code(code) or "")


def call_number(record, *, local: str | None = None) -> str | None:
    """The call number a receiving catalogue should take: the record's DDC number (082), else its LC
    class (050), else ``local`` (the record's own 090), else None. Never a holding's shelf mark."""
    for scheme in CALL_NUMBER_SCHEMES:
        for c in record.classifications:
            if c.scheme == scheme and safe_text(c.number):
                return safe_text(c.number)
    return safe_text(local) or None


def part_of(record) -> dict[str, str]:
    """Where an article appeared: ``container``, ``volume``, ``issue``, ``doi`` (those present, as safe text)."""
    found = {name: safe_text(getattr(record, name, None)) for name in ("container", "volume", "issue", "doi")}
    return {name: value for name, value in found.items() if value}


def host_citation(record) -> str | None:
    """"Vol. 12, no. 3 (2019), p. 45-67": the numbering of an article in its host, or None."""
    host = part_of(record)
    pieces = []
    if host.get("volume"):
        pieces.append(f"Vol. {host['volume']}")
    if host.get("issue"):
        pieces.append(f"no. {host['issue']}")
    text = ", ".join(pieces)
    if text and record.year:
        text += f" ({record.year})"
    if record.format == "article" and safe_text(record.extent):
        text = f"{text}, p. {safe_text(record.extent)}" if text else f"p. {safe_text(record.extent)}"
    return text or None
