"""Captions of subject groups, decades and languages, in the page's language.

DDC main classes are described here in our own words (the DDC's own captions are not openly
licensed); LCC main classes and subclasses follow the Library of Congress Classification Outline,
a public-domain work of the US government (the subclasses' captions ship in English, as
``core/analysis/data/lcc_outline.json``, see ``SOURCES.md`` there); UDC main classes in our own words.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jaringan.catalog.labels import language_label
from jaringan.core.analysis.subjects import lcc_outline

SCHEME_LABELS = {
    "ddc": gettext_lazy("Dewey Decimal Classification"),
    "lcc": gettext_lazy("Library of Congress Classification"),
    "udc": gettext_lazy("Universal Decimal Classification"),
}

DDC_MAIN = {
    "0": gettext_lazy("Computers, information and general works"),
    "1": gettext_lazy("Philosophy and psychology"),
    "2": gettext_lazy("Religion"),
    "3": gettext_lazy("Social sciences"),
    "4": pgettext_lazy("subject", "Language"),
    "5": gettext_lazy("Natural sciences and mathematics"),
    "6": gettext_lazy("Technology and applied sciences"),
    "7": gettext_lazy("Arts and recreation"),
    "8": gettext_lazy("Literature"),
    "9": gettext_lazy("History and geography"),
}

LCC_MAIN = {
    "A": gettext_lazy("General works"),
    "B": gettext_lazy("Philosophy, psychology, religion"),
    "C": gettext_lazy("Auxiliary sciences of history"),
    "D": gettext_lazy("World history"),
    "E": gettext_lazy("History of the Americas"),
    "F": gettext_lazy("Local history of the Americas"),
    "G": gettext_lazy("Geography, anthropology, recreation"),
    "H": gettext_lazy("Social sciences"),
    "J": gettext_lazy("Political science"),
    "K": gettext_lazy("Law"),
    "L": gettext_lazy("Education"),
    "M": gettext_lazy("Music"),
    "N": gettext_lazy("Fine arts"),
    "P": gettext_lazy("Language and literature"),
    "Q": gettext_lazy("Science"),
    "R": gettext_lazy("Medicine"),
    "S": gettext_lazy("Agriculture"),
    "T": gettext_lazy("Technology and applied sciences"),
    "U": gettext_lazy("Military science"),
    "V": gettext_lazy("Naval science"),
    "Z": gettext_lazy("Bibliography and library science"),
}

UDC_MAIN = {
    "0": gettext_lazy("Science and knowledge, information, libraries"),
    "1": gettext_lazy("Philosophy and psychology"),
    "2": gettext_lazy("Religion"),
    "3": gettext_lazy("Social sciences"),
    "5": gettext_lazy("Mathematics and natural sciences"),
    "6": gettext_lazy("Applied sciences, medicine, technology"),
    "7": gettext_lazy("Arts, recreation and sport"),
    "8": gettext_lazy("Language, linguistics, literature"),
    "9": gettext_lazy("Geography, biography, history"),
}

MAIN = {"ddc": DDC_MAIN, "lcc": LCC_MAIN, "udc": UDC_MAIN}

BUCKET_LABELS = {
    "one": gettext_lazy("one member only"),
    "few": gettext_lazy("2 to 5 members"),
    "many": gettext_lazy("more than 5, not all"),
    "all": gettext_lazy("every member"),
}


def subject_label(scheme: str, value: str) -> str:
    """A subject group in words: "600–699 Technology and applied sciences", "QA Mathematics"."""
    if not value:
        return _("no class number in this scheme")
    if scheme == "ddc":
        if len(value) == 1:
            return f"{value}00–{value}99 {DDC_MAIN.get(value, '')}".strip()
        return f"{value}0–{value}9 ({DDC_MAIN.get(value[:1], '')})"
    if scheme == "lcc":
        if len(value) == 1:
            return f"{value} {LCC_MAIN.get(value, '')}".strip()
        caption = lcc_outline().get(value)
        return f"{value} {caption}" if caption else f"{value} ({LCC_MAIN.get(value[:1], '')})"
    return f"{value} {UDC_MAIN.get(value, '')}".strip()


def decade_label(value: str) -> str:
    if not value:
        return _("year unknown")
    return f"{value}–{int(value) + 9}"


def dimension_value_label(dimension: str, value: str) -> str:
    if dimension in MAIN:
        return subject_label(dimension, value)
    if dimension == "decade":
        return decade_label(value)
    if dimension == "language":
        return language_label(value) if value else _("language unknown")
    return value
