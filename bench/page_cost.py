"""What a page costs the server: process CPU time a page, in one process, with the production settings.

    python bench/page_cost.py                     # a fresh demo (about a minute), then the figures
    python bench/page_cost.py --home DIR          # reuse (or make once) the demo in DIR
    python bench/page_cost.py --home DIR --editions 200 --rounds 5
    python bench/page_cost.py --home DIR --profile edition --top 40   # where an edition page's time goes
    python bench/page_cost.py --home DIR --json   # the figures as one JSON object

The demo catalogue is made as `bench/search_load.py` makes it (`jaringan demo
--no-serve` in a JARINGAN_HOME). This process then imports Django with
`jaringan.settings` (DEBUG off: the cached template loader, every middleware
and context processor as served) and calls the WSGI application itself
(`jaringan.wsgi.application`, what `jaringan serve` hands to granian or
waitress) with a plain GET from 127.0.0.1, anonymous and without
Accept-Language, as `wrk` asks in `bench/search_load.py --wrk`.

Page kinds: ``edition`` — the pages of `--editions` different editions
spread over the demo from the fewest holdings to the most; ``edition-median``
— the one edition `search_load.py --wrk` loads (held by the median number of
libraries); ``search`` — `/search/?q=sejarah`; ``search-empty`` — `/search/`;
``home`` — `/`. One untimed round fills every cache (templates, the search
index, the names of libraries); then `--rounds` rounds are timed with
`time.process_time` (the CPU of this process, which other work on a shared
machine inflates much less than the wall time printed beside it; it still
does some, through the caches and cores the processes share: the median
round's figure is printed, and the best round's, the least disturbed).
Database queries a page are counted in a further untimed round.

With ``--profile KIND`` the timed rounds of that kind run again under
cProfile and the functions of the largest cumulative time are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sqlite3
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from search_load import demo  # noqa: E402  (the same demo home as the load bench)


def edition_paths(home: Path, count: int) -> tuple[list[str], str]:
    """``count`` editions spread from the fewest holdings to the most, and the median one."""
    with sqlite3.connect(home / "jaringan.sqlite3") as db:
        rows = db.execute("SELECT edition_id, COUNT(*) FROM catalog_sourcerecord WHERE edition_id IS NOT NULL "
                          "AND NOT withdrawn GROUP BY edition_id ORDER BY 2, 1").fetchall()
    step = max(len(rows) / max(count, 1), 1.0)
    picked = sorted({rows[int(i * step)][0] for i in range(min(count, len(rows)))})
    return [f"/catalogue/{pk}/" for pk in picked], f"/catalogue/{rows[len(rows) // 2][0]}/"


def environ(path: str) -> dict:
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path_info, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8000", "HTTP_ACCEPT": "*/*",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }


def get(application, path: str) -> tuple[str, bytes]:
    """One request through the WSGI application, as a server makes it: the status and the whole body."""
    status = []
    result = application(environ(path), lambda s, headers, exc_info=None: status.append(s))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return status[0], body


def run(application, paths: list[str], rounds: int) -> list[tuple[float, float]]:
    """CPU seconds and wall seconds a page of each of ``rounds`` passes over ``paths``."""
    out = []
    for _ in range(rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        for path in paths:
            get(application, path)
        out.append(((time.process_time() - cpu) / len(paths), (time.perf_counter() - wall) / len(paths)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="demo folder to reuse or make (default: a temporary one)")
    parser.add_argument("--editions", type=int, default=200, help="different editions' pages (default 200)")
    parser.add_argument("--rounds", type=int, default=8, help="timed passes over the pages (default 8)")
    parser.add_argument("--search-pages", type=int, default=200,
                        help="requests of each search page a round (default 200)")
    parser.add_argument("--query", default="sejarah", help="the search page's query (sejarah)")
    parser.add_argument("--only", metavar="KIND", action="append",
                        help="measure only this page kind (repeatable; default every kind)")
    parser.add_argument("--profile", metavar="KIND", help="profile the timed rounds of one page kind")
    parser.add_argument("--top", type=int, default=35, help="functions the profile prints (default 35)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    if args.home is None:
        import tempfile

        args.home = Path(tempfile.mkdtemp(prefix="jaringan-bench-cost-"))
    home = args.home.resolve()
    demo(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ["JARINGAN_HOME"] = str(home)
    os.environ.setdefault("JARINGAN_SECRET_KEY", "bench-" + "k" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jaringan.settings"
    os.environ.pop("JARINGAN_DEBUG", None)

    from django.db import connection

    from jaringan.wsgi import application

    editions, median = edition_paths(home, args.editions)
    kinds = {
        "edition": editions,
        "edition-median": [median] * args.search_pages,
        "search": ["/search/?q=" + args.query] * args.search_pages,
        "search-empty": ["/search/"] * args.search_pages,
        "home": ["/"] * args.search_pages,
    }
    for kind in (args.only or []) + ([args.profile] if args.profile else []):
        if kind not in kinds:
            parser.error(f"{kind}: the page kinds are {', '.join(kinds)}")
    if args.only:
        kinds = {name: paths for name, paths in kinds.items() if name in args.only or name == args.profile}

    for name, paths in kinds.items():  # warm every cache; and every page must answer 200
        for path in dict.fromkeys(paths):
            status, body = get(application, path)
            if not status.startswith("200"):
                raise SystemExit(f"{path}: {status}")

    queries = {}
    for name, paths in kinds.items():
        count = [0]

        def counter(execute, sql, params, many, context, count=count):
            count[0] += 1
            return execute(sql, params, many, context)

        distinct = list(dict.fromkeys(paths))
        with connection.execute_wrapper(counter):
            for path in distinct:
                get(application, path)
        queries[name] = count[0] / len(distinct)

    figures = {}
    for name, paths in kinds.items():
        times = run(application, paths, args.rounds)
        cpu = sorted(c * 1000 for c, _w in times)
        figures[name] = {"pages": len(paths) * args.rounds, "distinct": len(set(paths)), "queries": queries[name],
                         "cpu_ms": statistics.median(cpu), "cpu_ms_best": cpu[0],
                         "wall_ms": statistics.median(w * 1000 for _c, w in times)}

    if args.json:
        print(json.dumps({"home": str(home), "rounds": args.rounds, "pages": figures}))
    else:
        print(f"{len(editions)} editions, {args.rounds} timed rounds; demo in {home}; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        print("CPU a page: the median round's and the best round's (the least disturbed by other work)")
        for name, f in figures.items():
            print(f"{name:15s} {kinds[name][0]:22.22s} CPU {f['cpu_ms']:6.2f} ms a page "
                  f"(best {f['cpu_ms_best']:5.2f})  wall {f['wall_ms']:6.2f} ms  {f['queries']:4.1f} queries  "
                  f"({f['pages']} pages, {f['distinct']} different)")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run(application, kinds[args.profile], args.rounds)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
