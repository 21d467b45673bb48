"""Security and robustness of a live hub: the JSON API fuzzed as three people, and hostile inputs.

    python bench/security.py                          # a fresh demo in a temporary folder, 240 s of fuzzing
    python bench/security.py --home DIR               # reuse (or make once) the demo in DIR
    python bench/security.py --budget 600 --max-examples 100
    python bench/security.py --skip-large             # without the 120 MB files (a few minutes less)
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/security.py   # on PostgreSQL

What a user runs: `jaringan demo --no-serve` makes the demo network (``--records`` of its catalogue),
`jaringan token` gives the staff of ITB (``staf.itb``) and the coordinator ``koordinator`` a bearer
token each, and `jaringan serve` answers on a free port of 127.0.0.1. Then:

1. **Fuzzing**: Schemathesis (``schemathesis run``) reads ``/api/openapi.json`` and sends every
   operation generated requests — valid ones and broken ones — as anonymous, as staff and as
   coordinator, sharing ``--budget`` seconds. A failure is a server error (5xx), a status the
   document does not list for the operation, a body that does not fit the documented schema, or a
   content type it does not promise.
2. **Hostile inputs**, each with the answer it must get: 300 nested brackets in ``/search/`` and
   ``/api/search`` ("too complex", never an error page); a SLiMS push nested 100,000 deep to ``/ucs/``
   (a ``JSON_ERROR`` reply); ``GET /api/ill/requests`` with a huge offset (422 naming ``offset``); a
   CSV with one field of 200,000 characters (that row in quarantine naming its line and column, the
   rest stored); 10 KB of MARC record terminators (10,240 unreadable records: 1,000 quarantine rows
   and the rest summed up, counts that reconcile); and unless ``--skip-large``, a 120 MB binary file
   sent as CSV (refused, with the server's peak memory before and after) and a 120 MB CSV of about
   318,600 records read by the CSV reader alone in a process of its own (its peak memory and time).

Prints one line per role and per check and a summary; exits 1 when anything failed. With
``DATABASE_URL`` set, the demo goes into a database of its own on that server (created and dropped).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parents[1]
#: What a response must satisfy (Schemathesis's names).
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"
ROLES = {"anonymous": None, "staff": "staf.itb", "coordinator": "koordinator"}
STAFF_LIBRARY = "ITB"
LARGE_BYTES = 120_000_000
#: The server's peak memory may grow by this much while it refuses a 120 MB file sent as CSV.
LARGE_UPLOAD_GROWTH_MIB = 100


@dataclass
class Fuzzed:
    role: str
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and self.cases > 0


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


# --- the hub -------------------------------------------------------------------------------------

def hub_env(home: Path, database_url: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JARINGAN_HOME=str(home), PYTHONPATH=str(REPO / "src"), JARINGAN_MAP_TILES="", LANGUAGE="en")
    env.setdefault("JARINGAN_SECRET_KEY", "bench-" + secrets.token_urlsafe(40))  # serve refuses the demo's key
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def jaringan(*args: str, env: dict, timeout: float = 600) -> str:
    done = subprocess.run([sys.executable, "-m", "jaringan", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=str(REPO))
    if done.returncode != 0:
        raise SystemExit(f"jaringan {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def own_database(server_url: str) -> tuple[str, str]:
    """A database of its own on a PostgreSQL server: (its URL, its name)."""
    import psycopg

    name = f"jrg_security_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_maintenance(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name, name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_maintenance(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _maintenance(server_url: str) -> str:
    """The server's `postgres` database, which always exists (DATABASE_URL may name one that does not yet)."""
    return server_url.rsplit("/", 1)[0] + "/postgres"


