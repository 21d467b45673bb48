"""SLiMS Union Catalog Server push: the JSON body SLiMS's client POSTs, up to 50 records.

::

    {"node_info": {"id": ..., "password": ..., "name": ..., ...},
     "node_data": {"<biblio_id>": {"biblio_id", "title", "edition", "isbn_issn", "publisher_name",
                   "publish_year", "collation", "series_title", "call_number",
                   "language_id", "language_name", "place_name", "classification", "notes",
                   "gmd_code", "gmd_name", "frequency", "spec_detail_info",
                   "authors": [{"name", "level", "type", "auth_list"}],
                   "subjects": [{"name", "level", "type", "auth_list"}]}}}

That is what SLiMS's ``ucs_upload.php`` sends (its SQL joins ``gmd_code``,
``gmd_name``, ``language_id`` and ``language_name``; older notes call them
``gmd`` and ``language``, and both spellings are read).  Its "delete from the
union catalogue" action (``ucs_update.php``) sends instead
``"node_data": {"operation": "delete", "biblio": "12,13"}`` (the ids as a
comma-separated string, one number, or a list): every id becomes a deleted
item.  Any other ``operation`` is refused.

Mapping: ``biblio_id`` (the key, or a ``biblio_id`` member when PHP sent a
list) → ``source_id``; ``title`` "Title : subtitle" is split as Dublin Core
titles are; ``isbn_issn`` (one column for both in SLiMS) → an ISBN when it
has a valid ISBN checksum, else an ISSN when it is eight characters with a
valid ISSN checksum, else an invalid ISBN; ``collation`` → extent and pages;
the GMD (General Material Designation: ``gmd_name``, ``gmd`` or the code
``gmd_code``) → format and carrier, a non-empty ``frequency`` making a text a
serial; the language from ``language``, ``language_id`` ("id", "en") or
``language_name`` ("Indonesia"); ``authors`` in ``level`` order (1 is the
main author); ``subjects`` as strings or objects (``name`` or ``topic``);
``classification`` as in CSV (DDC "005.13/3 22" → 005.133); ``call_number``
→ one holding.  ``notes`` is not kept.

``raw`` is a push body of that one record without ``node_info`` (so no
password), ``{"node_data": {"<biblio_id>": {...}}}``: this reader reads it
again, which is how a quarantined record is tried again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..cleaning import clean, clean_name, clean_place, clean_publisher, year_from_text
from ..dublin_core import LANGUAGES, SUBTITLE_SEPARATOR
from ..identifiers import normalise_issn, parse_isbn
from ..record import CanonicalRecord, Holding, Series, pages_from_extent
from .csvfile import guess_classification
from .errors import NotSlimsPush
from .item import SourceItem

__all__ = ["MAX_PUSH_BYTES", "parse_push", "push_operation", "read_slims_push", "record_from_slims"]

FORMAT = "slims"
MAX_PUSH_BYTES = 20_000_000
ISSN_LENGTH = 8
#: SLiMS GMD names (``mst_gmd``) → (format, carrier); anything else is "other".
GMD_FORMATS = {
    "text": ("book", "text"), "teks": ("book", "text"), "manuscript": ("book", "text"),
    "naskah": ("book", "text"), "braille": ("book", "text"),
    "map": ("map", "map"), "peta": ("map", "map"), "globe": ("map", "map"),
    "cartographic material": ("map", "map"), "atlas": ("map", "map"),
    "music": ("music", "score"), "musik": ("music", "score"), "sound recording": ("music", "sound"),
    "rekaman suara": ("music", "sound"),
    "video recording": ("video", "projected"), "motion picture": ("video", "projected"),
    "film": ("video", "projected"), "dvd": ("video", "projected"), "video": ("video", "projected"),
    "computer software": ("other", "computer"), "computer file": ("other", "computer"),
    "cd-rom": ("other", "computer"), "electronic resource": ("other", "computer"),
    "picture": ("other", "image"), "chart": ("other", "image"), "kit": ("other", "kit"),
    "realia": ("other", "object"), "model": ("other", "object"), "microform": ("other", "microform"),
}
#: SLiMS's default ``mst_gmd`` codes → GMD names (when a push carries the code only).
GMD_CODES = {
    "te": "text", "ma": "map", "ca": "cartographic material", "gl": "globe", "mn": "manuscript",
    "mu": "music", "so": "sound recording", "vi": "video recording", "mp": "motion picture", "dv": "dvd",
    "cf": "computer file", "co": "computer software", "cd": "cd-rom", "er": "electronic resource",
    "pi": "picture", "ch": "chart", "ki": "kit", "re": "realia", "mo": "model", "mi": "microform",
}
NO_FREQUENCY = frozenset({"", "0", "none", "-"})
#: The one ``node_data.operation`` SLiMS sends (``ucs_update.php``); a push without it uploads records.
DELETE = "delete"
UPLOAD = "upload"


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return clean(str(value))


def _split_title(text: str) -> tuple[str, str | None]:
    parts = SUBTITLE_SEPARATOR.split(text, maxsplit=1)
    if len(parts) == 2 and clean(parts[0]) and clean(parts[1]):
        return clean(parts[0]), clean(parts[1])
    return text, None


def _gmd(data: dict) -> str:
    """The GMD name in lower case ("text" when the push names none)."""
    for key in ("gmd", "gmd_name"):
        name = _text(data.get(key))
        if name:
            return name.lower()
    code = (_text(data.get("gmd_code")) or "").lower()
    return GMD_CODES.get(code, code) or "text"


def _language(data: dict) -> str | None:
    """ISO 639-2 code from ``language``, ``language_id`` ("id", "en") or ``language_name``."""
    for key in ("language", "language_id", "language_name"):
        text = (_text(data.get(key)) or "").lower()
        code = LANGUAGES.get(text) or (text if len(text) == 3 and text.isalpha() else None)
        if code:
            return code
    return None


def _identifiers(value: str | None) -> dict:
    found: dict = {"isbns": (), "invalid_isbns": (), "issns": ()}
    if not value:
        return found
    parsed = parse_isbn(value)
    if parsed and parsed.isbn13:
        found["isbns"] = (parsed.isbn13,)
        return found
    compact = "".join(ch for ch in value if ch.isalnum())
    issn = normalise_issn(value) if len(compact) == ISSN_LENGTH else None
    if issn:
        found["issns"] = (issn,)
    elif any(ch.isdigit() for ch in value):
        found["invalid_isbns"] = (value,)
    return found


def _authors(authors: Any) -> tuple[str, ...]:
    if not isinstance(authors, list):
        return ()
    ranked: list[tuple[int, str]] = []
    for author in authors:
        if isinstance(author, dict):
            name = clean_name(_text(author.get("name") or author.get("author_name")))
            try:
                level = int(author.get("level") or 9)
            except (TypeError, ValueError):
                level = 9
        else:
            name, level = clean_name(_text(author)), 9
        if name:
            ranked.append((level, name))
    ranked.sort(key=lambda pair: pair[0])  # stable: same level keeps SLiMS's order
    return tuple(dict.fromkeys(name for _, name in ranked))


def _subjects(subjects: Any) -> tuple[str, ...]:
    if not isinstance(subjects, list):
        return ()
    found = []
    for subject in subjects:
        text = _text(subject.get("topic") or subject.get("name")) if isinstance(subject, dict) else _text(subject)
        if text:
            found.append(text)
    return tuple(dict.fromkeys(found))


def record_from_slims(data: dict, *, source_id: str | None = None, library: str | None = None) -> CanonicalRecord | None:
    """The canonical form of one ``node_data`` entry, or None when it has no title."""
    title_text = _text(data.get("title"))
    if not title_text:
        return None
    title, subtitle = _split_title(title_text)
    extent = _text(data.get("collation"))
    gmd = _gmd(data)
    fmt, carrier = GMD_FORMATS.get(gmd, ("other", None))
    if fmt == "book" and (_text(data.get("frequency")) or "").lower() not in NO_FREQUENCY:
        fmt = "serial"
    series = _text(data.get("series_title"))
    call_number = _text(data.get("call_number"))
    return CanonicalRecord(
        title=title,
        subtitle=subtitle,
        source_id=source_id,
        library=library,
        authors=_authors(data.get("authors")),
        publisher=clean_publisher(_text(data.get("publisher_name"))),
        place=clean_place(_text(data.get("place_name"))),
        year=year_from_text(_text(data.get("publish_year"))),
        edition=_text(data.get("edition")),
        extent=extent,
        pages=pages_from_extent(extent),
        language=_language(data),
        subjects=_subjects(data.get("subjects")),
        series=(Series(title=series),) if series else (),
        classifications=guess_classification(_text(data.get("classification"))),
        format=fmt,
        carrier=carrier,
        holdings=(Holding(call_number=call_number),) if call_number else (),
        **_identifiers(_text(data.get("isbn_issn"))),
    )


def _entries(node_data: Any) -> list[tuple[str | None, Any]]:
    if isinstance(node_data, dict):
        return [(str(key), value) for key, value in node_data.items()]
    return [(_text(v.get("biblio_id")) if isinstance(v, dict) else None, v) for v in node_data]


def _raw(biblio_id: str | None, data: Any) -> bytes:
    """The one-record push body kept as the item's ``raw`` (readable again by this module)."""
    node_data = {biblio_id: data} if biblio_id is not None else [data]
    return json.dumps({"node_data": node_data}, ensure_ascii=False).encode("utf-8")


