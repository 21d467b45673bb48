"""SLiMS's union-catalogue client, as it really sends, for tests against a real server on 127.0.0.1.

Push bodies are built the way ``admin/modules/bibliography/ucs_upload.php`` of
SLiMS 9 builds them: its SQL row of each biblio (``biblio_id, title,
spec_detail_info, gmd_code, gmd_name, edition, isbn_issn, publisher_name,
publish_year, collation, series_title, call_number, language_id,
language_name, place_name, classification, notes, frequency``; every value a
string or null, as mysqli returns them), plus ``authors`` and ``subjects``
lists of ``{name, level, type, auth_list}``, keyed by biblio id, with
``node_info`` = SLiMS's ``$sysconf['ucs']``, encoded as PHP's ``json_encode``
writes (compact, ``\\/``, ``\\uXXXX``).

Two transports:

* :func:`send_http_request` — SLiMS's own ``http_request::send_http_request``
  (``lib/http_request.inc.php``): a hand-written HTTP/1.1 request over a
  socket with ``Content-type: text/json``, read to the end, and the body
  always put through its ``decode_chunked`` (ported here, PHP quirks included);
* :func:`guzzle_post` — the Guzzle client of later SLiMS versions
  (``['body' => json_encode($to_sent)]``: no Content-Type at all).

The records come from SLiMS's own demo data (``fixtures/slims/sampledata.sql``)
and from the real LoC Indonesian records, written into SLiMS's columns the way
a SLiMS library catalogues them.
"""

from __future__ import annotations

import http.client
import json
import socket
import string
from urllib.parse import urlsplit

import pymarc

from jaringan.core.catalog.marc import record_from_marc
from tests.core.catalog.readers.slims_sample import tables
from tests.paths import FIXTURES

INDONESIA = FIXTURES / "loc_mds_booksall2016" / "booksall2016_part01_indonesia.mrc"
#: SLiMS's default ``mst_gmd`` row 1 and ``mst_language`` rows (not in the demo dump).
GMD = {1: ("TE", "Text")}
LANGUAGE_NAMES = {"en": "English", "id": "Indonesia"}
#: ISO 639-2 → SLiMS ``language_id``.
SLIMS_LANGUAGE = {"ind": "id", "eng": "en"}


def _s(value) -> str | None:
    """A column value as mysqli's ``fetch_assoc`` returns it: a string, or None for NULL."""
    return None if value is None else str(value)


def node_info(*, node_id: str, password: str, server: str, version: int = 2) -> dict:
    """SLiMS's ``$sysconf['ucs']``: what the client sends as ``node_info``."""
    return {"enable": True, "auto_delete": False, "auto_insert": False, "serveraddr": server,
            "serverversion": version, "id": node_id, "password": password, "name": "SLiMS Library"}


def demo_rows() -> list[dict]:
    """SLiMS's 15 demo biblios, as ``ucs_upload.php`` selects them."""
    data = tables()
    authors = {row["author_id"]: row for row in data["mst_author"]}
    topics = {row["topic_id"]: row["topic"] for row in data["mst_topic"]}
    publishers = {row["publisher_id"]: row["publisher_name"] for row in data["mst_publisher"]}
    places = {row[0]: row[1] for row in data["mst_place"]}
    rows = []
    for b in data["biblio"]:
        gmd_code, gmd_name = GMD.get(b["gmd_id"], (None, None))
        rows.append({
            "biblio_id": _s(b["biblio_id"]), "title": _s(b["title"]), "spec_detail_info": None,
            "gmd_code": gmd_code, "gmd_name": gmd_name, "edition": _s(b["edition"]), "isbn_issn": _s(b["isbn_issn"]),
            "publisher_name": _s(publishers.get(b["publisher_id"])), "publish_year": _s(b["publish_year"]),
            "collation": _s(b["collation"]), "series_title": _s(b["series_title"]),
            "call_number": _s(b["call_number"]), "language_id": _s(b["language_id"]),
            "language_name": LANGUAGE_NAMES.get(b["language_id"]), "place_name": _s(places.get(b["publish_place_id"])),
            "classification": _s(b["classification"]), "notes": _s(b["notes"]), "frequency": None,
            "authors": [
                {"name": authors[link["author_id"]]["author_name"], "level": _s(link["level"]),
                 "type": authors[link["author_id"]]["authority_type"], "auth_list": None}
                for link in sorted(data["biblio_author"], key=lambda x: x["level"]) if link["biblio_id"] == b["biblio_id"]
            ],
            "subjects": [
                {"name": topics[link["topic_id"]], "level": _s(link["level"]), "type": "t", "auth_list": None}
                for link in data["biblio_topic"] if link["biblio_id"] == b["biblio_id"]
            ],
        })
    return rows


def loc_marc(count: int, *, skip: int = 0) -> list[pymarc.Record]:
    """The first ``count`` real LoC Indonesian records (after ``skip``)."""
    out = []
    with open(INDONESIA, "rb") as fh:
        for rec in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True):
            if rec is None:
                continue
            if skip:
                skip -= 1
                continue
            out.append(rec)
            if len(out) == count:
                break
    return out


