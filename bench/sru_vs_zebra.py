"""SRU beside Zebra: the same records, the same CQL queries, hit counts and throughput side by side.

    python bench/sru_vs_zebra.py [--records 40000] [--no-indonesian] [--duration 8] [--connections 4]
                                 [--server granian|gunicorn] [--no-cache] [--queries bench/queries.txt] [--fresh]

1. A catalogue in a work folder (``bench/out/sru_vs_zebra-N/``, kept between runs; ``--fresh``
   starts again): the first N LoC records and the 3,148 Indonesian ones imported into one library
   (SQLite), the search index built.
2. The same editions loaded into Zebra by ``jaringan z3950 export``'s own code
   (``jaringan.interop.z3950``: the MARCXML ``/sru`` serves, the DOM filter, ICU words, Bib-1
   indexes and the CQL→Bib-1 mapping of ``interop/z3950/zebra/``).
3. Both servers on loopback: Zebra's ``zebrasrv`` (its SRU server) and Jaringan under granian
   (2 processes × 1 thread, as ``jaringan serve --server granian`` runs it) or, with ``--server
   gunicorn``, gunicorn (2 workers × 2 threads, gthread); each gets the queries of ``--queries``
   (``class<TAB>CQL`` per line).
4. For every query, ``numberOfRecords`` from each (compared); then, class by class and server by
   server in the same run, ``wrk`` (Debian's) sends that class's queries in turn for ``--duration``
   seconds over ``--connections`` connections: queries per second, counting only (maximumRecords=0)
   and with 10 MARCXML records.

``--keep-connections N`` sets ``CONN_MAX_AGE``, and ``--no-cache`` turns off the per-process caches
(rendered records, compiled queries, counts): both measure a deployment setting.

Prints a table and writes ``results.json`` in the work folder. Needs ``zebraidx``, ``zebrasrv``
(``apt-get install idzebra-2.0``) and ``wrk`` (``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JARINGAN_SHARED", REPO.parent / "shared"))
LOC = SHARED / "fixtures" / "loc_mds_booksall2016" / "booksall2016_part01_first40k.mrc"
INDONESIA = SHARED / "fixtures" / "loc_mds_booksall2016" / "booksall2016_part01_indonesia.mrc"
SRW = "{http://www.loc.gov/zing/srw/}"
CLASSES = ("fielded", "combined", "phrase", "prefix", "indonesian", "english")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


# --- 1. the catalogue ----------------------------------------------------------------------


def slice_records(source: Path, count: int, target: Path) -> None:
    """The first `count` records of an ISO 2709 file, byte for byte (by the leader's length)."""
    with source.open("rb") as fh, target.open("wb") as out:
        for _ in range(count):
            head = fh.read(5)
            if len(head) < 5:
                break
            out.write(head + fh.read(int(head) - 5))


def prepare_catalogue(work: Path, records: int, indonesian: bool) -> None:
    """Import the records and build the search index, in this process (Django set up here)."""
    import django

    django.setup()
    from django.core.management import call_command

    from jaringan.catalog.pipeline import import_file
    from jaringan.catalog.models import Edition
    from jaringan.discovery.services import reindex
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    call_command("migrate", verbosity=0)
    library = Library.objects.create(code="BENCH", name="Bench library", kind="national", city="Jakarta",
                                     province="DKI Jakarta")
    inputs = []
    if records:
        part = work / "loc.mrc"
        slice_records(LOC, records, part)
        inputs.append(part)
    if indonesian:
        inputs.append(INDONESIA)
    started = time.perf_counter()
    for path in inputs:
        with path.open("rb") as stream:
            batch = import_file(actor=SYSTEM, library=library, stream=stream, name=path.name,
                                format="marc21", workers=2)
        print(f"  imported {path.name}: {batch.read:,} read, {batch.created:,} new, "
              f"{batch.quarantined:,} quarantined", flush=True)
    print(f"  import took {time.perf_counter() - started:.0f} s; {Edition.objects.count():,} editions", flush=True)
    started = time.perf_counter()
    print(f"  search index: {reindex():,} editions in {time.perf_counter() - started:.0f} s", flush=True)


# --- 3. queries -------------------------------------------------------------------------------


#: The query file's section headings (bench/queries.txt) → the classes compared here.
SECTIONS = {
    "words, indonesian": "indonesian", "two words (and), indonesian": "indonesian",
    "words, english": "english", "two words (and), english": "english",
    "phrases": "phrase", "prefixes": "prefix",
    "author": "fielded", "title": "fielded", "subject": "fielded", "identifiers": "fielded",
    "author and subject": "combined", "or": "combined", "not": "combined", "year ranges": "combined",
}
CQL_INDEX = {"title": "dc.title", "author": "dc.creator", "subject": "dc.subject", "isbn": "bath.isbn",
             "issn": "bath.issn", "publisher": "dc.publisher", "series": "bath.seriesTitle"}


def _term(text: str) -> str:
    if re.fullmatch(r"[\w*]+", text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_cql(node) -> str:
    """A query tree of Jaringan's query language as CQL that both servers read the same way."""
    from jaringan.core.search import query as q

    if node is q.MATCH_ALL:
        return "cql.allRecords = 1"
    if isinstance(node, (q.Word, q.Prefix)):
        term = _term(node.text + ("*" if isinstance(node, q.Prefix) else ""))
        return f"{CQL_INDEX[node.field]} = {term}" if node.field else term
    if isinstance(node, q.Phrase):
        return f"{CQL_INDEX.get(node.field, 'cql.serverChoice')} adj {_term(node.text)}"
    if isinstance(node, q.YearRange):
        low, high = node.lower or 1000, node.upper or 2030
        return f'dc.date any "{" ".join(str(y) for y in range(low, high + 1))}"'
    if isinstance(node, q.And):
        positive = [c for c in node.children if not isinstance(c, q.Not)]
        text = " and ".join(_group(c) for c in positive) or "cql.allRecords = 1"
        for child in node.children:
            if isinstance(child, q.Not):
                text += f" not {_group(child.child)}"
        return text
    if isinstance(node, q.Or):
        return " or ".join(_group(c) for c in node.children)
    if isinstance(node, q.Not):
        return f"cql.allRecords = 1 not {_group(node.child)}"
    raise ValueError(f"cannot write {node!r} as CQL")


def _group(node) -> str:
    from jaringan.core.search import query as q

    text = to_cql(node)
    return f"({text})" if isinstance(node, (q.And, q.Or)) else text


def read_queries(path: Path) -> list[tuple[str, str]]:
    """(class, CQL) pairs: lines "class<TAB>CQL", or queries in Jaringan's own language under
    "# section" headings (bench/queries.txt), translated to CQL."""
    from jaringan.core.search.syntax import parse

    out, section = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("# ").strip().lower()
            section = SECTIONS.get(heading)
            continue
        if not line.strip():
            continue
        if "\t" in line:
            kind, _, query = line.partition("\t")
            out.append((kind.strip().lower(), query.strip()))
        elif section in CLASSES:
            out.append((section, to_cql(parse(line.strip()))))
    return out


def sru_path(base_path: str, query: str, maximum: int, version: str = "1.2") -> str:
    params = {"version": version, "operation": "searchRetrieve", "query": query, "maximumRecords": str(maximum)}
    if maximum:
        params["recordSchema"] = "marcxml"
    return f"{base_path}?{urllib.parse.urlencode(params, quote_via=urllib.parse.quote)}"


def count(base: str, path: str) -> tuple[int | None, str | None]:
    body = urllib.request.urlopen(base + path, timeout=60).read()
    root = etree.fromstring(body)
    diagnostic = root.find(f".//{{http://www.loc.gov/zing/srw/diagnostic/}}uri")
    number = root.findtext(f"{SRW}numberOfRecords")
    return (int(number) if number is not None else None), (diagnostic.text if diagnostic is not None else None)


WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
function init(args)
  position = offset or 0
end
function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
"""


def throughput(base: str, paths: list[str], work: Path, seconds: int, connections: int,
               warm_up: int = 0) -> tuple[float, int]:
    """Requests per second over `seconds` with `connections` connections (wrk); and the errors seen.

    ``warm_up`` seconds of the same load come first, unmeasured (both servers then answer from
    warm caches: the operating system's for Zebra, the process's own for Jaringan).
    """
    if warm_up:
        throughput(base, paths, work, warm_up, connections)
    listing = work / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = work / "paths.lua"
    script.write_text(WRK_SCRIPT)
    threads = min(2, connections)
    done = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "-s", str(script),
                           base], env={**os.environ, "BENCH_PATHS": str(listing)}, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", done.stdout)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(g) for g in socket_errors.groups())
    return rate, failed


# --- the run ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=40_000, help="the first N of the 40,000 LoC records")
    parser.add_argument("--no-indonesian", action="store_true", help="leave out the 3,148 Indonesian records")
    parser.add_argument("--queries", type=Path, default=REPO / "bench" / "queries.txt")
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per class and server")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--server", choices=("granian", "gunicorn"), default="granian",
                        help="the WSGI server Jaringan runs under (default granian)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--threads", type=int,
                        help="threads per worker: gunicorn's gthread (default 2), granian's blocking threads "
                             "(default 1: two threads of one process contend for the interpreter)")
    parser.add_argument("--keep-connections", type=int, metavar="SECONDS",
                        help="CONN_MAX_AGE for Jaringan's database (default: the settings', 0 on SQLite)")
    parser.add_argument("--no-cache", action="store_true",
                        help="Jaringan without its per-process caches of rendered records and compiled queries")
    parser.add_argument("--fresh", action="store_true", help="build the catalogue and Zebra's register again")
    parser.add_argument("--work", type=Path, help="work folder (default bench/out/sru_vs_zebra-N)")
    args = parser.parse_args()
    if args.threads is None:
        args.threads = 1 if args.server == "granian" else 2
    for tool in ("zebraidx", "zebrasrv", "wrk"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install {'wrk' if tool == 'wrk' else 'idzebra-2.0'}")
    queries = read_queries(args.queries)
    indonesian = not args.no_indonesian
    work = (args.work or REPO / "bench" / "out" / f"sru_vs_zebra-{args.records}{'' if indonesian else '-en'}")
    if args.fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    home = work / "home"
    env = {**os.environ, "JARINGAN_HOME": str(home), "JARINGAN_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "DJANGO_SETTINGS_MODULE": "jaringan.settings"}
    env.pop("DATABASE_URL", None)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("JARINGAN", "DJANGO"))})
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(REPO / "src"))

    ready = work / "catalogue.done"
    if not ready.exists():
        print(f"catalogue: {args.records:,} LoC records{' + 3,148 Indonesian' if indonesian else ''}", flush=True)
        prepare_catalogue(work, args.records, indonesian)
        ready.write_text("ok\n")
    else:
        import django

        django.setup()
    from jaringan.catalog.models import Edition

    editions = Edition.objects.count()
    from jaringan.interop import z3950

    zebra_ready = work / "zebra.done"
    zebra_port, jaringan_port = free_port(), free_port()
    zebra_folder = z3950.layout(work / "zebra")
    z3950.configure(zebra_folder, listen=f"127.0.0.1:{zebra_port}")
    if not zebra_ready.exists():
        started = time.perf_counter()
        written = z3950.export(zebra_folder)
        print(f"Zebra: {written:,} editions exported and indexed in {time.perf_counter() - started:.0f} s", flush=True)
        zebra_ready.write_text("ok\n")

    settings_module = "jaringan.settings"
    overrides = []
    if args.no_cache:
        overrides += ["SRU_RECORD_CACHE = 0", "SRU_QUERY_CACHE = 0"]
    if args.keep_connections is not None:
        overrides.append(f'DATABASES["default"]["CONN_MAX_AGE"] = {args.keep_connections}')
    if overrides:
        (work / "bench_settings.py").write_text("from jaringan.settings import *  # noqa: F403\n"
                                                + "".join(f"{line}\n" for line in overrides))
        settings_module = "bench_settings"
    application = "jaringan.wsgi:application"
    servers = []
    try:
        servers.append(subprocess.Popen(["zebrasrv", "-f", zebra_folder.server_config.name], cwd=zebra_folder.folder,
                                        stdout=subprocess.DEVNULL, stderr=(work / "zebrasrv.log").open("w")))
        servers.append(subprocess.Popen(
            wsgi_server(args, application, jaringan_port),
            cwd=REPO, env={**env, "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{work}",
                           "DJANGO_SETTINGS_MODULE": settings_module}, stdout=subprocess.DEVNULL,
            stderr=(work / f"{args.server}.log").open("w")))
        zebra = (f"http://127.0.0.1:{zebra_port}", "/Default")
        ours = (f"http://127.0.0.1:{jaringan_port}", "/sru")
        wait_for(zebra[0] + sru_path(zebra[1], "dc.title=x", 0))
        wait_for(ours[0] + sru_path(ours[1], "dc.title=x", 0))
        return run(args, queries, work, editions, zebra, ours)
    finally:
        for server in servers:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


EMPTY_WSGI = """def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", "4")])
    return [b"<x/>"]
"""


def wsgi_server(args, application: str, port: int) -> list[str]:
    """The command that serves `application` (module:name) on 127.0.0.1:`port` under ``--server``."""
    if args.server == "granian":
        return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(args.workers), "--blocking-threads", str(args.threads), "--log-level", "warning",
                "--no-ws", application]
    return [sys.executable, "-m", "gunicorn", application, "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
            "-k", "gthread", "--threads", str(args.threads), "--log-level", "warning"]


def python_ceiling(args, work: Path) -> float:
    """Queries per second of a WSGI application that does nothing, under the same server: the most
    any Python application under it can answer on this machine, whatever its search costs."""
    (work / "bench_empty_wsgi.py").write_text(EMPTY_WSGI)
    port = free_port()
    server = subprocess.Popen(wsgi_server(args, "bench_empty_wsgi:application", port), cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        return throughput(f"http://127.0.0.1:{port}", ["/"], work, args.duration, args.connections, 1)[0]
    finally:
        server.terminate()
        server.wait(timeout=20)


def run(args, queries, work: Path, editions: int, zebra, ours) -> int:
    results = {"editions": editions, "queries": len(queries), "duration": args.duration,
               "connections": args.connections, "server": args.server, "workers": args.workers,
               "threads": args.threads,
               "caches": not args.no_cache,
               "keep_connections": args.keep_connections, "classes": {}, "counts": []}
    by_class: dict[str, list[str]] = defaultdict(list)
    agree = defaultdict(lambda: [0, 0, 0])
    for kind, query in queries:
        by_class[kind].append(query)
        z, zd = count(zebra[0], sru_path(zebra[1], query, 0))
        j, jd = count(ours[0], sru_path(ours[1], query, 0))
        results["counts"].append({"class": kind, "query": query, "zebra": z, "zebra_diagnostic": zd,
                                  "jaringan": j, "jaringan_diagnostic": jd})
        agree[kind][0] += int(z == j and zd is None and jd is None)
        agree[kind][1] += int(zd is None and jd is None and z is not None and j is not None
                              and abs(z - j) <= 0.1 * max(z, j))
        agree[kind][2] += 1
    print(f"\n{editions:,} editions; {len(queries)} queries; wrk {args.duration} s × {args.connections} connections "
          f"per class and server; {args.server} {args.workers} workers × {args.threads} threads; Jaringan's caches "
          f"{'off' if args.no_cache else 'on'}"
          + (f"; CONN_MAX_AGE {args.keep_connections}" if args.keep_connections is not None else "") + "\n")
    header = (f"{'class':<11}{'n':>4}{'same':>6}{'±10%':>6}   {'queries/s (count only)':^30}   "
              f"{'queries/s (+10 MARCXML)':^30}")
    print(header)
    print(f"{'':<27}   {'Zebra':>9}{'Jaringan':>10}{'ratio':>9}   {'Zebra':>9}{'Jaringan':>10}{'ratio':>9}")
    for kind in [c for c in CLASSES if c in by_class] + [c for c in by_class if c not in CLASSES]:
        row = {"queries": len(by_class[kind]), "same_hits": agree[kind][0], "hits_within_10_percent": agree[kind][1]}
        for label, maximum in (("count", 0), ("records", 10)):
            warm = max(1, args.duration // 3)
            z_rate, z_err = throughput(zebra[0], [sru_path(zebra[1], q, maximum) for q in by_class[kind]], work,
                                       args.duration, args.connections, warm)
            j_rate, j_err = throughput(ours[0], [sru_path(ours[1], q, maximum) for q in by_class[kind]], work,
                                       args.duration, args.connections, warm)
            row[label] = {"zebra": z_rate, "jaringan": j_rate, "ratio": j_rate / z_rate if z_rate else None,
                          "zebra_errors": z_err, "jaringan_errors": j_err}
        results["classes"][kind] = row
        c, r = row["count"], row["records"]
        print(f"{kind:<11}{row['queries']:>4}{row['same_hits']:>6}{row['hits_within_10_percent']:>6}   "
              f"{c['zebra']:>9.0f}{c['jaringan']:>10.0f}{c['ratio']:>8.2f}×   "
              f"{r['zebra']:>9.0f}{r['jaringan']:>10.0f}{r['ratio']:>8.2f}×"
              + ("   (errors!)" if c["zebra_errors"] or c["jaringan_errors"] or r["zebra_errors"]
                 or r["jaringan_errors"] else ""), flush=True)
    results["python_ceiling"] = python_ceiling(args, work)
    print(f"\n{args.server} ({args.workers} workers × {args.threads} threads) answering with an empty WSGI application: "
          f"{results['python_ceiling']:,.0f} requests/s")
    (work / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"\nper-query hit counts: {work / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
