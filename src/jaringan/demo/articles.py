"""The demo's articles (``data/articles.toml``): a few articles in the demo's journals, each catalogued by
one member and sent as its staff would send them (a CSV file through the catalogue's import), so that
search shows articles, their abstracts' snippets and the journal facet on first start, and an article's
page who holds its volume and year. Loaded after the journals (:mod:`.serials`), which they are linked to."""

from __future__ import annotations

import csv
import io

from jaringan.catalog.pipeline import import_file
from jaringan.catalog.models import ImportBatch
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM

from . import datafiles

#: The file each member's articles are read from (its batch's name: the demo loads them once).
DEMO_FILE = "demo-articles.csv"
#: The catalogue's CSV columns the articles fill (see ``core.catalog.readers.csvfile``).
COLUMNS = ("id", "title", "authors", "venue", "issn", "volume", "issue", "pages", "year", "language", "keywords",
           "abstract_id", "abstract_en")


def articles_csv(articles: list[dict], journals: dict[str, dict]) -> bytes:
    """The articles as the CSV a member's staff would upload: one row each, the journal by title and ISSN."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for article in articles:
        journal = journals[article["journal"]]
        writer.writerow([article["id"], article["title"], "; ".join(article["authors"]), journal["title"],
                         journal.get("issn", ""), article["volume"], article["issue"], article["pages"],
                         article["year"], article["language"], "; ".join(article["keywords"]),
                         article["abstract_id"], article["abstract_en"]])
    return out.getvalue().encode()


def load_articles() -> int:
    """Read each member's demo articles into the catalogue, once; how many were read (0 when there)."""
    if ImportBatch.objects.filter(name=DEMO_FILE).exists():
        return 0
    journals = {j.get("issn") or j["title"]: j for j in datafiles.serials()["journals"]}
    by_library: dict[str, list[dict]] = {}
    for n, article in enumerate(datafiles.articles()["articles"], start=1):
        by_library.setdefault(article["library"], []).append({**article, "id": f"DEMO-ART-{n}"})
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=by_library)}
    read = 0
    for code, articles in by_library.items():
        if code in libraries:
            batch = import_file(actor=SYSTEM, library=libraries[code], format="csv",
                                stream=io.BytesIO(articles_csv(articles, journals)), name=DEMO_FILE)
            read += batch.read
    return read
