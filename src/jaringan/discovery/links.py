"""Links of this search with one parameter changed: a filter value added or removed, the sort, the page.

A search page has up to 160 of them; the search's own parameters are read and
encoded once, and each link adds or leaves out a pair (copying the request's
QueryDict for each link cost more than the rest of the link).
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

from django.http import QueryDict

#: Parameters a link never carries over: the page (a changed search starts on its first page; see
#: ``replace``) and the flag that opens the advanced form.
DROPPED = ("page", "advanced")


#: Text that ``quote_plus`` gives back as it is (letters, digits, ``_.-~``): most facet values (codes, years).
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch


def _quoted(text) -> str:
    text = str(text)
    return text if _PLAIN(text) else quote_plus(text)


def encode(pairs) -> str:
    """``urllib.parse.urlencode(pairs)`` of text pairs, written with no call for a value that needs no
    quoting (the standard function quotes every value: most of a search page's 160 links)."""
    return "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in pairs)


class SearchLinks:
    def __init__(self, get: QueryDict) -> None:
        self.pairs = [(k, v) for k, values in get.lists() if k not in DROPPED for v in values]
        self.chosen = set(self.pairs)
        self.base = encode(self.pairs)  # encoded once

    def toggle(self, name: str, value: str) -> str:
        """This search with ``value`` of ``name`` added, or removed when it is in it."""
        if (name, value) in self.chosen:
            return "?" + encode([p for p in self.pairs if p != (name, value)])
        added = f"{_quoted(name)}={_quoted(value)}"
        return f"?{self.base}&{added}" if self.base else f"?{added}"

    def narrow(self, name: str, value: str) -> str:
        """This search with ``value`` in place of the values of ``name`` (a year within a chosen decade)."""
        if (name, value) in self.chosen:
            return self.toggle(name, value)
        return "?" + encode([p for p in self.pairs if p[0] != name] + [(name, value)])

    def replace(self, name: str, value: str) -> str:
        """This search with ``name`` set to ``value`` where it stood (else at the end), on its first page
        unless ``name`` is the page."""
        pairs, placed = [], False
        for pair in self.pairs:
            if pair[0] != name:
                pairs.append(pair)
            elif not placed:
                pairs.append((name, value))
                placed = True
        if not placed:
            pairs.append((name, value))
        return "?" + encode(pairs)
