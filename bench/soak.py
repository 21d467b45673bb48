"""Soak: imports, harvests and interlibrary loans while readers search, with kill -9 at random points.

A hub is set up in a folder of its own (``jaringan migrate``; the demo network,
staff with API tokens, two OAI-PMH sources and the records of two libraries
through the library's own functions, in one process; ``jaringan serve``), with
a real OAI-PMH provider on 127.0.0.1 (``tests/support/oai_server.py``). For the
time budget, at once:

* searchers ask ``/search/`` without pause;
* an importer runs ``jaringan import`` of the same records into four libraries,
  over and over, killing (SIGKILL) the first run and three in five of the others
  at a random moment once their batch is running, and running the file again
  to its end;
* a harvester runs ``jaringan harvest`` for two libraries the same way;
* lenders and borrowers walk loans through the JSON API (request, WillSupply,
  Loaned sent twice at once, Received, ShippedReturn, LoanCompleted);
* the server itself is killed (SIGKILL) at random moments and started again;
  an action whose answer was lost is looked up and sent again only if it did
  not happen.

Then ``jaringan ill-tick`` and ``jaringan reindex --drain-only`` run, and it is
all reconciled: no batch left running, as many batches "interrupted" as runs
were killed mid-way (each listed so through the API right after its kill),
every library holds each record of the file once (nothing lost, nothing
doubled), every record has its edition, the search index holds exactly the
editions a fresh rebuild holds, no ledger line is charged twice, every
request's state is its last event's, and no search got a server error.

    python bench/soak.py [--seconds 40] [--records 400] [--seed 7]

Exit status 1 when a check fails. On PostgreSQL (``DATABASE_URL=postgresql://...``)
a fresh database is made beside the one named, and dropped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import lzma
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.support.processes import fresh_database  # noqa: E402 (the repository's own helpers)

RECORDS_FILE = REPO / "src" / "jaringan" / "demo" / "data" / "loc-indonesia-2016.mrc.xz"
OAI_SERVER = REPO / "tests" / "support" / "oai_server.py"
#: Libraries given the file (each holds every record: editions of four holdings), and those harvested.
IMPORTERS = ["UNPATTI", "UNHAS", "UNUD", "ITB"]
HARVESTERS = ["UI", "PNRI"]
REQUESTER = "UNPATTI"
LENDERS = ["UNHAS", "UNUD", "ITB", "UI", "PNRI"]
PASSWORD = "kata-sandi-soak-panjang"
WORDS = ["indonesia", "sejarah", "bahasa", "islam", "jawa", "politik", "ekonomi", "sastra", "hukum", "budaya"]
LOAN_STEPS = [("lender", "WillSupply"), ("lender", "Loaned"), ("requester", "Received"),
              ("requester", "ShippedReturn"), ("lender", "LoanCompleted")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_records(path: Path, limit: int) -> int:
    """The first `limit` records of the shipped LoC file as MARC 21; how many were written."""
    data = lzma.decompress(RECORDS_FILE.read_bytes())
    records = [r + b"\x1d" for r in data.split(b"\x1d") if r.strip()][:limit]
    path.write_bytes(b"".join(records))
    return len(records)


class Hub:
    """The hub under test: its folder, its database, its commands and its server."""

    def __init__(self, home: Path, database_url: str | None) -> None:
        self.home, self.port = home, free_port()
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JARINGAN_TEST_DATABASE")}
        self.env.update(JARINGAN_HOME=str(home), LANGUAGE="en", JARINGAN_MAP_TILES="",
                        JARINGAN_SECRET_KEY="soak-" + os.urandom(16).hex(),
                        JARINGAN_OUTBOUND_ALLOW="127.0.0.1/32",  # the provider runs on this machine
                        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])))
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.server: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}
        self.up = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "jaringan", *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout, cwd=REPO)
        if done.returncode != 0:
            raise RuntimeError(f"jaringan {' '.join(args)} failed: {done.stdout}{done.stderr}")
        return done

    def start(self, *args: str) -> subprocess.Popen:
        log = open(self.home / "commands.log", "ab")
        return subprocess.Popen([sys.executable, "-m", "jaringan", *args], env=self.env, stdout=log,
                                stderr=subprocess.STDOUT, cwd=REPO)

    def serve(self) -> None:
        self.server = self.start("serve", "--port", str(self.port), "--threads", "8")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/api/networks", timeout=2).read()
                self.up.set()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill_server(self) -> None:
        self.up.clear()
        self.server.send_signal(signal.SIGKILL)
        self.server.wait(timeout=30)

    def django(self, code: str) -> str:
        """Run Python `code` with Django set up on the hub's database (in a process of its own); its output."""
        done = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], cwd=REPO,
                              env=dict(self.env, DJANGO_SETTINGS_MODULE="jaringan.settings"), capture_output=True,
                              text=True, timeout=300)
        if done.returncode:
            raise RuntimeError(done.stderr)
        return done.stdout

    def setup(self, provider: str, path: Path) -> list[int]:
        """The demo network; staff with API tokens for the requester and every lender; the harvested
        libraries' sources; and the file imported whole into the first two libraries (loans need editions
        more than one library holds). The ids of the editions they both hold."""
        made = json.loads(self.django(f"""
import json
from pathlib import Path
from jaringan.catalog.pipeline import import_file
from jaringan.demo import network as demo
from jaringan.harvesting.services import source_save
from jaringan.network import services
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
demo.load_network()
for code in {IMPORTERS[:2]!r}:
    with Path({str(path)!r}).open("rb") as stream:
        import_file(actor=SYSTEM, library=Library.objects.get(code=code), stream=stream, name=Path({str(path)!r}).name)
tokens = {{}}
for code in {[REQUESTER, *LENDERS]!r}:
    user = services.user_create(username="soak." + code.lower(), password={PASSWORD!r}, role="staff",
                                library=code, check_password=False)
    tokens[user.username] = services.token_create(user=user)
for code in {HARVESTERS!r}:
    source_save(actor=SYSTEM, library=Library.objects.get(code=code),
                data={{"endpoint": {provider!r}, "metadata_prefix": "marc21"}})
from django.db.models import Count
from jaringan.catalog.models import Edition
shared = Edition.objects.annotate(n=Count("records")).filter(n__gt=1).values_list("pk", flat=True)
print(json.dumps({{"tokens": tokens, "editions": list(shared)}}))
""").strip().splitlines()[-1])
        self.tokens = made["tokens"]
        if not made["editions"]:
            raise RuntimeError("no edition is held by two libraries")
        return made["editions"]

    def running_batch(self, code: str, after: int) -> bool:
        """Whether the library has a batch newer than `after` that is running, read from the database
        directly (the API answers too slowly to catch a short run)."""
        sql = ("SELECT b.status FROM catalog_importbatch b JOIN network_library l ON l.id = b.library_id "
               "WHERE l.code = {mark} AND b.id > {mark} ORDER BY b.id DESC LIMIT 1")
        if "DATABASE_URL" in self.env:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as db:
                row = db.execute(sql.format(mark="%s"), (code, after)).fetchone()
        else:
            import sqlite3

            with contextlib.closing(sqlite3.connect(self.home / "jaringan.sqlite3", timeout=30)) as db:
                row = db.execute(sql.format(mark="?"), (code, after)).fetchone()
        return bool(row) and row[0] == "running"

    def last_batch(self, code: str) -> tuple[int, str]:
        """(id, status) of the library's latest batch, (0, "") when it has none (waits for the server)."""
        while True:
            self.up.wait(timeout=60)
            status, batches = self.api("GET", f"/libraries/{code}/batches", user=f"soak.{code.lower()}")
            if status == 200:
                return (batches[0]["id"], batches[0]["status"]) if batches else (0, "")
            time.sleep(0.1)

    def api(self, method: str, path: str, body=None, *, user: str) -> tuple[int, object]:
        """(status, payload); status 0 when the server could not be reached or the answer was lost."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "/api" + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.tokens[user]}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                return exc.code, json.loads(raw or b"null")
            except ValueError:
                return exc.code, raw[:200].decode("utf-8", "replace")
        except (OSError, ValueError, http.client.HTTPException):
            return 0, None


class Tally:
    """What happened, counted from every thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.search_ms: list[float] = []
        self.errors: list[str] = []

    def add(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def run_killing(hub: Hub, args: list[str], code: str, rng: random.Random, tally: Tally, what: str, *,
                kill_share: float, longest: float, kill_first: bool = False) -> None:
    """Run a command to its end, killing about `kill_share` of the attempts first (and the first one when
    `kill_first`), at a random moment once its batch is running (seen through the API, as staff see it)."""
    while True:
        before = hub.last_batch(code)[0]
        process = hub.start(*args)
        if kill_first or rng.random() < kill_share:
            kill_first = False
            while process.poll() is None and not hub.running_batch(code, before):
                time.sleep(0.01)
            try:
                process.wait(timeout=rng.uniform(0, longest))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=30)
                tally.add(f"{what} killed")
                # Listed through the API, the killed run's batch shows as interrupted (unless it had just ended).
                batch, status = hub.last_batch(code)
                if batch > before and status != "done":
                    tally.add("killed mid-run")
                    if status != "interrupted":
                        tally.error(f"{code}: batch {batch} of a killed {what} is listed as {status}")
                continue
        else:
            process.wait(timeout=600)
        if process.returncode == 0:
            tally.add(f"{what} runs")
            return
        tally.error(f"{what} {' '.join(args)} exited {process.returncode}")
        return


