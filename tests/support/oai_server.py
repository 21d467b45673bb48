"""A real OAI-PMH 2.0 data provider for tests, run as a process of its own.

    python -m tests.support.oai_server --port 0 --data FILE_OR_DIR [--page-size N] [--mode MODE]

prints the port it listens on (127.0.0.1) as its first line of stdout and
serves until terminated.  The six verbs, GET and POST, stateless resumption
tokens (offset and arguments, base64 JSON), ``from``/``until`` in either
granularity, deleted records, hierarchical sets (``lang``, ``lang:ind``…) and
the OAI-PMH error answers.  Requests are logged to stderr in the common log
format.  Standard library and lxml; ``.mrc`` input is read with pymarc.

Records come from ``--data``: ISO 2709 ``.mrc`` or MARCXML files (offered as
``marc21``/``marcxml`` and, crosswalked, ``oai_dc``; datestamp from 005), or
XML files holding ``oai_dc``/``dc`` records (an OAI-PMH page, say).
``--deleted-every K`` marks every K-th record deleted; ``--reverse`` serves them in
the opposite order; ``--pretty`` indents the answers (so a record's surrounding
whitespace depends on its place in the page); ``--deleted-record`` overrides what
Identify says of deletions.

Modes imitate real providers:

* ``normal``   — a tidy provider (seconds granularity, deletedRecord persistent);
* ``html``     — a web server's error page (HTTP 200, text/html) for every request, as a
  PHP catalogue with a broken OAI module answers;
* ``slims``    — SLiMS's ``oai.php``: oai_dc only, no datestamps (from/until ignored),
  deletedRecord transient (deleted records simply vanish),
  ISBN in ``dc:identifier_isbn``, DDC class as a ``dc:subject``, an extra non-DC
  ``<image>`` element, ``responseDate`` in local time (UTC+7, WIB) labelled Z, no sets;
* ``flaky``    — page ``--fail-page`` of a list fails ``--fail-times`` times:
  ``--fail-how drop`` (connection closed, no answer), ``truncate`` (body cut off),
  ``503`` (Retry-After: 0) or ``garbage`` (half the XML, status 200);
* ``badtoken`` — resumption tokens expire ``--token-ttl`` seconds after they are issued;
* ``replay``   — serves the files under ``--data`` verbatim: the URL path names a
  file (any request gets it) or a directory (``<verb>.xml``); a resumption token
  names the next file in the same directory (``--replay-token TOKEN=FILE`` maps others).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from lxml import etree

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MARC_NS = "http://www.loc.gov/MARC21/slim"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"
DAYS = "YYYY-MM-DD"
MARC_PREFIXES = ("marc21", "marcxml")
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS),
    "marc21": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC_NS),
    "marcxml": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC_NS),
}
#: verb → (required arguments, optional arguments); resumptionToken is exclusive.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
LANGUAGE_NAMES = {"ind": "Bahasa Indonesia", "eng": "English", "may": "Bahasa Melayu", "jav": "Basa Jawa"}
SLIMS_UTC_OFFSET = timedelta(hours=7)
#: What a PHP catalogue whose OAI module is broken answers (the body must never reach a message).
HTML_ERROR_PAGE = (b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Fatal error</h1>"
                   b"<p>Uncaught Error: Call to undefined function mysql_connect() in /var/www/slims/oai2.php</p>"
                   b"</body></html>")
DEFAULT_BASE_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)


@dataclass
class Item:
    identifier: str
    datestamp: str | None
    deleted: bool = False
    sets: tuple[str, ...] = ()
    marc: object | None = None  # a pymarc Record
    dc: etree._Element | None = None


class OaiError(Exception):
    def __init__(self, code: str, text: str = "") -> None:
        super().__init__(text)
        self.code, self.text = code, text


# ---------------------------------------------------------------------------- loading


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _datestamp_from_005(record) -> str | None:
    fields = record.get_fields("005")
    value = fields[0].data if fields and hasattr(fields[0], "data") else ""
    try:
        return _stamp(datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc))
    except ValueError:
        return None


def _marc_records(path: Path) -> Iterator:
    import pymarc  # only for MARC input

    if path.suffix in (".mrc", ".marc"):
        with path.open("rb") as handle:
            yield from pymarc.MARCReader(handle, permissive=True, to_unicode=True)
    else:
        yield from pymarc.parse_xml_to_array(str(path))


def _dc_elements(path: Path) -> Iterator[tuple[str | None, str | None, etree._Element]]:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == "dc":
            record = next((a for a in element.iterancestors() if etree.QName(a).localname == "record"), None)
            heads = [] if record is None else [e for e in record if isinstance(e.tag, str)
                                                   and etree.QName(e).localname == "header"]
            # The header's own identifier and datestamp, not the record's dc:identifier (OJS has several).
            header = {} if not heads else {
                etree.QName(e).localname: (e.text or "").strip() for e in heads[0] if isinstance(e.tag, str)
            }
            yield header.get("identifier"), header.get("datestamp"), element


def load_items(paths: list[Path], *, limit: int | None = None, deleted_every: int = 0) -> list[Item]:
    """The records to serve, read from files or directories."""
    files = [f for p in paths for f in (sorted(p.iterdir()) if p.is_dir() else [p]) if f.is_file()]
    items: list[Item] = []
    for path in files:
        if limit is not None and len(items) >= limit:
            break
        is_marc = path.suffix in (".mrc", ".marc") or b"MARC21/slim" in path.read_bytes()[:4000]
        if is_marc:
            for record in _marc_records(path):
                if limit is not None and len(items) >= limit:
                    break
                if record is None:
                    continue
                control = record.get_fields("001")
                local = control[0].data.strip() if control else str(len(items) + 1)
                fixed = record.get_fields("008")
                lang = fixed[0].data[35:38].strip() if fixed and len(fixed[0].data) >= 38 else ""
                items.append(Item(f"oai:jaringan.test:{local}", _datestamp_from_005(record),
                                  sets=(f"lang:{lang}",) if lang else (), marc=record))
        elif path.suffix == ".xml":
            for identifier, datestamp, element in _dc_elements(path):
                items.append(Item(identifier or f"oai:jaringan.test:{len(items) + 1}", datestamp or None, dc=element))
    if limit is not None:
        items = items[:limit]
    for n, item in enumerate(items):
        if item.datestamp is None:
            item.datestamp = _stamp(DEFAULT_BASE_DATE + timedelta(hours=n))
        if deleted_every and (n + 1) % deleted_every == 0:
            item.deleted = True
    items.sort(key=lambda i: (i.datestamp or "", i.identifier))
    return items


# ---------------------------------------------------------------------------- crosswalk


def _sub(record, tag: str, code: str) -> list[str]:
    return [v.strip() for f in record.get_fields(tag) if hasattr(f, "get_subfields") for v in f.get_subfields(code)]


def _isbd(text: str) -> str:
    return text.strip().rstrip("/:;,. ").strip()


def dublin_core(item: Item, *, slims: bool) -> etree._Element:
    """The item as an ``oai_dc:dc`` element (SLiMS's way when ``slims``)."""
    if item.dc is not None and not slims:
        return item.dc
    dc = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS})

    def add(name: str, text: str | None) -> None:
        if text:
            etree.SubElement(dc, f"{{{DC_NS}}}{name}").text = text

    record = item.marc
    if record is None:  # DC input: copy it, then make it SLiMS-like
        for child in item.dc:
            if isinstance(child.tag, str):
                dc.append(etree.fromstring(etree.tostring(child)))
    else:
        add("title", " : ".join(_isbd(t) for t in _sub(record, "245", "a")[:1] + _sub(record, "245", "b")[:1]))
        for tag in ("100", "110", "700", "710"):
            for name in _sub(record, tag, "a"):
                add("creator", _isbd(name))
        for subject in _sub(record, "650", "a"):
            add("subject", _isbd(subject))
        if slims:  # SLiMS sends its class number as a subject, slashes removed
            for number in _sub(record, "082", "a")[:1]:
                add("subject", number.replace("/", ""))
        for tag in ("260", "264"):
            for publisher in _sub(record, tag, "b")[:1]:
                add("publisher", _isbd(publisher))
            for date in _sub(record, tag, "c")[:1]:
                add("date", _isbd(date))
        fixed = record.get_fields("008")
        add("language", fixed[0].data[35:38] if fixed and len(fixed[0].data) >= 38 else None)
        add("type", "Text")
        for extent in _sub(record, "300", "a")[:1]:
            add("format", _isbd(extent))
        for isbn in _sub(record, "020", "a"):
            add("identifier_isbn" if slims else "identifier", isbn)
        add("identifier", f"http://opac.jaringan.test/index.php?p=show_detail&id={item.identifier.rsplit(':', 1)[-1]}")
    if slims:
        etree.SubElement(dc, "image").text = f"{item.identifier.rsplit(':', 1)[-1]}.jpg"
    return dc


