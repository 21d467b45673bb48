"""The cost the abstracts' snippets add to a search page: 20 article results, CPU time.

    .venv/bin/python bench/snippets.py [--json]   (from the repository root)

The articles are the OJS-shaped harvest test page's (two abstracts each, Indonesian and English),
twenty to a page as the search page shows them, read by the OAI reader the harvest uses. For a few
queries it prints the CPU time of the page's snippets: the first page (its words analysed for the
first time, Sastrawi's dictionary loaded if no search has loaded it) and the median of later pages,
as the search page computes them (``discovery.views._present``: ``QueryWords.of`` once, ``snippet``
per result).  ``--json`` adds the figures as one JSON object on the last line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jaringan.core.catalog import readers  # noqa: E402
from jaringan.core.search.snippet import QueryWords, snippet  # noqa: E402

PAGE = ROOT / "tests" / "harvesting" / "data" / "ojs_oai_dc.xml"
QUERIES = ("perpustakaan sekolah", "fermentasi", "coral reef", "pinjam*", "kata yang tidak ada")
RESULTS, PAGES = 20, 300


def main() -> int:
    records = [i.record for i in readers.read(PAGE) if i.ok]
    abstracts = [[list(pair) for pair in r.abstracts] for r in records]
    page = (abstracts * RESULTS)[:RESULTS]
    figures = {}
    for query in QUERIES:
        started = time.process_time()
        words = QueryWords.of(query)
        for a in page:
            snippet(a, words, prefer="ind")
        first = time.process_time() - started
        times = []
        for _ in range(PAGES):
            started = time.process_time()
            words = QueryWords.of(query)
            for a in page:
                snippet(a, words, prefer="ind")
            times.append(time.process_time() - started)
        median = statistics.median(times)
        figures[query] = {"first_ms": round(first * 1000, 3), "median_ms": round(median * 1000, 3)}
        print(f"{query!r:24} {RESULTS} results: first page {first * 1000:6.2f} ms CPU, "
              f"then {median * 1000:5.3f} ms a page (median of {PAGES})")
    if "--json" in sys.argv:
        print(json.dumps({"results_per_page": RESULTS, "queries": figures}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