def rows_from_marc(records: list[pymarc.Record], *, first_id: int = 1) -> list[dict]:
    """LoC records typed into SLiMS's biblio columns (one biblio id each, counting from ``first_id``)."""
    rows = []
    for n, marc in enumerate(records):
        r = record_from_marc(marc)
        isbn = next((f.get("a") for f in marc.get_fields("020") if f.get("a")), None)
        ddc = next((c.number for c in r.classifications if c.scheme == "ddc"), None)
        lang = SLIMS_LANGUAGE.get(r.language or "", "id")
        rows.append({
            "biblio_id": str(first_id + n), "title": r.full_title, "spec_detail_info": None,
            "gmd_code": "TE", "gmd_name": "Text", "edition": r.edition, "isbn_issn": isbn,
            "publisher_name": r.publisher, "publish_year": str(r.year) if r.year else None,
            "collation": r.extent, "series_title": r.series[0].title if r.series else None,
            "call_number": f"{ddc or '000'} {(r.authors[0] if r.authors else r.title)[:3].upper()} {r.title[:1].lower()}",
            "language_id": lang, "language_name": LANGUAGE_NAMES.get(lang), "place_name": r.place,
            "classification": ddc, "notes": None, "frequency": None,
            "authors": [{"name": a, "level": "1" if i == 0 else "2", "type": "p", "auth_list": None}
                        for i, a in enumerate(r.authors)],
            "subjects": [{"name": s, "level": "1", "type": "t", "auth_list": None} for s in r.subjects],
        })
    return rows


def php_json_encode(value) -> bytes:
    """``json_encode`` with PHP's default flags: compact, ASCII with ``\\uXXXX``, slashes escaped."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode("ascii")


def push_body(rows: list[dict], info: dict) -> bytes:
    """``{"node_info": $sysconf['ucs'], "node_data": {biblio_id: row}}`` as SLiMS encodes it."""
    return php_json_encode({"node_info": info, "node_data": {int(r["biblio_id"]): r for r in rows}})


def delete_body(biblio_ids: list[int], info: dict) -> bytes:
    """``ucs_update.php``'s delete operation: the ids comma-joined."""
    return php_json_encode({"node_info": info,
                            "node_data": {"operation": "delete", "biblio": ",".join(map(str, biblio_ids))}})


def push_path(info: dict, *, delete: bool = False) -> str:
    """The URL SLiMS posts to for its configured server version."""
    if int(info.get("serverversion") or 3) < 3:
        return info["serveraddr"] + ("/uc-ops.php" if delete else "/ucpoll.php")
    return info["serveraddr"] + "/ucs.php"


# --- transports -----------------------------------------------------------------------

def _php_hexdec(text: bytes) -> int:
    digits = "".join(ch for ch in text.decode("latin-1") if ch in string.hexdigits)
    return int(digits, 16) if digits else 0


def decode_chunked(text: bytes) -> bytes:
    """SLiMS's ``http_request::decode_chunked``, PHP semantics kept (``empty("0")``, ``trim``, ``hexdec``)."""
    result = b""
    while text not in (b"", b"0"):
        pos = text.find(b"\r\n")
        pos = 0 if pos < 0 else pos  # strpos() false used as a number
        length = _php_hexdec(text[:pos])
        result += text[pos + 2:pos + 2 + length]
        text = text[pos + 2 + length:].strip(b" \t\n\r\0\x0b")
    return result


def raw_request(url: str, body: bytes, *, referer: str = "127.0.0.1") -> bytes:
    """Send the request bytes SLiMS's socket client writes; return everything the server sent back."""
    parts = urlsplit(url)
    port = parts.port or 80
    host = parts.hostname + (f":{port}" if port != 80 else "")
    head = (f"POST {parts.path} HTTP/1.1\r\nHost: {host}\r\nReferer: {referer}\r\nContent-type: text/json\r\n"
            f"Content-length: {len(body)}\r\nAccept: */*\r\nConnection: close\r\n\r\n").encode("latin-1")
    with socket.create_connection((parts.hostname, port), timeout=60) as sock:
        sock.sendall(head + body)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def send_http_request(url: str, body: bytes) -> tuple[bytes, bytes]:
    """SLiMS's client end to end: ``(headers, body)`` with the body through ``decode_chunked``."""
    headers, _, rest = raw_request(url, body).partition(b"\r\n\r\n")
    return headers, decode_chunked(rest)


def http_reply(url: str, body: bytes) -> dict:
    """The JSON reply to SLiMS's socket request, read as a plain HTTP client reads it."""
    headers, _, rest = raw_request(url, body).partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in headers.lower():
        rest = decode_chunked(rest)
    assert headers.startswith(b"HTTP/1.1 200"), headers
    return json.loads(rest)


def guzzle_post(url: str, body: bytes) -> tuple[int, dict]:
    """Later SLiMS's Guzzle request: ``POST`` with the JSON as body and no Content-Type."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
    try:
        conn.putrequest("POST", parts.path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", parts.netloc)
        conn.putheader("User-Agent", "GuzzleHttp/7")
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()
