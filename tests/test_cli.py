"""The `jaringan` command, run as a user runs it: a real process, a real SQLite file, a real server."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import json
import lzma

import pytest

from jaringan.cli import build_parser
from tests import paths

COMMANDS = ["demo", "serve", "migrate", "createuser", "token", "import", "harvest", "export", "reindex", "ill-tick",
            "analysis-refresh"]


def run(*args, home, timeout=120, lang="en", extra_env=None, **kw):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the demo is the embedded SQLite
    env.update(extra_env or {})
    env["JARINGAN_HOME"] = str(home)
    env["LANGUAGE"] = lang
    return subprocess.run([sys.executable, "-m", "jaringan", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, **kw)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]
    text = sub.format_help()
    assert sub.description and len(text) > 80
    for action in sub._actions:
        if action.dest not in ("help",):
            assert action.help, f"{command} --{action.dest} has no help text"


def test_main_help_lists_every_command():
    text = build_parser().format_help()
    for command in COMMANDS:
        assert command in text


def test_demo_loads_once_and_createuser_works(tmp_path):
    first = run("demo", "--no-serve", "--records", "0", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "28 libraries, 5 networks" in first.stdout and "koordinator" in first.stdout
    again = run("demo", "--no-serve", "--records", "0", home=tmp_path)
    assert "already loaded" in again.stdout
    made = run("createuser", "staf.ui", "--role", "staff", "--library", "UI", "--password", "kata-sandi-panjang",
               "--token", home=tmp_path)
    assert made.returncode == 0, made.stderr
    assert re.search(r"API token \(shown once\): jrg_\S+", made.stdout)
    taken = run("createuser", "staf.ui", "--password", "kata-sandi-panjang", home=tmp_path)
    assert taken.returncode == 1 and "error: The username staf.ui is taken." in taken.stderr  # Conflict
    bad = run("createuser", "staf.x", "--role", "staff", "--library", "NOPE", "--password", "kata-sandi-panjang",
              home=tmp_path)
    assert bad.returncode == 65 and "error: Unknown library" in bad.stderr  # Invalid: EX_DATAERR
    in_indonesian = run("createuser", "staf.x", "--role", "staff", "--library", "NOPE", "--password",
                        "kata-sandi-panjang", home=tmp_path, lang="id")
    assert "Perpustakaan tidak dikenal: NOPE" in in_indonesian.stderr
    no_password = run("createuser", "staf.y", home=tmp_path, stdin=subprocess.DEVNULL)
    assert no_password.returncode == 2 and "--password" in no_password.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_serves_the_network_on_loopback(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JARINGAN_HOME=str(tmp_path), JARINGAN_MAP_TILES="", LANGUAGE="en")
    proc = subprocess.Popen([sys.executable, "-m", "jaringan", "demo", "--port", str(port), "--records", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        printed = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            printed.append(line)
            if "Demo logins" in line or proc.poll() is not None:
                break
        assert f"http://127.0.0.1:{port}/" in "".join(printed), "".join(printed)
        _serves_a_page_and_static_files(f"http://127.0.0.1:{port}", tries=100)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _serves_a_page_and_static_files(base: str, *, tries: int) -> None:
    """A network's page (once the server answers) and a static file."""
    body = ""
    for _ in range(tries):
        try:
            with urllib.request.urlopen(f"{base}/networks/JPIT/", timeout=5) as r:
                body = r.read().decode()
            break
        except OSError:
            time.sleep(0.2)
    assert "Jaringan Perpustakaan Indonesia Timur" in body
    with urllib.request.urlopen(f"{base}/static/jaringan/site.css", timeout=5) as r:
        assert r.status == 200


