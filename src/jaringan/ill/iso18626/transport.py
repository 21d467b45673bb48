"""How ISO 18626 messages travel to a peer: an injectable transport.

A transport takes the bytes of one message and the peer's address and
returns the bytes the peer answered (its confirmation). The default posts
over HTTP, as ISO 18626 peers (ReShare, other Jaringan hubs) expect: ``POST``
with ``Content-Type: application/xml``, the confirmation in the response body,
and ``Authorization: Bearer <secret>`` when a shared secret was agreed with
the peer (``Peer.shared_secret``).
Every connection goes through the outbound policy (``jaringan.outbound``): a
peer address, or a redirect, that leads to a loopback or private address
the operator did not allow is refused. An answer that is not an ISO 18626
message is
described (status, content type, length), never kept or quoted.

Another transport plugs in by setting ``JARINGAN_ISO18626_TRANSPORT`` to the
dotted path of a class with the same ``send`` method; tests point peers at a
real server on 127.0.0.1 instead of replacing anything here.

    TransportError     the message did not reach the peer, or no answer came back
"""

from __future__ import annotations

from typing import Protocol

import requests
from django.utils.module_loading import import_string

from jaringan import outbound
from jaringan.core.errors import Unavailable
from jaringan.core.outbound import describe_response

from .. import conf

__all__ = ["HttpTransport", "Transport", "TransportError", "get_transport"]

#: The largest answer read back from a peer (a confirmation is a few hundred bytes).
MAX_ANSWER_BYTES = 256 * 1024
#: An answer is taken when its root element, within its first bytes, is an ISO 18626 message; anything else (a
#: web page of the server the address leads to) is described by status, type and length, never kept.
ISO_ROOT, ROOT_WITHIN = b"ISO18626Message", 1024


class TransportError(Unavailable):
    """The message did not reach the peer, or no answer came back; it is tried again later.

    ``kind`` says why, for the words staff read (``texts.DELIVERY_ERRORS``): ``unreachable`` (no connection),
    ``timeout`` (no answer in time: the peer may have it, so it is sent again as it was), ``refused_address``
    (the outbound policy forbids the address), ``bad_address``, ``not_iso18626`` (something else answered).
    """

    def __init__(self, message: str, *, kind: str = "unreachable") -> None:
        super().__init__(message, code=kind)
        self.kind = kind


class Transport(Protocol):
    def send(self, url: str, body: bytes, *, timeout: float, secret: str = "") -> bytes:
        """Deliver ``body`` to ``url`` (with the peer's shared ``secret``, if one was agreed); return the peer's
        answer. Raise ``TransportError`` on failure."""


class HttpTransport:
    """ISO 18626 over HTTP POST."""

    user_agent = "Jaringan ISO 18626"

    def send(self, url: str, body: bytes, *, timeout: float, secret: str = "") -> bytes:
        if not url.lower().startswith(("http://", "https://")):
            raise TransportError(f"{url} is not an http(s) address", kind="bad_address")
        headers = {"Content-Type": "application/xml; charset=utf-8", "Accept": "application/xml",
                   "User-Agent": self.user_agent}
        if secret:  # the peer's shared secret, as ReShare and OCLC deployments agree one over HTTPS
            headers["Authorization"] = f"Bearer {secret}"
        try:
            with outbound.policy().session() as session, session.post(
                    url, data=body, headers=headers, timeout=timeout, stream=True) as response:
                answer = response.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)[:MAX_ANSWER_BYTES]
        except outbound.OutboundRefused as exc:
            raise TransportError(f"{url} refused: {exc}", kind="refused_address") from None
        except requests.ConnectTimeout as exc:
            raise TransportError(f"{url} could not be reached in time: {_reason(exc)}", kind="unreachable") from None
        except requests.Timeout as exc:  # connected, sent, no answer: the peer may have it (sent again as it was)
            raise TransportError(f"{url} did not answer in time: {_reason(exc)}", kind="timeout") from None
        except (requests.RequestException, OSError, ValueError) as exc:
            raise TransportError(f"{url} could not be reached: {_reason(exc)}") from None
        # A peer may answer an ERROR confirmation with a 4xx/5xx status: an ISO 18626 message is still the answer.
        if answer.lstrip().startswith(b"<") and ISO_ROOT in answer[:ROOT_WITHIN]:
            return answer
        described = describe_response(response.status_code, response.headers.get("Content-Type"), len(answer))
        raise TransportError(f"{url} answered with no ISO 18626 message ({described})", kind="not_iso18626")


def _reason(exc: Exception) -> str:
    """The innermost cause of a failed request, without the connection pool's wrapping."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    inner = getattr(inner, "reason", None) or inner
    return str(inner).rsplit(": ", 1)[-1] or type(exc).__name__


def get_transport() -> Transport:
    """The configured transport (``JARINGAN_ISO18626_TRANSPORT``), a fresh instance."""
    return import_string(conf.transport_path())()
