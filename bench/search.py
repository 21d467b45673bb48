"""Search speed on 1,000,000 merged editions: index build time, query latency and throughput.

    python bench/search.py                        # 1,000,000 editions, the queries of bench/queries.txt
    python bench/search.py --docs 100000          # a quicker run
    python bench/search.py --index DIR --keep     # keep the index; later runs: --index DIR --reuse
    python bench/search.py --write-queries        # make bench/queries.txt again from the fixtures
    python bench/search.py --write-common-terms   # make the search core's list of common terms again

The editions are made from the Library of Congress records in
`../shared/fixtures/loc_mds_booksall2016/` (43,148 records: 40,000 of every
kind and 3,148 Indonesian ones), read with the project's own reader
(`jaringan.core.catalog.readers`). Every record is an edition once as it is;
the rest of the million are later editions and reprints of them (an Indonesian
record stands behind 40 % of them, as in an Indonesian union catalogue): the
title of another record of the same language as subtitle (so titles stay
unique and every title is analysed), a new year and "Cet. n" / "n ed.", an
ISBN of its own, sometimes a second author, subject or another publisher.
Each edition is held by 1 to 8 of 200 libraries (most by few; big libraries
hold more), each library a member of 1 to 3 of 12 networks, two thirds of
them lending. The editions are made first (the bench's own data, timed
apart); the build then turns them into documents through the search core
(`document_fields`: the shared analyser, Indonesian and English stemming) —
this process takes the editions that are the records as they are, which
stems the whole vocabulary once, then two forked worker processes take the
rest — and one writer indexes them, as `jaringan reindex` does without the
database.

Latency is that of the search service, `jaringan.core.search.search`: query
analysis, the top 20, the total, and every facet (library, network, kind,
format, language, subject, year, availability), measured per call over the
query set (one warm-up pass, then `--rounds` passes), as wall time and as
CPU time of the searching thread (which other work on the machine does not
inflate). Facets of results over 3,000 editions are counted on a sample. Throughput is sequential queries
per second on one thread and on two. The machine may be shared: the figures
say what it did when it ran.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

SHARED = Path(os.environ.get("JARINGAN_SHARED", REPO.parent / "shared"))
FIXTURES = SHARED / "fixtures" / "loc_mds_booksall2016"
FILES = ("booksall2016_part01_first40k.mrc", "booksall2016_part01_indonesia.mrc")
QUERIES = Path(__file__).with_name("queries.txt")

DOCS = 1_000_000
LIBRARIES = 200
NETWORKS = 12
INDONESIAN_SHARE = 0.4
CHUNK = 2_000
WORKERS = 2
HEAP = 600_000_000
TARGET_P95_MS = 10.0
TARGET_BUILD_S = 120.0
#: How many libraries hold an edition (most few, some many).
HOLDINGS = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 8)

# --- the editions ----------------------------------------------------------------------

_RECORDS: list = []
_BY_LANGUAGE: dict[str, list[int]] = {}
_LIBRARIES: list[dict] = []


def load_records() -> list:
    from jaringan.core.catalog import readers

    records = []
    for name in FILES:
        with open(FIXTURES / name, "rb") as stream:
            records += [item.record for item in readers.read(stream, format="marc21") if item.record is not None]
    return records


def _libraries() -> list[dict]:
    kinds = ["national"] + ["academic"] * 60 + ["public"] * 70 + ["school"] * 50 + ["special"] * 19
    out = []
    for n in range(LIBRARIES):
        networks = sorted({f"NET{(n * k + k) % NETWORKS:02d}" for k in range(1, 2 + n % 3)})
        out.append({"library": f"LIB{n:03d}", "library_kind": kinds[n % len(kinds)], "network_codes": networks,
                    "call_numbers": [], "available": n % 3 != 0})
    return out


def _setup(records) -> None:
    global _RECORDS, _BY_LANGUAGE, _LIBRARIES
    _RECORDS = records
    _BY_LANGUAGE = {"ind": [], "other": []}
    for n, r in enumerate(records):
        _BY_LANGUAGE["ind" if r.language in ("ind", "may") else "other"].append(n)
    _LIBRARIES = _libraries()


_WEIGHTS = (1, 3) * 6


def _isbn13(n: int) -> str:
    body = f"978{n % 10**9:09d}"
    check = -sum(w * (ord(d) - 48) for w, d in zip(_WEIGHTS, body)) % 10
    return body + str(check)


def edition(i: int, rng: random.Random):
    """The i-th edition of the bench catalogue (deterministic for a given ``rng`` state)."""
    from jaringan.core.search import document_from_records

    if i < len(_RECORDS):
        record = _RECORDS[i]
    else:
        pool = _BY_LANGUAGE["ind" if rng.random() < INDONESIAN_SHARE else "other"]
        record = _RECORDS[pool[int(rng.random() * len(pool))]]
        other = _RECORDS[pool[int(rng.random() * len(pool))]]
        indonesian = record.language in ("ind", "may")
        printing = 2 + int(rng.random() * 8)
        changes = {
            "subtitle": other.title if rng.random() < 0.7 else record.subtitle,
            "year": min(2016, record.year + 1 + int(rng.random() * 20)) if record.year else None,
            "edition": f"Cet. {printing}" if indonesian else f"{printing}th ed.",
            "isbns": (_isbn13(i),),
        }
        if rng.random() < 0.2 and other.authors:
            changes["authors"] = record.authors + other.authors[:1]
        if rng.random() < 0.3 and other.subjects:
            changes["subjects"] = record.subjects + other.subjects[:1]
        if rng.random() < 0.25:
            changes["publisher"] = other.publisher
        record = replace(record, **changes)
    count = HOLDINGS[int(rng.random() * len(HOLDINGS))]
    holders = {int(LIBRARIES * rng.random() ** 2) for _ in range(count)}
    return document_from_records(i, [record], [_LIBRARIES[n] for n in sorted(holders)])


_EDITIONS: list = []


def make_editions(docs: int) -> list:
    """The bench catalogue's editions (deterministic: one random stream per chunk)."""
    out = []
    for start in range(0, docs, CHUNK):
        rng = random.Random(start)
        out.extend(edition(i, rng) for i in range(start, min(start + CHUNK, docs)))
    return out


