"""The search pages: everything the network holds (`/search/`) or one network's members' holdings."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from jaringan.core.search import QueryError
from jaringan.core.search.snippet import QueryWords, snippet
from jaringan.network import reach
from jaringan.network.models import Network
from jaringan.network.permissions import principal_of
from jaringan.network.selectors import home_library

from . import selectors
from .facets import LANGUAGES, facet_groups, library_names, selected_filters
from .forms import FORMAT_LABELS, MAX_PAGE, PAGE_SIZE, SORT_CHOICES, AdvancedForm, read_params
from .links import SearchLinks
from .messages import query_message
from .suggest import suggest


def search(request, code: str | None = None):
    network = get_object_or_404(Network, code=code) if code else None
    if request.GET.get("advanced"):
        form = AdvancedForm(request.GET)
        if form.is_valid() and form.has_input():
            query, filters = form.compile()
            return redirect(_url(request.path, [("q", query), *[(k, v) for k, vs in filters.items() for v in vs]]))
    else:
        # Unbound, the advanced form is drawn from the page's cached fragment: built only when it is drawn.
        form = SimpleLazyObject(AdvancedForm)
    params = read_params(request.GET)
    filters = dict(params.filters)
    if network is not None:
        filters["network"] = [network.code]
    context = {
        "network": network, "params": params, "form": form, "notes": list(params.notes),
        "page": None, "error": None, "suggestion": None, "groups": [], "chosen": [],
        "show_advanced": bool(request.GET.get("advanced")), "form_bound": bool(request.GET.get("advanced")),
    }
    if not params.q and not params.filters:
        return render(request, "discovery/search.html", context)
    try:
        page = selectors.edition_search(query=params.q or None, filters=filters, sort=params.sort,
                                        offset=params.offset, limit=PAGE_SIZE, facets=selectors.FACETS)
        last = min(max((page.total + PAGE_SIZE - 1) // PAGE_SIZE, 1), MAX_PAGE)
        if params.page > last and page.total:  # past the end: the last page, and say so
            if not params.notes:
                context["notes"].append(_("There are not that many results; here is the last page."))
            params.page = last
            page = selectors.edition_search(query=params.q or None, filters=filters, sort=params.sort,
                                            offset=params.offset, limit=PAGE_SIZE, facets=selectors.FACETS)
    except QueryError as exc:
        context["error"] = query_message(exc)
        return render(request, "discovery/search.html", context)
    except ValueError:
        context["error"] = _("A filter of this search was not understood; remove it and try again.")
        context["chosen"] = selected_filters(SearchLinks(request.GET), params.filters)
        return render(request, "discovery/search.html", context)
    if page.total == 0 and params.q:
        found = suggest(selectors.current_index(), params.q, filters=filters)
        if found:
            context["suggestion"] = {"q": found, "url": SearchLinks(request.GET).replace("q", found)}
    links = SearchLinks(request.GET)
    results = _results(page.hits, params.q)
    _journal_holders(page.hits, results)
    context["asks"] = _availability(request, page.hits, results)
    context.update({
        "page": page,
        "results": results,
        "first_number": params.offset + 1,
        "last_number": params.offset + len(page.hits),
        "pages": _pagination(links, params.page, last),
        "groups": facet_groups(links, page.facets, params.filters, network, page.facets_estimated),
        "chosen": selected_filters(links, params.filters),
        "deep": page.total > MAX_PAGE * PAGE_SIZE,
        "max_results": MAX_PAGE * PAGE_SIZE,
        "sort_links": [{"label": str(label), "url": links.replace("sort", value), "current": value == params.sort}
                       for value, label in SORT_CHOICES],
    })
    return render(request, "discovery/search.html", context)


#: Holding libraries named in a result; more are summed up by "…".
LIBRARIES_NAMED = 5


#: A number no edition has, in the path reversed once a page and filled in for each result.
_PK = 987654321987


class _Labels(dict):
    """Translated labels looked up once a page (each look-up of a lazy label asks the translations)."""

    def __init__(self, table) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, code: str) -> str:
        self[code] = label = str(self.table.get(code, code))
        return label


#: The page's language → the ISO 639-2 code of the abstract shown first.
ABSTRACT_LANGUAGES = {"id": "ind", "en": "eng"}


def _results(hits, query: str = "") -> list[dict]:
    """What the page shows of each result: its link and title, its two lines of facts and, for an
    article, a snippet of its abstract with the words searched for marked (from the preferred record's
    data the hit already holds: no query). Made here once rather than by some thirty template nodes a
    result (the page's largest cost under load), as dicts: the template's quickest look-up."""
    path = reverse("edition_detail", args=[_PK])
    formats, languages = _Labels(FORMAT_LABELS), _Labels(LANGUAGES)
    held_by: dict[int, str] = {}
    words = None
    prefer = ABSTRACT_LANGUAGES.get((get_language() or "")[:2])
    out = []
    for hit in hits:
        edition = hit.edition
        data = edition.data
        facts = []
        if data.get("authors"):
            facts.append("; ".join(data["authors"]))
        if data.get("container"):
            facts.append(_appeared_in(data))
        place = f"{data['publisher']}, " if data.get("publisher") else ""
        facts.append(f"{place}{edition.year or '—'}")
        facts.append(formats[edition.format])
        if edition.language:
            facts.append(languages[edition.language])
        n = hit.holding_count
        if n not in held_by:
            held_by[n] = ngettext("held by %(n)s library", "held by %(n)s libraries", n) % {"n": n}
        names = [name for _code, name in hit.libraries[:LIBRARIES_NAMED]]
        more = " …" if len(hit.libraries) > LIBRARIES_NAMED else ""
        text = ""
        if data.get("abstracts"):
            if words is None:
                words = QueryWords.of(query)
            text = mark_safe(snippet(data["abstracts"], words, prefer=prefer))  # escaped by snippet()
        out.append({"pk": edition.pk, "url": path.replace(str(_PK), str(edition.pk)), "title": edition.title,
                    "facts": " · ".join(facts), "held": f"{held_by[n]}: {', '.join(names)}{more}", "snippet": text,
                    "journal_held": ""})  # (see _journal_holders)
    return out


def _availability(request, hits, results: list[dict]) -> bool:
    """Each result's line saying whether the person can get it (at their library, borrowed through
    interlibrary loan from N members, copies only, or not), with the request's link where they may ask
    (readers and staff of a member library, as the request page itself checks). True when they may ask."""
    p = principal_of(request)
    if not (p.reader_of or p.staff_of or p.is_superuser):
        return False
    routes = reach.reach_of(home_library(p))
    ask = reverse("ill_new")
    for hit, result in zip(hits, results):
        names = dict(hit.libraries)
        kinds = Counter(routes[code].kind for code in names)
        copy = hit.edition.format == "article" or (not kinds[reach.LOAN] and kinds[reach.COPY])
        first = next((r for r in routes.ordered(names) if r.kind in (reach.LOAN, reach.COPY)), None)
        if kinds[reach.HOME]:
            text, kind = _("%(library)s holds it: ask at its desk.") % {"library": routes.home.name}, reach.HOME
        elif kinds[reach.LOAN]:
            text, kind = ngettext(
                "Can be borrowed through interlibrary loan from %(n)s member; nearest and cheapest: %(first)s.",
                "Can be borrowed through interlibrary loan from %(n)s members; nearest and cheapest: %(first)s.",
                kinds[reach.LOAN]) % {"n": kinds[reach.LOAN], "first": names[first.library]}, reach.LOAN
        elif kinds[reach.COPY]:
            text, kind = ngettext(
                "A copy can be asked of %(n)s member (%(first)s); none may lend it to you.",
                "A copy can be asked of %(n)s members, nearest and cheapest %(first)s; none may lend it to you.",
                kinds[reach.COPY]) % {"n": kinds[reach.COPY], "first": names[first.library]}, reach.COPY
        else:
            text, kind = _("No member your library may ask holds it."), reach.NONE
        result["reach"] = {"kind": kind, "label": reach.route_label(kind), "text": text}
        if kind in (reach.LOAN, reach.COPY):
            result["reach"]["url"] = f"{ask}?edition={hit.edition.pk}" + ("&service=copy" if copy else "")
            result["reach"]["button"] = _("Request a copy") if copy else pgettext("button: ask for a loan", "Request")
    return True


def _journal_holders(hits, results: list[dict]) -> None:
    """A serial's or an article's line naming the members whose holdings of the journal cover it (an
    article: its volume and year), linked to the serial's page that answers "who holds vol. X / year Y"."""
    covered = [(hit, result) for hit, result in zip(hits, results) if hit.covered is not None]
    if not covered:
        return
    names = library_names({code for hit, _result in covered for code in hit.covered.codes})
    for hit, result in covered:
        data = hit.edition.data
        held = ", ".join(sorted(names.get(code, code) for code in hit.covered.codes))
        url = reverse("serial_detail", args=[hit.covered.serial_id])
        if hit.edition.format == "serial":
            result["journal_held"] = (_("Holdings of this journal stated by: %(names)s") % {"names": held}
                                      if held else _("No member has stated its holdings of this journal."))
        else:
            asked = [(k, v) for k, v in (("volume", data.get("volume")), ("year", hit.edition.year)) if v]
            url += f"?{urlencode(asked)}" if asked else ""
            result["journal_held"] = (_("This volume of the journal is held at: %(names)s") % {"names": held}
                                      if held else _("No member's holdings of the journal cover this volume."))
        result["journal_url"] = url


def _appeared_in(data: dict) -> str:
    """"Jurnal X 14(1): 1-12": where an article appeared, as a citation writes it."""
    text = data["container"]
    if data.get("volume"):
        text += f" {data['volume']}"
    if data.get("issue"):
        text += f"({data['issue']})"
    if data.get("extent"):
        text += f": {data['extent']}"
    return text


def _url(path: str, pairs) -> str:
    pairs = [(k, v) for k, v in pairs if v not in (None, "")]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _pagination(links: SearchLinks, current: int, last: int) -> dict:
    window = sorted({1, last, *range(max(1, current - 3), min(last, current + 3) + 1)})
    numbers = []
    previous = 0
    for number in window:
        if number - previous > 1:
            numbers.append(None)  # a gap
        numbers.append({"number": number, "url": links.replace("page", str(number)), "current": number == current})
        previous = number
    return {
        "numbers": numbers if last > 1 else [],
        "previous": links.replace("page", str(current - 1)) if current > 1 else None,
        "next": links.replace("page", str(current + 1)) if current < last else None,
    }
