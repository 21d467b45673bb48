"""Jaringan in a process of its own, on a given database, for tests that need a fresh start.

    python -m tests.interop.server --database NAME [--page-size N] [--secret-key KEY] [--index PATH]

Serves the whole site with waitress on 127.0.0.1 (a free port) and prints the
port as its first line of stdout. ``NAME`` is the test database the test
process uses (an SQLite file, or a PostgreSQL database on the server that
DATABASE_URL names), so the new process sees the same catalogue with
nothing carried over in memory: what a restart is.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--page-size", type=int)
    parser.add_argument("--secret-key")
    parser.add_argument("--index", help="the search index's folder (the test's)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = args.database
    if args.page_size:
        settings.OAI_PAGE_SIZE = args.page_size
    if args.secret_key:
        settings.SECRET_KEY = args.secret_key
    if args.index:
        settings.SEARCH_INDEX_DIR = Path(args.index)
    from waitress.server import create_server

    from jaringan.wsgi import application

    server = create_server(application, host="127.0.0.1", port=0, threads=2)
    print(server.effective_port, flush=True)
    server.run()


@contextmanager
def serving(database: str, *args: str):
    """Run the server in a child process; yield its base URL; stop it after."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")])}
    child = subprocess.Popen([sys.executable, "-m", "tests.interop.server", "--database", database, *args],
                             cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        started = time.monotonic()
        line = child.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError(f"the server did not start (after {time.monotonic() - started:.1f} s)")
        yield f"http://127.0.0.1:{line}"
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


if __name__ == "__main__":
    main()