def prepare(env: dict, records: int) -> dict[str, str | None]:
    """The demo network (once) and a bearer token for each role but the anonymous one."""
    jaringan("demo", "--no-serve", "--records", str(records), env=env)
    tokens: dict[str, str | None] = {}
    for role, username in ROLES.items():
        tokens[role] = jaringan("token", username, env=env).strip().split()[-1] if username else None
    return tokens


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict, port: int) -> subprocess.Popen:
    """`jaringan serve` on 127.0.0.1:port, once it answers."""
    server = subprocess.Popen([sys.executable, "-m", "jaringan", "serve", "--port", str(port)], env=env,
                              cwd=str(REPO), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/api/openapi.json")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("jaringan serve did not answer within 60 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 120) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def peak_rss_mib(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


# --- fuzzing ------------------------------------------------------------------------------------

def fuzz(port: int, role: str, token: str | None, *, max_examples: int, max_time: int, report: Path,
         seed: int | None = None) -> Fuzzed:
    """Schemathesis against the live API as one person; the failures and errors it found, one line each."""
    command = [str(Path(sys.executable).with_name("schemathesis")), "run",
               f"http://127.0.0.1:{port}/api/openapi.json", "--checks", CHECKS, "--max-examples", str(max_examples),
               "--max-time", str(max_time), "--workers", "1", "--phases", "examples,coverage,fuzzing",
               "--request-timeout", "60", "--report", "junit", "--report-junit-path", str(report)]
    if seed is not None:
        command += ["--seed", str(seed)]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=max_time + 300, cwd=str(REPO),
                          env={**os.environ, "NO_COLOR": "1"})
    result = Fuzzed(role, seconds=time.monotonic() - started)
    generated = re.search(r"(\d+) generated", done.stdout)
    result.cases = int(generated.group(1)) if generated else 0
    _read_report(report, result)
    if done.returncode not in (0, 1) or (done.returncode == 1 and not (result.failures or result.errors)):
        result.errors.append(f"schemathesis exited {done.returncode}: {(done.stdout + done.stderr)[-2000:]}")
    return result


def _read_report(report: Path, result: Fuzzed) -> None:
    """Failures and errors, by operation, from Schemathesis's JUnit XML report."""
    if not report.exists():
        return
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        for kind, found in (("failure", result.failures), ("error", result.errors)):
            for outcome in case.iter(kind):
                text = " ".join((outcome.get("message") or outcome.text or "").split())
                found.append(f"{case.get('name')}: {text[:400]}")


# --- hostile inputs -----------------------------------------------------------------------------

def _multipart(fields: dict[str, str], file_name: str, file_path: Path | None, data: bytes = b"") -> tuple[str, list]:
    boundary = "jrg" + uuid.uuid4().hex
    parts: list = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode())
    parts.append(file_path if file_path is not None else data)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return boundary, parts


