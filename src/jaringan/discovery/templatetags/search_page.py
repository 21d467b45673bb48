"""The search page's facets and results, written in one pass each.

A search page shows up to 160 facet values in ten groups, and twenty results;
written by the template's own loops (or by ``format_html``), each value cost a
dozen nodes or calls (conditions, values escaped) and a result some thirty:
together they were most of the page's drawing time.  The markup is the same as
those loops wrote, each value escaped as the template escapes it.
"""

from __future__ import annotations

import html
import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


#: A character ``html.escape`` replaces: text without one (most labels, codes and counts) is written as it is.
_SPECIAL = re.compile("[&<>\"']").search


def _escape(value) -> str:
    """As the template escapes a value: safe text as it is, the rest escaped (``django.utils.html.escape``
    is the standard library's ``html.escape``, behind a check for lazy text that costs more than it)."""
    if type(value) is str:  # plain text (not SafeString, not lazy)
        return html.escape(value) if _SPECIAL(value) else value
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _items(values) -> str:
    return "".join(
        f'<li class="selected"><a href="{_escape(v["url"])}" rel="nofollow">✓ {_escape(v["label"])}</a> '
        f'<span class="count">{_escape(v["count_text"])}</span></li>' if v["selected"] else
        f'<li><a href="{_escape(v["url"])}" rel="nofollow">{_escape(v["label"])}</a> '
        f'<span class="count">{_escape(v["count_text"])}</span></li>'
        for v in values
    )


@register.simple_tag
def facet_items(values) -> SafeString:
    """``<li>`` items of facet values (dicts with ``url``, ``label``, ``count_text``, ``selected``)."""
    return mark_safe(_items(values))


@register.simple_tag
def facet_groups(groups) -> SafeString:
    """Each group of ``discovery.facets.facet_groups``: its title, its first values and the rest under
    "more"."""
    more = _escape(gettext("more"))
    return mark_safe("".join(
        f'\n  <h2>{_escape(g["title"])}</h2>\n  <ul>\n  {_items(g["shown"])}\n  </ul>\n  '
        + (f'<details><summary>{more}</summary><ul>\n  {_items(g["more"])}\n  </ul></details>' if g["more"] else "")
        + "\n"
        for g in groups
    ))


@register.simple_tag(takes_context=True)
def result_items(context, results, signed_in: bool) -> SafeString:
    """``<li>`` items of results (dicts made by ``discovery.views``), each with the form that adds it to a
    bibliography for a person signed in (``bibliographies/_add.html``, as its include draws it)."""
    add = context.template.engine.get_template("bibliographies/_add.html") if signed_in else None
    out = []
    for hit in results:
        out.append(f'\n    <li>\n      <a class="title" href="{_escape(hit["url"])}">{_escape(hit["title"])}</a>\n'
                   f'      <div class="meta">{_escape(hit["facts"])}</div>\n'
                   f'      <div class="meta">{_escape(hit["held"])}</div>\n      ')
        if reach := hit.get("reach"):
            out.append(_reach(reach))
        out.append("\n      ")
        if hit["journal_held"]:
            out.append(f'<div class="meta journal-held">{_escape(hit["journal_held"])} · '
                       f'<a href="{_escape(hit["journal_url"])}">{_escape(gettext("who holds which volume"))}</a></div>')
        out.append("\n      ")
        if add is not None:
            with context.push(edition_id=hit["pk"]):
                out.append(add.render(context))
        out.append("\n      ")
        if hit["snippet"]:
            out.append(f'<p class="snippet">{_escape(hit["snippet"])}</p>')
        out.append("\n    </li>\n  ")
    return mark_safe("".join(out))


def _reach(reach: dict) -> str:
    """A result's line saying whether the person can get it (see ``discovery.views._availability``)."""
    button = (f' <a class="btn secondary request" href="{_escape(reach["url"])}">{_escape(reach["button"])}</a>'
              if reach.get("url") else "")
    return (f'<div class="reach"><span class="badge route-{_escape(reach["kind"])}">{_escape(reach["label"])}'
            f'</span> <span class="muted">{_escape(reach["text"])}</span>{button}</div>')