def importer(hub: Hub, path: Path, stop: threading.Event, rng: random.Random, tally: Tally) -> None:
    first = IMPORTERS[2:]  # the libraries not yet given the file, then any
    while not stop.is_set():
        code = first.pop(0) if first else rng.choice(IMPORTERS)
        run_killing(hub, ["import", str(path), "--library", code], code, rng, tally, "import", kill_share=0.6,
                    longest=1.0, kill_first=code == IMPORTERS[2])


def harvester(hub: Hub, stop: threading.Event, rng: random.Random, tally: Tally) -> None:
    first = True
    while not stop.is_set():
        code = rng.choice(HARVESTERS)
        run_killing(hub, ["harvest", "--library", code], code, rng, tally, "harvest", kill_share=0.6, longest=0.5,
                    kill_first=first)
        first = False


def searcher(hub: Hub, stop: threading.Event, rng: random.Random, tally: Tally) -> None:
    while not stop.is_set():
        if not hub.up.wait(timeout=1):
            continue
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{hub.url}/search/?q={rng.choice(WORDS)}", timeout=30) as response:
                response.read()
            with tally.lock:
                tally.search_ms.append((time.perf_counter() - started) * 1000)
            tally.add("searches")
        except urllib.error.HTTPError as exc:
            tally.add(f"search HTTP {exc.code}")
            if exc.code >= 500:
                tally.error(f"search answered HTTP {exc.code}")
        except (OSError, ValueError, http.client.HTTPException):
            tally.add("searches cut off by a kill")


