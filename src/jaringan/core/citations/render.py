"""References in a citation style, through citeproc-py, one entry at a time.

A compiled bibliography keeps its compiler's order, so each entry is rendered
on its own (the style's own sorting and its "2020a/2020b" disambiguation
across entries are not applied) and the result can be kept: a rendered entry
depends only on its CSL-JSON item, the style and the locale, which is what
:func:`item_key` hashes. citeproc-py takes 4 to 35 ms an entry depending on
the style (about 1 ms once ``lookups``, ``walk`` and ``conditions`` keep what it asks again), so
callers keep the results (see the bibliographies app). With the kept lookups, the reference and the
cited item are handed to citeproc-py with their values as plain attributes (``walk.cited``).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from .lookups import keep_style_lookups, lookups_kept
from .styles import style_for

__all__ = ["html_to_text", "item_key", "render_entry", "render_entries"]

#: The label a numeric style gives the only entry of a one-entry bibliography ("[1]", "1.").
_NUMERIC_LABEL = re.compile(r"^\s*(?:\[1\]|1\.)\s*")
_TAG = re.compile(r"<[^>]+>")
#: The tags citeproc-py's HTML formatter writes: kept; anything else in its output is text.
_FORMATTING_TAG = re.compile(r'(</?(?:i|b|u|sup|sub)>|<span style="font-variant:small-caps;">|</span>)')
_SMALL_CAPS = {'<span style="font-variant:small-caps;">': '<span class="small-caps">'}
#: "<" and ">" of a record's text stand in the private use area while citeproc-py works.
_GUARD = str.maketrans({"<": "\ue000", ">": "\ue001"})
_UNGUARD = str.maketrans({"\ue000": "<", "\ue001": ">"})
_SPACES = re.compile(r"\s+")
#: citeproc-py keeps state on a style object while rendering: one render at a time per process.
_lock = threading.Lock()
#: CSL name variables a style may put first; with none of them it puts the title there.
_NAME_ROLES = ("author", "editor", "translator", "composer", "director", "collection-editor")


def item_key(item: dict) -> str:
    """A stable hash of a CSL-JSON item without its ``id`` (the same record in two lists shares it)."""
    body = {k: v for k, v in item.items() if k != "id"}
    return hashlib.sha1(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@lru_cache(maxsize=16)
def _style(key: str, locale: str):
    from citeproc import CitationStylesStyle

    keep_style_lookups()
    return CitationStylesStyle(str(style_for(key).path), locale=locale, validate=False)


def render_entry(item: dict, style: str, locale: str) -> str:
    """One reference as an HTML fragment (text escaped; only ``<i>``, ``<b>`` and the like), no label."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    from . import walk

    guarded = _guarded(dict(item, id="item"))
    with _lock:
        source = CiteProcJSON([guarded])
        bibliography = CitationStylesBibliography(_style(style, locale), source, formatter.html)
        if lookups_kept():
            citation = walk.cited(source, "item", Citation)
        else:
            citation = Citation([CitationItem("item")])
        bibliography.register(citation)
        text = " ".join(str(entry) for entry in bibliography.bibliography())
    text = _clean(_SPACES.sub(" ", text).strip())
    if not any(item.get(role) for role in _NAME_ROLES) and item.get("title"):
        text = _drop_repeated_title(text, item["title"])
    if style_for(style).numeric:
        text = _NUMERIC_LABEL.sub("", text)
    return text


def _guarded(value):
    """``value`` with every "<" and ">" of the record's text turned into characters no tag is made of."""
    if isinstance(value, str):
        return value.translate(_GUARD)
    if isinstance(value, list):
        return [_guarded(v) for v in value]
    if isinstance(value, dict):
        return {k: _guarded(v) for k, v in value.items()}
    return value


def _clean(text: str) -> str:
    """citeproc-py's HTML with the record's own text escaped.

    citeproc-py 0.11 escapes a style's literal text but writes the record's
    variables as they are ("<script>" would reach the page), so everything
    between the tags its formatter makes is escaped here, once.
    """
    parts = _FORMATTING_TAG.split(text)
    out = []
    for n, part in enumerate(parts):
        if n % 2:
            out.append(_SMALL_CAPS.get(part, part))
        else:
            plain = html.unescape(part).translate(_UNGUARD)
            out.append(html.escape(plain, quote=False))
    return "".join(out)


def _drop_repeated_title(text: str, title: str) -> str:
    """The reference without the second copy of its title.

    A style puts the title in the author's place when there is no author, and
    CSL says the substituted variable is then left out of the rest of the
    reference; citeproc-py 0.11 writes it twice ("*Pada maca*. (1994). *Pada
    maca*. Pabelan."). Matched without regard to case (Chicago capitalises it).
    """
    escaped = re.escape(html.escape(title, quote=False))
    copy = re.compile(rf"(?:<i>|\u201c|\")?{escaped}(?:</i>|\u201d|\")?[.,:;]?\s*", re.IGNORECASE)
    first = copy.search(text)
    if first is None:
        return text
    return text[:first.end()] + copy.sub("", text[first.end():], count=1)


def render_entries(items: Iterable[dict], style: str, locale: str) -> list[str]:
    """:func:`render_entry` of each item, in order."""
    return [render_entry(item, style, locale) for item in items]


def html_to_text(fragment: str) -> str:
    """A rendered reference as plain text (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", fragment))
