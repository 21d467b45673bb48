"""Two Jaringan hubs, two processes, two databases: a library of hub A borrows from a library of hub B.

Each hub is set up as an operator sets one up — ``jaringan migrate``,
``jaringan createuser``, ``jaringan import``, ``jaringan serve`` and the JSON
API — in its own JARINGAN_HOME with its own SQLite file (or, when the suite
runs on PostgreSQL, its own PostgreSQL database). Hub A's network has ALPHA
and BETA (served by hub B); hub B's network has BETA and ALPHA (served by hub
A). Hub B is down when ALPHA asks: ALPHA's staff are answered at once, and
the request reaches hub B, once, when it is started again. A whole loan then
runs over HTTP as ISO 18626 messages — Request, WillSupply, Loaned, Received,
ShippedReturn, LoanCompleted — and at every step both hubs' states and
message logs are checked.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.catalog.items import loc_items
from tests.support.processes import fresh_database

PASSWORD = "kata-sandi-panjang"
#: Agreed between the two hubs: every message between them carries it (Authorization: Bearer).
SECRET = "rahasia-antar-hub"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    name: str
    home: Path
    env: dict
    port: int
    tokens: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log: object = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "jaringan", *args], env=self.env, capture_output=True,
                              text=True, timeout=180)
        assert done.returncode == 0, (self.name, args, done.stdout, done.stderr)
        return done.stdout

    def user(self, username: str, *args: str) -> None:
        out = self.cli("createuser", username, "--password", PASSWORD, "--token", *args)
        self.tokens[username] = out.split("API token (shown once): ")[1].split()[0]

    def api(self, method: str, path: str, body=None, *, as_user: str = "admin", expect: int | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "/api" + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.tokens[as_user]}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, payload = response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, json.loads(exc.read() or b"null")
        if expect is not None:
            assert status == expect, (self.name, method, path, status, payload)
        return payload


def _database(name: str):
    """The hub's database: a fresh PostgreSQL database when the suite runs on PostgreSQL, else none (SQLite)."""
    return fresh_database(f"test_ill_hub_{name}")


