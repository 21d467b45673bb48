"""Citation formats: RIS, BibTeX, CSL-JSON, and a formatted reference (citeproc-py).

Names follow what reference managers and citeproc expect of Indonesian
catalogues: an inverted heading "Toer, Pramoedya Ananta" is family + given; a
single name ("Sulistyo-Basuki") is a family name with no given name; a body
("Indonesia. Badan Pusat Statistik") or a name typed uninverted is kept whole
(CSL ``literal``, a braced BibTeX name) so no style turns it into initials.
"""

from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from pathlib import Path

from ..record import CanonicalRecord
from .common import is_corporate, language_tag, part_of, safe_text, split_name

__all__ = [
    "CITATION_STYLES",
    "DEFAULT_STYLE",
    "formatted_citation",
    "to_bibtex",
    "to_csl",
    "to_ris",
]

RIS_TYPES = {"book": "BOOK", "thesis": "THES", "serial": "JFULL", "article": "JOUR", "map": "MAP",
             "music": "MUSIC", "video": "VIDEO", "other": "GEN"}
RIS_CARRIER_TYPES = {"sound": "SOUND"}
RIS_END = "\r\n"
BIBTEX_TYPES = {"book": "book", "thesis": "phdthesis", "article": "article"}
BIBTEX_FALLBACK_TYPE = "misc"
CSL_TYPES = {"book": "book", "thesis": "thesis", "serial": "periodical", "article": "article-journal",
             "map": "map", "music": "musical_score", "video": "motion_picture", "other": "document"}
CSL_CARRIER_TYPES = {"sound": "song"}
#: Styles citeproc-py ships (its ``data/styles``); "apa" is not among them and falls back to
#: the shipped author-date style nearest to it.
DEFAULT_STYLE = "harvard-cite-them-right"
STYLE_FALLBACKS = {"apa": DEFAULT_STYLE, "harvard": DEFAULT_STYLE, "harvard1": DEFAULT_STYLE}
DEFAULT_LOCALE = "en-US"

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.\-]+")
_AND = re.compile(r"\band\b", re.IGNORECASE)
_lock = threading.Lock()


def _styles_folder() -> Path:
    import citeproc

    return Path(citeproc.__file__).parent / "data" / "styles"


#: The names of the CSL styles available without any download.
CITATION_STYLES = tuple(sorted(p.stem for p in _styles_folder().glob("*.csl")))


def _full_title(record: CanonicalRecord, separator: str = ": ") -> str:
    title = separator.join(p for p in (safe_text(record.title), safe_text(record.subtitle)) if p)
    part = safe_text(record.part)
    return f"{title}. {part}" if part else title


def _series_statement(record: CanonicalRecord) -> str | None:
    if not record.series:
        return None
    series = record.series[0]
    title, number = safe_text(series.title), safe_text(series.numbering)
    return f"{title} ; {number}" if number else title or None


def to_ris(record: CanonicalRecord, *, url: str | None = None) -> str:
    """One RIS reference (``TY`` … ``ER``), lines ended with CR LF as the RIS specification says."""
    ris_type = RIS_CARRIER_TYPES.get(record.carrier or "") if record.format in ("music", "other") else None
    lines: list[tuple[str, object]] = [("TY", ris_type or RIS_TYPES.get(record.format, "GEN"))]
    lines += [("AU", a) for a in record.authors]
    lines.append(("TI", _full_title(record)))
    host = part_of(record)
    lines.append(("T2", host.get("container")))
    lines.append(("T3", _series_statement(record)))
    lines.append(("VL", host.get("volume")))
    lines.append(("IS", host.get("issue")))
    lines.append(("PY", record.year))
    lines.append(("ET", record.edition))
    lines.append(("CY", record.place))
    lines.append(("PB", record.publisher))
    if record.pages and record.format in ("book", "thesis"):
        lines.append(("SP", record.pages))
    lines += [("SN", value) for value in (*record.isbns, *record.issns)]
    if record.format == "article" and record.extent:
        first, _, last = safe_text(record.extent).partition("-")
        lines += [("SP", first), ("EP", last)]
    lines.append(("DO", host.get("doi")))
    lines.append(("LA", record.language))
    lines += [("KW", s) for s in record.subjects]
    lines.append(("UR", url))
    out = [f"{tag}  - {safe_text(value)}" for tag, value in lines if safe_text(value)]
    out.append("ER  - ")
    return RIS_END.join(out) + RIS_END


def bibtex_escape(text: object) -> str:
    """``text`` with BibTeX's special characters escaped (UTF-8 letters stay as they are)."""
    return "".join(_BIBTEX_SPECIALS.get(ch, ch) for ch in safe_text(text))


def _bibtex_name(name: str) -> str:
    family, given = split_name(name)
    if given is not None and not is_corporate(name) and not _AND.search(name):
        return f"{bibtex_escape(family)}, {bibtex_escape(given)}"
    return "{" + bibtex_escape(name) + "}"


