"""A facet's values as list items, written in one pass.

A search page shows up to 160 facet values; written by the template's own
loop (or by ``format_html``), each cost a dozen nodes or calls (two
conditions, three values escaped) and together they were a third of the
page's drawing time.  The markup is the same, each value escaped as the
template escapes it.
"""

from __future__ import annotations

import html

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _escape(value) -> str:
    """As the template escapes a value: safe text as it is, the rest escaped (``django.utils.html.escape``
    is the standard library's ``html.escape``, behind a check for lazy text that costs more than it)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@register.simple_tag
def facet_items(values) -> SafeString:
    """``<li>`` items of facet values (dicts with ``url``, ``label``, ``count_text``, ``selected``)."""
    return mark_safe("".join(
        f'<li class="selected"><a href="{_escape(v["url"])}" rel="nofollow">✓ {_escape(v["label"])}</a> '
        f'<span class="count">{_escape(v["count_text"])}</span></li>' if v["selected"] else
        f'<li><a href="{_escape(v["url"])}" rel="nofollow">{_escape(v["label"])}</a> '
        f'<span class="count">{_escape(v["count_text"])}</span></li>'
        for v in values
    ))