def start(hub: Hub) -> None:
    """Start the hub's web server (``jaringan serve``) and wait until it answers."""
    hub.log = open(hub.home / "serve.log", "a")
    hub.process = subprocess.Popen([sys.executable, "-m", "jaringan", "serve", "--port", str(hub.port)], env=hub.env,
                                   stdout=hub.log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            urllib.request.urlopen(hub.url + "/api/networks", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"hub {hub.name} did not start: {(hub.home / 'serve.log').read_text()[-2000:]}")


def stop(hub: Hub) -> None:
    """Stop the hub's web server: its address answers nothing until it is started again."""
    if hub.process is not None:
        hub.process.terminate()
        hub.process.wait(timeout=30)
        hub.process = None
        hub.log.close()


def until(check, *, seconds: float = 30, what: str = ""):
    """Wait for ``check()`` to return something true (messages travel after the action returns); return it."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)


@contextmanager
def _hub(name: str, tmp_path: Path):
    with _database(name) as url:
        home = tmp_path / name
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JARINGAN_TEST_DATABASE")}
        port = _free_port()
        env.update(JARINGAN_HOME=str(home), LANGUAGE="en", JARINGAN_MAP_TILES="",
                   JARINGAN_BASE_URL=f"http://127.0.0.1:{port}", JARINGAN_SECRET_KEY=f"{name}-key-" + "x" * 50,
                   # a peer that was down is tried again soon (a deployment waits 15 s, doubling, up to an hour)
                   JARINGAN_ISO18626_RETRY_FIRST="0.2", JARINGAN_ISO18626_RETRY_MAX="1")
        if url:
            env["DATABASE_URL"] = url
        hub = Hub(name, home, env, port)
        hub.cli("migrate")
        hub.user("admin", "--superuser")
        start(hub)
        try:
            yield hub
        finally:
            stop(hub)


LIBRARY = {"kind": "academic", "collection_size": 50000, "open_to_outsiders": True, "annual_budget": "900000000",
           "budget_fixed": True, "staff_count": 12, "offers_loan": True, "offers_copy": True,
           "delivery_methods": ["post"]}


def _set_up(hub: Hub, *, network: str, here: str, there: tuple[str, Hub], book: Path) -> None:
    """A network of two members: ``here`` served by this hub, ``there`` by the other one; an agreement; staff."""
    other_code, other = there
    hub.api("POST", "/libraries", {**LIBRARY, "code": "ALPHA", "name": "Perpustakaan Alpha", "city": "Bandung",
                                   "province": "Jawa Barat", "latitude": -6.9, "longitude": 107.6}, expect=201)
    hub.api("POST", "/libraries", {**LIBRARY, "code": "BETA", "name": "Perpustakaan Beta", "city": "Ambon",
                                   "province": "Maluku", "latitude": -3.7, "longitude": 128.2}, expect=201)
    hub.api("POST", "/networks", {"code": network, "name": f"Jaringan {network}", "structure": "multi_type",
                                  "scope": "national", "jurisdiction": "multiple", "funding": "non_profit"},
            expect=201)
    for code in ("ALPHA", "BETA"):
        membership = hub.api("POST", f"/networks/{network}/memberships", {"library": code}, expect=201)
        hub.api("POST", f"/memberships/{membership['id']}/actions", {"action": "admit"}, expect=200)
    hub.api("POST", f"/networks/{network}/agreements", {
        "code": f"{network}-ILL", "title": "Pinjam antarperpustakaan", "purpose": "Saling meminjamkan koleksi.",
        "form": "written", "services": ["loan", "copy"], "coverage": "network", "relation": "reciprocal",
        "starts": "2026-01-01", "fee_per_loan": "5000"}, expect=201)
    hub.api("POST", "/ill/peers", {"library": other_code, "url": other.url + "/iso18626", "shared_secret": SECRET},
            expect=201)
    hub.user(f"staf.{here.lower()}", "--role", "staff", "--library", here)
    hub.cli("import", str(book), "--library", "BETA")  # hub A knows BETA's holdings (a harvest would do it)


def _state(hub: Hub, user: str, request_id: int) -> tuple[str, list[tuple[str, str, str]], list[dict]]:
    detail = hub.api("GET", f"/ill/requests/{request_id}", as_user=user, expect=200)
    return detail["state"], [(m["direction"], m["kind"], m["status"]) for m in detail["messages"]], detail


def _version(hub: Hub, user: str, request_id: int) -> int:
    """The version an action names: the one its person last read."""
    return _state(hub, user, request_id)[2]["version"]


def test_a_whole_loan_between_two_hubs(tmp_path):
    book = tmp_path / "buku.mrc"
    book.write_bytes(loc_items(1)[0].raw)
    with ExitStack() as stack:
        a = stack.enter_context(_hub("a", tmp_path))
        b = stack.enter_context(_hub("b", tmp_path))
        _set_up(a, network="NA", here="ALPHA", there=("BETA", b), book=book)
        _set_up(b, network="NB", here="BETA", there=("ALPHA", a), book=book)
        edition = a.api("GET", "/editions/1", expect=200)
        assert [h["library"] for h in edition["holdings"]] == ["BETA"]

        # 1. ALPHA asks while hub B is down: the staff are answered at once (the request is kept in hub A's
        # outbox), hub A's sender tries again and again, and the request travels once hub B is back, which
        # confirms it.
        stop(b)
        made = a.api("POST", "/ill/requests", {"edition": 1, "service": "loan", "reader_name": "Siti Rahma"},
                     as_user="staf.alpha", expect=201)
        rid = made["id"]
        assert made["supplier"] == "BETA" and made["rota"][0]["library"] == "BETA" and made["state"] == "Sent"

        def retrying():
            [out] = [m for m in _state(a, "staf.alpha", rid)[2]["messages"] if m["direction"] == "out"]
            return out["delivery"]["attempts"] >= 2 and out["delivery"]["state"] == "retrying" and out["delivery"]

        delivery = until(retrying, what="hub A tries again while hub B is down")
        assert delivery["next_attempt"] and delivery["error"] in (
            "The other system could not be reached.", "Sistem lain itu tidak dapat dihubungi.")
        start(b)
        state, log, detail = until(lambda: (got := _state(a, "staf.alpha", rid))[0] == "RequestReceived" and got,
                                   what="hub B confirms the request")
        [out] = [m for m in detail["messages"] if m["direction"] == "out"]
        assert out["delivery"]["state"] == "sent" and out["delivery"]["attempts"] >= 3
        assert ("out", "request", "sent") in log and ("in", "requestConfirmation", "accepted") in log
        lending = until(lambda: b.api("GET", "/ill/requests?side=lending", as_user="staf.beta", expect=200),
                        what="hub B lists the request")
        assert len(lending) == 1 and lending[0]["state"] == "RequestReceived" and lending[0]["origin"] == "remote"
        assert lending[0]["requester"] == "ALPHA" and lending[0]["title"] == made["title"]
        bid = lending[0]["id"]
        state_b, log_b, _ = _state(b, "staf.beta", bid)
        assert ("in", "request", "accepted") in log_b and ("out", "requestConfirmation", "sent") in log_b
        assert [k for d, k, _s in log_b if d == "in"] == ["request"]  # received once, tries and all

        # 2-3. BETA will supply, then lends it; each status reaches ALPHA.
        for action, extra in [("WillSupply", {}), ("Loaned", {"due_date": "2099-03-31"})]:
            b.api("POST", f"/ill/requests/{bid}/actions",
                  {"action": action, "expected_version": _version(b, "staf.beta", bid), **extra},
                  as_user="staf.beta", expect=200)
            state_b, log_b, _ = until(lambda: (got := _state(b, "staf.beta", bid))[1][-1][2] == "accepted" and got,
                                      what=f"{action} confirmed by hub A")
            state, log, detail = _state(a, "staf.alpha", rid)
            assert state_b == state == action
            assert log_b[-2:] == [("out", "supplyingAgencyMessage", "sent"),
                                  ("in", "supplyingAgencyMessageConfirmation", "accepted")]
            assert ("in", "supplyingAgencyMessage", "accepted") in log
            assert detail["history"][-1]["action"] == action and detail["history"][-1]["actor_kind"] == "remote"
        assert detail["due_date"] == "2099-03-31"

        # 4-5. ALPHA received it, then posts it back; each action reaches BETA.
        for action in ("Received", "ShippedReturn"):
            a.api("POST", f"/ill/requests/{rid}/actions",
                  {"action": action, "expected_version": _version(a, "staf.alpha", rid)}, as_user="staf.alpha",
                  expect=200)
            state, log, _ = until(lambda: (got := _state(a, "staf.alpha", rid))[1][-1][2] == "accepted" and got,
                                  what=f"{action} confirmed by hub B")
            state_b, log_b, detail_b = _state(b, "staf.beta", bid)
            assert state == state_b == "Loaned"
            assert log[-2:] == [("out", "requestingAgencyMessage", "sent"),
                                ("in", "requestingAgencyMessageConfirmation", "accepted")]
            assert detail_b["history"][-1]["action"] == action and detail_b["history"][-1]["actor_kind"] == "remote"

        # 6. BETA checks it in: the loan is complete on both hubs.
        b.api("POST", f"/ill/requests/{bid}/actions",
              {"action": "LoanCompleted", "expected_version": _version(b, "staf.beta", bid)}, as_user="staf.beta",
              expect=200)
        state, log, detail = until(lambda: (got := _state(a, "staf.alpha", rid))[0] == "LoanCompleted" and got,
                                   what="the loan completed on hub A")
        state_b, log_b, detail_b = until(
            lambda: (got := _state(b, "staf.beta", bid))[1][-1][2] == "accepted" and got, what="hub A confirmed")
        assert state == state_b == "LoanCompleted"
        assert [h["action"] for h in detail["history"]] == [
            "create", "route", "send", "confirm", "WillSupply", "Loaned", "Received", "ShippedReturn", "LoanCompleted"]
        assert [h["action"] for h in detail_b["history"]] == [
            "receive", "WillSupply", "Loaned", "Received", "ShippedReturn", "LoanCompleted"]
        assert all(m["valid"] is not False for m in detail["messages"] + detail_b["messages"])
        # Both ledgers wrote the agreed loan fee (Rp 5,000) owed by ALPHA to BETA.
        for ledger in (detail["ledger"], detail_b["ledger"]):
            assert {(x["debtor"], x["creditor"], x["kind"], x["amount"]) for x in ledger} >= {
                ("ALPHA", "BETA", "loan_fee", 5000)}

        # Every message went with the secret: the same request again, under another id but without it, is
        # refused by hub B (401) and leaves nothing there.
        received = next(m for m in detail_b["messages"] if (m["direction"], m["kind"]) == ("in", "request"))
        raw = _raw(b, f"/ill/requests/{bid}/messages/{received['id']}", as_user="staf.beta")
        forged = raw.replace(f">{rid}<".encode(), f">{rid}999<".encode())
        assert forged != raw
        status, answer = _post(b.url + "/iso18626", forged)
        assert status == 401 and b"the shared secret agreed with" in answer
        assert len(b.api("GET", "/ill/requests?side=lending", as_user="staf.beta", expect=200)) == 1
        assert len(_state(b, "staf.beta", bid)[1]) == len(log_b)


def _raw(hub: Hub, path: str, *, as_user: str) -> bytes:
    request = urllib.request.Request(hub.url + "/api" + path, headers={
        "Authorization": f"Bearer {hub.tokens[as_user]}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def _post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/xml"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
