"""One file of records through the three doors: `jaringan import`, the records page and the API.

    python bench/upload.py                   # the 40,000 LoC records (about 39 MB), each door once
    python bench/upload.py --records 5000    # the first 5,000 of them (a quick run)
    python bench/upload.py --json            # the same, then the figures as one JSON object

Each door gets a fresh database (SQLite in a temporary folder, or the
PostgreSQL named by DATABASE_URL: its `jaringan_bench_upload` database is
dropped and made again) with the demo network, and the same file for one
library (UNPATTI):

* cli: ``python -m jaringan import FILE --library UNPATTI``, timed from the
  command's start to its end (it ends when the search index has caught up);
* web: ``jaringan serve`` on 127.0.0.1, a real HTTP session that signs in as
  the library's staff, sends the file with the records page's form and
  follows the batch page's JSON until the batch is done;
* api: the same server, the file sent to ``POST /api/libraries/UNPATTI/records``
  with a token, then ``GET`` on the batch's URL until it is done.

For web and API the time runs from the first byte sent to the moment the
batch is done and the outbox is empty (the search index caught up), as for
the command. Each door's CPU time (the command and its children; the server
process and its children, counted from just before the upload) is given per
1,000 records: on a machine shared with other work the rate says what the
machine did then, the CPU time what the import costs. The target: web and
API at 80 % of the command's rate or more. The load average is printed at
the start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JARINGAN_SHARED", REPO.parent / "shared"))
LOC = SHARED / "fixtures" / "loc_mds_booksall2016" / "booksall2016_part01_first40k.mrc"
LIBRARY, STAFF = "UNPATTI", "staf.unpatti"
TARGET = 0.8


def first_records(count: int | None, folder: Path) -> Path:
    """The LoC file, or a file of its first `count` records (framed by their record terminators)."""
    if count is None:
        return LOC
    out = folder / f"loc-first-{count}.mrc"
    data = LOC.read_bytes()
    end, seen = 0, 0
    while seen < count:
        nxt = data.find(b"\x1d", end)
        if nxt < 0:
            break
        end, seen = nxt + 1, seen + 1
    out.write_bytes(data[:end])
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_of(pid: int) -> float:
    """CPU seconds of a process and its waited-for children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[n]) for n in (11, 12, 13, 14)) / ticks


class Door:
    """A fresh database and home for one door (environment for the commands, Django set up on it)."""

    def __init__(self, name: str, root: Path):
        self.name = name
        self.home = root / name
        self.home.mkdir(parents=True)
        self.env = {k: v for k, v in os.environ.items() if k != "JARINGAN_TEST_DATABASE"}
        self.env.update(JARINGAN_HOME=str(self.home), LANGUAGE="en", DJANGO_SETTINGS_MODULE="jaringan.settings",
                        JARINGAN_SECRET_KEY=os.environ.get("JARINGAN_SECRET_KEY") or secrets.token_urlsafe(50),
                        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])))
        if os.environ.get("DATABASE_URL"):
            import psycopg

            base = os.environ["DATABASE_URL"]
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS jaringan_bench_upload WITH (FORCE)")
                conn.execute("CREATE DATABASE jaringan_bench_upload")
            self.env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/jaringan_bench_upload"
        setup = subprocess.run([sys.executable, "-c", _SETUP], env=self.env, capture_output=True, text=True,
                               cwd=REPO)
        if setup.returncode:
            raise SystemExit(f"{name}: setting up the demo failed:\n{setup.stderr[-3000:]}")
        self.password, self.token = json.loads(setup.stdout.strip().splitlines()[-1])

    def jaringan(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "jaringan", *args]

    def outbox_empty(self) -> bool:
        """Whether the search index has applied every change (read straight from the database: cheap)."""
        if "DATABASE_URL" in self.env:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"]) as conn:
                return conn.execute("SELECT NOT EXISTS (SELECT 1 FROM catalog_editionchange)").fetchone()[0]
        import sqlite3

        with sqlite3.connect(self.home / "jaringan.sqlite3", timeout=30) as conn:
            return not conn.execute("SELECT EXISTS (SELECT 1 FROM catalog_editionchange)").fetchone()[0]

    def state(self) -> dict:
        """The library's last batch and whether the outbox is empty (asked in a process of its own)."""
        out = subprocess.run([sys.executable, "-c", _STATE], env=self.env, capture_output=True, text=True, cwd=REPO)
        return json.loads(out.stdout.strip().splitlines()[-1])


