"""`GET /api/search`: the union catalogue's search as JSON."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from jaringan.api_errors import ErrorOut
from jaringan.core.errors import Invalid
from jaringan.core.search import QueryError

from . import selectors
from .forms import MAX_FILTER_LENGTH, MAX_FILTER_VALUES, MAX_QUERY_LENGTH
from .messages import query_message

router = Router()

MAX_API_LIMIT = 100
MAX_API_OFFSET = 10_000


class SearchParams(Schema):
    q: str = ""
    library: list[str] = []
    network: list[str] = []
    kind: list[str] = []
    format: list[str] = []
    language: list[str] = []
    subject: list[str] = []
    journal: list[str] = []
    holds: list[str] = []
    year: list[str] = []
    available: bool | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    facets: list[str] = []


class FacetValue(Schema):
    value: str
    count: int


class HitOut(Schema):
    id: int
    score: float | None
    title: str
    year: int | None
    format: str
    language: str
    authors: list[str]
    publisher: str | None
    holdings: int
    libraries: list[str]
    #: A serial's or an article's: the members whose holdings of the journal cover it (its volume and year).
    held_at: list[str] = []
    serial: int | None = None
    url: str


class SearchOut(Schema):
    total: int
    offset: int
    limit: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValue]]
    #: The facet counts were estimated from a sample (results of more than 3,000 editions).
    facets_estimated: bool


#: Filters taking text values (``available`` is a truth: see ``SearchParams``).
FILTERS = tuple(name for name in selectors.FILTERS if name != "available")


def _invalid(field: str, message: str):
    raise Invalid(message, code="invalid", errors={field: [message]})


@router.get("/search", response={200: SearchOut, 400: ErrorOut}, tags=["search"])
def search(request: HttpRequest, params: Query[SearchParams]):
    """Search the union catalogue.

    `q` follows the search language: words are ANDed; `"a phrase"`, `perpus*`, `OR`, `NOT`, `( )`,
    and fields `title:`, `author:`, `subject:`, `series:`, `publisher:`, `notes:`, `isbn:`, `issn:`,
    `callnumber:`, `year:1990-2000`. An empty `q` matches everything (browse with filters).
    Filters (repeat a parameter for several values, ORed; different filters are ANDed): `library`,
    `network`, `kind`, `format`, `language`, `subject`, `journal` (an article's journal as the facet names it),
    `holds` (a library whose stated holdings of the journal cover the article's volume and year, or any of a
    serial), `year` (`1990` or `1990-1999`), `available`.
    `facets`: any of `library`, `network`, `kind`, `format`, `language`, `year`, `subject`, `journal`, `holds`,
    `available` (counted on a sample, and `facets_estimated` true, when more than 3,000 editions match).
    A serial's or an article's hit names its serial (`serial`, see `/api/serials/{id}`) and the members holding
    it (`held_at`).
    `sort`: `relevance`, `year`, `-year` or `title`.
    """
    if len(params.q) > MAX_QUERY_LENGTH:
        _invalid("q", f"The query is longer than {MAX_QUERY_LENGTH} characters.")
    if not 0 <= params.offset <= MAX_API_OFFSET:
        _invalid("offset", f"offset must be between 0 and {MAX_API_OFFSET}.")
    if not 0 <= params.limit <= MAX_API_LIMIT:
        _invalid("limit", f"limit must be between 0 and {MAX_API_LIMIT}.")
    unknown = [f for f in params.facets if f not in selectors.FACETS]
    if unknown:
        _invalid("facets", f"Unknown facet {unknown[0]!r}; known: {', '.join(selectors.FACETS)}.")
    if params.sort not in ("relevance", "year", "-year", "title"):
        _invalid("sort", "sort is one of relevance, year, -year, title.")
    filters: dict[str, list[str]] = {}
    for name in FILTERS:
        values = getattr(params, name)
        if len(values) > MAX_FILTER_VALUES or any(len(v) > MAX_FILTER_LENGTH for v in values):
            _invalid(name, f"At most {MAX_FILTER_VALUES} values of at most {MAX_FILTER_LENGTH} characters.")
        if values:
            filters[name] = [v.replace("\x00", "") for v in values]
    if params.available is not None:
        filters["available"] = ["true" if params.available else "false"]
    try:
        page = selectors.edition_search(query=params.q.replace("\x00", " ") or None, filters=filters,
                                        sort=params.sort, offset=params.offset, limit=params.limit,
                                        facets=params.facets)
    except QueryError as exc:
        _invalid("q", query_message(exc))
    except ValueError as exc:
        _invalid("__all__", str(exc))
    return {
        "total": page.total, "offset": params.offset, "limit": params.limit,
        "hits": [_hit(h) for h in page.hits],
        "facets": {name: [{"value": v, "count": c} for v, c in values] for name, values in page.facets.items()},
        "facets_estimated": page.facets_estimated,
    }


def _hit(hit) -> dict:
    e = hit.edition
    data = e.data
    return {
        "id": e.pk, "score": hit.score, "title": e.title, "year": e.year, "format": e.format,
        "language": e.language, "authors": list(data.get("authors") or []), "publisher": data.get("publisher"),
        "holdings": hit.holding_count, "libraries": [code for code, _name in hit.libraries],
        "held_at": list(hit.covered.codes) if hit.covered else [],
        "serial": hit.covered.serial_id if hit.covered else None,
        "url": f"/catalogue/{e.pk}/",
    }
