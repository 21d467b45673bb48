"""The host desk under measure: staff scan a visitor's pass and the decision comes back in one request.

    python bench/reciprocal_desk.py                 # a fresh demo network (no catalogue) in a folder of its own
    python bench/reciprocal_desk.py --home DIR      # reuse (or make once) the demo in DIR
    python bench/reciprocal_desk.py --requests 300 --json
    python bench/reciprocal_desk.py --in-process    # queries and CPU of one check, no server (A/B of code)

A real server (`jaringan serve`, what a user runs) on loopback, signed in as the Hasanuddin staff
(``staf.unhas``); each request is the desk's POST of the demo reader's pass code: the pass read, the
agreements of both libraries' networks and their terms, the standing (blocks at any member, overdue
ILL and reciprocal loans), the decision, the visit written and the page rendered. Then the same with
the standing asked over NCIP: a member's NCIP server runs as a process of its own on 127.0.0.1
(``tests/reciprocal/ncip_server.py``), registered as Hasanuddin's, and the Udayana desk (``staf.unud``)
checks a Hasanuddin reader known only to it. Prints the 50th/95th/99th percentiles of each against the
targets (p95 ≤ 100 ms; ≤ 300 ms over NCIP); ``--json`` adds the figures as one JSON object on the last
line. The load generator runs on the same machine, one request at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
TARGETS_MS = {"hub": 100.0, "ncip": 300.0}
NCIP_READER = "BENCH-0001"


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JARINGAN_HOME=str(home), LANGUAGE="en", JARINGAN_OUTBOUND_ALLOW="127.0.0.1/32",
               PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]))
    env.setdefault("JARINGAN_SECRET_KEY", "bench-" + "k" * 50)
    return env


def demo(home: Path) -> None:
    if (home / "jaringan.sqlite3").exists():
        return
    print(f"making the demo network in {home} ...", flush=True)
    subprocess.run([sys.executable, "-m", "jaringan", "demo", "--no-serve", "--records", "0"], env=_env(home),
                   check=True, stdout=subprocess.DEVNULL, cwd=REPO)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "jaringan", "serve", "--port", str(port)], env=_env(home),
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


def start_ncip(agency: str, port: int = 0) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.reciprocal.ncip_server", "--port", str(port), "--agency", agency,
                             "--secret", "bench-secret", "--reader", f"{NCIP_READER}=good"],
                            stdout=subprocess.PIPE, env=_env(Path(tempfile.gettempdir())), cwd=REPO, text=True)
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.terminate()
        raise SystemExit("the NCIP server did not start")
    return proc, f"http://127.0.0.1:{int(line.split()[1])}/ncip"


def prepare(home: Path, ncip_url: str) -> dict:
    """The demo reader's pass code, and a Hasanuddin reader whose standing Hasanuddin's NCIP server holds."""
    script = f"""
import django, json
django.setup()
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from jaringan.reciprocal import services
from jaringan.reciprocal.models import NcipServer, Pass
unhas = Library.objects.get(code="UNHAS")
NcipServer.objects.update_or_create(library=unhas, defaults={{"url": {ncip_url!r}, "agency_id": "UNHAS-KOHA",
    "shared_secret": "bench-secret", "timeout": 5}})
visitor = Pass.objects.filter(home=unhas, home_user_id={NCIP_READER!r}, state="active").first() or \\
    services.pass_enrol(actor=SYSTEM, library=unhas, data={{"reader_name": "Pembaca NCIP", "category": "student",
                                                           "home_user_id": {NCIP_READER!r}}})
print(json.dumps({{"hub": Pass.objects.get(reader__username="pembaca", state="active").code, "ncip": visitor.code}}))
"""
    env = {**_env(home), "DJANGO_SETTINGS_MODULE": "jaringan.settings"}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def signed_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.headers["Accept-Language"] = "en"
    session.get(f"{base}/accounts/login/")
    token = session.cookies["csrftoken"]
    response = session.post(f"{base}/accounts/login/", data={"username": username, "password": password,
                                                             "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False)
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {username}")
    return session


def measure(session: requests.Session, url: str, code: str, n: int, expect: str) -> list[float]:
    token = session.cookies["csrftoken"]
    times = []
    for i in range(n + 10):
        started = time.perf_counter()
        response = session.post(url, data={"code": code, "csrfmiddlewaretoken": token}, headers={"Referer": url})
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or expect not in response.text:
            raise SystemExit(f"the desk did not decide as expected: HTTP {response.status_code}")
        if i >= 10:  # the first requests warm the server's caches
            times.append(elapsed * 1000)
    return times


def cpu_seconds(pid: int) -> float:
    """CPU (user + system) used so far by process ``pid`` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


