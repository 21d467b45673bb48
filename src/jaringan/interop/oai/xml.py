"""The text of OAI-PMH 2.0 responses, written piece by piece so that long lists can stream.

Every piece is UTF-8 bytes; values are escaped here, metadata elements are
serialised by lxml with their own namespaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .protocol import format_datestamp

__all__ = ["OAI_NS", "close", "element", "error", "header", "open_response", "record", "resumption_token"]

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"


def open_response(*, response_date: datetime, base_url: str, request: Mapping[str, str] | None) -> bytes:
    """The XML declaration, the root, ``responseDate`` and ``request``.

    ``request`` holds the request's arguments (verb included); None for a
    badVerb or badArgument error, whose ``request`` element has no attributes.
    """
    attributes = "".join(f" {name}={quoteattr(value)}" for name, value in (request or {}).items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">'
        f"<responseDate>{format_datestamp(response_date)}</responseDate>"
        f"<request{attributes}>{escape(base_url)}</request>"
    ).encode()


def close() -> bytes:
    return b"</OAI-PMH>"


def element(name: str, text: str | None = None, **attributes: str) -> str:
    """``<name attr="...">text</name>`` with both escaped (``<name/>`` when empty)."""
    attrs = "".join(f" {key}={quoteattr(str(value))}" for key, value in attributes.items() if value is not None)
    if text is None or text == "":
        return f"<{name}{attrs}/>"
    return f"<{name}{attrs}>{escape(text)}</{name}>"


def error(code: str, message: str) -> bytes:
    return element("error", message, code=code).encode()


def header(*, identifier: str, datestamp: datetime, set_specs: Iterable[str] = (), deleted: bool = False) -> str:
    parts = [element("identifier", identifier), element("datestamp", format_datestamp(datestamp))]
    parts += [element("setSpec", spec) for spec in set_specs]
    status = ' status="deleted"' if deleted else ""
    return f"<header{status}>{''.join(parts)}</header>"


def record(header_text: str, metadata: etree._Element | None) -> bytes:
    """A ``record``: its header and, unless it is deleted, its metadata."""
    if metadata is None:
        return f"<record>{header_text}</record>".encode()
    body = etree.tostring(metadata, encoding="unicode")
    return f"<record>{header_text}<metadata>{body}</metadata></record>".encode()


def resumption_token(token: str | None, *, complete_list_size: int, cursor: int) -> bytes:
    """The token element; an empty one (``token`` None) ends a list that was resumed."""
    return element("resumptionToken", token, completeListSize=str(complete_list_size), cursor=str(cursor)).encode()
