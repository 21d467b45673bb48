"""How long a staff action takes when the lender's hub is down: the ISO 18626 message waits in the outbox.

    python bench/outbox_latency.py                  # 40 requests in each case: baseline, peer refusing, silent
    python bench/outbox_latency.py --count 100 --json

What a user runs: ``jaringan migrate`` and ``jaringan serve`` in a fresh temporary JARINGAN_HOME
(SQLite), two member libraries made through the JSON API — ALPHA served here, BETA served by another
system (an ISO 18626 peer on 127.0.0.1) holding one real book (the first of the Library of Congress's
Indonesian records the package ships) — and an agreement between them. ALPHA's staff then ask for the
book, one request after another (``POST /api/ill/requests``: kept, routed, sent to BETA), with the
peer's hub down in two ways:

* ``refused``: nothing listens at the peer's address (the connection is refused at once);
* ``silent``: the peer's address accepts the connection and never answers (the worst case: a sender
  waits for the peer's timeout, 20 s; before the outbox, the staff member waited as long);

and, as the baseline, ``here``: BETA served by this hub too (the same action, no message travels).

Prints, for each, the latency of the staff action (p50, p95, max, in ms) and the messages waiting in
the outbox when done; the target is p95 ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import jaringan

LOC = Path(jaringan.__file__).parent / "demo" / "data" / "loc-indonesia-2016.mrc.xz"
LIBRARY = {"kind": "academic", "collection_size": 50000, "open_to_outsiders": True, "annual_budget": "900000000",
           "budget_fixed": True, "staff_count": 12, "offers_loan": True, "offers_copy": True,
           "delivery_methods": ["post"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _silent_peer():
    """An address that accepts connections and never answers them."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/iso18626"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


class Hub:
    def __init__(self, home: str) -> None:
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JARINGAN_TEST_DATABASE")}
        self.env.update(JARINGAN_HOME=home, JARINGAN_SECRET_KEY="bench-" + "k" * 50, LANGUAGE="en",
                        JARINGAN_OUTBOUND_ALLOW="127.0.0.1/32", JARINGAN_ISO18626_RATE="0")
        self.home, self.port, self.tokens = Path(home), _free_port(), {}
        self.url = f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "jaringan", *args], env=self.env, capture_output=True,
                              text=True, check=True)
        return done.stdout

    def user(self, username: str, *args: str) -> None:
        out = self.cli("createuser", username, "--password", "kata-sandi-panjang", "--token", *args)
        self.tokens[username] = out.split("API token (shown once): ")[1].split()[0]

    def api(self, method: str, path: str, body=None, *, as_user: str = "admin") -> tuple[int, object]:
        request = urllib.request.Request(self.url + "/api" + path, data=json.dumps(body).encode() if body else None,
                                         method=method, headers={"Authorization": f"Bearer {self.tokens[as_user]}",
                                                                 "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def must(self, method: str, path: str, body=None, **kw):
        status, payload = self.api(method, path, body, **kw)
        if status >= 300:
            raise SystemExit(f"{method} {path}: {status} {payload}")
        return payload


def _set_up(hub: Hub, peer_url: str) -> None:
    hub.cli("migrate")
    hub.user("admin", "--superuser")
    hub.process = subprocess.Popen([sys.executable, "-m", "jaringan", "serve", "--port", str(hub.port)],
                                   env=hub.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(hub.url + "/api/networks", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    hub.must("POST", "/libraries", {**LIBRARY, "code": "ALPHA", "name": "Perpustakaan Alpha", "city": "Bandung",
                                    "province": "Jawa Barat", "latitude": -6.9, "longitude": 107.6})
    hub.must("POST", "/libraries", {**LIBRARY, "code": "BETA", "name": "Perpustakaan Beta", "city": "Ambon",
                                    "province": "Maluku", "latitude": -3.7, "longitude": 128.2})
    hub.must("POST", "/networks", {"code": "NA", "name": "Jaringan NA", "structure": "multi_type",
                                   "scope": "national", "jurisdiction": "multiple", "funding": "non_profit"})
    for code in ("ALPHA", "BETA"):
        membership = hub.must("POST", "/networks/NA/memberships", {"library": code})
        hub.must("POST", f"/memberships/{membership['id']}/actions", {"action": "admit"})
    hub.must("POST", "/networks/NA/agreements", {
        "code": "NA-ILL", "title": "Pinjam antarperpustakaan", "purpose": "Saling meminjamkan koleksi.",
        "form": "written", "services": ["loan"], "coverage": "network", "relation": "reciprocal",
        "starts": "2026-01-01"})
    if peer_url:
        hub.must("POST", "/ill/peers", {"library": "BETA", "url": peer_url, "timeout": 20})
    hub.user("staf.alpha", "--role", "staff", "--library", "ALPHA")
    raw = lzma.open(LOC).read(100_000)
    book = hub.home / "book.mrc"
    book.write_bytes(raw[:int(raw[:5])])  # the first record (its length is its first five digits)
    hub.cli("import", str(book), "--library", "BETA")


def _outbox(hub: Hub) -> dict:
    with sqlite3.connect(hub.home / "jaringan.sqlite3") as db:
        return dict(db.execute("select status, count(*) from ill_illmessage where direction = 'out' "
                               "group by status").fetchall())


def _measure(count: int, down: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="jaringan-outbox-") as home, \
            {"silent": _silent_peer, "refused": _refusing, "here": _served_here}[down]() as peer_url:
        hub = Hub(home)
        try:
            _set_up(hub, peer_url)
            took = []
            for n in range(count):
                start = time.perf_counter()
                status, made = hub.api("POST", "/ill/requests", {"edition": 1, "service": "loan",
                                                                 "reader_name": f"Pembaca {n}"}, as_user="staf.alpha")
                took.append((time.perf_counter() - start) * 1000)
                if status != 201 or made["state"] != ("RequestReceived" if down == "here" else "Sent"):
                    raise SystemExit(f"request {n}: {status} {made}")
            outbox = _outbox(hub)
        finally:
            hub.process.terminate()
            hub.process.wait(timeout=30)
    took.sort()
    return {"down": down, "requests": count, "p50_ms": round(statistics.median(took), 1),
            "p95_ms": round(took[max(0, int(0.95 * len(took)) - 1)], 1), "max_ms": round(took[-1], 1),
            "outbox": outbox}


@contextmanager
def _served_here():
    yield None  # BETA served by this hub too: no message travels (the same action's cost without a peer)


@contextmanager
def _refusing():
    yield f"http://127.0.0.1:{_free_port()}/iso18626"  # nothing listens there


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40, help="requests made in each case (default 40)")
    parser.add_argument("--down", choices=["refused", "silent", "here", "all"], default="all",
                        help="how the peer is down; 'here': BETA served by this hub (the baseline); default all")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    cases = ["here", "refused", "silent"] if args.down == "all" else [args.down]
    results = [_measure(args.count, down) for down in cases]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(f"peer {r['down']:8} {r['requests']} staff requests: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
              f"max {r['max_ms']} ms (target p95 <= 200 ms); outbox after: {r['outbox']}")


if __name__ == "__main__":
    main()