def upload(port: int, token: str, library: str, file_name: str, *, data: bytes = b"", path: Path | None = None,
           format: str = "") -> tuple[int, dict]:
    """POST /api/libraries/CODE/records, the file streamed from disk when it is a path."""
    boundary, parts = _multipart({"format": format}, file_name, path, data)
    length = sum(p.stat().st_size if isinstance(p, Path) else len(p) for p in parts)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        conn.putrequest("POST", f"/api/libraries/{library}/records")
        for name, value in (("Authorization", f"Bearer {token}"), ("Content-Length", str(length)),
                            ("Content-Type", f"multipart/form-data; boundary={boundary}"), ("Accept-Language", "en")):
            conn.putheader(name, value)
        conn.endheaders()
        for part in parts:
            if isinstance(part, Path):
                with open(part, "rb") as handle:
                    while chunk := handle.read(1 << 20):
                        conn.send(chunk)
            else:
                conn.send(part)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def upload_read(port: int, token: str, library: str, file_name: str, **kw) -> tuple[int, dict]:
    """An upload through the API and, once it is accepted (202), the batch when its reading has ended:
    (the upload's status, the batch as GET /api/batches/N gives it)."""
    status, batch = upload(port, token, library, file_name, **kw)
    deadline = time.monotonic() + 300
    while status == 202 and batch.get("status") in ("waiting", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        got, body = request(port, "GET", f"/api/batches/{batch['id']}",
                            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
        if got != 200:
            break
        batch = json.loads(body)
    return status, batch


def _quarantine(port: int, token: str, batch: int) -> list[dict]:
    status, body = request(port, "GET", f"/api/libraries/{STAFF_LIBRARY}/quarantine",
                           headers={"Authorization": f"Bearer {token}"})
    return [q for q in json.loads(body) if q["batch"] == batch] if status == 200 else []


def _reconciles(batch: dict) -> bool:
    return batch.get("read") == sum(batch.get(k, 0) for k in ("created", "updated", "unchanged", "withdrawn",
                                                              "quarantined"))


def hostile(port: int, tokens: dict, server_pid: int, *, large: bool, work: Path) -> list[Check]:
    staff = tokens["staff"]
    checks: list[Check] = []
    nested = "(" * 300 + "sejarah" + ")" * 300
    status, body = request(port, "GET", "/search/?" + urlencode({"q": nested}),
                           headers={"Accept-Language": "en", "Cookie": "django_language=en"})
    checks.append(Check("/search/ 300 nested brackets", status == 200 and b"The query is too complex" in body,
                        f"{status}"))
    status, body = request(port, "GET", "/api/search?" + urlencode({"q": nested}))
    checks.append(Check("/api/search 300 nested brackets", status == 400 and "q" in json.loads(body)["errors"],
                        f"{status} {body[:120]!r}"))
    status, body = request(port, "POST", "/ucs/ucs.php", b"[" * 100_000 + b"]" * 100_000,
                           {"Content-Type": "text/json"})
    checks.append(Check("/ucs/ JSON nested 100,000 deep", status == 200 and b"JSON_ERROR" in body,
                        f"{status} {body[:120]!r}"))
    status, body = request(port, "GET", f"/api/ill/requests?side=lending&offset={10 ** 30}",
                           headers={"Authorization": f"Bearer {staff}"})
    checks.append(Check("/api/ill/requests huge offset",
                        status == 422 and list(json.loads(body).get("errors", {})) == ["offset"],
                        f"{status} {body[:120]!r}"))
    csv = ("id,title,subjects,call_number\nSEC1,Laskar pelangi,Novel,899 HIR l\n"
           f"SEC2,Bumi manusia,{'x' * 200_000},899 TOE b\nSEC3,Pengantar ilmu perpustakaan,Perpustakaan,020 SUL p\n")
    status, batch = upload_read(port, staff, STAFF_LIBRARY, "panjang.csv", data=csv.encode(), format="csv")
    reasons = [q["reason"] for q in _quarantine(port, staff, batch.get("id", -1))] if status == 202 else []
    checks.append(Check("CSV with a 200,000-character field",
                        status == 202 and batch.get("status") == "done" and batch.get("quarantined") == 1 and batch.get("read") == 3
                        and _reconciles(batch) and any("line 3" in r and "'subjects'" in r for r in reasons),
                        f"{status} read {batch.get('read')} quarantined {batch.get('quarantined')}: "
                        f"{reasons[0][:90] if reasons else batch}"))
    status, batch = upload_read(port, staff, STAFF_LIBRARY, "kosong.mrc", data=b"\x1d" * 10_240, format="marc21")
    rows = len(_quarantine(port, staff, batch.get("id", -1))) if status == 202 else 0
    checks.append(Check("10 KB of 0x1D as MARC 21",
                        status == 202 and batch.get("status") == "done" and batch.get("quarantined") == 10_240 and rows <= 1000
                        and _reconciles(batch) and "more records" in batch.get("message", ""),
                        f"{status} quarantined {batch.get('quarantined')}, {rows} rows kept; "
                        f"{batch.get('message', '')[:80]}"))
    if large:
        checks.append(large_upload(port, staff, server_pid, work))
        checks.append(large_csv_reader(work))
    return checks


def large_upload(port: int, token: str, server_pid: int, work: Path) -> Check:
    """A 120 MB file that is no CSV (MARC-like binary records, no line breaks) sent as CSV."""
    path = work / "binary-as.csv"
    record = b"01234nam a2200289 a 4500" + bytes(range(32, 127)) * 10 + b"\x1e" + b"\x1d"
    with open(path, "wb") as out:
        while out.tell() < LARGE_BYTES:
            out.write(record * 1000)
    before = peak_rss_mib(server_pid)
    started = time.monotonic()
    status, body = upload(port, token, STAFF_LIBRARY, "koleksi.csv", path=path, format="csv")
    seconds = time.monotonic() - started
    after = peak_rss_mib(server_pid)
    path.unlink()
    ok = status == 400 and "could not be read" in body.get("detail", "") and after - before < LARGE_UPLOAD_GROWTH_MIB
    return Check("120 MB binary file sent as CSV", ok,
                 f"{status} in {seconds:.1f} s; server peak memory {before} -> {after} MiB; "
                 f"{body.get('detail', '')[:80]}")


def large_csv_reader(work: Path) -> Check:
    """A 120 MB CSV of about 318,600 records (a fifth of them with a second holding 1,000 records back) read by the
    CSV reader in a process of its own: its peak memory and time."""
    path = work / "besar.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("id,title,authors,year,publisher,place,isbn,subjects,call_number,location,notes\n")
        n = 0
        while out.tell() < LARGE_BYTES:
            n += 1
            out.write(f"B{n},Judul buku nomor {n} tentang sejarah perpustakaan Indonesia,\"Penulis, Nama {n}; Lain, "
                      f"Orang\",{1950 + n % 70},Penerbit Nusantara,Jakarta,,Sejarah; Perpustakaan -- Indonesia; "
                      f"Budaya,{n % 900}.{n % 97} PEN j,Ruang Baca {n % 5},{'catatan ' * 20}\n")
            if n % 5 == 0:
                back = max(1, n - 1000)
                out.write(f"B{back},,,,,,,,{back % 900}.{back % 97} PEN j c.2,Gudang,\n")
    script = textwrap.dedent(f"""
        import resource, time
        from jaringan.core.catalog.readers import read
        started = time.monotonic()
        items = sum(1 for item in read({str(path)!r}, format="csv") if item.ok)
        print(items, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, round(time.monotonic() - started))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    path.unlink()
    if done.returncode != 0:
        return Check("120 MB CSV through the reader", False, done.stderr[-300:])
    items, peak, seconds = map(int, done.stdout.split())
    return Check("120 MB CSV through the reader", peak < 200,
                 f"{items:,} records in {seconds} s, peak memory {peak} MiB")


# --- the run ------------------------------------------------------------------------------------

def run(*, home: Path, records: int, budget: int, max_examples: int, large: bool, seed: int | None = None,
        database_url: str | None = None, hostile_inputs: bool = True) -> tuple[list[Fuzzed], list[Check]]:
    dropped = None
    if database_url:
        database_url, dropped = own_database(database_url)
    env = hub_env(home, database_url)
    try:
        tokens = prepare(env, records)
        port = free_port()
        server = serve(env, port)
        try:
            fuzzed = [fuzz(port, role, tokens[role], max_examples=max_examples, max_time=max(budget // len(ROLES), 5),
                           report=home / f"schemathesis-{role}.xml", seed=seed)
                      for role in ROLES]
            checks = hostile(port, tokens, server.pid, large=large, work=home) if hostile_inputs else []
        finally:
            stop(server)
    finally:
        if dropped:
            drop_database(os.environ["DATABASE_URL"], dropped)
    return fuzzed, checks


def report(fuzzed: list[Fuzzed], checks: list[Check]) -> bool:
    print("fuzzing (Schemathesis against the live API):")
    for f in fuzzed:
        print(f"  {'ok  ' if f.ok else 'FAIL'} {f.role:<12} {f.cases:>6} requests in {f.seconds:5.0f} s, "
              f"{len(f.failures)} failures, {len(f.errors)} errors")
        for line in f.failures + f.errors:
            print("       " + line.replace("\n", " ")[:300])
    if checks:
        print("hostile inputs:")
        for c in checks:
            print(f"  {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")
    ok = all(f.ok for f in fuzzed) and all(c.ok for c in checks)
    print("summary:", "everything held" if ok else "FAILURES above",
          f"({sum(f.cases for f in fuzzed)} generated requests, {len(checks)} hostile inputs)")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="the demo's folder (made once, reused); a temporary one if not given")
    parser.add_argument("--records", type=int, default=300, help="records of the demo catalogue (default 300)")
    parser.add_argument("--budget", type=int, default=240, help="seconds of fuzzing, shared by the three roles")
    parser.add_argument("--max-examples", type=int, default=50, help="generated requests per operation and phase")
    parser.add_argument("--seed", type=int, help="Schemathesis's seed, to repeat a run")
    parser.add_argument("--skip-large", action="store_true", help="leave out the two 120 MB files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jrg-security-") as scratch:
        home = args.home or Path(scratch)
        home.mkdir(parents=True, exist_ok=True)
        fuzzed, checks = run(home=home, records=args.records, budget=args.budget, max_examples=args.max_examples,
                             large=not args.skip_large, seed=args.seed, database_url=os.environ.get("DATABASE_URL"))
        sys.exit(0 if report(fuzzed, checks) else 1)


if __name__ == "__main__":
    main()
