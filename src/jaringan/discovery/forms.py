"""The search page's inputs: the simple box, the advanced form, filters, sort and page.

The advanced form is compiled into the query language (``core.search.syntax``)
so that its results have an ordinary link (``?q=...``) a reader can keep,
share and refine in the simple box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from jaringan.catalog.labels import FORMAT_LABELS, LANGUAGES
from jaringan.core.search.service import FILTERS, SORTS
from jaringan.network.models import LibraryKind
from jaringan.network.selectors import library_search, network_list

#: Results per page, and the deepest page offered (deeper: refine the search).
PAGE_SIZE = 20
MAX_PAGE = 50
#: Filter name → most values kept from a link, and longest value.
FILTER_NAMES = FILTERS
MAX_FILTER_VALUES = 20
MAX_FILTER_LENGTH = 200
MAX_QUERY_LENGTH = 1000

OPERATORS = [("AND", _("and")), ("OR", _("or")), ("NOT", _("not"))]
#: Advanced form field → (label, field of the query language).
ADVANCED_FIELDS = [
    ("title", _("Title"), "title"),
    ("author", _("Author"), "author"),
    ("subject", _("Subject"), "subject"),
    ("series", _("Series"), "series"),
    ("publisher", _("Publisher"), "publisher"),
    ("isbn", _("ISBN or ISSN"), None),
    ("callnumber", _("Call number"), "callnumber"),
]
SORT_CHOICES = [
    ("relevance", _("relevance")),
    ("-year", _("newest first")),
    ("year", _("oldest first")),
    ("title", _("title")),
]
assert {s for s, _l in SORT_CHOICES} <= set(SORTS)


def language_choices() -> list[tuple[str, str]]:
    """The languages by name in the page's language, alphabetically (codes stay the values)."""
    named = sorted(((code, str(label)) for code, label in LANGUAGES.items()), key=lambda pair: pair[1].casefold())
    return [("", str(_("any language")))] + named


def network_choices() -> list[tuple[str, str]]:
    """The networks by name (codes stay the values)."""
    return [("", str(_("any network")))] + [(n.code, n.name) for n in network_list().order_by("name")]


def library_choices() -> list[tuple[str, str]]:
    """Every library by name, with its city (codes stay the values)."""
    return [("", str(_("any library")))] + [
        (lib.code, f"{lib.name} ({lib.city})" if lib.city else lib.name)
        for lib in library_search().order_by("name").only("code", "name", "city")]


def kind_choices() -> list[tuple[str, str]]:
    """The kinds of library: school, public, academic, special, national."""
    return [("", str(_("any kind of library")))] + [(value, str(label)) for value, label in LibraryKind.choices]


_ISSN = re.compile(r"^\s*\d{4}-?\d{3}[\dXx]\s*$")


class AdvancedForm(forms.Form):
    """Each field may be combined with the others by and / or / not."""

    any = forms.CharField(label=_("Any field"), required=False, max_length=300)
    year_from = forms.IntegerField(label=_("Year from"), required=False, min_value=0, max_value=9999)
    year_to = forms.IntegerField(label=_("Year to"), required=False, min_value=0, max_value=9999)
    format = forms.ChoiceField(label=_("Format"), required=False,
                               choices=[("", _("any format"))] + list(FORMAT_LABELS.items()))
    language = forms.ChoiceField(label=_("Language"), required=False, choices=language_choices)
    network = forms.ChoiceField(label=_("Network"), required=False, choices=network_choices)
    library = forms.ChoiceField(label=_("Library"), required=False, choices=library_choices)
    kind = forms.ChoiceField(label=_("Kind of library"), required=False, choices=kind_choices)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label, _field in ADVANCED_FIELDS:
            self.fields[f"op_{name}"] = forms.ChoiceField(label=_("combine"), choices=OPERATORS, required=False)
            self.fields[name] = forms.CharField(label=label, required=False, max_length=300)

    def rows(self):
        """(operator field, text field) pairs in display order, for the template."""
        return [(self[f"op_{name}"], self[name]) for name, _label, _f in ADVANCED_FIELDS]

    def held_by(self):
        """The lists of who holds it (network, library, kind of library), for the template."""
        return [self["network"], self["library"], self["kind"]]

    def has_input(self) -> bool:
        data = self.data
        return any((data.get(name) or "").strip() for name in
                   ["any", "year_from", "year_to", "format", "language", "network", "library", "kind",
                    *[n for n, _l, _f in ADVANCED_FIELDS]])

    def compile(self) -> tuple[str, dict[str, list[str]]]:
        """(query, filters) of a valid form."""
        data = self.cleaned_data
        query = ""
        if data.get("any"):
            query = _group(None, data["any"])
        for name, _label, target in ADVANCED_FIELDS:
            text = (data.get(name) or "").strip()
            if not text:
                continue
            if name == "isbn":
                target = "issn" if _ISSN.match(text) else "isbn"
            part = _group(target, text)
            op = data.get(f"op_{name}") or "AND"
            if not query:
                query = f"NOT {part}" if op == "NOT" else part
            elif op == "OR":
                query = f"({query}) OR {part}"
            elif op == "NOT":
                query = f"{query} NOT {part}"
            else:
                query = f"{query} {part}"
        lower, upper = data.get("year_from"), data.get("year_to")
        if lower is not None or upper is not None:
            if lower is not None and upper is not None and lower > upper:
                lower, upper = upper, lower
            span = f"{lower if lower is not None else ''}-{upper if upper is not None else ''}"
            query = f"{query} year:{span}".strip()
        filters: dict[str, list[str]] = {}
        for name in ("format", "language", "network", "library", "kind"):
            value = (data.get(name) or "").strip()
            if value:  # a value of the lists: the code as the index holds it
                filters[name] = [value]
        return query, filters


def _group(field: str | None, text: str) -> str:
    """``field:(text)``, with what would break the grouping taken out of the user's text."""
    text = re.sub(r"[()]", " ", text)
    text = re.sub(r"(\w+):", r"\1 ", text)  # no fields inside a field
    text = " ".join(text.split())
    if text.count('"') % 2:
        text = text.replace('"', "")
    if field is None:
        return f"({text})" if " " in text else text
    return f"{field}:({text})"


@dataclass
class SearchParams:
    """What a search page was asked, read leniently: bad parts become notes, never errors."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE


def read_params(get: QueryDict) -> SearchParams:
    params = SearchParams()
    params.q = _clean(get.get("q", ""))[:MAX_QUERY_LENGTH]
    for name in FILTER_NAMES:
        values = [_clean(v)[:MAX_FILTER_LENGTH] for v in get.getlist(name)[:MAX_FILTER_VALUES]]
        values = list(dict.fromkeys(v for v in values if v))
        if values:
            params.filters[name] = values
    sort = get.get("sort") or "relevance"
    params.sort = sort if sort in dict(SORT_CHOICES) else "relevance"
    raw_page = (get.get("page") or "1").strip()
    try:
        page = int(raw_page)
    except ValueError:
        page = 1
        params.notes.append(str(_("That page number was not understood; here is the first page.")))
    if page < 1:
        page = 1
    if page > MAX_PAGE:
        page = MAX_PAGE
        params.notes.append(str(_("Only the first %(n)s pages of results are shown; add words or filters to narrow "
                                  "the search.") % {"n": MAX_PAGE}))
    params.page = page
    return params


def _clean(text: str) -> str:
    """Text from a link: no NULs or lone surrogates, trimmed."""
    text = text.replace("\x00", " ")
    return text.encode("utf-8", "replace").decode("utf-8").strip()
