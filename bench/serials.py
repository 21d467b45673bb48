"""Speed of "who holds vol. X / year Y" for a serial held by many members.

    python bench/serials.py [--members 100] [--others 500] [--runs 300] [--json]

Builds, in a fresh database (SQLite in a temporary folder, or the PostgreSQL named by DATABASE_URL,
where it drops and remakes a database ``jaringan_bench_serials``): the demo network's 28 libraries
and more up to ``--members``; one journal held by every one of them, each member's holdings a line of
its own CSV as a librarian types it (a run of volumes and years, some with a gap, a lacking volume or
an open end); and ``--others`` other journals held by ten members, so the tables are not that one
serial alone. All of it goes in through ``serials.services.holdings_import``, the code a member's
upload runs. Then it asks ``serials.selectors.holders_of`` (what interlibrary loan calls) and
``GET /api/serials/holders`` (through Django's whole stack) for a random volume or year, ``--runs``
times each, and prints the median, p95 and p99 wall time and the mean CPU time of this process
(steadier on a busy machine; on PostgreSQL the server's own CPU is not in it). Target: p95 ≤ 50 ms
at 100 members.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ISSN = "0853-1773"


def _issn(n: int) -> str:
    digits = f"{2000000 + n:07d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1)))
    check = (11 - total % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def _statement(rng: random.Random) -> str:
    first = rng.randint(1, 15)
    last = first + rng.randint(3, 25)
    year = 1990 + first
    kind = rng.random()
    if kind < 0.25:
        return f"Vol. {first} ({year}) - sekarang"
    if kind < 0.5:
        gap = rng.randint(first + 1, last)
        return f"v.{first}-{gap - 1} ({year}-{year + gap - 1 - first}); v.{gap + 2}-{last}"
    if kind < 0.7:
        return f"Vol. {first} ({year}) - vol. {last} ({year + last - first}); vol. {first + 1} missing"
    return f"{year}-{year + last - first}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--others", type=int, default=500, help="other journals, each held by ten members")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="jaringan-bench-serials-")
    os.environ["JARINGAN_HOME"] = home
    if os.environ.get("DATABASE_URL"):
        import psycopg

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS jaringan_bench_serials")
            conn.execute("CREATE DATABASE jaringan_bench_serials")
        os.environ["DATABASE_URL"] = base + "/jaringan_bench_serials"
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    os.environ.setdefault("JARINGAN_SECRET_KEY", "bench-only-" + "x" * 40)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from jaringan.demo import datafiles, network as demo
    from jaringan.network import services as network_services
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM
    from jaringan.serials import selectors, services

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    demo.load_network()
    rng = random.Random(15)
    n = Library.objects.count()
    demo_libraries = datafiles.network()["libraries"]
    while n < args.members:
        row = dict(demo_libraries[n % len(demo_libraries)])
        row.update(code=f"BENCH{n:03d}", name=f"{row['name']} ({n})")
        network_services.library_create(actor=SYSTEM, data=row)
        n += 1
    libraries = list(Library.objects.order_by("code")[: args.members])
    started = time.perf_counter()
    for i, library in enumerate(libraries):
        lines = ["title,issn,holdings", f'Medical Journal of Indonesia,{ISSN},"{_statement(rng)}"']
        if i < 10:
            lines += [f'Journal {k},{_issn(k)},"{_statement(rng)}"' for k in range(args.others)]
        services.holdings_import(actor=SYSTEM, library=library, data="\n".join(lines).encode(),
                                 name="holdings.csv", format="table")
    built = time.perf_counter() - started
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"data                {args.members} members hold the journal; {args.others} other journals held by ten "
          f"({built:.1f} s through holdings_import, {database})")

    asks = [({"volume": rng.randint(1, 45)} if k % 2 else {"year": rng.randint(1988, 2030)}) for k in range(args.runs)]
    selector_ms, api_ms, counts = [], [], []
    cpu = {"holders_of": 0.0, "api": 0.0}
    client = Client()
    for ask in asks[:20]:  # warm the caches as a running server has them
        selectors.holders_of(issn=ISSN, **ask)
        client.get("/api/serials/holders", {"issn": ISSN, **ask})
    for ask in asks:
        t, c = time.perf_counter(), time.process_time()
        found = selectors.holders_of(issn=ISSN, **ask)
        selector_ms.append((time.perf_counter() - t) * 1000)
        cpu["holders_of"] += time.process_time() - c
        counts.append(len(found))
        t, c = time.perf_counter(), time.process_time()
        response = client.get("/api/serials/holders", {"issn": ISSN, **ask})
        api_ms.append((time.perf_counter() - t) * 1000)
        cpu["api"] += time.process_time() - c
        assert response.status_code == 200 and len(response.json()["holders"]) == counts[-1]
    figures = {"members": args.members, "others": args.others, "runs": args.runs, "database": database,
               "holders_median": statistics.median(counts)}
    for name, values in (("holders_of", selector_ms), ("api", api_ms)):
        figures[name] = {"median_ms": round(statistics.median(values), 2), "p95_ms": round(percentile(values, 95), 2),
                         "p99_ms": round(percentile(values, 99), 2),
                         "cpu_mean_ms": round(cpu[name] / args.runs * 1000, 2)}
        print(f"{name:<20}median {figures[name]['median_ms']:.2f} ms, p95 {figures[name]['p95_ms']:.2f} ms, "
              f"p99 {figures[name]['p99_ms']:.2f} ms, mean CPU {figures[name]['cpu_mean_ms']:.2f} ms "
              f"({args.runs} asks; median {statistics.median(counts):.0f} holders an answer)")
    print(f"target              p95 <= 50 ms: {'met' if figures['api']['p95_ms'] <= 50 else 'NOT met'}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
