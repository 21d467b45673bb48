"""The SRU endpoint (``/sru``): versions 1.1, 1.2 and 2.0; explain, searchRetrieve and scan; GET and POST.

Without ``version``, a request naming an ``operation`` is answered as 1.2
(the 1.x clients always send one), any other as 2.0. In 2.0 the operation
follows from the parameters (``query``: searchRetrieve, ``scanClause``:
scan, neither: explain). Every fault is a diagnostic in a well-formed
response, never an HTTP error: a client always learns what went wrong.

What SLiMS's copy-cataloguing screens send is served as it is: the
``??version=1.1`` its default server address produces, and its "MARC SRU"
client's ``maxitem`` and ``xmlformat=marc21``. In 1.1 and 1.2 a parameter no
version of SRU defines (and not an ``x-`` extension) is ignored, as those
versions let a server be lenient; one that SRU defines for another operation
or version is still refused (diagnostic 8), as ignoring it would change what
the answer means, and SRU 2.0 refuses every unknown parameter as its
standard says. ``xmlformat=marc21`` (1.x) answers a searchRetrieve with its
records as a MARCXML ``collection``, the document SLiMS's MARC SRU reader
counts records in.

A request whose form cannot be read (a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``,
more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` parameters) is answered with
diagnostic 6, not an HTML error page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from lxml import etree

from jaringan.catalog.models import Edition
from jaringan.core.errors import JaringanError
from jaringan.interop import records

from . import cql, search
from .cache import LRU, record_cache_size
from .diagnostics import Diagnostic, diagnostic_for
from .explain import ZEEREX_SCHEMA, explain_record
from .xml import DIAGNOSTIC_SCHEMA, MarcCollection, Record, Response, diagnostic_element, not_xml, packed

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/xml; charset=utf-8"
VERSIONS = ("1.1", "1.2", "2.0")
OPERATIONS = ("explain", "searchRetrieve", "scan")
DEFAULT_RECORDS = 10
MAX_RECORDS = 100
DEFAULT_TERMS = 20
MAX_TERMS = 100

#: Our schema name → (identifier sent back, title).
SCHEMAS = {
    "marcxml": ("info:srw/schema/1/marcxml-v1.1", "MARCXML"),
    "dc": ("info:srw/schema/1/dc-v1.1", "Dublin Core"),
    "mods": ("info:srw/schema/1/mods-v3.7", "MODS 3.7"),
}
SCHEMA_ALIASES = {
    "marcxml": "marcxml", "marc21": "marcxml", "marc": "marcxml", "usmarc": "marcxml", "marc21slim": "marcxml",
    "marcxml-v1.1": "marcxml", "info:srw/schema/1/marcxml-v1.1": "marcxml",
    "info:srw/schema/1/marcxml-v1.1-light": "marcxml", "http://www.loc.gov/marc21/slim": "marcxml",
    "dc": "dc", "oai_dc": "dc", "srw_dc": "dc", "info:srw/schema/1/dc-v1.1": "dc",
    "info:srw/schema/1/dc-schema": "dc", "http://purl.org/dc/elements/1.1/": "dc",
    "mods": "mods", "http://www.loc.gov/mods/v3": "mods",
}
_MODS = re.compile(r"^(?:info:srw/schema/1/)?mods(?:-?v?3(?:\.\d+)?)?$")

SRW_DC_NS = "info:srw/schema/1/dc-schema"

COMMON = {"version", "operation", "recordPacking", "recordXMLEscaping", "stylesheet", "extraRequestData",
          "httpAccept", "responseType", "renderedBy"}
PARAMETERS = {
    "explain": COMMON,
    "searchRetrieve": COMMON | {"query", "queryType", "startRecord", "maximumRecords", "recordSchema",
                                "recordXPath", "resultSetTTL", "sortKeys", "facetLimit", "facetStart",
                                "facetSort", "facetRangeField", "facetLowValue", "facetHighValue", "facetCount"},
    "scan": COMMON | {"scanClause", "responsePosition", "maximumTerms"},
}
#: Every parameter some operation of some SRU version defines.
DEFINED = frozenset().union(*PARAMETERS.values())
#: SLiMS's MARC SRU client's parameter (with ``marc21``): the records as a MARCXML collection.
XMLFORMAT = "xmlformat"
MARC_COLLECTION = "marc21"


class _Request:
    """The parameters of one request, each once (the first value wins), with leading '?' forgiven.

    ``pairs`` are the (name, value) pairs in the order sent; without them they
    are read from ``http`` (its form for a POST, its query string otherwise).
    """

    def __init__(self, http, pairs=None) -> None:
        if pairs is None:
            source = http.POST if http.method == "POST" else http.GET
            pairs = ((key, source.getlist(key)[0]) for key in source)
        self.values: dict[str, str] = {}
        for key, value in pairs:
            name = key.lstrip("?")
            if name and name not in self.values:
                self.values[name] = value
        self._http = http

    @property
    def http(self):
        """The HTTP request (its host, scheme and path make the addresses written in responses)."""
        return self._http

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return default if value is None or value == "" else value


class WSGIParameters(_Request):
    """A GET's parameters read straight from its WSGI environment (see ``wsgi.SRUApplication``); Django's
    request object is made only when a response needs it."""

    def __init__(self, environ, pairs) -> None:
        super().__init__(None, pairs)
        self._environ = environ

    @property
    def http(self):
        if self._http is None:
            self._http = WSGIRequest(self._environ)
        return self._http


def _version(request: _Request) -> tuple[str, Diagnostic | None]:
    asked = request.get("version")
    if asked is None:
        return ("1.2" if request.get("operation") else "2.0"), None
    if asked in VERSIONS:
        return asked, None
    try:
        lower = float(asked) < 1.1
    except ValueError:
        lower = False
    return ("1.1" if lower else "2.0"), Diagnostic(5, asked)


def _operation(request: _Request, version: str) -> str:
    asked = request.get("operation")
    if asked is not None:
        return asked
    if version == "2.0":
        if request.get("query") is not None:
            return "searchRetrieve"
        if request.get("scanClause") is not None:
            return "scan"
    elif request.get("query") is not None:
        return "searchRetrieve"
    return "explain"


def _integer(request: _Request, name: str, default: int, *, least: int) -> int:
    value = request.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.strip().isdigit()) or int(value) < least:
        raise Diagnostic(6, name)
    return int(value)


def _escaping(request: _Request, version: str) -> str:
    """``xml`` or ``string``: recordPacking in 1.x, recordXMLEscaping in 2.0 (recordPacking packed/unpacked)."""
    if version == "2.0":
        escaping = request.get("recordXMLEscaping")
        packing = request.get("recordPacking")
        if escaping is None and packing in ("xml", "string"):  # a 1.x habit, understood
            escaping, packing = packing, None
        if packing not in (None, "packed"):
            raise Diagnostic(71, packing)
    else:
        escaping = request.get("recordPacking")
    escaping = escaping or "xml"
    if escaping not in ("xml", "string"):
        raise Diagnostic(71, escaping)
    return escaping


#: Parameters holding a query: a character that cannot be searched there is a query syntax error.
QUERIES = ("query", "scanClause")


def _check_characters(request: _Request) -> None:
    """Diagnostic 10 (a query) or 6 (another value) for a character XML cannot carry, a NUL byte
    among them: no index holds one, and no response could echo it."""
    for name, value in request.values.items():
        found = not_xml(name) or not_xml(value)
        if found:
            where = f"character U+{ord(found.group()):04X} at position {found.start() + 1}"
            raise Diagnostic(10 if name in QUERIES else 6, f"{name}: {where}")


def _check_parameters(request: _Request, operation: str, version: str) -> None:
    _check_characters(request)
    for name in request.values:
        if name in PARAMETERS[operation] or name.startswith("x-"):
            continue
        if version == "2.0" or name in DEFINED:
            raise Diagnostic(8, name)
        # 1.1 and 1.2: a name SRU never defines (SLiMS's maxitem, xmlformat) is ignored
    if request.get("stylesheet") is not None:
        raise Diagnostic(110, request.get("stylesheet"))


def schema_of(name: str | None) -> str:
    """Our schema name for a short name or identifier; Diagnostic 66 when unknown."""
    if name is None:
        return "marcxml"
    key = name.strip().lower()
    if key in SCHEMA_ALIASES:
        return SCHEMA_ALIASES[key]
    if _MODS.match(key):
        return "mods"
    raise Diagnostic(66, name)


def _sort_keys(value: str | None) -> str | None:
    """SRU 1.1's ``sortKeys`` ("dc.date,,0"): our sort, or None when absent."""
    if not value:
        return None
    key = value.split()[0].split(",")
    path = key[0].lower()
    ascending = len(key) < 3 or key[2] != "0"
    if path in ("dc.date", "date", "year", "bath.date"):
        return "year" if ascending else "-year"
    if path in ("dc.title", "title", "bath.title"):
        return "title"
    raise Diagnostic(16, f"sortKeys {key[0]}")


