"""A peer's ISO 18626 endpoint on 127.0.0.1, for tests: it keeps what it receives and confirms it.

It answers as a conforming peer answers: the confirmation the ISO 18626 core
builds for the message (OK, or ERROR for what it cannot read). A test may
tell it to refuse the next messages (``refuse`` = an error type) to see how a
refusal is handled.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jaringan.core import iso18626 as core


class PeerServer:
    def __init__(self) -> None:
        self.received: list[bytes] = []
        #: The ``Authorization`` header of each message received (None when it had none).
        self.authorizations: list[str | None] = []
        self.refuse: core.ErrorType | None = None
        #: Seconds to hold each of the next ``slow`` answers back (a peer that got the message but whose answer
        #: comes too late: the sender cannot tell whether it arrived).
        self.delay, self.slow = 0.0, 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/iso18626"

    def messages(self) -> list:
        return [core.parse(body) for body in self.received]

    def answer(self, body: bytes) -> bytes:
        self.received.append(body)
        try:
            message = core.parse(body)
        except core.MessageError as exc:
            return core.confirmation_for(exc, status=core.MessageStatus.ERROR)
        if self.refuse is not None:
            return core.confirmation_for(message, status=core.MessageStatus.ERROR, error_type=self.refuse,
                                         error_value="refused by the test peer")
        return core.confirmation_for(message, status=core.MessageStatus.OK)

    @contextmanager
    def running(self):
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                peer.authorizations.append(self.headers.get("Authorization"))
                answer = peer.answer(body)
                if peer.slow > 0:
                    peer.slow -= 1
                    time.sleep(peer.delay)
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
