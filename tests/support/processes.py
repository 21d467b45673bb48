"""`jaringan` commands in processes of their own, on the database the running test uses."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """DATABASE_URL naming the test database this process uses (SQLite file or PostgreSQL)."""
    from django.db import connection

    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    auth = config["USER"] + (f":{config['PASSWORD']}" if config.get("PASSWORD") else "")
    return f"postgresql://{auth}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"


def command_env(home: Path) -> dict:
    """The environment of a `jaringan` command on the test database, with its own home (index, uploads)."""
    env = {k: v for k, v in os.environ.items() if k != "JARINGAN_TEST_DATABASE"}
    env.update(DATABASE_URL=database_url(), JARINGAN_HOME=str(home), LANGUAGE="en", JARINGAN_MAP_TILES="",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH", "")])))
    return env


def start(home: Path, *args: str) -> subprocess.Popen:
    """`jaringan ARGS` started (not waited for), its output in `home`/command.log."""
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "command.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "jaringan", *args], env=command_env(home), stdout=log,
                            stderr=subprocess.STDOUT, cwd=REPO)


def run(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`jaringan ARGS` to its end: the finished process, with its output as text."""
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-m", "jaringan", *args], env=command_env(home), capture_output=True,
                          text=True, timeout=timeout, cwd=REPO)


def wait_for(condition, *, timeout: float = 60, every: float = 0.02, what: str = "the condition"):
    """Poll `condition()` until it is true; its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what} did not happen within {timeout} s")


@contextmanager
def fresh_database(prefix: str):
    """A fresh PostgreSQL database beside DATABASE_URL's, dropped at the end (its URL); None on SQLite."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield None
        return
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    admin = psycopg.connect(base, autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
