"""Harvest a member's catalogue over OAI-PMH 2.0: resumable, incremental.

``harvest`` yields each record as a ``HarvestedRecord`` and, after each page,
a ``Checkpoint`` for the caller to persist (it is a frozen dataclass:
``dataclasses.asdict`` stores it, ``Checkpoint(**stored)`` brings it back)::

    for item in harvest(endpoint=url, metadata_prefix="oai_dc", from_=member.high_water):
        if isinstance(item, Checkpoint):
            store(item)                      # after the page's records are saved
        else:
            upsert(item)                     # by item.identifier; item.deleted removes

**Resuming.**  A run broken by a network error (``ProviderUnavailable``, after
the retries) or a killed process continues with ``harvest(..., resume=cp)``
and the same other arguments: the checkpoint's token asks for the page after
the last one stored.  Providers expire tokens; when the token is refused
(``badResumptionToken``) the list is restarted once from the checkpoint's
``from_``.  Records of the pages already stored then come again: harmless,
since the same identifier updates the same record in place.

**Incremental.**  When a run is complete (``checkpoint.complete``), start the
next one with ``from_=checkpoint.next_from``: the highest datestamp seen, or
the provider's clock at the start of the run if that is earlier (a record
changed while the run was going on gets a datestamp after that instant, and
``from`` is inclusive, so nothing is missed; a few records come twice).
``from_``/``until`` are cut to a day when the provider's granularity is days
(asked with ``Identify`` only when a time is given).

**Providers without datestamps** (SLiMS's ``oai.php``) still give every
record, with ``datestamp=None``; no high-water mark can be kept, so
``next_from`` is None and every run is a full harvest.  Likewise a provider
whose ``deletedRecord`` is ``no`` never reports deletions in an incremental
run: compare ``list_identifiers`` with what is stored to find them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import requests

from ..outbound import Policy
from .errors import BadResumptionToken, HarvestError, MalformedResponse, NoRecordsMatch
from .page import (
    HarvestedRecord,
    Header,
    MetadataFormat,
    OaiSet,
    Repository,
    child_text,
    header_from_element,
    list_items,
    record_from_element,
    repository_from_identify,
    resumption_token,
)
from .transport import OaiClient

__all__ = [
    "GRANULARITY_DAYS",
    "GRANULARITY_SECONDS",
    "Checkpoint",
    "get_record",
    "harvest",
    "identify",
    "list_identifiers",
    "list_metadata_formats",
    "list_sets",
    "oai_datestamp",
]

logger = logging.getLogger(__name__)

GRANULARITY_DAYS = "YYYY-MM-DD"
GRANULARITY_SECONDS = "YYYY-MM-DDThh:mm:ssZ"
DATESTAMP = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{2}:\d{2}:\d{2})(?:\.\d+)?(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$"
)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where a harvest stands after a page; persist it to resume or to start the next run.

    ``resumption_token`` asks for the next page (None: the list is complete);
    ``from_`` is the start of this run's window (as sent to the provider);
    ``last_datestamp`` the highest datestamp seen so far (None if the provider
    sends none); ``response_date`` the provider's clock on the run's first
    page; ``records_seen`` counts the records yielded, deleted ones included,
    across resumptions.
    """

    resumption_token: str | None
    from_: str | None
    last_datestamp: str | None
    records_seen: int
    response_date: str | None = None

    @property
    def complete(self) -> bool:
        """True when the provider said the list is finished."""
        return self.resumption_token is None

    @property
    def next_from(self) -> str | None:
        """The ``from_`` for the next incremental run (None: harvest everything again)."""
        if self.last_datestamp is None:
            return None
        if self.response_date and self.response_date < self.last_datestamp:
            return self.response_date
        return self.last_datestamp


def oai_datestamp(value: str, granularity: str | None = GRANULARITY_SECONDS) -> str:
    """``value`` as an OAI-PMH datestamp the provider accepts.

    A day stays a day; a time is converted to UTC (``...Z``), and cut to the
    day when ``granularity`` is ``YYYY-MM-DD``.  Raises ``ValueError`` for
    anything that is not an ISO 8601 date or date-time.
    """
    match = DATESTAMP.match(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ssZ)")
    date, clock, zone = match["date"], match["time"], match["zone"]
    if clock and zone and zone != "Z":
        moment = datetime.fromisoformat(f"{date}T{clock}{zone}").astimezone(timezone.utc)
        date, clock = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")
    if clock is None or granularity == GRANULARITY_DAYS:
        return date
    return f"{date}T{clock}Z"


def _client(endpoint: str, **options) -> OaiClient:
    return OaiClient(endpoint, **options)