def _json_of(span: tuple[int, int]) -> list[str]:
    """The documents of a span of editions, as the JSON text of ``document_fields`` (made in a worker)."""
    from jaringan.core.search.index import document_fields

    return [json.dumps(document_fields(_EDITIONS[i]), ensure_ascii=False) for i in range(*span)]


def _cpu() -> float:
    """CPU seconds of this process, its threads and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build(path: Path, editions: list, workers: int) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, documents) of indexing the editions.

    This process indexes the editions that are the LoC records as they are
    (which stems every word of the vocabulary once); then the workers, forked
    with those words' stems known, make the documents of the rest and this
    process hands them to the one writer.
    """
    global _EDITIONS
    from jaringan.core.search import SearchIndex

    _EDITIONS = editions
    index = SearchIndex(path)
    first = min(len(_RECORDS), len(editions))
    spans = [(start, min(start + CHUNK, len(editions))) for start in range(first, len(editions), CHUNK)]
    started, cpu = time.perf_counter(), _cpu()
    with index.writer(heap_size=HEAP, num_threads=2) as writer:
        for document in editions[:first]:
            writer.add(document)
        done = first
        with get_context("fork").Pool(workers) as pool:
            for documents in pool.imap(_json_of, spans, chunksize=1):
                for text in documents:
                    writer.add_json(text)
                done += len(documents)
                if sys.stderr.isatty():
                    print(f"\r  indexed {done:,}/{len(editions):,}", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return time.perf_counter() - started, _cpu() - cpu, index.num_docs


# --- the queries -----------------------------------------------------------------------

WORDS_ID = """sejarah perpustakaan pendidikan hukum ekonomi kebudayaan bahasa sastra pertanian pemerintahan agama
islam kesehatan politik masyarakat pembangunan daerah penelitian laporan kebijakan perempuan anak kota desa tanah
laut hutan nelayan petani pariwisata kesenian musik wayang batik naskah kamus cerita puisi perbankan pajak industri
perdagangan koperasi transmigrasi otonomi korupsi peraturan""".split()
WORDS_EN = """history library libraries education law economics culture language literature agriculture government
religion health politics society development research policy women children cities villages land ocean forests
fisheries tourism art music theater manuscripts dictionary stories poetry banking taxation industry trade elections
corruption democracy war biography philosophy science engineering""".split()
PAIRS_ID = ["sejarah indonesia", "hukum adat", "ekonomi indonesia", "bahasa jawa", "kebudayaan bali",
            "pendidikan dasar", "perpustakaan sekolah", "sastra indonesia", "pemerintahan daerah", "agama islam",
            "pembangunan desa", "kesehatan masyarakat", "cerita rakyat", "undang-undang dasar", "pertanian padi",
            "politik luar negeri", "hutan tropis", "kota jakarta", "seni tari", "bahasa melayu"]
PAIRS_EN = ["american history", "civil war", "united states", "foreign relations", "world war",
            "public libraries", "economic development", "social conditions", "english language", "greek philosophy",
            "church history", "natural history", "art exhibitions", "criminal law", "climate change",
            "children's stories", "women's rights", "labor unions", "higher education", "indonesia politics"]


def _tokens(text):
    from jaringan.core.catalog.text import tokenise

    return tokenise(text or "")


def write_queries(records, path: Path = QUERIES) -> int:
    """Make the query set from the fixtures (deterministic): what readers and cataloguers type."""
    from jaringan.core.catalog.text import ALL_STOP_WORDS

    rng = random.Random(2026)
    ind = [r for r in records if r.language in ("ind", "may")]
    eng = [r for r in records if r.language == "eng"]

    def surnames(pool, n):
        counts = Counter(_tokens(r.authors[0].split(",")[0])[0] for r in pool
                         if r.authors and "," in r.authors[0] and _tokens(r.authors[0].split(",")[0]))
        return [w for w, _c in counts.most_common(200) if len(w) > 3][:n]

    def title_words(pool, n):
        counts = Counter(w for r in pool for w in _tokens(r.title) if len(w) > 4 and w not in ALL_STOP_WORDS
                         and w.isalpha())
        return [w for w, _c in counts.most_common(400)][:n]

    def phrases(pool, n):
        counts = Counter()
        for r in pool:
            words = [w for w in _tokens(r.title) if w.isalpha()]
            counts.update(f"{a} {b}" for a, b in zip(words, words[1:])
                          if len(a) > 2 and len(b) > 2 and a not in ALL_STOP_WORDS and b not in ALL_STOP_WORDS)
        return [p for p, _c in counts.most_common(n)]

    def subject_words(pool, n):
        counts = Counter(_tokens(s)[0] for r in pool for s in r.subjects if _tokens(s) and len(_tokens(s)[0]) > 4)
        return [w for w, _c in counts.most_common(n)]

    def author_and_subject(pool, n):
        found = []
        for r in rng.sample(pool, len(pool)):
            if r.authors and r.subjects and "," in r.authors[0]:
                name = _tokens(r.authors[0].split(",")[0])
                subject = [w for w in _tokens(r.subjects[0]) if len(w) > 3 and w not in ALL_STOP_WORDS]
                if name and subject:
                    found.append(f"author:{name[0]} subject:{subject[0]}")
            if len(found) == n:
                break
        return found

    common_id, common_en = title_words(ind, 60), title_words(eng, 60)
    groups = {
        "words, Indonesian": WORDS_ID,
        "words, English": WORDS_EN,
        "two words (AND), Indonesian": PAIRS_ID,
        "two words (AND), English": PAIRS_EN,
        "phrases": [f'"{p}"' for p in phrases(ind, 12) + phrases(eng, 12)],
        "prefixes": [f"{w[:max(5, len(w) - 3)]}*" for w in rng.sample([w for w in common_id if len(w) > 6], 10)
                     + rng.sample([w for w in common_en if len(w) > 6], 10)],
        "author": [f"author:{w}" for w in surnames(ind, 12) + surnames(eng, 12)],
        "title": [f"title:{w}" for w in rng.sample(common_id, 8) + rng.sample(common_en, 8)],
        "subject": [f"subject:{w}" for w in subject_words(ind, 8) + subject_words(eng, 8)],
        "author and subject": author_and_subject(ind, 10) + author_and_subject(eng, 10),
        "OR": [f"title:{a} OR title:{b}" for a, b in zip(rng.sample(common_id, 6), rng.sample(common_id, 6))]
              + [f"{a} OR {b}" for a, b in zip(rng.sample(common_en, 6), rng.sample(common_en, 6))],
        "NOT": [f"{a} NOT {b}" for a, b in zip(rng.sample(WORDS_ID, 6), rng.sample(WORDS_ID, 6)) if a != b]
               + [f"{a} NOT {b}" for a, b in zip(rng.sample(WORDS_EN, 6), rng.sample(WORDS_EN, 6)) if a != b],
        "year ranges": [f"{w} year:{y}-{y + 9}" for w, y in zip(rng.sample(WORDS_ID + WORDS_EN, 12),
                                                                 [rng.randrange(1950, 2010) for _ in range(12)])],
        "identifiers": [f"isbn:{r.isbns[0]}" for r in rng.sample([r for r in records if r.isbns], 8)],
    }
    lines = ["# Search queries for bench/search.py (and the SRU/Zebra comparison), in Jaringan's query language:",
             "# words are ANDed; \"phrase\"; prefix*; OR, NOT; fields title: author: subject: isbn: year:FROM-TO.",
             "# Made from the LoC fixtures by `python bench/search.py --write-queries`. One query per line."]
    count = 0
    for name, queries in groups.items():
        lines.append(f"# {name}")
        for q in dict.fromkeys(queries):
            lines.append(q)
            count += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


COMMON_TERMS = REPO / "src" / "jaringan" / "core" / "search" / "common_terms.txt"
#: A term is common when this share of the records of one language group (Indonesian, other) hold it.
COMMON_SHARE = 0.01


def write_common_terms(records, path: Path = COMMON_TERMS) -> int:
    """The index's common terms: those in at least 1 % of the Indonesian or of the other LoC records."""
    from collections import Counter

    from jaringan.core.search import document_from_records
    from jaringan.core.search.index import document_fields

    common: set[str] = set()
    for group in ("ind", "other"):
        frequency: Counter = Counter()
        for n in _BY_LANGUAGE[group]:
            fields = document_fields(document_from_records(n, [records[n]]))
            frequency.update(set(" ".join(fields.get("all", [])).split()))
        floor = COMMON_SHARE * len(_BY_LANGUAGE[group])
        common |= {term for term, count in frequency.items() if count >= floor}
    lines = ["# Common terms of the search index (analysed: folded and stemmed), one per line.",
             "# Two adjacent common terms are also indexed as one pair term (`all_pairs`), so a phrase of",
             "# common words (\"united states\", \"daerah tingkat\") is found without reading positions.",
             f"# The terms held by at least {COMMON_SHARE:.0%} of the Indonesian or of the other records of the",
             "# Library of Congress fixtures (43,148 records), made by `python bench/search.py --write-common-terms`.",
             "# Changing this list changes the index: raise ANALYSIS_VERSION in index.py (indexes are rebuilt)."]
    path.write_text("\n".join(lines + sorted(common)) + "\n", encoding="utf-8")
    return len(common)


def read_queries(path: Path = QUERIES) -> list[tuple[str, str]]:
    """(group, query) pairs of the query file."""
    out, group = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            group = line[1:].strip()
        elif line.strip():
            out.append((group, line.strip()))
    return out


# --- measuring -------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(index, queries, rounds: int, facets):
    """Per call: wall ms, CPU ms of the calling thread; per group wall ms; totals; how many estimated facets."""
    from jaringan.core.search import search

    for _g, q in queries:  # warm-up
        search(index, q, limit=20, facets=facets)
    times: list[float] = []
    cpu: list[float] = []
    by_group: dict[str, list[float]] = {}
    totals = []
    estimated = 0
    for _ in range(rounds):
        for group, q in queries:
            started, started_cpu = time.perf_counter(), time.thread_time()
            result = search(index, q, limit=20, facets=facets)
            elapsed = (time.perf_counter() - started) * 1000
            cpu.append((time.thread_time() - started_cpu) * 1000)
            times.append(elapsed)
            by_group.setdefault(group, []).append(elapsed)
            totals.append(result.total)
            estimated += result.facets_estimated
    return times, cpu, by_group, totals, estimated


def throughput(index, queries, threads: int, seconds: float, facets) -> float:
    from jaringan.core.search import search

    done = [0] * threads
    stop = time.perf_counter() + seconds

    def run(n):
        k = n
        while time.perf_counter() < stop:
            search(index, queries[k % len(queries)][1], limit=20, facets=facets)
            done[n] += 1
            k += threads

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(done) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=DOCS, help=f"editions to index (default {DOCS:,})")
    parser.add_argument("--index", type=Path, help="index folder (default: a temporary folder, removed after)")
    parser.add_argument("--reuse", action="store_true", help="search the index already in --index")
    parser.add_argument("--keep", action="store_true", help="keep the index folder")
    parser.add_argument("--rounds", type=int, default=3, help="measured passes over the queries (default 3)")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"document-building processes ({WORKERS})")
    parser.add_argument("--write-queries", action="store_true", help="make bench/queries.txt again and exit")
    parser.add_argument("--write-common-terms", action="store_true",
                        help="make the search core's common terms (common_terms.txt) again and exit")
    args = parser.parse_args()

    from jaringan.core.search import SearchIndex, service
    from jaringan.core.search.index import FACET_FIELDS

    if args.write_queries or args.write_common_terms or not args.reuse:
        started = time.perf_counter()
        records = load_records()
        print(f"read {len(records):,} LoC records with the project's MARC reader in "
              f"{time.perf_counter() - started:.1f} s")
        if args.write_queries:
            print(f"{write_queries(records)} queries written to {QUERIES.relative_to(REPO)}")
            return 0
        if args.write_common_terms:
            _setup(records)
            print(f"{write_common_terms(records)} common terms written to {COMMON_TERMS.relative_to(REPO)}")
            return 0
        _setup(records)
    folder = args.index or Path(tempfile.mkdtemp(prefix="jaringan-bench-search-"))
    try:
        if not args.reuse:
            if folder.exists():
                shutil.rmtree(folder)
            started = time.perf_counter()
            editions = make_editions(args.docs)
            print(f"made {len(editions):,} editions from them in {time.perf_counter() - started:.1f} s "
                  f"(the bench's own data; not part of the build)")
            seconds, cpu, count = build(folder, editions, args.workers)
            del editions
            size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
            print(f"built the index of {count:,} editions in {seconds:.1f} s ({count / seconds:,.0f} editions/s, "
                  f"{args.workers} document workers + 2 indexing threads; {cpu:.0f} CPU s in all), "
                  f"{size:,.0f} MB on disk [target ≤ {TARGET_BUILD_S:.0f} s for 1,000,000]")
            print(f"load average now: {' '.join(f'{v:.1f}' for v in os.getloadavg())} (2 cores)")
        index = SearchIndex(folder)
        queries = read_queries()
        facets = list(FACET_FIELDS)
        print(f"{index.num_docs:,} editions, {len(queries)} queries × {args.rounds} rounds, top 20 + total + "
              f"{len(facets)} facets ({', '.join(facets)})")
        load = os.getloadavg()
        times, cpu, by_group, totals, estimated = measure(index, queries, args.rounds, facets)
        print(f"latency ms: p50 {percentile(times, 50):.2f}  p95 {percentile(times, 95):.2f}  "
              f"p99 {percentile(times, 99):.2f}  max {max(times):.2f}  mean {statistics.mean(times):.2f}  "
              f"[target p95 ≤ {TARGET_P95_MS:.0f} ms]")
        print(f"CPU ms of the searching thread: p50 {percentile(cpu, 50):.2f}  p95 {percentile(cpu, 95):.2f}  "
              f"p99 {percentile(cpu, 99):.2f}  (load average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f})")
        print(f"hits per query: median {int(statistics.median(totals)):,}, max {max(totals):,}, "
              f"{sum(1 for t in totals if t == 0) // args.rounds} queries with none, "
              f"{estimated // args.rounds} with facets counted on a sample (> {service.FACET_EXACT_LIMIT:,} hits)")
        for group, values in by_group.items():
            print(f"  {group:32s} p50 {percentile(values, 50):6.2f}  p95 {percentile(values, 95):6.2f}")
        plain, _c, _g, _t, _e = measure(index, queries, 1, [])
        print(f"without facets: p50 {percentile(plain, 50):.2f}  p95 {percentile(plain, 95):.2f} ms")
        for threads in (1, 2):
            print(f"throughput, {threads} thread{'s' if threads > 1 else ''}: "
                  f"{throughput(index, queries, threads, 10.0, facets):,.0f} queries/s")
        from jaringan.discovery.suggest import suggest

        misspelt = ["perpustakan", "sejarha", "pendidkan", "libarary", "histroy", "ekonommi", "kebudyaan",
                    "goverment", "agricultre", "manuscipts"]
        spent = []
        for q in misspelt:
            started = time.perf_counter()
            suggest(index, q)
            spent.append((time.perf_counter() - started) * 1000)
        print(f"'did you mean' on {len(misspelt)} misspelt words: p50 {percentile(spent, 50):.1f} ms, "
              f"max {max(spent):.1f} ms (runs only when a query finds nothing)")
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