IN_PROCESS = """
import django, json, sys, time
django.setup()
from django.db import connection
from django.test import Client
from jaringan.reciprocal.models import Pass
code, n = Pass.objects.get(reader__username="pembaca", state="active").code, int(sys.argv[1])
client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="127.0.0.1")
assert client.login(username="staf.unhas", password="demo-tamalanrea")
url = "/manage/reciprocal/UNHAS/desk/"
def check():
    assert client.post(url, {"code": code}).status_code == 200
for _ in range(10):
    check()
queries = []
with connection.execute_wrapper(lambda execute, sql, params, many, context: queries.append(sql) or
                                execute(sql, params, many, context)):
    check()
started = time.process_time()
for _ in range(n):
    check()
print(json.dumps({"queries": len(queries), "cpu_ms": (time.process_time() - started) * 1000 / n}))
"""


def in_process(home: Path, n: int) -> dict:
    """The desk's check through the whole site (middleware, view, template) in this process, without the HTTP
    server: the queries of one check and the CPU of each (``time.process_time``, not the machine's load)."""
    env = {**_env(home), "DJANGO_SETTINGS_MODULE": "jaringan.settings"}
    done = subprocess.run([sys.executable, "-c", IN_PROCESS, str(n)], env=env, cwd=REPO, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="the demo's folder (made once; default: a new temporary one)")
    parser.add_argument("--requests", type=int, default=200, help="requests measured for each case")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON on the last line")
    parser.add_argument("--port", type=int, default=0,
                        help="the hub's port on 127.0.0.1 (the NCIP server takes the next one; default: any free)")
    parser.add_argument("--in-process", action="store_true",
                        help="only the queries and CPU of a check in this process (no HTTP server, no NCIP)")
    args = parser.parse_args(argv)
    home = args.home or Path(tempfile.mkdtemp(prefix="jaringan-desk-"))
    home.mkdir(parents=True, exist_ok=True)
    demo(home)
    if args.in_process:
        figures = in_process(home, args.requests)
        print(f"desk, in this process: {figures['queries']} queries and {figures['cpu_ms']:.1f} ms of CPU a check "
              f"({args.requests} checks); load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        return 0
    ncip, ncip_url = start_ncip("UNHAS-KOHA", args.port + 1 if args.port else 0)
    port = args.port or free_port()
    server = None
    figures = {"requests": args.requests, "cases": {}}
    try:
        codes = prepare(home, ncip_url)
        server = start_server(home, port)
        base = f"http://127.0.0.1:{port}"
        cases = [("hub", "staf.unhas", "demo-tamalanrea", "UNHAS", codes["hub"], "In good standing at the home library."),
                 ("ncip", "staf.unud", "demo-jimbaran", "UNUD", codes["ncip"], "over NCIP")]
        for name, username, password, library, code, expect in cases:
            session = signed_in(base, username, password)
            cpu = cpu_seconds(server.pid)
            times = measure(session, f"{base}/manage/reciprocal/{library}/desk/", code, args.requests, expect)
            cpu_ms = (cpu_seconds(server.pid) - cpu) * 1000 / (args.requests + 10)
            p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
            ok = p95 <= TARGETS_MS[name]
            print(f"desk, standing from {'the hub' if name == 'hub' else 'an NCIP server process':<24} "
                  f"{len(times)} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms "
                  f"(target p95 <= {TARGETS_MS[name]:.0f} ms: {'met' if ok else 'NOT met'}); "
                  f"the server's CPU {cpu_ms:.1f} ms a request", flush=True)
            figures["cases"][name] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "p99_ms": round(p99, 1),
                                      "server_cpu_ms": round(cpu_ms, 1), "target_p95_ms": TARGETS_MS[name],
                                      "met": ok}
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        ncip.terminate()
        ncip.wait(timeout=10)
    figures["load_average"] = round(os.getloadavg()[0], 1)
    print(f"load average of the machine at the end: {figures['load_average']} ({os.cpu_count()} cores)")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