def marcxml(item: Item) -> etree._Element:
    import pymarc

    return etree.fromstring(pymarc.record_to_xml(item.marc, namespace=True))


# ---------------------------------------------------------------------------- the provider


@dataclass
class Provider:
    items: list[Item]
    mode: str = "normal"
    page_size: int = 50
    granularity: str = SECONDS
    fail_page: int = 2
    fail_how: str = "drop"
    fail_times: int = 1
    token_ttl: float = 2.0
    data_root: Path | None = None
    replay_tokens: dict[str, str] = field(default_factory=dict)
    #: Seconds each answer waits before it is sent (a slow provider; a test can kill a harvest mid-run).
    delay: float = 0.0
    pretty: bool = False
    deleted_record: str | None = None
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def slims(self) -> bool:
        return self.mode == "slims"

    def formats(self, item: Item | None = None) -> list[str]:
        pool = [item] if item else self.items
        offered = ["oai_dc"] if any(i.dc is not None or i.marc is not None for i in pool) else []
        if not self.slims and any(i.marc is not None for i in pool):
            offered += list(MARC_PREFIXES)
        return offered

    def set_specs(self) -> list[str]:
        if self.slims:
            return []
        specs = sorted({s for i in self.items for s in i.sets})
        return (["lang"] if any(s.startswith("lang:") for s in specs) else []) + specs

    def shown_datestamp(self, item: Item) -> str | None:
        if self.slims or item.datestamp is None:
            return None
        return item.datestamp[:10] if self.granularity == DAYS else item.datestamp


