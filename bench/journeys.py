"""Every page of the newcomer journeys, timed through `jaringan serve` over HTTP: p50 and p95 a page, and the
server's CPU a page.

    python bench/journeys.py                         # a fresh demo (a few minutes), then the figures
    python bench/journeys.py --home DIR              # reuse (or make once) the demo in DIR
    python bench/journeys.py --home DIR --requests 40 --lang id --only staff --json
    python bench/journeys.py --home DIR --queries    # also the database queries of each page

The demo is made as `bench/search_load.py` makes it (`jaringan demo --no-serve`
in a JARINGAN_HOME). Then `jaringan serve` (waitress, its defaults) runs on
127.0.0.1 over that demo with the production settings, and each role signs in
through the login page as a browser does: the reader (`pembaca`), the staff of
a library (`staf.unpatti`), the interlibrary loan staff of a lender
(`staf.unhas`) and a coordinator (`koordinator`). Each role's pages are asked
one after the other over one kept-alive connection (gzip accepted), in
Indonesian and in English (Accept-Language): two untimed requests, then
`--requests` timed ones. A page's time is from sending the request to having
read the whole answer. The server's CPU is the CPU time of its process (all
its threads, from /proc/PID/task/*/schedstat, in nanoseconds) over the timed
requests of the page, divided by their number: a figure that other work on a
shared machine inflates much less than the wall time. The load average is
printed at the start and at the end.

With ``--queries`` each page is also asked once in this process through
Django's test client (same settings, same database) and its database queries
are counted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from search_load import _env, demo, free_port  # noqa: E402  (the same demo home as the load bench)

ROLES = {"reader": "pembaca", "staff": "staf.unpatti", "ill": "staf.unhas", "coordinator": "koordinator"}
BUDGET_MS = 150.0


def ids(home: Path) -> dict:
    """The demo's records the journeys open: an edition UNPATTI holds (the median by holdings), the reader's
    request, a request sent to UNHAS, UNPATTI's first batch, a serial, the reader's bibliography."""
    with sqlite3.connect(home / "jaringan.sqlite3") as db:
        one = lambda sql: (db.execute(sql).fetchone() or [None])[0]  # noqa: E731
        editions = [r[0] for r in db.execute(
            "SELECT r.edition_id FROM catalog_sourcerecord r JOIN network_library l ON l.id = r.library_id "
            "WHERE l.code = 'UNPATTI' AND r.edition_id IS NOT NULL AND NOT r.withdrawn ORDER BY r.edition_id")]
        reader = one("SELECT id FROM auth_user WHERE username = 'pembaca'")
        return {
            "edition": editions[len(editions) // 2],
            "request": one(f"SELECT id FROM ill_illrequest WHERE reader_id = {reader} ORDER BY id"),
            "sent": one("SELECT r.id FROM ill_illrequest r JOIN network_library l ON l.id = r.supplier_id "
                        "WHERE l.code = 'UNHAS' ORDER BY r.id"),
            "batch": one("SELECT b.id FROM catalog_importbatch b JOIN network_library l ON l.id = b.library_id "
                         "WHERE l.code = 'UNPATTI' ORDER BY b.id"),
            "serial": one("SELECT id FROM serials_serial ORDER BY id"),
            "bibliography": one(f"SELECT id FROM bibliographies_bibliography WHERE owner_id = {reader} ORDER BY id"),
        }


def pages(j: dict) -> dict[str, list[str]]:
    """Each role's journey, as `tests/browser/test_phone_journeys.py` walks it."""
    return {
        "reader": ["/", "/search/?q=indonesia", f"/catalogue/{j['edition']}/", "/serials/", f"/serials/{j['serial']}/",
                   "/libraries/", "/libraries/UNPATTI/", "/networks/", "/networks/JPIT/",
                   "/agreements/check/?requester=UNPATTI&supplier=UNHAS&service=loan", "/bibliographies/",
                   *([f"/bibliographies/{j['bibliography']}/"] if j["bibliography"] else []), "/my/pass/",
                   "/my/requests/", f"/my/requests/{j['request']}/", f"/ill/new/?edition={j['edition']}", "/analysis/"],
        "staff": ["/manage/", "/manage/libraries/UNPATTI/records/", f"/manage/batches/{j['batch']}/",
                  "/manage/libraries/UNPATTI/holdings/", "/manage/ill/", "/manage/ill/lending/",
                  f"/manage/ill/requests/{j['request']}/", "/manage/ill/ledger/", "/ill/new/",
                  "/manage/reciprocal/UNPATTI/desk/", "/analysis/libraries/UNPATTI/evaluation/",
                  "/analysis/libraries/UNPATTI/order-check/", "/analysis/libraries/UNPATTI/retention/"],
        "ill": ["/manage/ill/lending/", "/manage/ill/lending/?state=RequestReceived", f"/manage/ill/requests/{j['sent']}/",
                "/manage/ill/", "/manage/ill/ledger/", f"/manage/ill/print/slip/?ids={j['sent']}"],
        "coordinator": ["/manage/", "/networks/JPIT/", "/manage/networks/JPIT/ill/", "/analysis/",
                        "/analysis/networks/JPIT/", "/analysis/networks/JPIT/evaluation/",
                        "/analysis/networks/JPIT/last-copies/", "/analysis/networks/JPIT/libraries/UNPATTI/",
                        "/analysis/group/"],
    }