def _srw_dc(element):
    """Dublin Core as SRU sends it: the same elements in ``srw_dc:dc`` instead of ``oai_dc:dc``."""
    root = etree.Element(f"{{{SRW_DC_NS}}}dc", nsmap={"srw_dc": SRW_DC_NS, "dc": "http://purl.org/dc/elements/1.1/"})
    for child in element:
        root.append(child)
    return root


def _render(item: records.ExportEdition, schema: str, http):
    url = http.build_absolute_uri(reverse("edition_detail", args=[item.id]))
    element = records.render_or_build(item, schema, url=url)
    return _srw_dc(element) if schema == "dc" else element


_records = LRU(record_cache_size)


def _stamps(edition_ids: list[int]) -> dict[int, object]:
    """Edition id → its ``updated`` datestamp as the database gives it (only compared, never read),
    for the editions that still exist; one query, written out (the ORM's compiling would cost more
    than the query itself)."""
    quote = connection.ops.quote_name
    meta = Edition._meta
    sql = (f"SELECT {quote(meta.pk.column)}, {quote(meta.get_field('updated').column)} "
           f"FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({', '.join(['%s'] * len(edition_ids))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(i) for i in edition_ids])
        return dict(cursor.fetchall())


def _rendered(edition_ids: list[int], schema: str, http) -> dict[int, bytes]:
    """The editions' records in ``schema``, serialised: kept ones when the edition has not changed
    since (see ``cache``), the others rendered now. Editions retired meanwhile are left out."""
    stamps = _stamps(edition_ids)
    site = http.build_absolute_uri("/")
    out: dict[int, bytes] = {}
    missing = []
    for edition_id in edition_ids:
        if edition_id not in stamps:
            continue
        kept = _records.get((edition_id, stamps[edition_id], schema, site))
        if kept is None:
            missing.append(edition_id)
        else:
            out[edition_id] = kept
    loaded = records.load_editions(missing) if missing else {}
    for edition_id in missing:
        if edition_id in loaded:
            data = etree.tostring(_render(loaded[edition_id], schema, http), encoding="utf-8")
            _records.put((edition_id, stamps[edition_id], schema, site), data)
            out[edition_id] = data
    return out


@csrf_exempt
def sru(http):
    if http.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        request = _Request(http)
    except (RequestDataTooBig, TooManyFieldsSent) as error:
        return HttpResponse(unreadable(http, error), content_type=CONTENT_TYPE)
    return HttpResponse(answer(request), content_type=CONTENT_TYPE)


def unreadable(http, error: Exception) -> bytes:
    """The answer to a request whose parameters cannot be read: a searchRetrieve response (what a
    large form nearly always is) carrying diagnostic 6, in the version its address names, else 1.2."""
    try:
        asked = http.GET.get("version")
    except TooManyFieldsSent:
        asked = None
    version = asked if asked in VERSIONS else "1.2"
    if isinstance(error, RequestDataTooBig):
        details = f"request body: more than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes of form data"
    else:
        details = f"request: more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} parameters"
    response = Response("searchRetrieve", version)
    response.add("numberOfRecords", 0)
    response.diagnostics([Diagnostic(6, details)])
    return response.bytes()


def answer(request: _Request) -> bytes:
    """The response document to one SRU request (always one: a fault is a diagnostic in it)."""
    version, refused = _version(request)
    operation = _operation(request, version)
    if operation not in OPERATIONS:
        response = Response("explain", version)
        response.diagnostics([refused or Diagnostic(4, operation)])
        return response.bytes()
    if refused is not None:
        return _failed(operation, version, request, refused).bytes()
    try:
        _check_parameters(request, operation, version)
        handler = {"explain": explain, "searchRetrieve": search_retrieve, "scan": scan}[operation]
        return handler(request, version).bytes()
    except JaringanError as error:
        return _failed(operation, version, request, diagnostic_for(error)).bytes()
    except Exception as error:  # never a 500: the client gets diagnostic 1 and the log the traceback
        logger.exception("SRU %s failed", operation)
        return _failed(operation, version, request, Diagnostic(1, type(error).__name__)).bytes()


def _failed(operation: str, version: str, request: _Request, diagnostic: Diagnostic) -> Response:
    response = Response(operation, version)
    if operation == "searchRetrieve":
        response.add("numberOfRecords", 0)
        response.echo("echoedSearchRetrieveRequest", _echoed_search(request))
    elif operation == "scan":
        response.echo("echoedScanRequest", {"scanClause": request.get("scanClause")})
    response.diagnostics([diagnostic])
    return response


def _echoed_search(request: _Request) -> dict:
    return {key: request.get(key) for key in ("query", "startRecord", "maximumRecords", "recordPacking",
                                              "recordXMLEscaping", "recordSchema", "sortKeys")}


# --- the operations --------------------------------------------------------------------


def explain(request: _Request, version: str) -> Response:
    escaping = _escaping(request, version)
    http = request.http
    host, _, port = http.get_host().partition(":")
    record = explain_record(
        host=host, port=int(port) if port.isdigit() else (443 if http.is_secure() else 80),
        database=http.path.lstrip("/"),
        title=getattr(settings, "OAI_REPOSITORY_NAME", "Jaringan") + " union catalogue",
        description="The union catalogue of the network's member libraries: one entry per edition, "
                    "with every member's holdings.",
        schemas=[(identifier, name, title) for name, (identifier, title) in SCHEMAS.items()],
        default_records=DEFAULT_RECORDS, maximum_records=MAX_RECORDS, versions=VERSIONS,
    )
    response = Response("explain", version)
    response.record(response.root, Record(ZEEREX_SCHEMA, packed(record, escaping), 0), escaping=escaping)
    response.echo("echoedExplainRequest", {"recordPacking": request.get("recordPacking")})
    return response


def _wants_marc_collection(request: _Request, version: str) -> bool:
    return version != "2.0" and (request.get(XMLFORMAT) or "").strip().lower() == MARC_COLLECTION


def search_retrieve(request: _Request, version: str) -> Response | MarcCollection:
    query = request.get("query")
    if query is None:
        raise Diagnostic(7, "query")
    if request.get("queryType") not in (None, "cql"):
        raise Diagnostic(6, "queryType")
    if request.get("recordXPath") is not None:
        raise Diagnostic(72, request.get("recordXPath"))
    start = _integer(request, "startRecord", 1, least=1)
    maximum = min(_integer(request, "maximumRecords", DEFAULT_RECORDS, least=0), MAX_RECORDS)
    collection = _wants_marc_collection(request, version)
    schema = "marcxml" if collection else schema_of(request.get("recordSchema"))
    escaping = _escaping(request, version)
    translated = search.translate_cached(query)
    sort = _sort_keys(request.get("sortKeys"))
    if sort:
        translated = replace(translated, sort=sort)
    found = search.run(translated, offset=start - 1, limit=maximum)
    if start > found.total and found.total > 0:
        raise Diagnostic(61, str(start))
    rendered = _rendered(found.edition_ids, schema, request.http) if found.edition_ids else {}
    if collection:
        return MarcCollection([rendered[i] for i in found.edition_ids if i in rendered])
    page = []
    for position, edition_id in enumerate(found.edition_ids, start=start):
        data = rendered.get(edition_id)
        if data is None:  # retired since the index last heard of it
            gone = Diagnostic(64, str(edition_id))
            page.append(Record(DIAGNOSTIC_SCHEMA, packed(diagnostic_element(gone, version), escaping), position))
            continue
        page.append(Record(SCHEMAS[schema][0], data.decode() if escaping == "string" else data, position))
    response = Response("searchRetrieve", version)
    response.add("numberOfRecords", found.total)
    response.records(page, escaping=escaping)
    following = start + len(found.edition_ids)
    if found.edition_ids and following <= found.total:
        response.add("nextRecordPosition", following)
    response.echo("echoedSearchRetrieveRequest", _echoed_search(request))
    response.count_precision()
    return response


def scan(request: _Request, version: str) -> Response:
    clause = request.get("scanClause")
    if clause is None:
        raise Diagnostic(7, "scanClause")
    position = _integer(request, "responsePosition", 1, least=0)
    maximum = min(_integer(request, "maximumTerms", DEFAULT_TERMS, least=1), MAX_TERMS)
    if position > maximum + 1:
        raise Diagnostic(120, str(position))
    field, term = cql.parse_clause(clause)
    terms = search.scan(field, term, position=position, maximum=maximum)
    response = Response("scan", version)
    if terms:
        holder = response.add("terms")
        for value, count in terms:
            element = response.add("term", parent=holder)
            response.add("value", value, element)
            response.add("numberOfRecords", count, element)
            response.add("displayTerm", value, element)
    response.echo("echoedScanRequest", {"scanClause": clause, "responsePosition": request.get("responsePosition"),
                                        "maximumTerms": request.get("maximumTerms")})
    return response
