"""Filters that show the catalogue's stored codes as words of the page's language.

``{{ record.format|format_label }}``, ``{{ record.language|language_label }}``,
``{{ field|field_label }}``, ``{{ verdict|verdict_label }}``, ``{{ q.reason|quarantine_reason }}``,
``{{ batch|batch_message }}``.
"""

from __future__ import annotations

from django import template

from jaringan.catalog import labels
from jaringan.catalog.reasons import reason_display
from jaringan.catalog.texts import batch_message

register = template.Library()

register.filter("format_label", labels.format_label)
register.filter("language_label", labels.language_label)
register.filter("field_label", labels.field_label)
register.filter("verdict_label", labels.verdict_label)
register.filter("quarantine_reason", reason_display)
register.filter("batch_message", batch_message)
