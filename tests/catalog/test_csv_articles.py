"""Two libraries send CSV citation lists of articles; the same articles merge into one edition each.

The titles and authors are real (the LoC Indonesian records); the venues are
real serials of the Koha and Evergreen samples, written in full (MARC 222,
key title) by one library and abbreviated (MARC 210) by the other.
"""

from __future__ import annotations

import csv
import io

import pymarc
import pytest

from jaringan.catalog.pipeline import import_file
from jaringan.catalog.models import Edition, SourceRecord
from jaringan.network.models import Library
from tests.paths import FIXTURES

from .slims_ucs import loc_marc

pytestmark = pytest.mark.django_db

COLUMNS = ["ID", "Title", "Authors", "Venue", "Year", "Volume", "Issue", "Pages", "DOI"]
ARTICLES = 12


def venues() -> list[tuple[str, str]]:
    """(key title, abbreviated key title) of the sample serials that have both."""
    found = []
    for path in ("koha_misc4dev/koha_sample_bibs.marcxml", "evergreen/concerto_enhanced/concerto_bibs.marcxml"):
        for marc in pymarc.parse_xml_to_array(str(FIXTURES / path)):
            full, short = marc.get_fields("222"), marc.get_fields("210")
            if full and short and full[0].value().lower() != short[0].value().lower():
                found.append((full[0].value(), short[0].value()))
    return found


def initials(name: str) -> str:
    surname, comma, given = name.partition(",")
    parts = [w for w in given.split() if w[:1].isalpha()]
    return f"{surname}, {' '.join(w[0] + '.' for w in parts)}" if comma and parts else name


def citation_lists() -> tuple[bytes, bytes, list[dict]]:
    """Library A's and library B's CSV files, and A's rows."""
    from jaringan.core.catalog.marc import record_from_marc

    pool = venues()
    records = [r for r in (record_from_marc(m) for m in loc_marc(60)) if r.authors and r.year][:ARTICLES]
    rows_a, rows_b = [], []
    for n, record in enumerate(records):
        full, short = pool[n % len(pool)]
        start = 10 + 17 * n
        row = {"ID": n + 1, "Title": record.full_title, "Authors": "; ".join(record.authors), "Venue": full,
               "Year": record.year, "Volume": 20 + n % 3, "Issue": 1 + n % 4, "Pages": f"{start}-{start + 12}",
               "DOI": f"https://doi.org/10.5555/JARINGAN.{record.year}.{n:03d}" if n % 2 else ""}
        rows_a.append(row)
        authors = [initials(a) for a in record.authors]
        rows_b.append({**row, "ID": 100 + n, "Title": record.full_title.upper() if n % 3 == 0 else record.full_title,
                       "Authors": authors[0] + (" et al." if len(authors) > 1 else ""), "Venue": short,
                       "Pages": f"pp. {start}-{start + 12}", "DOI": row["DOI"].replace("https://doi.org/", "doi:")})
    # B also lists the conference version of A's first article (another venue) and an editorial of another issue.
    rows_b.append({**rows_a[0], "ID": 200, "Venue": pool[-1][0], "Volume": 3, "Issue": 1, "DOI": ""})
    rows_a.append({"ID": 300, "Title": "Editorial", "Authors": rows_a[1]["Authors"].split(";")[0],
                   "Venue": rows_a[1]["Venue"], "Year": rows_a[1]["Year"], "Volume": 21, "Issue": 1, "Pages": "1-2"})
    rows_b.append({**rows_a[-1], "ID": 301, "Issue": 2})
    files = []
    for rows in (rows_a, rows_b):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        files.append(out.getvalue().encode("utf-8"))
    return files[0], files[1], rows_a


def test_two_libraries_citation_lists_merge_article_by_article(demo_network, principal):
    file_a, file_b, rows_a = citation_lists()
    for code, user, data, name in (("UI", "koordinator.fppti", file_a, "sitasi-ui.csv"),
                                   ("UNPATTI", "staf.unpatti", file_b, "sitasi-unpatti.csv")):
        batch = import_file(actor=principal(user), library=Library.objects.get(code=code),
                            stream=io.BytesIO(data), name=name, format="csv")
        assert (batch.read, batch.created, batch.quarantined) == (ARTICLES + 1 + (code == "UNPATTI"),) * 2 + (0,)
    ui = {r.source_id: r for r in SourceRecord.objects.filter(library__code="UI")}
    unpatti = {r.source_id: r for r in SourceRecord.objects.filter(library__code="UNPATTI")}
    assert all(r.data["format"] == "article" and r.data["container"] for r in ui.values())
    for n in range(ARTICLES):
        a, b = ui[str(n + 1)], unpatti[str(100 + n)]
        assert a.edition_id == b.edition_id, (a.data, b.data)
    # The conference version and the editorial of another issue are editions of their own.
    assert unpatti["200"].edition_id not in {r.edition_id for r in ui.values()}
    assert unpatti["301"].edition_id != ui["300"].edition_id
    assert Edition.objects.count() == ARTICLES + 3
    doi = next(r for r in ui.values() if r.data.get("doi"))
    assert doi.data["doi"].startswith("10.5555/jaringan.")
    merged = Edition.objects.get(pk=ui["1"].edition_id)
    assert merged.format == "article" and merged.records.count() == 2