def _items(entries: list[tuple[str | None, Any]]) -> Iterator[SourceItem]:
    for position, (biblio_id, data) in enumerate(entries, start=1):
        raw = _raw(biblio_id, data)
        if not isinstance(data, dict):
            yield SourceItem(position, None, biblio_id, FORMAT, raw, None,
                             f"biblio {biblio_id} is not a JSON object of fields")
            continue
        record = record_from_slims(data, source_id=biblio_id)
        if record is None:
            yield SourceItem(position, None, biblio_id, FORMAT, raw, None, "no title (the 'title' field is empty)")
            continue
        yield SourceItem(position, None, biblio_id, FORMAT, raw, record)


def _deleted_ids(value: Any) -> list[str]:
    """The biblio ids of a delete operation: "12,13", 12 or [12, "13"]."""
    parts = value if isinstance(value, list) else str(value if value is not None else "").split(",")
    ids = (_text(part) for part in parts if not isinstance(part, (dict, list)))
    return list(dict.fromkeys(i for i in ids if i))


def _deletions(ids: list[str]) -> Iterator[SourceItem]:
    for position, biblio_id in enumerate(ids, start=1):
        raw = json.dumps({"node_data": {"operation": DELETE, "biblio": biblio_id}}).encode("utf-8")
        yield SourceItem(position, None, biblio_id, FORMAT, raw, None, deleted=True)


