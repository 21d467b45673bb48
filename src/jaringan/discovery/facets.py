"""Facets as links: each value with its count and a link that adds it to the search or removes it."""

from __future__ import annotations

import time
from collections import defaultdict
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jaringan.catalog.labels import FORMAT_LABELS, LANGUAGES
from jaringan.network.models import Library, LibraryKind, Network

from .links import SearchLinks

#: Values shown per facet before "more".
SHOWN = 8
#: Values offered at most per facet.
MOST = 20

TITLES = {
    "network": gettext_lazy("Network"),
    "library": gettext_lazy("Library"),
    "kind": gettext_lazy("Kind of library"),
    "available": gettext_lazy("Availability"),
    "format": gettext_lazy("Format"),
    "language": gettext_lazy("Language"),
    "year": gettext_lazy("Year"),
    "subject": gettext_lazy("Subject"),
    "journal": gettext_lazy("Journal"),
    "holds": gettext_lazy("Journal volume held at"),
}
#: A kind of library → its label (lazy: translated when shown).
KIND_LABELS = dict(LibraryKind.choices)
ORDER = ("available", "network", "library", "kind", "format", "journal", "holds", "language", "year", "subject")


#: Seconds a process keeps the names of libraries and networks for facets: a renamed library shows under
#: its new name within this time in every process, without a query per search page.
NAMES_KEPT_SECONDS = 60
_names: dict[str, tuple[float, dict[str, str]]] = {}


def _names_of(name: str, codes: set[str]) -> dict[str, str]:
    """Code → name of every library (or network), read again after ``NAMES_KEPT_SECONDS`` or when one
    of ``codes`` is new to it (a library registered a moment ago shows by name at once)."""
    kept = _names.get(name)
    now = time.monotonic()
    if kept is None or now - kept[0] > NAMES_KEPT_SECONDS or not codes <= kept[1].keys():
        model = Library if name == "library" else Network
        kept = _names[name] = (now, dict(model.objects.values_list("code", "name")))
    return kept[1]


def library_names(codes: set[str]) -> dict[str, str]:
    """Code → name of libraries (kept as the facets keep them)."""
    return _names_of("library", codes) if codes else {}


def _labels(facets: dict, filters: dict) -> dict[str, dict[str, str]]:
    """Readable names of the codes in the facets and the chosen filters."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for name in ("library", "network", "holds"):
        codes = {v for v, _c in facets.get(name, [])[:MOST]} | set(filters.get(name, []))
        if codes:
            labels[name] = _names_of("network" if name == "network" else "library", codes)
    return labels


def _label(name: str, value: str, labels) -> str:
    if name in ("library", "network", "holds"):
        return labels[name].get(value, value)
    if name == "kind":
        return str(KIND_LABELS.get(value, value))
    if name == "format":
        return str(FORMAT_LABELS.get(value, value))
    if name == "language":
        return str(LANGUAGES.get(value, value))
    if name == "available":
        return _("available to borrow or copy") if value == "true" else _("not lent at present")
    if name == "year" and "-" in value:
        return value.replace("-", "–")
    return value


def _decades(buckets: list[tuple[str, int]]) -> list[tuple[str, int]]:
    counts: dict[int, int] = defaultdict(int)
    for year, count in buckets:
        if year.lstrip("-").isdigit():
            counts[int(year) // 10 * 10] += count
    return [(f"{d}-{d + 9}", c) for d, c in sorted(counts.items(), reverse=True)]


def _years_or_decades(buckets: list[tuple[str, int]], chosen) -> list[tuple[str, int]]:
    """Decades; single years, latest first, once the result lies within one decade or a year range
    is chosen (a journal's articles by the year they appeared)."""
    decades = _decades(buckets)
    if len(decades) > 1 and not chosen:
        return decades
    years = [(y, c) for y, c in buckets if y.lstrip("-").isdigit()]
    return sorted(years, key=lambda b: -int(b[0]))


def thousands(number: int, separator: str | None = None) -> str:
    """``number`` grouped by thousands with the active language's separator, as ``intcomma`` writes it
    at a fraction of its cost (a search page shows up to 160 counts)."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR") if separator is None else separator)


def facet_groups(links: SearchLinks, facets: dict, filters: dict, network: Network | None,
                 estimated: bool = False) -> list[dict]:
    """The facets as groups of values, each with its count written out (``≈`` before an estimate)
    and the link that adds or removes it."""
    labels = _labels(facets, filters)
    separator = get_format("THOUSAND_SEPARATOR")
    approximately = "≈" if estimated else ""
    groups = []
    for name in ORDER:
        buckets = facets.get(name) or []
        if name == "year":
            buckets = _years_or_decades(buckets, filters.get("year"))
        if name == "network" and network is not None:
            buckets = [b for b in buckets if b[0] != network.code]
        chosen = set(filters.get(name, []))
        link = links.narrow if name == "year" and chosen else links.toggle
        values = [
            {"value": v, "label": _label(name, v, labels), "count": c, "selected": v in chosen,
             "count_text": approximately + thousands(c, separator), "url": link(name, v)}
            for v, c in buckets[:MOST]
        ]
        if values:
            groups.append({"name": name, "title": TITLES[name], "shown": values[:SHOWN], "more": values[SHOWN:]})
    return groups


def selected_filters(links: SearchLinks, filters: dict) -> list[dict]:
    """The filters in force, each with a link that removes it."""
    labels = _labels({}, filters)
    return [
        {"name": name, "value": value, "title": TITLES.get(name, name), "label": _label(name, value, labels),
         "url": links.toggle(name, value)}
        for name, values in filters.items() for value in values
    ]
