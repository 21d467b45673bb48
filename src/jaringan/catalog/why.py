"""Why an edition's records are one edition, as a cataloguer reads it: for each member record, the decision in
words and each comparison it rests on, field by field, the two records' values side by side.

The comparisons are those the placement rule stored when it decided (`MatchLink.comparisons`: against which
record, its score, each field's verdict and points); the values shown beside them are the two records' as they
stand now (a record changed since is compared again when it comes back, and its link with it).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jaringan.core.catalog import codec
from jaringan.core.catalog.matching import comparison
from jaringan.core.catalog.matching.decision import MATCH_THRESHOLD, VETOES
from jaringan.core.catalog.record import CanonicalRecord

from .labels import field_label, format_label, language_label, verdict_label
from .models import Edition, MatchLink, SourceRecord

#: A verdict → how its row is marked: the fields agree, nearly agree, differ, or say nothing.
TONES = {
    comparison.MATCH: "agree", comparison.SIMILAR: "agree", comparison.WEAK: "close",
    comparison.ONE_SIDED: "differ", comparison.MISMATCH: "differ", comparison.CONTRADICTED: "differ",
    comparison.MISSING: "silent",
}


def field_value(record: CanonicalRecord, field: str) -> str:
    """What a record holds of a field the matching compares, as a cataloguer writes it ("" when nothing)."""
    values = {
        "isbn": lambda r: ", ".join(r.isbns), "lccn": lambda r: r.lccn, "oclc": lambda r: ", ".join(r.oclc_numbers),
        "issn": lambda r: ", ".join(r.issns), "doi": lambda r: r.doi, "title": lambda r: r.title,
        "subtitle": lambda r: r.subtitle, "part": lambda r: r.part, "authors": lambda r: "; ".join(r.authors),
        "first author": lambda r: r.authors[0] if r.authors else "", "container": lambda r: r.container,
        "issue": lambda r: " ".join(x for x in (r.volume, f"({r.issue})" if r.issue else "") if x),
        "publisher": lambda r: r.publisher, "year": lambda r: r.year, "edition": lambda r: r.edition,
        "pages": lambda r: r.extent or (str(r.pages) if r.pages else ""),
        "format": lambda r: format_label(r.format), "language": lambda r: language_label(r.language),
    }
    read = values.get(field)
    value = read(record) if read else ""
    return "" if value in (None, "") else str(value)


def decision_sentence(link: MatchLink | None, compared: int) -> str:
    """The decision that put a record in its edition, and its score, in words."""
    if link is None or link.decided == MatchLink.Decided.NEW:
        return _("It started this edition: no record already in the catalogue was close enough.")
    if link.decided == MatchLink.Decided.STAFF:
        return _("Staff merged it into this edition; their decision holds over the catalogue's.")
    if compared > 1:
        return _("The catalogue placed it here: compared with %(n)s records of the edition, %(score)s points on "
                 "average, where %(needed)s are needed and nothing may rule it out.") % {
            "n": compared, "score": link.score, "needed": MATCH_THRESHOLD}
    return _("The catalogue placed it here: %(score)s points, where %(needed)s are needed and nothing may rule it "
             "out.") % {"score": link.score, "needed": MATCH_THRESHOLD}


def _rows(mine: CanonicalRecord, other: CanonicalRecord | None, rows) -> list[dict]:
    out = []
    for field, verdict, points in rows:
        out.append({
            "field": field_label(field), "mine": field_value(mine, field),
            "other": field_value(other, field) if other is not None else "",
            "verdict": verdict_label(verdict), "tone": "veto" if (field, verdict) in VETOES else TONES.get(verdict, ""),
            "points": points, "veto": (field, verdict) in VETOES,
        })
    return out


def edition_why(edition: Edition) -> list[dict]:
    """Each member record of the edition (withdrawn ones aside), by library name: its library, the decision in
    words, and each comparison it rests on, with both records' values side by side and its total."""
    members = list(SourceRecord.objects.filter(edition=edition, withdrawn=False).select_related("library", "link")
                   .order_by("library__name"))
    compared_ids = {entry.get("with") for r in members if getattr(r, "link", None)
                    for entry in r.link.comparisons or () if isinstance(entry, dict)}
    others = {r.pk: r for r in members}
    missing = compared_ids - set(others) - {None}
    others.update((r.pk, r) for r in SourceRecord.objects.filter(pk__in=missing).select_related("library"))
    canonical = {pk: codec.from_data(r.data) for pk, r in others.items()}
    out = []
    for record in members:
        link = getattr(record, "link", None)
        entries = [e for e in (link.comparisons if link else None) or () if isinstance(e, dict)]
        comparisons = []
        for entry in entries:
            other = others.get(entry.get("with"))
            rows = _rows(canonical[record.pk], canonical.get(entry.get("with")), entry.get("comparisons") or [])
            comparisons.append({"other": other, "rows": [r for r in rows if r["tone"] != "silent"],
                                "silent": [r["field"] for r in rows if r["tone"] == "silent"],
                                "total": sum(r["points"] for r in rows),
                                "score": entry.get("score"), "agree": sum(r["tone"] == "agree" for r in rows),
                                "differ": sum(r["tone"] in ("differ", "veto") for r in rows)})
        out.append({"record": record, "library": record.library, "link": link, "comparisons": comparisons,
                    "sentence": decision_sentence(link, len(comparisons))})
    return out
