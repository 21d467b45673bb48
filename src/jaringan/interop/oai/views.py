"""The OAI-PMH 2.0 endpoint (``/oai``): GET and POST, the six verbs, streamed lists.

Metadata formats: ``oai_dc``, ``marcxml`` (also offered as ``marc21``, the
name many harvesters and Koha use) and ``mods``. Identifiers are
``oai:<OAI_REPOSITORY_ID>:edition/<id>``. Datestamps are UTC to the second.
Lists come in pages of ``OAI_PAGE_SIZE`` items (default 200) with signed,
stateless resumption tokens (see ``tokens``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from jaringan.core.errors import JaringanError
from jaringan.errors import status_of, title_of
from jaringan.interop import records

from . import selectors, tokens
from . import xml as oai_xml
from .protocol import GRANULARITY, OaiError, OaiRequest, format_datestamp, oai_error_for, parse_request


CONTENT_TYPE = "text/xml; charset=utf-8"
DEFAULT_PAGE_SIZE = 200
#: Editions whose records are loaded and written together while a page streams.
RENDER_CHUNK = 50
REPOSITORY_NAME = "Jaringan"

#: metadataPrefix → (our schema name, XML schema, namespace).
METADATA_FORMATS = {
    "oai_dc": ("dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    "marcxml": ("marcxml", "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
                "http://www.loc.gov/MARC21/slim"),
    "marc21": ("marcxml", "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
               "http://www.loc.gov/MARC21/slim"),
    "mods": ("mods", "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd", "http://www.loc.gov/mods/v3"),
}


def page_size() -> int:
    return max(int(getattr(settings, "OAI_PAGE_SIZE", DEFAULT_PAGE_SIZE)), 1)


def identifier_prefix() -> str:
    return f"oai:{settings.OAI_REPOSITORY_ID}:edition/"


def identifier_of(edition_id: int) -> str:
    return f"{identifier_prefix()}{edition_id}"


def edition_id_of(identifier: str) -> int | None:
    """The edition id in one of our identifiers; None when it is not one."""
    prefix = identifier_prefix()
    if not identifier.startswith(prefix):
        return None
    rest = identifier[len(prefix):]
    if not (rest.isascii() and rest.isdigit()) or len(rest) > 18:
        return None
    return int(rest)


class _Context:
    """What every part of one response needs."""

    def __init__(self, request, oai: OaiRequest | None) -> None:
        self.http = request
        self.oai = oai
        self.now = timezone.now()
        self.base_url = request.build_absolute_uri(request.path)

    def opening(self, *, echo: bool = True) -> bytes:
        echoed = None
        if echo and self.oai is not None:
            echoed = {"verb": self.oai.verb, **self.oai.arguments}
        return oai_xml.open_response(response_date=self.now, base_url=self.base_url, request=echoed)

    def edition_url(self, edition_id: int) -> str:
        return self.http.build_absolute_uri(reverse("edition_detail", args=[edition_id]))


def _whole(*parts: bytes) -> HttpResponse:
    return HttpResponse(b"".join(parts), content_type=CONTENT_TYPE)


def _error_response(request, oai: OaiRequest | None, error: OaiError) -> HttpResponse:
    context = _Context(request, oai)
    echo = error.code not in ("badVerb", "badArgument")
    return _whole(context.opening(echo=echo), oai_xml.error(error.code, error.message), oai_xml.close())


@csrf_exempt
def oai(request):
    """The repository's base URL."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    oai_request = None
    try:
        params = _arguments(request)
        oai_request = parse_request(params)
        context = _Context(request, oai_request)
        return HANDLERS[oai_request.verb](context)
    except JaringanError as error:
        answer = oai_error_for(error)
        if answer is None:  # not the request's fault: no code of the protocol says it, HTTP's status does
            return HttpResponse(title_of(error), status=status_of(error), content_type="text/plain; charset=utf-8")
        return _error_response(request, oai_request, answer)


