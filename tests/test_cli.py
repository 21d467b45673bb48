"""The `jaringan` command, run as a user runs it: a real process, a real SQLite file, a real server."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from jaringan.cli import build_parser

COMMANDS = ["demo", "serve", "migrate", "createuser", "token"]


def run(*args, home, timeout=120, lang="en", **kw):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the demo is the embedded SQLite
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
    first = run("demo", "--no-serve", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "28 libraries, 5 networks" in first.stdout and "koordinator" in first.stdout
    again = run("demo", "--no-serve", home=tmp_path)
    assert "already loaded" in again.stdout
    made = run("createuser", "staf.ui", "--role", "staff", "--library", "UI", "--password", "kata-sandi-panjang",
               "--token", home=tmp_path)
    assert made.returncode == 0, made.stderr
    assert re.search(r"API token \(shown once\): jrg_\S+", made.stdout)
    bad = run("createuser", "staf.x", "--role", "staff", "--library", "NOPE", "--password", "kata-sandi-panjang",
              home=tmp_path)
    assert bad.returncode == 1 and "Unknown library" in bad.stderr
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
    proc = subprocess.Popen([sys.executable, "-m", "jaringan", "demo", "--port", str(port)], env=env,
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
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/networks/JPIT/", timeout=5) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Jaringan Perpustakaan Indonesia Timur" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/jaringan/site.css", timeout=5) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