def _check_date(value: str, granularity: str) -> str:
    for fmt, kind in (("%Y-%m-%dT%H:%M:%SZ", SECONDS), ("%Y-%m-%d", DAYS)):
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            continue
        if kind == SECONDS and granularity == DAYS:
            raise OaiError("badArgument", f"{value!r}: this repository's granularity is {DAYS}")
        return kind
    raise OaiError("badArgument", f"{value!r} is not a legal datestamp")


def encode_token(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_token(token: str) -> dict:
    try:
        state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise OaiError("badResumptionToken", "this resumptionToken was not issued here") from exc
    if not isinstance(state, dict) or not isinstance(state.get("o"), int):
        raise OaiError("badResumptionToken", "this resumptionToken was not issued here")
    return state


class Answer:
    """One OAI-PMH response document under construction."""

    def __init__(self, provider: Provider, base_url: str, args: dict[str, str] | None) -> None:
        now = datetime.now(timezone.utc)
        if provider.slims:  # local time (WIB) labelled as UTC, as SLiMS does
            now = now + SLIMS_UTC_OFFSET
        self.root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
        self.root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
        self.add(self.root, "responseDate", now.strftime("%Y-%m-%dT%H:%M:%SZ"))
        request = self.add(self.root, "request", base_url)
        for key, value in (args or {}).items():
            request.set(key, value)

    @staticmethod
    def add(parent, name: str, text: str | None = None):
        element = etree.SubElement(parent, f"{{{OAI_NS}}}{name}")
        if text is not None:
            element.text = text
        return element

    def bytes(self, pretty: bool = False) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)


def _header(provider: Provider, parent, item: Item) -> None:
    header = Answer.add(parent, "header")
    if item.deleted:
        header.set("status", "deleted")
    Answer.add(header, "identifier", item.identifier)
    datestamp = provider.shown_datestamp(item)
    if datestamp:
        Answer.add(header, "datestamp", datestamp)
    if not provider.slims:
        for spec in item.sets:
            Answer.add(header, "setSpec", spec)


def _record(provider: Provider, parent, item: Item, prefix: str) -> None:
    record = Answer.add(parent, "record")
    _header(provider, record, item)
    if not item.deleted:
        metadata = Answer.add(record, "metadata")
        metadata.append(marcxml(item) if prefix in MARC_PREFIXES else dublin_core(item, slims=provider.slims))


