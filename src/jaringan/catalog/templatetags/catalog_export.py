"""``{% citation record %}``: a formatted reference to a canonical record, in the page's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from jaringan.core.catalog.export import formatted_citation

register = template.Library()

#: The page's language → the CSL locale citeproc-py ships for it.
CSL_LOCALES = {"id": "id-ID", "en": "en-US"}


@register.simple_tag
def citation(record, style: str = "apa") -> str:
    """The record as a reference in ``style`` (auto-escaped by the template), or "" without a record."""
    if record is None:
        return ""
    language = (get_language() or "en").split("-")[0]
    return formatted_citation(record, style, locale=CSL_LOCALES.get(language, "en-US"))