def to_bibtex(record: CanonicalRecord, *, key: str, url: str | None = None) -> str:
    """One BibTeX entry: ``@book``, ``@phdthesis``, ``@article`` or ``@misc`` by format."""
    entry_type = BIBTEX_TYPES.get(record.format, BIBTEX_FALLBACK_TYPE)
    series = record.series[0] if record.series else None
    fields: list[tuple[str, str | None]] = []
    names = [safe_text(a) for a in record.authors if safe_text(a)]
    if names:
        fields.append(("author", " and ".join(_bibtex_name(n) for n in names)))
    fields.append(("title", bibtex_escape(_full_title(record))))
    host = part_of(record)
    if entry_type == "article" and (host.get("container") or series):
        fields.append(("journal", bibtex_escape(host.get("container") or series.title)))
        fields.append(("volume", bibtex_escape(host.get("volume"))))
        fields.append(("number", bibtex_escape(host.get("issue"))))
        fields.append(("pages", bibtex_escape(record.extent).replace("-", "--") if record.extent else None))
    elif series:
        fields.append(("series", bibtex_escape(series.title)))
        fields.append(("number", bibtex_escape(series.numbering)))
    fields.append(("school" if entry_type == "phdthesis" else "publisher", bibtex_escape(record.publisher)))
    fields.append(("address", bibtex_escape(record.place)))
    fields.append(("edition", bibtex_escape(record.edition)))
    fields.append(("year", str(record.year) if record.year else None))
    if entry_type == BIBTEX_FALLBACK_TYPE and record.extent:
        fields.append(("howpublished", bibtex_escape(record.extent)))
    fields.append(("isbn", ", ".join(record.isbns) or None))
    fields.append(("issn", ", ".join(record.issns) or None))
    fields.append(("language", record.language))
    fields.append(("doi", bibtex_escape(host.get("doi"))))
    fields.append(("url", bibtex_escape(url) if url else None))
    safe_key = _BIBTEX_KEY_UNSAFE.sub("_", key).strip("_") or "record"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{entry_type}{{{safe_key},\n{body}\n}}\n"


def _csl_name(name: str) -> dict[str, str]:
    family, given = split_name(name)
    if is_corporate(name):
        return {"literal": name}
    if given is not None:
        return {"family": family, "given": given}
    if " " not in name:
        return {"family": name}
    return {"literal": name}


def to_csl(record: CanonicalRecord, *, id: str, url: str | None = None) -> dict:  # noqa: A002 - CSL's own name
    """The record as one CSL-JSON item (the input of citeproc and of reference managers)."""
    csl_type = CSL_CARRIER_TYPES.get(record.carrier or "") if record.format in ("music", "other") else None
    item: dict = {"id": str(id), "type": csl_type or CSL_TYPES.get(record.format, "document"),
                  "title": _full_title(record)}
    authors = [_csl_name(a) for a in (safe_text(a) for a in record.authors) if a]
    if authors:
        item["author"] = authors
    if record.year:
        item["issued"] = {"date-parts": [[record.year]]}
    optional = {
        "publisher": record.publisher, "publisher-place": record.place, "edition": record.edition,
        "ISBN": record.isbns[0] if record.isbns else None, "ISSN": record.issns[0] if record.issns else None,
        "number-of-pages": str(record.pages) if record.pages else None, "language": language_tag(record.language),
        "URL": url, "genre": "Thesis" if record.format == "thesis" else None,
    }
    if record.series:
        optional["collection-title"] = record.series[0].title
        optional["collection-number"] = record.series[0].numbering
    host = part_of(record)
    if host.get("container") or (record.format == "article" and record.series):
        optional["container-title"] = host.get("container") or record.series[0].title
    optional.update({"volume": host.get("volume"), "issue": host.get("issue"), "DOI": host.get("doi")})
    if record.format == "article":
        optional["page"] = record.extent
        optional["number-of-pages"] = None
    for name, value in optional.items():
        text = safe_text(value)
        if text:
            item[name] = text
    return item


@lru_cache(maxsize=8)
def _style(name: str, locale: str):
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(_styles_folder() / f"{name}.csl"), locale=locale, validate=False)


def formatted_citation(record: CanonicalRecord, style: str = "apa", *, locale: str = DEFAULT_LOCALE,
                       url: str | None = None) -> str:
    """A plain-text reference in ``style`` (any of ``CITATION_STYLES``; "apa" → the Harvard style shipped).

    ``locale`` is a CSL locale ("en-US", "id-ID").  Unknown styles fall back to
    ``DEFAULT_STYLE``.
    """
    name = style if style in CITATION_STYLES else STYLE_FALLBACKS.get(style, DEFAULT_STYLE)
    return _formatted(name, locale, json.dumps(to_csl(record, id="item", url=url), sort_keys=True))


#: References kept by their style, locale and CSL item: an edition's page is asked for again and again,
#: and citeproc-py takes about a fifth of the page's time to write one.
CITATIONS_KEPT = 2048


@lru_cache(maxsize=CITATIONS_KEPT)
def _formatted(name: str, locale: str, item: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON([json.loads(item)])
    with _lock:  # citeproc-py keeps state on the style while rendering
        bibliography = CitationStylesBibliography(_style(name, locale), source, formatter.plain)
        bibliography.register(Citation([CitationItem("item")]))
        entries = [str(entry) for entry in bibliography.bibliography()]
    return re.sub(r"\s+", " ", " ".join(entries)).strip()