def test_serve_under_granian_with_several_processes(tmp_path):
    """`jaringan serve --server granian`: pages, static files and SRU from two server processes."""
    assert run("demo", "--no-serve", "--records", "40", home=tmp_path).returncode == 0
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JARINGAN_HOME=str(tmp_path), JARINGAN_MAP_TILES="", LANGUAGE="en", JARINGAN_SECRET_KEY="k" * 50)
    proc = subprocess.Popen([sys.executable, "-m", "jaringan", "serve", "--server", "granian", "--workers", "2",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout.readline().strip() == f"Jaringan: http://127.0.0.1:{port}/"
        base = f"http://127.0.0.1:{port}"
        _serves_a_page_and_static_files(base, tries=150)
        counts = set()
        for _ in range(20):  # answered by either process, always the same
            with urllib.request.urlopen(f"{base}/sru?version=1.2&operation=searchRetrieve&query=indonesia"
                                        "&maximumRecords=1", timeout=5) as r:
                text = r.read().decode()
                assert r.headers["X-Content-Type-Options"] == "nosniff"
            counts.add(int(re.search(r"<zs:numberOfRecords>(\d+)<", text).group(1)))
            assert "<zs:recordData>" in text
        assert len(counts) == 1 and counts.pop() > 0
        server = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True)
        assert len(server.stdout.split()) == 2  # two worker processes
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode is not None


def _demo_with_records(tmp_path, **kw):
    loaded = run("demo", "--no-serve", "--records", "40", home=tmp_path / "home", **kw)
    assert loaded.returncode == 0, loaded.stderr
    assert "member records from" in loaded.stderr
    exported = run("export", "editions", "--output", str(tmp_path / "editions.jsonl"), home=tmp_path / "home")
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in (tmp_path / "editions.jsonl").read_text().splitlines()]
    # 40 books, each one edition held by one or more libraries (beside them the demo's six journals and
    # the articles in them)
    books = [e for e in lines if not any(r["source_id"].startswith(("SER-", "DEMO-ART-")) for r in e["records"])]
    assert sum(1 for e in lines if e["records"][0]["source_id"].startswith("DEMO-ART-")) == 8
    assert 30 <= len(books) <= 40, [e["records"][0]["source_id"] for e in lines]
    assert max(len(e["records"]) for e in books) > 1


def test_demo_reads_its_records_from_the_package_in_any_folder(tmp_path):
    """No shared/ folder anywhere near: the demo's LoC records come with the package."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _demo_with_records(tmp_path, cwd=elsewhere, extra_env={"JARINGAN_SHARED": str(tmp_path / "no-shared-here")})


def test_demo_catalogue_import_and_export(tmp_path):
    """The demo's catalogue is real LoC records spread over the libraries; import and export work on it."""
    _demo_with_records(tmp_path)
    tmp_path = tmp_path / "home"
    fixture = paths.FIXTURES / "koha_misc4dev" / "koha_sample_bibs.marcxml"
    imported = run("import", str(fixture), "--library", "UNPATTI", home=tmp_path)
    assert imported.returncode == 0, imported.stderr
    # Koha's sample repeats one control number (2609914) on two records: the second is kept in quarantine.
    assert "read 435 = 434 new + 0 updated + 0 unchanged + 0 withdrawn + 1 quarantined" in imported.stdout
    again = run("import", str(fixture), "--library", "UNPATTI", home=tmp_path)
    assert "read 435 = 0 new + 0 updated + 434 unchanged + 0 withdrawn + 1 quarantined" in again.stdout
    broken = paths.FIXTURES / "openlibrary_marc_tests" / "bin_input"
    bad = broken / "talis_no_title.mrc"
    with_error = run("import", str(bad), "--library", "UNPATTI", "--format", "marc21", home=tmp_path)
    assert with_error.returncode == 0 and "1 quarantined" in with_error.stdout
    missing = run("import", str(tmp_path / "nope.mrc"), "--library", "UNPATTI", home=tmp_path)
    assert missing.returncode == 66 and "error: no such file" in missing.stderr  # NotFound: EX_NOINPUT


def test_import_with_workers_indexes_alongside(tmp_path):
    """With decoding workers, the search index follows in a second process: when the command ends,
    every edition is searchable and nothing waits in the outbox."""
    from jaringan.core.search import search
    from jaringan.discovery.store import IndexStore

    loaded = run("migrate", home=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    loaded = run("demo", "--no-serve", "--records", "0", home=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    from jaringan.demo.catalogue import records_path

    fixture = tmp_path / "loc-indonesia.mrc"
    fixture.write_bytes(lzma.decompress(records_path().read_bytes()))  # the demo's records, as a member sends them
    imported = run("import", str(fixture), "--library", "UNPATTI", "--workers", "2", home=tmp_path, timeout=300)
    assert imported.returncode == 0, imported.stderr
    assert "read 3148 = 3148 new" in imported.stdout
    exported = run("export", "editions", "--output", str(tmp_path / "editions.jsonl"), home=tmp_path)
    editions = (tmp_path / "editions.jsonl").read_text().splitlines()
    index = IndexStore(tmp_path / "index").index()
    assert index.num_docs == len(editions) >= 3000
    assert search(index, "indonesia").total > 1000
    pending = run("reindex", "--drain-only", home=tmp_path)
    assert pending.returncode == 0 and pending.stdout.startswith("0 "), pending.stdout
