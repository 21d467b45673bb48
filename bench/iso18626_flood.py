"""What an anonymous flood of POST /iso18626 costs a live hub: time, answers, and bytes kept on disk.

    python bench/iso18626_flood.py                   # 20 unreadable bodies of 1 MiB, then 100 small ones
    python bench/iso18626_flood.py --count 50 --size 524288 --rate 0

What a user runs: `jaringan migrate` and `jaringan serve` in a fresh temporary JARINGAN_HOME (SQLite),
with ``JARINGAN_ISO18626_RATE`` as given (``--rate``; the default setting when left out). Then, with a
plain HTTP client and no login:

1. ``--count`` bodies of ``--size`` bytes that are not XML, each different, posted one after another;
2. 100 small unreadable bodies, as fast as they go (what the rate limit lets through).

Prints, for each, the seconds taken, the HTTP statuses counted, and what the hub kept: messages
received and the bytes of all messages in its log (``ill_illmessage.raw``), read from the database.
"""

from __future__ import annotations

import argparse
import collections
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/xml"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code


def _kept(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as db:
        received, = db.execute("select count(*) from ill_illmessage where direction = 'in'").fetchone()
        stored, = db.execute("select coalesce(sum(length(raw)), 0) from ill_illmessage").fetchone()
    return received, stored


def _flood(url: str, bodies: list[bytes], database: Path, label: str) -> None:
    before = _kept(database)
    start = time.perf_counter()
    statuses = collections.Counter(_post(url, body) for body in bodies)
    seconds = time.perf_counter() - start
    received, stored = (a - b for a, b in zip(_kept(database), before, strict=True))
    sent = sum(len(b) for b in bodies)
    print(f"{label}: {len(bodies)} posts, {sent:,} bytes in {seconds:.2f} s; answers "
          f"{dict(sorted(statuses.items()))}; kept {received} messages received, {stored:,} bytes in the log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--size", type=int, default=1024 * 1024)
    parser.add_argument("--rate", type=int, default=None, help="JARINGAN_ISO18626_RATE for the server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jaringan-flood-") as home:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JARINGAN_TEST_DATABASE")}
        env.update(JARINGAN_HOME=home, JARINGAN_SECRET_KEY="bench-" + "k" * 50, LANGUAGE="en")
        if args.rate is not None:
            env["JARINGAN_ISO18626_RATE"] = str(args.rate)
        subprocess.run([sys.executable, "-m", "jaringan", "migrate"], env=env, check=True, capture_output=True)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "jaringan", "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/iso18626"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.1)
            database = Path(home) / "jaringan.sqlite3"
            big = [(f"{n:08d}".encode() + b"x" * args.size)[:args.size] for n in range(args.count)]
            _flood(url, big, database, f"{args.count} x {args.size:,} bytes")
            time.sleep(61)  # a fresh minute for the rate
            small = [f"not xml {n}".encode() for n in range(100)]
            _flood(url, small, database, "100 small")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
