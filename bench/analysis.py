"""Collection analysis on a large catalogue: overlap summary, a member's subject profile, a buy-warning.

    python bench/analysis.py                     # 1,000,000 editions held by 20 libraries
    python bench/analysis.py --editions 100000   # a quicker run
    python bench/analysis.py --json              # the same, then the figures as one JSON object

The catalogue is written straight into the tables (matching is not what is measured here; see
bench/ingest.py for that): editions made from the 40,000 LoC records (their class numbers, years,
languages and ISBNs; further passes over them are further editions with ISBNs of their own), each held
by 1 to 20 of 20 libraries as bench/ingest.py --million spreads holdings (a Pareto number of holders,
big libraries more often), with one member record per holding and the ISBN keys the catalogue finds
records by. The 20 libraries are the first 20 demo libraries, admitted to one network whose agreement
lets members borrow from one another for a fee.

Then, with the code users run:
* building the analysis counts from scratch (``profiles_refresh``; what maintaining them costs per edition);
* the network's overlap summary (editions and works: one member only, 2-5, all, each member's holdings
  and uniques, the pairwise matrix) and one member's subject profile (LCC classes): p50/p95 of 20 runs,
  "cold" when the process's copy of the counts was dropped before each run (as after any change), and
  "warm";
* a buy-warning for an order list of 1,000 ISBNs (700 held, 300 not);
* the cost on import: a file of 3,000 LoC records taken in by one more library, with the time the
  analysis queue took inside the import, and the refresh that counts those editions afterwards.

Runs on a fresh database: SQLite in a temporary folder, or the PostgreSQL named by DATABASE_URL
(its `jaringan_bench_analysis` database is dropped and made again).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JARINGAN_SHARED", REPO.parent / "shared"))
LOC = SHARED / "fixtures" / "loc_mds_booksall2016" / "booksall2016_part01_first40k.mrc"
LIBRARIES = 20
RUNS = 20
CHUNK = 20_000


def isbn13(n: int) -> str:
    """A valid ISBN-13 of the 979-8 range numbered `n` (made-up editions of later passes)."""
    body = f"9798{n:08d}"
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def build(editions: int, library_ids: list[int], seed: int = 11) -> tuple[int, list[str]]:
    """Write the catalogue; return the member records written and some held ISBNs."""
    from django.db import transaction
    from django.utils import timezone

    from jaringan.catalog import bulk
    from jaringan.catalog.models import BlockKey, Edition, SourceRecord, Work
    from jaringan.core.catalog import codec
    from jaringan.core.catalog.matching.blocking import key_number
    from jaringan.core.catalog.readers import read

    base = [item.record for item in read(LOC) if item.record is not None]
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(LIBRARIES)]
    at = bulk.db_datetime(timezone.now())
    records = 0
    held_isbns: list[str] = []
    with transaction.atomic():
        work_ids = bulk.allocate_ids(Work, len(base))
        bulk.insert_rows(Work, ["id", "key", "title"],
                         [(w, f"bench-{n}", r.full_title[:500]) for n, (w, r) in enumerate(zip(work_ids, base))])
    for start in range(0, editions, CHUNK):
        count = min(editions, start + CHUNK) - start
        e_rows, r_rows, k_rows = [], [], []
        with transaction.atomic():
            edition_ids = bulk.allocate_ids(Edition, count)
            plans = []
            for i, pk in zip(range(start, start + count), edition_ids):
                holders = min(LIBRARIES, max(1, int(rng.paretovariate(1.2))))
                chosen: set[int] = set()
                while len(chosen) < holders:
                    chosen.add(rng.choices(range(LIBRARIES), weights)[0])
                plans.append((i, pk, sorted(chosen)))
            record_ids = iter(bulk.allocate_ids(SourceRecord, sum(len(c) for _i, _pk, c in plans)))
            for i, pk, chosen in plans:
                n = i % len(base)
                rec = base[n]
                first_pass = i < len(base)
                isbn = rec.isbns[0] if first_pass and rec.isbns else isbn13(i)
                year = rec.year if first_pass else rng.randint(1990, 2024)
                data = {"title": rec.title, "isbns": [isbn], "year": year}
                if rec.language:
                    data["language"] = rec.language
                if rec.classifications:
                    data["classifications"] = [{"scheme": c.scheme, "number": c.number} for c in rec.classifications]
                text = codec.data_text(data)
                first = None
                for lib in chosen:
                    record_id = next(record_ids)
                    first = first or record_id
                    r_rows.append((record_id, library_ids[lib], f"{lib:02d}-{i}", "marc21", b"", "", text, None, pk,
                                   None, False, at, at))
                    k_rows.append((key_number(f"isbn:{isbn}"), record_id))
                e_rows.append((pk, work_ids[n], first, rec.full_title[:500], year, rec.format, rec.language or "",
                               at, at))
                if rng.random() < 0.0014 or (len(held_isbns) < 700 and i < 700):
                    held_isbns.append(isbn)
            bulk.insert_rows(Edition, ["id", "work_id", "preferred_id", "title", "year", "format", "language",
                                       "created", "updated"], e_rows)
            bulk.insert_rows(SourceRecord, ["id", "library_id", "source_id", "format", "raw", "checksum", "data",
                                            "description", "edition_id", "batch_id", "withdrawn", "created",
                                            "updated"], r_rows)
            bulk.insert_rows(BlockKey, ["key", "record_id"], k_rows)
        records += len(r_rows)
        print(f"\r  {start + count:,} editions, {records:,} member records", end="", flush=True)
    print(flush=True)
    return records, held_isbns


def timed(fn, runs: int, before=None, cpu: list | None = None) -> list[float]:
    """Wall-clock seconds of each run; with `cpu`, this process's CPU seconds of each run are put there too
    (on a shared machine the wall clock also counts waiting for a core; with SQLite the database's work is
    this process's)."""
    out = []
    for _ in range(runs):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    if not LOC.exists():
        print(f"no LoC records at {LOC} (set JARINGAN_SHARED)", file=sys.stderr)
        return 2
    home = tempfile.mkdtemp(prefix="jaringan-bench-analysis-")
    os.environ["JARINGAN_HOME"] = home
    if os.environ.get("DATABASE_URL"):
        import psycopg

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS jaringan_bench_analysis")
            conn.execute("CREATE DATABASE jaringan_bench_analysis")
        os.environ["DATABASE_URL"] = base + "/jaringan_bench_analysis"
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from jaringan.analysis import buying, selectors, services
    from jaringan.analysis.models import HoldingCount
    from jaringan.catalog.pipeline import import_file
    from jaringan.catalog.signals import editions_changed
    from jaringan.core.analysis.orders import line
    from jaringan.demo import network as demo
    from jaringan.network.models import Agreement, Library, Membership, Network
    from jaringan.network.permissions import SYSTEM

    call_command("migrate", verbosity=0)
    demo.load_network()
    libraries = list(Library.objects.order_by("code")[:LIBRARIES + 1])
    members, newcomer = libraries[:LIBRARIES], libraries[LIBRARIES]
    network = Network.objects.create(code="BENCH", name="Bench network", structure="multi_type", scope="national",
                                     jurisdiction="single", funding="non_profit")
    Membership.objects.bulk_create([Membership(network=network, library=lib, state="admitted") for lib in members])
    Agreement.objects.create(network=network, code="BENCH-LOAN", title="Loans", purpose="Lending", form="written",
                             services=["loan"], coverage="network", relation="reciprocal", starts=date(2020, 1, 1),
                             fee_per_loan=5000)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database            {engine}")
    started = time.perf_counter()
    records, held = build(args.editions, [m.pk for m in members])
    print(f"catalogue           {args.editions:,} editions, {records:,} member records, {LIBRARIES} libraries "
          f"(written in {time.perf_counter() - started:.0f} s)", flush=True)

    started, started_cpu = time.perf_counter(), time.process_time()
    services.profiles_refresh(progress=lambda done: print(f"\r  {done:,} counted", end="", flush=True))
    build_seconds = time.perf_counter() - started
    build_cpu = time.process_time() - started_cpu
    cells = HoldingCount.objects.count()
    print(f"\nanalysis counts     built in {build_seconds:.1f} s ({args.editions / build_seconds:,.0f} editions/s), "
          f"{cells:,} cells; CPU {build_cpu:.1f} s", flush=True)

    group = selectors.network_group(network)
    member = group[0]

    def drop():
        selectors._cells.clear()

    def summary():
        selectors.group_figures(group)

    def profile():
        selectors.subject_profile(group, member, "lcc")

    figures = {}
    for name, fn in (("overlap summary", summary), ("subject profile", profile)):
        cold_cpu, warm_cpu = [], []
        cold = timed(fn, RUNS, before=drop, cpu=cold_cpu)
        warm = timed(fn, RUNS, cpu=warm_cpu)
        figures[name] = {"cold_p50": round(percentile(cold, 50), 3), "cold_p95": round(percentile(cold, 95), 3),
                         "warm_p50": round(percentile(warm, 50), 3), "warm_p95": round(percentile(warm, 95), 3),
                         "cold_cpu_p95": round(percentile(cold_cpu, 95), 3),
                         "warm_cpu_p95": round(percentile(warm_cpu, 95), 3)}
        f = figures[name]
        print(f"{name:<19} p95 {f['cold_p95']:.3f} s cold, {f['warm_p95']:.3f} s warm "
              f"(p50 {f['cold_p50']:.3f} / {f['warm_p50']:.3f}; CPU p95 {f['cold_cpu_p95']:.3f} / "
              f"{f['warm_cpu_p95']:.3f} s; {RUNS} runs each)", flush=True)
    total = selectors.group_figures(group).editions
    print(f"                    {total.total:,} editions: {total.one:,} held by one member, {total.few:,} by 2-5, "
          f"{total.all:,} by all")

    rng = random.Random(3)
    isbns = (held * (700 // max(len(held), 1) + 1))[:700] + [isbn13(50_000_000 + n) for n in range(300)]
    rng.shuffle(isbns)
    lines = [line(n, isbn) for n, isbn in enumerate(isbns, start=1)]
    asker = group[-1]
    buy_cpu: list[float] = []
    runs = timed(lambda: buying.buy_warning(asker, lines), 5, cpu=buy_cpu)
    verdicts = {}
    for w in buying.buy_warning(asker, lines):
        verdicts[w.verdict] = verdicts.get(w.verdict, 0) + 1
    figures["buy-warning 1,000 ISBNs"] = {"p50": round(percentile(runs, 50), 3), "max": round(max(runs), 3),
                                          "cpu_max": round(max(buy_cpu), 3), "verdicts": verdicts}
    print(f"buy-warning         1,000 ISBNs in {percentile(runs, 50):.3f} s (slowest of 5: {max(runs):.3f} s, "
          f"CPU {max(buy_cpu):.3f} s); {verdicts}", flush=True)

    # The cost on import: the analysis queue's own time inside a real import, and the refresh after it.
    from jaringan.analysis.apps import _changed

    spent = [0.0]

    def queue_timed(sender, edition_ids, **kwargs):
        start = time.perf_counter()
        _changed(sender, edition_ids=edition_ids, **kwargs)
        spent[0] += time.perf_counter() - start

    editions_changed.disconnect(dispatch_uid="analysis.profiles")
    editions_changed.connect(queue_timed, dispatch_uid="analysis.profiles.bench")
    import pymarc

    data = io.BytesIO()
    with open(LOC, "rb") as fh:
        for n, rec in enumerate(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True)):
            if n >= 3000:
                break
            if rec is not None:
                data.write(rec.as_marc())
    data.seek(0)
    start = time.perf_counter()
    batch = import_file(actor=SYSTEM, library=newcomer, stream=data, name="bench.mrc", format="marc21")
    import_seconds = time.perf_counter() - start
    queued = services.pending()
    start = time.perf_counter()
    services.profiles_refresh()
    refresh_seconds = time.perf_counter() - start
    figures["import"] = {"records": batch.read, "seconds": round(import_seconds, 2),
                         "analysis_queue_seconds": round(spent[0], 3),
                         "queue_share": round(spent[0] / import_seconds, 4),
                         "refresh_seconds": round(refresh_seconds, 2), "editions_refreshed": queued}
    print(f"import cost         {batch.read:,} records in {import_seconds:.1f} s, of which the analysis queue "
          f"{spent[0]:.3f} s ({100 * spent[0] / import_seconds:.2f} %); counting their {queued:,} editions "
          f"afterwards took {refresh_seconds:.2f} s", flush=True)
    if args.json:
        print(json.dumps({"database": engine, "editions": args.editions, "records": records, "libraries": LIBRARIES,
                          "build_seconds": round(build_seconds, 1), "build_cpu_seconds": round(build_cpu, 1), "cells": cells, **figures}))
    connection.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
