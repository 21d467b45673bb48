"""The search page under load: gunicorn on loopback, the demo catalogue, 50 readers searching at once.

    python bench/search_load.py                   # a fresh demo (about a minute), then 60 s of load
    python bench/search_load.py --home DIR        # reuse (or make once) the demo in DIR
    python bench/search_load.py --users 50 --duration 60 --think 1.0 --workers 2 --threads 4

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
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "jaringan.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "-k", "gthread", "--threads", str(threads), "--log-level", "warning"],
        env=_env(home), cwd=str(REPO),
    )
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
    raise SystemExit("gunicorn did not answer within 60 s")


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="demo folder to reuse or make (default: a temporary one)")
    parser.add_argument("--users", type=int, default=50, help="concurrent readers (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a reader's requests (1.0)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    args = parser.parse_args()

    home = args.home or Path(tempfile.mkdtemp(prefix="jaringan-bench-load-"))
    demo(home)
    port = free_port()
    server = start_server(home, port, args.workers, args.threads)
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
    print(f"{args.users} readers, {args.duration:.0f} s, think {args.think} s; gunicorn {args.workers} workers × "
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