def _in_window(provider: Provider, item: Item, start: str | None, end: str | None) -> bool:
    if provider.slims or item.datestamp is None:
        return True  # no datestamps: from/until select nothing away
    stamp = provider.shown_datestamp(item) or ""
    if start and stamp < start:  # a day compares with a date-time as its midnight
        return False
    return not (end and stamp[: len(end)] > end)


class Failure(Exception):
    """Raised to make the handler fail the way ``--fail-how`` says."""


def _list(provider: Provider, answer: Answer, verb: str, args: dict[str, str]) -> None:
    if "resumptionToken" in args:
        state = decode_token(args["resumptionToken"])
        if provider.mode == "badtoken" and time.time() - state.get("t", 0) > provider.token_ttl:
            raise OaiError("badResumptionToken", "this resumptionToken has expired")
    else:
        state = {"o": 0, "p": args["metadataPrefix"], "s": args.get("set"), "f": args.get("from"),
                 "u": args.get("until")}
        kinds = {_check_date(state[k], provider.granularity) for k in ("f", "u") if state[k]}
        if len(kinds) > 1:
            raise OaiError("badArgument", "from and until must have the same granularity")
        if state["f"] and state["u"] and state["f"][:10] > state["u"][:10]:
            raise OaiError("badArgument", "from is later than until")
    prefix, wanted_set = state["p"], state.get("s")
    if prefix not in provider.formats():
        raise OaiError("cannotDisseminateFormat", f"{prefix!r} is not offered here")
    if wanted_set and not provider.set_specs():
        raise OaiError("noSetHierarchy", "this repository does not support sets")
    matched = [
        i for i in provider.items
        if prefix in provider.formats(i)
        and (not wanted_set or any(s == wanted_set or s.startswith(wanted_set + ":") for s in i.sets))
        and _in_window(provider, i, state.get("f"), state.get("u"))
    ]
    if not matched:
        raise OaiError("noRecordsMatch", "")
    offset = state["o"]
    page_number = offset // provider.page_size + 1
    if provider.mode == "flaky" and page_number == provider.fail_page and verb in ("ListRecords", "ListIdentifiers"):
        with provider.lock:
            if provider.failures < provider.fail_times:
                provider.failures += 1
                raise Failure(provider.fail_how)
    container = Answer.add(answer.root, verb)
    for item in matched[offset: offset + provider.page_size]:
        if verb == "ListRecords":
            _record(provider, container, item, prefix)
        else:
            _header(provider, container, item)
    following = offset + provider.page_size
    if following < len(matched) or "resumptionToken" in args:
        token = Answer.add(container, "resumptionToken")
        token.set("completeListSize", str(len(matched)))
        token.set("cursor", str(offset))
        if following < len(matched):
            token.text = encode_token({**state, "o": following, "t": time.time()})
            if provider.mode == "badtoken":
                expires = datetime.now(timezone.utc) + timedelta(seconds=provider.token_ttl)
                token.set("expirationDate", expires.strftime("%Y-%m-%dT%H:%M:%SZ"))


def respond(provider: Provider, base_url: str, pairs: list[tuple[str, str]]) -> bytes:
    """The OAI-PMH answer to a request's arguments."""
    args: dict[str, str] = {}
    repeated = False
    for key, value in pairs:
        repeated |= key in args
        args[key] = value
    verb = args.get("verb")
    try:
        if verb not in VERBS or sum(1 for k, _ in pairs if k == "verb") > 1:
            raise OaiError("badVerb", f"illegal OAI verb: {verb!r}")
        required, optional = VERBS[verb]
        given = set(args) - {"verb"}
        if repeated:
            raise OaiError("badArgument", "repeated argument")
        if "resumptionToken" in given and given != {"resumptionToken"}:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        if given - required - optional or ("resumptionToken" not in given and required - given):
            raise OaiError("badArgument", f"illegal or missing arguments for {verb}")
    except OaiError as error:  # the request element carries no attributes for these two
        answer = Answer(provider, base_url, None)
        Answer.add(answer.root, "error", error.text).set("code", error.code)
        return answer.bytes()
    answer = Answer(provider, base_url, args)
    try:
        _verb(provider, answer, verb, args, base_url)
    except OaiError as error:
        for child in list(answer.root)[2:]:
            answer.root.remove(child)
        Answer.add(answer.root, "error", error.text or None).set("code", error.code)
    return answer.bytes(pretty=provider.pretty)


