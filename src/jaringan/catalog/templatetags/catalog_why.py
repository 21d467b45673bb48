"""``{% why_rows comparison %}``: the rows of one field-by-field comparison on an edition's page."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def why_rows(comparisons) -> str:
    """``<tr>`` rows of (field, verdict, points), escaped, written at once: an edition held by a few
    libraries shows a hundred or more, and a row of template nodes costs several times as much.  The
    escaping is Python's own, as Django's ``escape`` does it, without its checks for lazy strings."""
    return mark_safe("".join(  # noqa: S308 - every value is escaped here
        f"<tr><td>{escape(str(field))}</td><td>{escape(str(verdict))}</td>"
        f"<td>{points if isinstance(points, int) else escape(str(localize(points)))}</td></tr>"
        for field, verdict, points in comparisons))
