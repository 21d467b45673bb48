"""Filters that show the catalogue's stored codes as words of the page's language.

``{{ record.format|format_label }}``, ``{{ record.language|language_label }}``,
``{{ field|field_label }}``, ``{{ verdict|verdict_label }}``, ``{{ q.reason|quarantine_reason }}``,
``{{ batch|batch_message }}``; a subject or an author as a link to the search that finds it:
``{% for name in record.authors %}{{ name|heading_link:"author" }}{% endfor %}``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from jaringan.catalog import labels
from jaringan.catalog.reasons import reason_display
from jaringan.catalog.texts import batch_message
from jaringan.core.catalog.cleaning import clean_name
from jaringan.core.search.syntax import field_phrase

register = template.Library()

register.filter("format_label", labels.format_label)
register.filter("language_label", labels.language_label)
register.filter("field_label", labels.field_label)
register.filter("verdict_label", labels.verdict_label)
register.filter("quarantine_reason", reason_display)
register.filter("batch_message", batch_message)


@register.filter
def heading_link(text: str, field: str) -> str:
    """A heading (a subject, an author) as a link to the search for it in ``field``, without the ISBD punctuation
    a catalogue may have left at its end (" /", " :", a final period)."""
    shown = clean_name(text) or ""
    if not shown:
        return ""
    url = reverse("search") + "?" + urlencode({"q": field_phrase(field, shown)})
    return format_html('<a href="{}">{}</a>', url, shown)
