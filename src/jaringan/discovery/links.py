"""Links of this search with one parameter changed: a filter value added or removed, the sort, the page.

A search page has up to 160 of them; the search's own parameters are read and
encoded once, and each link adds or leaves out a pair (copying the request's
QueryDict for each link cost more than the rest of the link).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import QueryDict

#: Parameters a link never carries over: the page (a changed search starts on its first page; see
#: ``replace``) and the flag that opens the advanced form.
DROPPED = ("page", "advanced")


class SearchLinks:
    def __init__(self, get: QueryDict) -> None:
        self.pairs = [(k, v) for k, values in get.lists() if k not in DROPPED for v in values]
        self.chosen = set(self.pairs)
        self.base = urlencode(self.pairs)  # encoded once

    def toggle(self, name: str, value: str) -> str:
        """This search with ``value`` of ``name`` added, or removed when it is in it."""
        if (name, value) in self.chosen:
            return "?" + urlencode([p for p in self.pairs if p != (name, value)])
        added = urlencode([(name, value)])
        return f"?{self.base}&{added}" if self.base else f"?{added}"

    def narrow(self, name: str, value: str) -> str:
        """This search with ``value`` in place of the values of ``name`` (a year within a chosen decade)."""
        if (name, value) in self.chosen:
            return self.toggle(name, value)
        return "?" + urlencode([p for p in self.pairs if p[0] != name] + [(name, value)])

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
        return "?" + urlencode(pairs)