def _find(provider: Provider, identifier: str) -> Item:
    for item in provider.items:
        if item.identifier == identifier:
            return item
    raise OaiError("idDoesNotExist", f"no record {identifier!r}")


def _verb(provider: Provider, answer: Answer, verb: str, args: dict[str, str], base_url: str) -> None:
    if verb == "Identify":
        identify = Answer.add(answer.root, "Identify")
        Answer.add(identify, "repositoryName", f"Jaringan test provider ({provider.mode})")
        Answer.add(identify, "baseURL", base_url)
        Answer.add(identify, "protocolVersion", "2.0")
        Answer.add(identify, "adminEmail", "admin@jaringan.test")
        stamps = [provider.shown_datestamp(i) for i in provider.items if provider.shown_datestamp(i)]
        if not provider.slims:
            Answer.add(identify, "earliestDatestamp", min(stamps) if stamps else "1970-01-01T00:00:00Z")
        Answer.add(identify, "deletedRecord", provider.deleted_record or ("transient" if provider.slims else "persistent"))
        Answer.add(identify, "granularity", provider.granularity)
    elif verb == "ListMetadataFormats":
        item = _find(provider, args["identifier"]) if "identifier" in args else None
        offered = provider.formats(item)
        if not offered:
            raise OaiError("noMetadataFormats", "")
        container = Answer.add(answer.root, "ListMetadataFormats")
        for prefix in offered:
            entry = Answer.add(container, "metadataFormat")
            Answer.add(entry, "metadataPrefix", prefix)
            Answer.add(entry, "schema", FORMATS[prefix][0])
            Answer.add(entry, "metadataNamespace", FORMATS[prefix][1])
    elif verb == "ListSets":
        if "resumptionToken" in args:
            raise OaiError("badResumptionToken", "ListSets is answered in one page")
        specs = provider.set_specs()
        if not specs:
            raise OaiError("noSetHierarchy", "this repository does not support sets")
        container = Answer.add(answer.root, "ListSets")
        for spec in specs:
            entry = Answer.add(container, "set")
            Answer.add(entry, "setSpec", spec)
            code = spec.partition(":")[2]
            Answer.add(entry, "setName", LANGUAGE_NAMES.get(code, code) if code else "By language")
    elif verb == "GetRecord":
        item = _find(provider, args["identifier"])
        if args["metadataPrefix"] not in provider.formats(item):
            raise OaiError("cannotDisseminateFormat", f"{args['metadataPrefix']!r} is not offered for this record")
        _record(provider, Answer.add(answer.root, "GetRecord"), item, args["metadataPrefix"])
    else:
        _list(provider, answer, verb, args)