def push_operation(push: dict) -> str:
    """``"delete"`` for SLiMS's delete operation, ``"upload"`` for a push of records."""
    node_data = push.get("node_data")
    return DELETE if isinstance(node_data, dict) and node_data.get("operation") == DELETE else UPLOAD


def parse_push(body: bytes | str | dict) -> dict:
    """The decoded push body, checked for shape (``node_data`` an object or list).

    Raises :class:`NotSlimsPush` when the body is too large, not JSON, has no
    ``node_data``, or names an operation other than ``delete``.
    """
    if isinstance(body, (bytes, str)):
        if len(body) > MAX_PUSH_BYTES:
            raise NotSlimsPush(f"the push body of {len(body):,} bytes is larger than {MAX_PUSH_BYTES:,}")
        try:
            body = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise NotSlimsPush(f"the push body is not JSON: {error}") from error
    if not isinstance(body, dict) or not isinstance(body.get("node_data"), (dict, list)):
        raise NotSlimsPush("the push body has no node_data object with the records")
    operation = body["node_data"].get("operation") if isinstance(body["node_data"], dict) else None
    if isinstance(operation, str) and operation != DELETE:
        raise NotSlimsPush(f"the operation {operation!r} is not known (only {DELETE!r} is)")
    return body


def read_slims_push(body: bytes | str | dict) -> tuple[dict, Iterator[SourceItem]]:
    """``(node_info, items)`` of a push body (bytes as POSTed, or the decoded JSON).

    ``node_info`` is returned as sent, password included, for the caller to
    authenticate the node; the items never carry it.  A delete operation
    yields one deleted item (``record`` None, ``deleted`` True) per biblio id.
    Raises :class:`NotSlimsPush` as :func:`parse_push` does.
    """
    body = parse_push(body)
    node_info = body.get("node_info") if isinstance(body.get("node_info"), dict) else {}
    if push_operation(body) == DELETE:
        return node_info, _deletions(_deleted_ids(body["node_data"].get("biblio")))
    return node_info, _items(_entries(body["node_data"]))
