"""The search page under load: a server on loopback, the demo catalogue, 50 readers searching at once.

    python bench/search_load.py                   # a fresh demo (about a minute), then 60 s of load
    python bench/search_load.py --home DIR        # reuse (or make once) the demo in DIR
    python bench/search_load.py --users 50 --duration 60 --think 1.0 --workers 2 --threads 4
    python bench/search_load.py --wrk --server granian --home DIR   # saturation, measured by wrk
    python bench/search_load.py --wrk --server waitress --home DIR  # the same under the default server
    python bench/search_load.py --wrk --home DIR --page edition --port 8000   # one page, on a port of your choice

With ``--wrk`` the server is ``jaringan serve --server granian|waitress``
(what a user runs) and `wrk` (apt-get install wrk) opens 50 connections that
ask without pause for 30 s, one page at a time: `/search/` with a query of
`bench/queries.txt`, `/search/` without a query, and an edition's page. It
prints pages/s, the 50th/95th/99th percentiles and the errors (non-2xx
answers, broken connections, timeouts) of each, against the targets
(`/search/` ≥ 300 pages/s with p95 ≤ 250 ms, an edition ≥ 400 pages/s), and
the server processes' CPU time a page: on a machine shared with other work
the rate says what the machine did then, the CPU a page what the server costs.

Each simulated reader keeps one HTTP/1.1 connection and, in a loop, asks for
a search page — a query of `bench/queries.txt` on `/search/` or on a
network's `/networks/CODE/search/`, now and then with a facet filter, a sort
or page 2, or the JSON API — then reads the results for a while (`--think`
seconds on average, uniformly 0.5× to 1.5×) before the next. With
`--think 0` the readers ask without pause (the server's saturation).

Reports requests, errors (any status other than 200, or a broken
connection), throughput and latency percentiles (time to the whole response).
The load generator runs on the same machine as the server (2 cores here,
often shared with other work): the figures say what the machine did then.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
QUERIES = Path(__file__).with_name("queries.txt")
TARGET_P95_MS = 100.0
#: wrk's targets: (pages/s at least, p95 ms at most) a page.
WRK_TARGETS = {"search": (300, 250.0), "search-empty": (300, 250.0), "edition": (400, None)}
#: wrk's report: requests, errors and latency percentiles in microseconds, one line.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("JRG %d %d %d %d %d %d %.0f %.0f %.0f\\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write, e.timeout, 0,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
NETWORKS = ("JPJB", "FPPTI", "JPIT", "JPKN", "JLPN")
LIBRARIES = ("PNRI", "UI", "ITB", "UGM", "UNPATTI", "UNHAS")


def queries() -> list[str]:
    return [line.strip() for line in QUERIES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def paths(rng: random.Random, qs: list[str]) -> str:
    """One request a reader might make."""
    q = rng.choice(qs)
    roll = rng.random()
    if roll < 0.15:
        return f"/networks/{rng.choice(NETWORKS)}/search/?" + urlencode({"q": q})
    if roll < 0.25:
        return "/search/?" + urlencode({"q": q, "library": rng.choice(LIBRARIES)})
    if roll < 0.30:
        return "/search/?" + urlencode({"q": q, "sort": rng.choice(["-year", "title"])})
    if roll < 0.35:
        return "/search/?" + urlencode({"q": q, "page": 2})
    if roll < 0.45:
        return "/api/search?" + urlencode({"q": q, "facets": "library"})
    return "/search/?" + urlencode({"q": q})


def demo(home: Path) -> None:
    if (home / "jaringan.sqlite3").exists() and (home / "index" / "current").exists():
        return
    print(f"making the demo catalogue in {home} (about a minute)...", flush=True)
    env = _env(home)
    subprocess.run([sys.executable, "-m", "jaringan", "demo", "--no-serve"], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JARINGAN_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO / "src")
    env.setdefault("JARINGAN_SECRET_KEY", "bench-" + "k" * 50)  # `jaringan serve` refuses the demo's key
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int, workers: int, threads: int, kind: str = "gunicorn") -> subprocess.Popen:
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "jaringan.wsgi:application", "-b", f"127.0.0.1:{port}",
                   "-w", str(workers), "-k", "gthread", "--threads", str(threads), "--log-level", "warning"]
    else:  # what `jaringan serve` runs, with its own defaults of workers and threads
        command = [sys.executable, "-m", "jaringan", "serve", "--server", kind, "--port", str(port)]
    server = subprocess.Popen(command, env=_env(home), cwd=str(REPO), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/search/?q=sejarah")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"{kind} did not answer within 60 s")


class User(threading.Thread):
    def __init__(self, n: int, port: int, until: float, think: float, qs: list[str], results: list):
        super().__init__(daemon=True)
        self.rng = random.Random(n)
        self.port, self.until, self.think, self.qs, self.results = port, until, think, qs, results

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        time.sleep(self.rng.random() * self.think)  # readers do not all arrive in the same instant
        while time.monotonic() < self.until:
            path = paths(self.rng, self.qs)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Language": self.rng.choice(["id", "en"])})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.results.append((time.perf_counter() - started, status, path))
            if self.think:
                time.sleep(self.think * (0.5 + self.rng.random()))
        conn.close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def edition_path(home: Path) -> str:
    """An edition's page of the demo: the edition held by the median number of libraries."""
    import sqlite3

    with sqlite3.connect(home / "jaringan.sqlite3") as db:
        rows = db.execute("SELECT edition_id, COUNT(*) FROM catalog_sourcerecord WHERE edition_id IS NOT NULL "
                          "AND NOT withdrawn GROUP BY edition_id ORDER BY 2, 1").fetchall()
    return f"/catalogue/{rows[len(rows) // 2][0]}/"