def _act(hub: Hub, request_id: int, user: str, action: str, tally: Tally) -> dict | None:
    """Take one action, surviving a server kill: a lost answer is looked up before anything is sent again."""
    for _attempt in range(20):
        hub.up.wait(timeout=60)
        status, detail = hub.api("GET", f"/ill/requests/{request_id}", user=user)
        if status != 200:
            time.sleep(0.2)
            continue
        if action not in detail["actions"]:
            return detail  # done already (an answer lost in a kill), or no longer possible
        status, after = hub.api("POST", f"/ill/requests/{request_id}/actions",
                                {"action": action, "expected_version": detail["version"]}, user=user)
        if status == 200:
            return after
        if status in (0, 409):
            tally.add("actions retried")
            continue
        tally.error(f"request {request_id}: {action} answered {status}: {after}")
        return None
    tally.error(f"request {request_id}: {action} not taken after 20 attempts")
    return None


def lender_desk(hub: Hub, editions: list[int], stop: threading.Event, rng: random.Random, tally: Tally) -> None:
    requester = f"soak.{REQUESTER.lower()}"
    while not stop.is_set():
        if not hub.up.wait(timeout=1):
            continue
        started = time.perf_counter()
        status, detail = hub.api("POST", "/ill/requests", {"edition": rng.choice(editions), "reader_name": "Soak"},
                                 user=requester)
        with tally.lock:
            tally.counts["request ms"] = round((time.perf_counter() - started) * 1000)
        if status == 0:
            tally.add("requests cut off by a kill")  # it may exist or not: reconciled like every other
            continue
        if status != 201:
            tally.error(f"request answered {status}: {detail}")
            continue
        tally.add("requests")
        request_id, lender = detail["id"], detail.get("supplier")
        if not lender or f"soak.{lender.lower()}" not in hub.tokens:
            tally.add("requests with no lender here")
            continue
        for role, action in LOAN_STEPS:
            if stop.is_set():  # a loan left half-way is reconciled like any other
                break
            user = requester if role == "requester" else f"soak.{lender.lower()}"
            if action == "Loaned":  # pressed twice at once: applied and charged once
                twice = [threading.Thread(target=_act, args=(hub, request_id, user, action, tally)) for _ in "ab"]
                for t in twice:
                    t.start()
                for t in twice:
                    t.join()
                continue
            if _act(hub, request_id, user, action, tally) is None:
                break
        else:
            tally.add("loans completed")