def _granularity(client: OaiClient) -> str:
    try:
        repository = repository_from_identify(client.page({"verb": "Identify"}))
    except HarvestError as exc:
        logger.warning("%s: Identify failed (%s); dates are sent as days", client.endpoint, exc)
        return GRANULARITY_DAYS
    return repository.granularity if repository and repository.granularity else GRANULARITY_DAYS


def _window(client: OaiClient, from_: str | None, until: str | None) -> tuple[str | None, str | None]:
    given = [v for v in (from_, until) if v]
    if not given:
        return None, None
    has_time = any(DATESTAMP.match(v.strip()) and DATESTAMP.match(v.strip())["time"] for v in given)
    granularity = _granularity(client) if has_time else GRANULARITY_DAYS
    return tuple(oai_datestamp(v, granularity) if v else None for v in (from_, until))


def _later(a: str | None, b: str | None) -> str | None:
    return max(a, b) if a and b else a or b


def _earlier(a: str | None, b: str | None) -> str | None:
    return min(a, b) if a and b else a or b


@dataclass(slots=True)
class _Run:
    """How far one ``ListRecords`` run has gone: its window, the token for the next page, what it has seen."""

    window_from: str | None
    window_until: str | None
    token: str | None = None
    seen: int = 0
    high: str | None = None
    started: str | None = None
    restarted: bool = False

    @classmethod
    def begin(cls, client: OaiClient, *, resume: Checkpoint | None, from_: str | None,
              until: str | None) -> _Run:
        """A new run over ``from_``…``until``, or the run ``resume`` left off (its window wins)."""
        if resume is None:
            return cls(*_window(client, from_, until))
        if resume.complete:
            raise ValueError("this checkpoint ends a complete run: start the next one with from_=checkpoint.next_from")
        _, window_until = _window(client, None, until)  # used only if the list must be restarted
        return cls(resume.from_, window_until, token=resume.resumption_token, seen=resume.records_seen,
                   high=resume.last_datestamp, started=resume.response_date)

    def request(self, first: dict[str, str]) -> dict[str, str]:
        """The parameters of the next page: ``first`` until a resumption token is known."""
        return {"verb": "ListRecords", "resumptionToken": self.token} if self.token else first

    @property
    def can_restart(self) -> bool:
        """A refused token restarts the list, once; a refused first page cannot."""
        return bool(self.token) and not self.restarted

    def restart(self, endpoint: str) -> None:
        logger.warning("%s: resumption token refused; restarting the list from %s (records may repeat)",
                       endpoint, self.window_from or "the beginning")
        self.restarted, self.token = True, None

    def take(self, root, *, library: str | None) -> Iterator[HarvestedRecord]:
        """The page's records, normalised, counted and with the high-water datestamp moved on."""
        self.started = _earlier(self.started, child_text(root, "responseDate"))
        for element in list_items(root, "ListRecords", "record"):
            item = record_from_element(element, library=library)
            self.seen += 1
            self.high = _later(self.high, item.datestamp)
            yield item

    def advance(self, root, *, endpoint: str, page: int, params: dict[str, str]) -> None:
        """Move to the page's resumption token (None: the list is complete); a token given back unchanged
        would loop for ever and is refused."""
        next_token = resumption_token(root, "ListRecords")
        if next_token is not None and next_token == self.token:
            raise MalformedResponse(
                f"{endpoint}: page {page} gave back the resumption token it was asked with ({self.token!r}); "
                "the provider would loop for ever",
                endpoint=endpoint, page=page, request=params,
            )
        self.token = next_token

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.token, self.window_from, self.high, self.seen, self.started)


def harvest(
    *,
    endpoint: str,
    metadata_prefix: str,
    set_spec: str | None = None,
    from_: str | None = None,
    until: str | None = None,
    resume: Checkpoint | None = None,
    library: str | None = None,
    timeout: float = 30,
    retries: int = 3,
    retry_wait: float = 5.0,
    http_method: str = "GET",
    session: requests.Session | None = None,
    policy: Policy | None = None,
) -> Iterator[HarvestedRecord | Checkpoint]:
    """Harvest ``ListRecords``, yielding records and a ``Checkpoint`` after each page.

    ``metadata_prefix`` is ``oai_dc`` (every provider), ``marc21`` or
    ``marcxml``; records are normalised by their content (Dublin Core or
    MARCXML) into ``record``.  ``library`` is set on each normalised record.
    ``resume`` continues an interrupted run (see the module's docstring); its
    window wins over ``from_``.  ``timeout`` is per request; failed requests
    are retried ``retries`` times, ``retry_wait`` × 2ⁿ seconds apart.
    ``http_method`` is ``GET`` or ``POST``; ``session`` a ``requests.Session``;
    ``policy`` the outbound ``Policy`` (default: ``JARINGAN_OUTBOUND_ALLOW``).

    An empty list (``noRecordsMatch``) is an empty harvest: one complete
    checkpoint.  Raises ``ProviderUnavailable``, ``MalformedResponse`` or an
    ``OAIError`` subclass (``BadArgument``, ``CannotDisseminateFormat``,
    ``NoSetHierarchy``, ``BadResumptionToken`` when restarting did not help…).
    """
    client = _client(endpoint, timeout=timeout, retries=retries, retry_wait=retry_wait,
                     http_method=http_method, session=session, policy=policy)
    run = _Run.begin(client, resume=resume, from_=from_, until=until)
    first = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
    first.update({k: v for k, v in (("from", run.window_from), ("until", run.window_until), ("set", set_spec)) if v})
    page = 0
    while True:
        page += 1
        params = run.request(first)
        try:
            root = client.page(params, page=page)
        except NoRecordsMatch:  # an empty list, or an empty rest of one: complete
            run.token = None
            yield run.checkpoint()
            return
        except BadResumptionToken:
            if not run.can_restart:
                raise
            run.restart(endpoint)
            continue
        yield from run.take(root, library=library)
        run.advance(root, endpoint=endpoint, page=page, params=params)
        yield run.checkpoint()
        if run.token is None:
            return