def _arguments(request) -> dict[str, list[str]]:
    """The request's arguments; badArgument when its form cannot be read (too large, too many)."""
    try:
        source = request.POST if request.method == "POST" else request.GET
        return {name: source.getlist(name) for name in source}
    except RequestDataTooBig:
        raise OaiError("badArgument", _("The request is larger than this repository reads (%(bytes)s bytes).")
                       % {"bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}) from None
    except TooManyFieldsSent:
        raise OaiError("badArgument", _("The request has more arguments than this repository reads (%(n)s).")
                       % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}) from None


# --- the verbs ---------------------------------------------------------------------


def identify(context: _Context) -> HttpResponse:
    repository_id = settings.OAI_REPOSITORY_ID
    description = (
        '<description><oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier '
        'http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">'
        + oai_xml.element("scheme", "oai")
        + oai_xml.element("repositoryIdentifier", repository_id)
        + oai_xml.element("delimiter", ":")
        + oai_xml.element("sampleIdentifier", identifier_of(1))
        + "</oai-identifier></description>"
    )
    body = (
        "<Identify>"
        + oai_xml.element("repositoryName", getattr(settings, "OAI_REPOSITORY_NAME", REPOSITORY_NAME))
        + oai_xml.element("baseURL", context.base_url)
        + oai_xml.element("protocolVersion", "2.0")
        + oai_xml.element("adminEmail", settings.OAI_ADMIN_EMAIL)
        + oai_xml.element("earliestDatestamp", format_datestamp(selectors.earliest_datestamp()))
        + oai_xml.element("deletedRecord", "persistent")
        + oai_xml.element("granularity", GRANULARITY)
        + description
        + "</Identify>"
    )
    return _whole(context.opening(), body.encode(), oai_xml.close())


def _find(identifier: str) -> selectors.Item:
    edition_id = edition_id_of(identifier)
    item = selectors.find_item(edition_id) if edition_id is not None else None
    if item is None:
        raise OaiError("idDoesNotExist", _("No record has this identifier in this repository."))
    return item


def _format(prefix: str) -> str:
    if prefix not in METADATA_FORMATS:
        raise OaiError("cannotDisseminateFormat",
                       _("This repository offers the formats %(formats)s.") % {"formats": ", ".join(METADATA_FORMATS)})
    return METADATA_FORMATS[prefix][0]


def list_metadata_formats(context: _Context) -> HttpResponse:
    identifier = context.oai.get("identifier")
    if identifier is not None:
        item = _find(identifier)
        if item.deleted:
            raise OaiError("noMetadataFormats", _("This record was deleted; it has no metadata any more."))
    body = "".join(
        "<metadataFormat>" + oai_xml.element("metadataPrefix", prefix) + oai_xml.element("schema", schema)
        + oai_xml.element("metadataNamespace", namespace) + "</metadataFormat>"
        for prefix, (_name, schema, namespace) in METADATA_FORMATS.items()
    )
    return _whole(context.opening(), f"<ListMetadataFormats>{body}</ListMetadataFormats>".encode(), oai_xml.close())


def list_sets(context: _Context) -> HttpResponse:
    if context.oai.resumption_token is not None:
        raise OaiError("badResumptionToken", _("This repository gives every set in one answer; "
                                               "it never issued this token."))
    sets = selectors.list_sets()
    if not sets:
        raise OaiError("noSetHierarchy", _("This repository has no sets yet: no network or library is registered."))
    body = "".join("<set>" + oai_xml.element("setSpec", spec) + oai_xml.element("setName", name) + "</set>"
                   for spec, name in sets)
    return _whole(context.opening(), f"<ListSets>{body}</ListSets>".encode(), oai_xml.close())


def _metadata(context: _Context, item: records.ExportEdition, schema: str):
    return records.render_or_build(item, schema, url=context.edition_url(item.id))


def get_record(context: _Context) -> HttpResponse:
    schema = _format(context.oai.get("metadataPrefix"))
    item = _find(context.oai.get("identifier"))
    identifier = identifier_of(item.id)
    if item.deleted:
        text = oai_xml.record(oai_xml.header(identifier=identifier, datestamp=item.datestamp, deleted=True), None)
    else:
        specs = selectors.SetIndex().specs([item.id])[item.id]
        loaded = records.load_editions([item.id]).get(item.id)
        if loaded is None:  # retired between the two reads
            raise OaiError("idDoesNotExist", _("No record has this identifier in this repository."))
        head = oai_xml.header(identifier=identifier, datestamp=item.datestamp, set_specs=specs)
        text = oai_xml.record(head, _metadata(context, loaded, schema))
    return _whole(context.opening(), b"<GetRecord>", text, b"</GetRecord>", oai_xml.close())


def _list_state(context: _Context) -> tokens.ListState:
    """The state a list request starts from: decoded from its token, or new from its arguments."""
    oai = context.oai
    if oai.resumption_token is not None:
        try:
            return tokens.decode(oai.resumption_token, verb=oai.verb)
        except tokens.BadToken:
            raise OaiError("badResumptionToken", _("This resumption token is not one this repository issued.")) \
                from None
    prefix = oai.get("metadataPrefix")
    _format(prefix)
    set_spec = oai.get("set")
    if set_spec is not None and not selectors.has_sets():
        raise OaiError("noSetHierarchy", _("This repository has no sets yet: no network or library is registered."))
    return tokens.ListState(
        verb=oai.verb, prefix=prefix, set_spec=set_spec,
        from_=oai.from_.instant.isoformat() if oai.from_ else None,
        until=oai.until.instant.isoformat() if oai.until else None,
        after=("", 0), cursor=0, total=-1,
    )


def list_items(context: _Context) -> HttpResponse:
    """ListIdentifiers and ListRecords."""
    state = _list_state(context)
    try:
        libraries = selectors.set_libraries(state.set_spec)
    except selectors.NoSuchSet:
        raise OaiError("noRecordsMatch", _("There is no set %(set)s.") % {"set": state.set_spec}) from None
    from_ = datetime.fromisoformat(state.from_) if state.from_ else None
    until = datetime.fromisoformat(state.until) if state.until else None
    after = state.after_key if state.after[0] else None
    size = page_size()
    page = selectors.list_items(libraries=libraries, from_=from_, until=until, after=after, limit=size + 1)
    more = len(page) > size
    page = page[:size]
    if not page:
        raise OaiError("noRecordsMatch", _("No record matches these arguments."))
    resumed = after is not None
    total = state.total
    if total < 0:
        total = selectors.count_items(libraries=libraries, from_=from_, until=until) if more else len(page)
    total = max(total, state.cursor + len(page) + (1 if more else 0))
    token = None
    if more:
        token = tokens.encode(replace(state, after=(page[-1].datestamp.isoformat(), page[-1].id),
                                      cursor=state.cursor + len(page), total=total))
    response = StreamingHttpResponse(
        _stream(context, page, schema=METADATA_FORMATS[state.prefix][0], token=token,
                closing=more or resumed, total=total, cursor=state.cursor),
        content_type=CONTENT_TYPE,
    )
    return response


def _stream(context: _Context, page: list[selectors.Item], *, schema: str, token: str | None, closing: bool,
            total: int, cursor: int) -> Iterator[bytes]:
    verb = context.oai.verb
    with_metadata = verb == "ListRecords"
    sets = selectors.SetIndex()
    yield context.opening()
    yield f"<{verb}>".encode()
    for start in range(0, len(page), RENDER_CHUNK):
        chunk = page[start:start + RENDER_CHUNK]
        live = [item.id for item in chunk if not item.deleted]
        specs = sets.specs(live)
        loaded = records.load_editions(live) if with_metadata else {}
        parts = []
        for item in chunk:
            identifier = identifier_of(item.id)
            if item.deleted:
                head = oai_xml.header(identifier=identifier, datestamp=item.datestamp, deleted=True)
                parts.append(oai_xml.record(head, None) if with_metadata else head.encode())
                continue
            head = oai_xml.header(identifier=identifier, datestamp=item.datestamp, set_specs=specs[item.id])
            if not with_metadata:
                parts.append(head.encode())
            elif item.id in loaded:  # else retired meanwhile: it comes again later, as deleted
                parts.append(oai_xml.record(head, _metadata(context, loaded[item.id], schema)))
        yield b"".join(parts)
    if closing:
        yield oai_xml.resumption_token(token, complete_list_size=total, cursor=cursor)
    yield f"</{verb}>".encode() + oai_xml.close()


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_items,
    "ListRecords": list_items,
}