def replay(provider: Provider, path: str, args: dict[str, str]) -> bytes | None:
    """The stored file a replayed request gets (None: no such file)."""
    root = provider.data_root.resolve()
    target = (root / path.lstrip("/")).resolve()
    if root not in (target, *target.parents):
        return None
    folder, chosen = (target, target / f"{args.get('verb')}.xml") if target.is_dir() else (target.parent, target)
    token = args.get("resumptionToken")
    if token:
        name = provider.replay_tokens.get(token, token)
        chosen = folder / name
        if "/" in name or not chosen.is_file():
            answer = Answer(provider, "http://127.0.0.1/replay", args)
            Answer.add(answer.root, "error", "unknown token").set("code", "badResumptionToken")
            return answer.bytes()
    return chosen.read_bytes() if chosen.is_file() else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    provider: Provider  # set on the subclass made by ``serve``

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(parse_qs(urlsplit(self.path).query, keep_blank_values=True))

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            self.send_error(415, "OAI-PMH POST requests are application/x-www-form-urlencoded")
            return
        self._answer(parse_qs(body, keep_blank_values=True))

    def _answer(self, query: dict[str, list[str]]) -> None:
        if self.provider.delay:
            time.sleep(self.provider.delay)
        pairs = [(k, v) for k, values in query.items() for v in values]
        path = urlsplit(self.path).path
        base_url = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}{path}"
        try:
            if self.provider.mode == "html":
                self._send(200, HTML_ERROR_PAGE, {"Content-Type": "text/html; charset=UTF-8"})
                return
            if self.provider.mode == "replay":
                body = replay(self.provider, path, dict(pairs))
                if body is None:
                    self.send_error(404, "no such file")
                    return
            else:
                body = respond(self.provider, base_url, pairs)
        except Failure as failure:
            self._fail(str(failure), respond_without_failure(self.provider, base_url, pairs))
            return
        self._send(200, body)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        headers = {"Content-Type": "text/xml; charset=utf-8", **(headers or {})}
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _fail(self, how: str, body: bytes) -> None:
        self.log_message("failing on purpose: %s", how)
        if how == "503":
            self._send(503, b"busy", {"Retry-After": "0"})
        elif how == "garbage":
            self._send(200, body[: len(body) // 2])
        else:
            if how == "truncate":
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)


def respond_without_failure(provider: Provider, base_url: str, pairs: list[tuple[str, str]]) -> bytes:
    """The answer the failing page would have had (to cut in half)."""
    healthy = Provider(**{**provider.__dict__, "mode": "normal", "lock": threading.Lock()})
    return respond(healthy, base_url, pairs)


def serve(provider: Provider, port: int = 0) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1 (not yet serving)."""
    handler = type("BoundHandler", (Handler,), {"provider": provider})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--data", type=Path, action="append", required=True)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--mode", choices=("normal", "slims", "flaky", "badtoken", "replay", "html"), default="normal")
    parser.add_argument("--granularity", choices=(SECONDS, DAYS), default=SECONDS)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--deleted-every", type=int, default=0)
    parser.add_argument("--fail-page", type=int, default=2)
    parser.add_argument("--fail-how", choices=("drop", "truncate", "503", "garbage"), default="drop")
    parser.add_argument("--fail-times", type=int, default=1)
    parser.add_argument("--token-ttl", type=float, default=2.0)
    parser.add_argument("--replay-token", action="append", default=[], metavar="TOKEN=FILE")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds each answer waits")
    parser.add_argument("--reverse", action="store_true", help="serve the records in the opposite order")
    parser.add_argument("--pretty", action="store_true", help="indent the answers")
    parser.add_argument("--deleted-record", choices=("no", "transient", "persistent"))
    options = parser.parse_args(argv)
    items = [] if options.mode in ("replay", "html") else load_items(options.data, limit=options.limit,
                                                                     deleted_every=options.deleted_every)
    if options.reverse:
        items.reverse()
    provider = Provider(
        items=items, mode=options.mode, page_size=options.page_size, granularity=options.granularity,
        fail_page=options.fail_page, fail_how=options.fail_how, fail_times=options.fail_times,
        token_ttl=options.token_ttl, data_root=options.data[0],
        replay_tokens=dict(pair.split("=", 1) for pair in options.replay_token), delay=options.delay,
        pretty=options.pretty, deleted_record=options.deleted_record,
    )
    server = serve(provider, options.port)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


# ---------------------------------------------------------------------------- for pytest

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20


class OaiServer:
    """The provider in a process of its own: ``start()``, ``stop()``, ``restart()`` on the same port."""

    def __init__(self, *args: str, log: Path) -> None:
        self.args = [str(a) for a in args]
        self.log = log
        self.port: int | None = None
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/oai"

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def start(self, port: int | None = None) -> OaiServer:
        command = [sys.executable, "-m", "tests.support.oai_server", "--port", str(port or 0), *self.args]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=log, text=True)
        deadline = time.monotonic() + START_TIMEOUT
        line = ""
        while not line and time.monotonic() < deadline and self.process.poll() is None:
            line = self.process.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"the OAI-PMH test server did not start: {self.requests_log()[-2000:]}")
        self.port = int(line)
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.process = None

    def restart(self) -> OaiServer:
        self.stop()
        return self.start(port=self.port)

    def requests_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def __enter__(self) -> OaiServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def oai_server(*args: str, log: Path) -> Iterator[OaiServer]:
    """Run the provider for the length of a ``with`` block (``log`` gets its request log)."""
    server = OaiServer(*args, log=log)
    with server:
        yield server


if __name__ == "__main__":
    main()