def server_killer(hub: Hub, stop: threading.Event, rng: random.Random, tally: Tally, every: float) -> None:
    while not stop.wait(rng.uniform(every * 0.75, every * 1.25)):
        hub.kill_server()
        tally.add("server killed")
        hub.serve()


# --- reconciliation ---------------------------------------------------------------------------------

def index_ids() -> list[int]:
    """The edition ids the search index holds (as the hub's searches see it now)."""
    import tantivy

    from jaringan.discovery.selectors import current_index

    index = current_index()
    index.reload()
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=max(searcher.num_docs, 1)).hits
    return sorted(int(searcher.doc(address)["edition_id"][0]) for _score, address in hits)


def reconcile(hub: Hub, path: Path, records: int, tally: Tally) -> list[str]:
    """Every check, in this process on the hub's database; the failures."""
    os.environ.update({k: hub.env[k] for k in ("JARINGAN_HOME", "JARINGAN_SECRET_KEY")})
    if "DATABASE_URL" in hub.env:
        os.environ["DATABASE_URL"] = hub.env["DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.db.models import Count

    from jaringan.catalog.models import EditionChange, ImportBatch, SourceRecord
    from jaringan.core.catalog import readers
    from jaringan.ill.models import IllEvent, IllRequest, LedgerEntry

    failures = []

    def check(ok: bool, text: str) -> None:
        print(("ok    " if ok else "FAIL  ") + text)
        if not ok:
            failures.append(text)

    running = ImportBatch.objects.filter(status="running").count()
    check(running == 0, f"no batch left running ({running})")
    interrupted = ImportBatch.objects.filter(status="interrupted").count()
    killed = tally.counts.get("killed mid-run", 0)
    check(interrupted == killed, f"{interrupted} batches interrupted, {killed} runs killed mid-run")
    with path.open("rb") as stream:
        items = list(readers.read(stream, format="marc21"))
    expected = len({i.source_id for i in items if i.error is None and not i.deleted})
    for code in IMPORTERS + HARVESTERS:
        held = SourceRecord.objects.filter(library__code=code)
        total, distinct = held.count(), held.values("source_id").distinct().count()
        want = expected if code in IMPORTERS else records
        check(total == distinct == want, f"{code}: {total} records, {distinct} identifiers, {want} expected")
    orphans = SourceRecord.objects.filter(withdrawn=False, edition__isnull=True).count()
    check(orphans == 0, f"every record has its edition ({orphans} without)")
    pending = EditionChange.objects.count()
    check(pending == 0, f"the index outbox is drained ({pending} waiting)")
    from jaringan.discovery.services import reindex

    drained = index_ids()
    reindex()
    rebuilt = index_ids()
    check(drained == rebuilt, f"the index after the kills holds the editions a rebuild holds "
                              f"({len(drained)} and {len(rebuilt)}; {len(set(drained) ^ set(rebuilt))} differ)")
    doubled = LedgerEntry.objects.values("request", "line").annotate(n=Count("id")).filter(n__gt=1).count()
    check(doubled == 0, f"no ledger line charged twice ({doubled} doubled)")
    loaned_twice = IllEvent.objects.filter(action="Loaned").values("request").annotate(n=Count("id")) \
        .filter(n__gt=1).count()
    check(loaned_twice == 0, f"no loan shipped twice ({loaned_twice})")
    charged = set(LedgerEntry.objects.values_list("request", flat=True))
    supplied = set(IllEvent.objects.filter(action__in=["Loaned", "CopyCompleted"]).values_list("request", flat=True))
    check(charged <= supplied, f"every charge belongs to a supply ({len(charged - supplied)} do not)")
    wrong = [r.pk for r in IllRequest.objects.all() if (last := r.events.order_by("-at", "-pk").first())
             and last.to_state != r.state]
    check(not wrong, f"every request is in its last event's state ({len(wrong)} are not)")
    check(not tally.errors, f"no server error or refused step ({len(tally.errors)}: {tally.errors[:5]})")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40, help="how long the load runs (default 40)")
    parser.add_argument("--records", type=int, default=400, help="records in the file and at the provider")
    parser.add_argument("--searchers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--keep", action="store_true", help="keep the hub's folder")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    began = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="jaringan-soak-"))
    print(f"seed {args.seed}; hub in {folder}", flush=True)

    def phase(name: str) -> None:
        print(f"{time.monotonic() - began:6.1f} s  {name}", flush=True)

    with fresh_database("soak") as url:
        hub = Hub(folder, url)
        path = folder / "records.mrc"
        records = write_records(path, args.records)
        hub.cli("migrate")
        phase("database made")
        provider = subprocess.Popen([sys.executable, str(OAI_SERVER), "--data", str(path), "--limit", str(records),
                                     "--page-size", "25", "--delay", "0.05"], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
        editions = hub.setup(f"http://127.0.0.1:{int(provider.stdout.readline())}/oai", path)
        hub.serve()
        tally = Tally()
        phase(f"demo network, users, sources, two libraries' records and the server ready; {len(editions)} "
              "editions held by both; load starts")
        stop = threading.Event()
        threads = [threading.Thread(target=importer, args=(hub, path, stop, random.Random(rng.random()), tally)),
                   threading.Thread(target=harvester, args=(hub, stop, random.Random(rng.random()), tally)),
                   threading.Thread(target=lender_desk, args=(hub, editions, stop, random.Random(rng.random()),
                                                              tally)),
                   threading.Thread(target=server_killer, args=(hub, stop, random.Random(rng.random()), tally,
                                                                max(args.seconds / 3, 5)))]
        threads += [threading.Thread(target=searcher, args=(hub, stop, random.Random(rng.random()), tally))
                    for _ in range(args.searchers)]
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        phase("load stops")
        for t in threads:
            t.join(timeout=600)
        phase("load stopped")
        # Every run ended whole (a killed one was run again); libraries the importer did not reach get the
        # file now. Then the scheduled work marks and drains what is left.
        for code in IMPORTERS[2:]:
            if not hub.last_batch(code)[0]:
                hub.cli("import", str(path), "--library", code)
        hub.cli("harvest")
        hub.cli("ill-tick")
        hub.cli("reindex", "--drain-only")
        phase("scheduled work done")
        hub.kill_server()
        provider.terminate()
        provider.wait(timeout=30)
        ms = sorted(tally.search_ms) or [0.0]
        print(json.dumps({"seconds": round(time.monotonic() - began, 1), **tally.counts,
                          "search p50 ms": round(statistics.median(ms), 1),
                          "search p95 ms": round(ms[int(len(ms) * 0.95) - 1 if len(ms) > 1 else 0], 1)}),
              flush=True)
        failures = reconcile(hub, path, records, tally)
        from django.db import connections

        connections.close_all()
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'FAILED' if failures else 'passed'}: {len(failures)} of the checks failed; "
          f"{time.monotonic() - began:.1f} s in all", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