def _pages(client: OaiClient, params: dict[str, str]) -> Iterator:
    """Every page of a list request, following resumption tokens; nothing for noRecordsMatch."""
    page, token = 0, None
    while True:
        page += 1
        asked = {"verb": params["verb"], "resumptionToken": token} if token else params
        try:
            root = client.page(asked, page=page)
        except NoRecordsMatch:
            return
        yield root
        next_token = resumption_token(root, params["verb"])
        if next_token is None or next_token == token:
            return
        token = next_token


def identify(endpoint: str, **options) -> Repository:
    """What the provider says about itself: name, granularity, earliest datestamp, deletion policy.

    ``options`` are ``OaiClient``'s (``timeout``, ``retries``, ``http_method``, ``session``…).
    """
    client = _client(endpoint, **options)
    params = {"verb": "Identify"}
    repository = repository_from_identify(client.page(params))
    if repository is None:
        raise MalformedResponse(f"{endpoint}: the Identify answer has no <Identify> element",
                                endpoint=endpoint, page=1, request=params)
    return repository


def list_sets(endpoint: str, **options) -> tuple[OaiSet, ...]:
    """The provider's sets (raises ``NoSetHierarchy`` when it has none, as SLiMS)."""
    client = _client(endpoint, **options)
    found = []
    for root in _pages(client, {"verb": "ListSets"}):
        for element in list_items(root, "ListSets", "set"):
            spec = child_text(element, "setSpec")
            if spec:
                found.append(OaiSet(spec=spec, name=child_text(element, "setName")))
    return tuple(found)


def list_metadata_formats(endpoint: str, *, identifier: str | None = None, **options) -> tuple[MetadataFormat, ...]:
    """The metadata formats the provider (or one record of it) offers."""
    client = _client(endpoint, **options)
    params = {"verb": "ListMetadataFormats"}
    if identifier:
        params["identifier"] = identifier
    found = []
    for element in list_items(client.page(params), "ListMetadataFormats", "metadataFormat"):
        prefix = child_text(element, "metadataPrefix")
        if prefix:
            found.append(MetadataFormat(prefix, child_text(element, "schema"), child_text(element, "metadataNamespace")))
    return tuple(found)


def list_identifiers(
    endpoint: str,
    *,
    metadata_prefix: str,
    set_spec: str | None = None,
    from_: str | None = None,
    until: str | None = None,
    **options,
) -> Iterator[Header]:
    """Every record header (identifier, datestamp, deleted, sets), without the metadata.

    Use it to find deletions on providers that do not keep them
    (``deletedRecord`` ``no``): what is stored but not listed is gone.
    """
    client = _client(endpoint, **options)
    window_from, window_until = _window(client, from_, until)
    params = {"verb": "ListIdentifiers", "metadataPrefix": metadata_prefix}
    params.update({k: v for k, v in (("from", window_from), ("until", window_until), ("set", set_spec)) if v})
    for root in _pages(client, params):
        for element in list_items(root, "ListIdentifiers", "header"):
            yield header_from_element(element)


def get_record(endpoint: str, *, identifier: str, metadata_prefix: str, library: str | None = None,
               **options) -> HarvestedRecord:
    """One record by its OAI identifier (raises ``IdDoesNotExist`` when unknown)."""
    client = _client(endpoint, **options)
    params = {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": metadata_prefix}
    root = client.page(params)
    records = list_items(root, "GetRecord", "record")
    if not records:
        raise MalformedResponse(f"{endpoint}: the GetRecord answer for {identifier!r} holds no <record>",
                                endpoint=endpoint, page=1, request=params)
    return record_from_element(records[0], library=library)

