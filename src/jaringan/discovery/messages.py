"""The search core's messages for a query it cannot search, in the reader's language.

The core (no Django) words its :class:`QueryError` in English; each message
shape is matched here and said again through gettext.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from jaringan.core.search import QueryError
from jaringan.core.search.query import MAX_CLAUSES
from jaringan.core.search.syntax import MAX_NESTING, MAX_QUERY_LENGTH, MIN_PREFIX

_SHAPES = [
    (re.compile(r"Type something to search for\."), lambda m: _("Type something to search for.")),
    (re.compile(r"The query is too long"),
     lambda m: _("The query is too long (more than %(n)s characters).") % {"n": MAX_QUERY_LENGTH}),
    (re.compile(r"year: expects a year or a range such as 1990-2000, not (.*)\.$", re.S),
     lambda m: _("year: expects a year or a range such as 1990-2000, not %(value)s.") % {"value": m.group(1)}),
    (re.compile(r"The query has too many parts"),
     lambda m: _("The query has too many parts (more than %(n)s).") % {"n": MAX_CLAUSES}),
    (re.compile(r"The query is too complex"),
     lambda m: _("The query is too complex: brackets, NOT or fields nested more than %(n)s deep.") % {"n": MAX_NESTING}),
    (re.compile(r"(\w+): needs a value\."), lambda m: _("%(field)s: needs a value.") % {"field": m.group(1)}),
    (re.compile(r"(\w+): does not take a prefix"),
     lambda m: _("%(field)s: does not take a prefix (*).") % {"field": m.group(1)}),
    (re.compile(r"A prefix search \((.*)\*\) takes one word\.", re.S),
     lambda m: _("A prefix search (%(text)s*) takes one word.") % {"text": m.group(1)}),
    (re.compile(r"A prefix search needs at least"),
     lambda m: _("A prefix search needs at least %(n)s letters before the *.") % {"n": MIN_PREFIX}),
    (re.compile(r"The query has only very common words"),
     lambda m: _("The query has only very common words (such as 'the', 'dan'); add a more specific word.")),
]


def query_message(error: QueryError) -> str:
    """The error said in the active language (a general message for any shape not known here)."""
    text = str(error)
    for pattern, say in _SHAPES:
        found = pattern.match(text)
        if found:
            return say(found)
    return _("The query could not be understood; check its quotes, brackets and field names.")
