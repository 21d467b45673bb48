"""Bibliographies out: references in real CSL styles (citeproc-py) and whole-list files.

::

    from jaringan.core.citations import Entry, STYLES, render_entry, writers
    items = writers.csl_items(entries)
    html = render_entry(items[0], "apa", "id-ID")      # one reference, HTML fragment
    writers.bibtex(entries); writers.ris(entries); writers.csl_json(entries)
    writers.marc21(entries).data; writers.marcxml(entries)

Modules:

* ``styles``  — the CSL files shipped (APA 7th, Chicago author-date, IEEE, ITB) and the locales
* ``render``  — one entry in a style, through citeproc-py; a stable key to keep the result by
* ``lookups`` — what citeproc-py looks up in a style again and again (macros, terms), kept once a style
* ``walk``    — citeproc-py's walk of a style with each element's children, affixes and steps kept
* ``originals`` — citeproc-py's own methods, put back when the kept lookups are switched off
* ``conditions`` — which branch of a ``cs:choose`` holds, kept for each kind of reference
* ``writers`` — BibTeX, RIS, CSL-JSON, MARC 21, MARCXML, plain text, reusing ``core.catalog.export``
"""

from . import writers
from .render import html_to_text, item_key, render_entries, render_entry
from .styles import DEFAULT_LOCALE, DEFAULT_STYLE, LOCALES, STYLES, Style, UnknownStyle, csl_locale, style_for
from .writers import Entry, MarcFile

__all__ = [
    "DEFAULT_LOCALE",
    "DEFAULT_STYLE",
    "Entry",
    "LOCALES",
    "MarcFile",
    "STYLES",
    "Style",
    "UnknownStyle",
    "csl_locale",
    "html_to_text",
    "item_key",
    "render_entries",
    "render_entry",
    "style_for",
    "writers",
]
