"""What a reader sees for the catalogue's stored codes, in the interface's language.

The codes stay as they are stored (``book``, ``ind``, ``match``); these tables turn them into words at
display.  A code no table knows is shown as it is rather than hidden.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jaringan.core.catalog.matching import comparison
from jaringan.core.catalog.record import FORMATS

__all__ = ["FIELD_LABELS", "FORMAT_LABELS", "LANGUAGES", "VERDICT_LABELS", "field_label",
           "format_label", "language_label", "verdict_label"]

#: The broad kinds of ``core.catalog.record.FORMATS``.
FORMAT_LABELS = {
    "book": _("Book"), "serial": _("Serial"), "article": _("Article"), "thesis": _("Thesis"), "map": _("Map"),
    "music": _("Music"), "video": _("Video"), "other": _("Other"),
}
assert set(FORMAT_LABELS) == set(FORMATS)

#: ISO 639-2 (bibliographic) codes: every language of the demo catalogue, and the region's others.
LANGUAGES = {
    "ind": _("Indonesian"), "eng": pgettext_lazy("language of a record", "English"), "may": _("Malay"),
    "jav": _("Javanese"), "sun": _("Sundanese"), "btk": _("Batak"),
    "ban": _("Balinese"), "bug": _("Buginese"), "min": _("Minangkabau"),
    "mad": _("Madurese"), "ace": _("Acehnese"), "kaw": _("Kawi"),
    "dut": _("Dutch"), "ger": _("German"), "fre": _("French"),
    "spa": _("Spanish"), "ara": _("Arabic"), "chi": _("Chinese"),
    "jpn": _("Japanese"), "lat": _("Latin"), "map": _("Austronesian (other)"),
    "und": pgettext_lazy("language", "Undetermined"), "mul": _("Multiple languages"),
}

#: The fields ``core.catalog.matching`` compares, as its ``Comparison.field`` names them.
FIELD_LABELS = {
    "isbn": pgettext_lazy("matching field", "ISBN"), "lccn": pgettext_lazy("matching field", "LCCN"),
    "oclc": pgettext_lazy("matching field", "OCLC number"), "issn": pgettext_lazy("matching field", "ISSN"),
    "doi": pgettext_lazy("matching field", "DOI"), "title": pgettext_lazy("matching field", "Title"),
    "subtitle": pgettext_lazy("matching field", "Subtitle"), "part": pgettext_lazy("matching field", "Part"),
    "authors": pgettext_lazy("matching field", "Authors"),
    "first author": pgettext_lazy("matching field", "First author"),
    "container": pgettext_lazy("matching field", "Journal or book it appears in"),
    "issue": pgettext_lazy("matching field", "Volume and issue"),
    "publisher": pgettext_lazy("matching field", "Publisher"), "year": pgettext_lazy("matching field", "Year"),
    "edition": pgettext_lazy("matching field", "Edition"), "pages": pgettext_lazy("matching field", "Pages"),
    "format": pgettext_lazy("matching field", "Format"), "language": pgettext_lazy("matching field", "Language"),
}

#: The verdicts of ``core.catalog.matching.comparison``.
VERDICT_LABELS = {
    comparison.MATCH: pgettext_lazy("matching verdict", "same"),
    comparison.SIMILAR: pgettext_lazy("matching verdict", "similar"),
    comparison.WEAK: pgettext_lazy("matching verdict", "close, not enough"),
    comparison.MISMATCH: pgettext_lazy("matching verdict", "different"),
    comparison.MISSING: pgettext_lazy("matching verdict", "not on both records"),
    comparison.ONE_SIDED: pgettext_lazy("matching verdict", "on one record only"),
    comparison.CONTRADICTED: pgettext_lazy("matching verdict", "contradicted"),
}


def _label(table: dict, code) -> str:
    if code in (None, ""):
        return ""
    return str(table.get(code, code))


def format_label(code: str | None) -> str:
    """``book`` → "Book" / "Buku"."""
    return _label(FORMAT_LABELS, code)


def language_label(code: str | None) -> str:
    """``ind`` → "Indonesian" / "Bahasa Indonesia"."""
    return _label(LANGUAGES, code)


def field_label(code: str | None) -> str:
    """A matching field's name: ``first author`` → "First author" / "Pengarang pertama"."""
    return _label(FIELD_LABELS, code)


def verdict_label(code: str | None) -> str:
    """A matching verdict: ``missing`` → "not on both records" / "tidak ada di kedua cantuman"."""
    return _label(VERDICT_LABELS, code)
