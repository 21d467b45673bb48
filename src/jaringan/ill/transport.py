"""How ISO 18626 messages travel to a peer: an injectable transport.

A transport takes the bytes of one message and the peer's address and
returns the bytes the peer answered (its confirmation). The default posts
over HTTP, as ISO 18626 peers (ReShare, other Jaringan hubs) expect: ``POST``
with ``Content-Type: application/xml``, the confirmation in the response body.

Another transport plugs in by setting ``JARINGAN_ISO18626_TRANSPORT`` to the
dotted path of a class with the same ``send`` method; tests point peers at a
real server on 127.0.0.1 instead of replacing anything here.

    TransportError     the message did not reach the peer, or no answer came back
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Protocol

from django.utils.module_loading import import_string

from . import conf

__all__ = ["HttpTransport", "Transport", "TransportError", "get_transport"]

#: The largest answer read back from a peer (a confirmation is a few hundred bytes).
MAX_ANSWER_BYTES = 256 * 1024


class TransportError(Exception):
    """The message did not reach the peer, or no answer came back; it is tried again later."""


class Transport(Protocol):
    def send(self, url: str, body: bytes, *, timeout: float) -> bytes:
        """Deliver ``body`` to ``url``; return the peer's answer. Raise ``TransportError`` on failure."""


class HttpTransport:
    """ISO 18626 over HTTP POST."""

    user_agent = "Jaringan ISO 18626"

    def send(self, url: str, body: bytes, *, timeout: float) -> bytes:
        if not url.lower().startswith(("http://", "https://")):
            raise TransportError(f"{url} is not an http(s) address")
        request = urllib.request.Request(
            url, data=body, method="POST",
            headers={"Content-Type": "application/xml; charset=utf-8", "Accept": "application/xml",
                     "User-Agent": self.user_agent},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read(MAX_ANSWER_BYTES + 1)[:MAX_ANSWER_BYTES]
        except urllib.error.HTTPError as exc:
            # A peer may answer an ERROR confirmation with a 4xx/5xx status: the body is still the answer.
            answer = exc.read(MAX_ANSWER_BYTES) if exc.fp is not None else b""
            if answer.lstrip().startswith(b"<"):
                return answer
            raise TransportError(f"{url} answered HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransportError(f"{url} could not be reached: {reason}") from None


def get_transport() -> Transport:
    """The configured transport (``JARINGAN_ISO18626_TRANSPORT``), a fresh instance."""
    return import_string(conf.transport_path())()