_SETUP = f"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from jaringan.demo import datafiles, network as demo
from jaringan.network import services
demo.load_network()
password = {{u["username"]: u["password"] for u in datafiles.network()["users"]}}["{STAFF}"]
token = services.token_create(user=get_user_model().objects.get(username="{STAFF}"))
print(json.dumps([password, token]))
"""

_STATE = f"""
import json, django
django.setup()
from jaringan.catalog.models import EditionChange, ImportBatch
b = ImportBatch.objects.filter(library__code="{LIBRARY}").order_by("-pk").first()
print(json.dumps({{"status": b.status if b else None, "read": b.read if b else 0,
                   "created": b.created if b else 0, "quarantined": b.quarantined if b else 0,
                   "seconds": (b.finished - b.started).total_seconds() if b and b.finished else None,
                   "outbox_empty": not EditionChange.objects.exists()}}))
"""


def run_cli(door: Door, path: Path) -> dict:
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(door.jaringan("import", str(path), "--library", LIBRARY), env={
        **door.env, "DJANGO_SETTINGS_MODULE": "jaringan.settings"}, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - start
    after = os.times()
    if done.returncode:
        raise SystemExit(f"jaringan import failed:\n{done.stderr[-3000:]}")
    state = door.state()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"seconds": seconds, "cpu_seconds": cpu, **state}


class Server:
    def __init__(self, door: Door):
        self.door, self.port = door, _free_port()
        self.log = open(door.home / "serve.log", "ab")
        self.process = subprocess.Popen(door.jaringan("serve", "--host", "127.0.0.1", "--port", str(self.port)),
                                        env=door.env, stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        self.url = f"http://127.0.0.1:{self.port}"
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise SystemExit(f"the server did not start (see {door.home / 'serve.log'})")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid \
                        and b"resource_tracker" not in (entry / "cmdline").read_bytes():  # lives as long as the server
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def _server_cpu(pid: int) -> float:
    """The server's CPU seconds once its import's processes (decoding, index following) have ended and
    been waited for, so that theirs are counted."""
    deadline = time.monotonic() + 120
    while _children(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _cpu_of(pid)


def _until_done(session, url: str, door: Door, timeout: float = 3600) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = session.get(url, timeout=30).json()
        if progress["status"] != "running" and door.outbox_empty():
            return progress
        if progress["status"] not in ("running", "done"):
            raise SystemExit(f"the batch ended {progress['status']}: {progress.get('message')}")
        time.sleep(0.25)
    raise SystemExit("the batch did not finish")


def _timed(door: Door, server, session, send) -> dict:
    """Send one upload (``send()`` answers the URL of its batch's progress) and wait for the batch:
    the wall time until answered and until done, and the server's CPU meanwhile."""
    cpu_before = _cpu_of(server.process.pid)
    start = time.perf_counter()
    progress_url = send()
    answered = time.perf_counter() - start
    progress = _until_done(session, progress_url, door)
    seconds = time.perf_counter() - start
    cpu = _server_cpu(server.process.pid) - cpu_before
    return {"seconds": seconds, "answered_seconds": answered, "cpu_seconds": cpu, **door.state(),
            "read": progress["read"]}


def run_web(door: Door, path: Path) -> dict:
    import requests

    server = Server(door)
    try:
        session = requests.Session()
        session.get(server.url + "/accounts/login/", timeout=30)
        signed = session.post(server.url + "/accounts/login/", data={
            "username": STAFF, "password": door.password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            timeout=30, allow_redirects=False)
        if signed.status_code != 302:
            raise SystemExit(f"signing in failed: {signed.status_code}")
        page = f"{server.url}/manage/libraries/{LIBRARY}/records/"
        session.get(page, timeout=30)

        def send() -> str:
            with open(path, "rb") as fh:
                sent = session.post(page, data={"csrfmiddlewaretoken": session.cookies["csrftoken"], "format": ""},
                                    files={"file": (path.name, fh)}, timeout=600, allow_redirects=False)
            if sent.status_code != 302 or "/manage/batches/" not in sent.headers.get("Location", ""):
                raise SystemExit(f"the records page answered {sent.status_code}, not the batch page")
            return requests.compat.urljoin(server.url, sent.headers["Location"]) + "progress/"

        return _timed(door, server, session, send)
    finally:
        server.close()


def run_api(door: Door, path: Path) -> dict:
    import requests

    server = Server(door)
    try:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {door.token}"

        def send() -> str:
            with open(path, "rb") as fh:
                sent = session.post(f"{server.url}/api/libraries/{LIBRARY}/records",
                                    files={"file": (path.name, fh)}, timeout=600)
            if sent.status_code != 202:
                raise SystemExit(f"the API answered {sent.status_code}: {sent.text[:500]}")
            return server.url + sent.json()["url"]

        return _timed(door, server, session, send)
    finally:
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, help="the first N LoC records (default: all 40,000)")
    parser.add_argument("--doors", default="cli,web,api", help="which doors, comma-separated (default all three)")
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    if not LOC.is_file():
        raise SystemExit(f"the LoC records are not at {LOC}")
    root = Path(tempfile.mkdtemp(prefix="jaringan-bench-upload-"))
    path = first_records(args.records, root)
    load_start = os.getloadavg()
    print(f"input               {path.name} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
    print(f"load average        {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f} "
          f"({os.cpu_count()} cores)", flush=True)
    runners = {"cli": run_cli, "web": run_web, "api": run_api}
    results = {}
    for name in [d.strip() for d in args.doors.split(",") if d.strip()]:
        door = Door(name, root)
        r = runners[name](door, path)
        r["records_per_second"] = r["read"] / r["seconds"]
        r["cpu_seconds_per_1000"] = 1000 * r["cpu_seconds"] / r["read"] if r["read"] else None
        results[name] = r
        extra = f", answered in {r['answered_seconds']:.1f} s" if "answered_seconds" in r else ""
        print(f"{name:<19} {r['read']:,} read ({r['created']:,} new, {r['quarantined']:,} quarantined) in "
              f"{r['seconds']:.1f} s = {r['records_per_second']:,.0f} records/s; "
              f"CPU {r['cpu_seconds']:.1f} s = {r['cpu_seconds_per_1000']:.2f} s per 1,000 records{extra}",
              flush=True)
    load_end = os.getloadavg()
    print(f"load average        {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f} (at the end)")
    ratios = {}
    if "cli" in results:
        for name in ("web", "api"):
            if name in results:
                ratios[name] = results[name]["records_per_second"] / results["cli"]["records_per_second"]
                cpu = results["cli"]["cpu_seconds_per_1000"] / results[name]["cpu_seconds_per_1000"]
                print(f"{name} / cli           {100 * ratios[name]:.0f} % of the command's rate "
                      f"(target {100 * TARGET:.0f} %), {100 * cpu:.0f} % by CPU time per record")
    if args.json:
        print(json.dumps({
            "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
            "records": results[next(iter(results))]["read"] if results else 0,
            "load_average": {"start": list(load_start), "end": list(load_end)},
            "doors": {k: {key: (round(v, 3) if isinstance(v, float) else v) for key, v in r.items()}
                      for k, r in results.items()},
            "ratio_to_cli": {k: round(v, 3) for k, v in ratios.items()}, "target": TARGET,
        }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