def passwords() -> dict[str, str]:
    sys.path.insert(0, str(REPO / "src"))
    from jaringan.demo import datafiles

    return {u["username"]: u["password"] for u in datafiles.network()["users"]}


def server_cpu_ns(pid: int) -> int:
    """CPU time of every thread of process ``pid`` so far, in nanoseconds."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended in between
    return total


def sign_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    form = session.get(base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    done = session.post(base + "/accounts/login/", data={"username": username, "password": password,
                                                         "csrfmiddlewaretoken": token},
                        headers={"Referer": base + "/accounts/login/"})
    if "/accounts/login/" in done.url:
        raise SystemExit(f"{username} could not sign in")
    return session


def measure(session: requests.Session, base: str, path: str, lang: str, count: int, pid: int) -> dict:
    headers = {"Accept-Language": lang}
    for _ in range(2):
        warm = session.get(base + path, headers=headers, allow_redirects=False)
        if warm.status_code != 200:
            raise SystemExit(f"{path} ({lang}): HTTP {warm.status_code}")
    times = []
    cpu = server_cpu_ns(pid)
    for _ in range(count):
        start = time.perf_counter()
        response = session.get(base + path, headers=headers, allow_redirects=False)
        _body = response.content
        times.append((time.perf_counter() - start) * 1000)
    cpu_ms = (server_cpu_ns(pid) - cpu) / 1e6 / count
    times.sort()
    return {"path": path, "lang": lang, "p50_ms": statistics.median(times),
            "p95_ms": times[math.ceil(0.95 * len(times)) - 1], "max_ms": times[-1], "server_cpu_ms": cpu_ms,
            "bytes": len(response.content), "wire_bytes": int(response.headers.get("Content-Length") or 0)}


def count_queries(home: Path, journeys: dict[str, list[str]]) -> dict[tuple[str, str], int]:
    """The database queries of each page, asked once in this process as each role (after one untimed ask)."""
    os.environ.update({"JARINGAN_HOME": str(home), "DJANGO_SETTINGS_MODULE": "jaringan.settings",
                       "JARINGAN_SECRET_KEY": os.environ.get("JARINGAN_SECRET_KEY", "bench-" + "k" * 50)})
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = {}
    for role, paths in journeys.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=ROLES[role]))
        for path in paths:
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            out[(role, path)] = len(queries)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="demo folder to reuse or make (default: a temporary one)")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests a page and language (default 30)")
    parser.add_argument("--lang", action="append", choices=("id", "en"), help="languages (default both)")
    parser.add_argument("--only", action="append", choices=sorted(ROLES), help="roles (default every one)")
    parser.add_argument("--queries", action="store_true", help="also count each page's database queries")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    if args.home is None:
        import tempfile

        args.home = Path(tempfile.mkdtemp(prefix="jaringan-bench-journeys-"))
    home = args.home.resolve()
    demo(home)
    journeys = {role: paths for role, paths in pages(ids(home)).items() if not args.only or role in args.only}
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    server = subprocess.Popen([sys.executable, "-m", "jaringan", "serve", "--port", str(port)], env=_env(home),
                              cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(base)
        secrets = passwords()
        rows = []
        for role, paths in journeys.items():
            session = sign_in(base, ROLES[role], secrets[ROLES[role]])
            for lang in args.lang or ["id", "en"]:
                for path in paths:
                    rows.append({"role": role, **measure(session, base, path, lang, args.requests, server.pid)})
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()
    if args.queries:
        counted = count_queries(home, journeys)
        for row in rows:
            row["queries"] = counted[(row["role"], row["path"])]
    report(rows, args, home, load_before, load_after)
    return 0


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit("jaringan serve did not answer within 60 s")


def report(rows: list[dict], args, home: Path, load_before, load_after) -> None:
    over = [r for r in rows if r["p95_ms"] > BUDGET_MS]
    if args.json:
        print(json.dumps({"home": str(home), "requests": args.requests, "load_before": load_before,
                          "load_after": load_after, "cpus": os.cpu_count(), "pages": rows,
                          "over_budget": len(over)}))
        return
    print(f"jaringan serve (waitress) over the demo in {home}; {args.requests} timed requests a page and language; "
          f"{os.cpu_count()} CPUs; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"{'role':12s} {'lang':4s} {'page':58s} {'p50':>7s} {'p95':>7s} {'max':>7s} {'CPU':>7s}"
          + (" queries" if args.queries else ""))
    for r in rows:
        print(f"{r['role']:12s} {r['lang']:4s} {r['path'][:58]:58s} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} "
              f"{r['max_ms']:7.1f} {r['server_cpu_ms']:7.1f}" + (f" {r['queries']:7d}" if args.queries else ""))
    worst = max(rows, key=lambda r: r["p95_ms"])
    print(f"{len(rows)} pages; {len(over)} over p95 {BUDGET_MS:.0f} ms; the slowest: {worst['role']} {worst['lang']} "
          f"{worst['path']} p95 {worst['p95_ms']:.1f} ms (server CPU {worst['server_cpu_ms']:.1f} ms a page)")


if __name__ == "__main__":
    raise SystemExit(main())