def wrk(port: int, path: str, connections: int, duration: float) -> dict:
    """One run of wrk against ``path``; its figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration:.0f}s", "--timeout", "10s",
                              "-s", script.name, f"http://127.0.0.1:{port}{path}"],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("JRG "))
    requests, duration_us, status, broken, timeouts, _z, p50, p95, p99 = (float(v) for v in line.split()[1:])
    return {"rate": requests / (duration_us / 1e6), "requests": int(requests), "errors": int(status + broken + timeouts),
            "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000}


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += times.get(p, 0.0)
        todo.extend(children.get(p, []))
    return total


def main_wrk(args, home: Path) -> int:
    port = args.port or free_port()
    server = start_server(home, port, args.workers, args.threads, args.server)
    pages = {"search": "/search/?" + urlencode({"q": args.query}), "search-empty": "/search/",
             "edition": edition_path(home)}
    pages = {name: path for name, path in pages.items() if not args.page or name in args.page}
    missed = 0
    try:
        for name, path in pages.items():
            wrk(port, path, args.users, 5)  # warm: every worker imports, opens the index, fills its caches
            cpu = tree_cpu(server.pid)
            figures = wrk(port, path, args.users, args.duration)
            # The server's own CPU a page: what the machine's cores bound the rate by, whatever else runs.
            figures["cpu"] = (tree_cpu(server.pid) - cpu) / max(figures["requests"], 1) * 1000
            rate, p95 = WRK_TARGETS[name]
            ok = figures["rate"] >= rate and (p95 is None or figures["p95"] <= p95) and not figures["errors"]
            missed += not ok
            target = f"≥ {rate} pages/s" + (f", p95 ≤ {p95:.0f} ms" if p95 else "")
            print(f"{args.server:8s} {path:28s} {figures['rate']:7.1f} pages/s  p50 {figures['p50']:6.1f}  "
                  f"p95 {figures['p95']:6.1f}  p99 {figures['p99']:6.1f} ms  {figures['errors']} errors  "
                  f"server CPU {figures['cpu']:.2f} ms a page  "
                  f"[{target}: {'met' if ok else 'missed'}]", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="demo folder to reuse or make (default: a temporary one)")
    parser.add_argument("--users", type=int, default=50, help="concurrent readers (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a reader's requests (1.0)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--wrk", action="store_true", help="measure saturation with wrk, one page at a time")
    parser.add_argument("--server", choices=("gunicorn", "granian", "waitress"), default=None,
                        help="server (default gunicorn; with --wrk, granian): granian and waitress as "
                             "`jaringan serve --server` runs them")
    parser.add_argument("--query", default="sejarah", help="the query of the search page with --wrk (sejarah)")
    parser.add_argument("--page", action="append", choices=tuple(WRK_TARGETS),
                        help="with --wrk, load only this page (repeatable; default every page)")
    parser.add_argument("--port", type=int, help="the server's port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args()

    home = args.home or Path(tempfile.mkdtemp(prefix="jaringan-bench-load-"))
    demo(home)
    if args.wrk:
        args.server = args.server or "granian"
        if args.duration == 60.0:
            args.duration = 30.0
        return main_wrk(args, home)
    args.server = args.server or "gunicorn"
    port = args.port or free_port()
    server = start_server(home, port, args.workers, args.threads, args.server)
    try:
        qs = queries()
        results: list = []
        warm = User(-1, port, time.monotonic() + 5, 0, qs, [])  # every worker imports and opens the index
        warm.run()
        until = time.monotonic() + args.duration
        users = [User(n, port, until, args.think, qs, results) for n in range(args.users)]
        started = time.perf_counter()
        for u in users:
            u.start()
        for u in users:
            u.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    times = [t * 1000 for t, _s, _p in results]
    errors = [(s, p) for _t, s, p in results if s != 200]
    print(f"{args.users} readers, {args.duration:.0f} s, think {args.think} s; {args.server} {args.workers} workers × "
          f"{args.threads} threads on 127.0.0.1")
    print(f"{len(results):,} requests, {len(errors)} errors, {len(results) / elapsed:,.1f} requests/s")
    print(f"latency ms: p50 {percentile(times, 50):.1f}  p95 {percentile(times, 95):.1f}  "
          f"p99 {percentile(times, 99):.1f}  max {max(times):.1f}  mean {statistics.mean(times):.1f}  "
          f"[target p95 ≤ {TARGET_P95_MS:.0f} ms]")
    for status, path in errors[:10]:
        print(f"  error {status}: {path}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
