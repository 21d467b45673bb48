"""The one guard on requests this server makes to addresses that others gave it.

A member's OAI-PMH source, an ISO 18626 peer's address or a gateway's URL is
typed in by a person; without a guard, the hub would fetch whatever it names,
its own loopback interface and the private network it runs in included. Every
outbound request goes through a ``Policy``:

* ``Policy.check_url`` resolves a URL's host and refuses it when any address
  it resolves to is loopback, link-local, private, unique-local, multicast,
  reserved, unspecified or otherwise not global (IPv4 and IPv6, an
  IPv4-mapped IPv6 address judged as the IPv4 address it carries), unless
  the address lies in one of the networks the operator allowed
  (``JARINGAN_OUTBOUND_ALLOW``: CIDRs separated by commas). Used when an
  address is saved and before a request.
* ``Policy.session`` is a ``requests.Session`` whose connections resolve the
  host themselves, connect only to an address the policy allows, and check
  the address the socket is connected to. A name that resolves to a public
  address when checked and to a private one when connected (DNS rebinding)
  is refused at the connection, and so is every redirect: each hop opens its
  connection through the same guard. The session ignores the environment's
  proxies (a proxy would connect on its behalf, unguarded).

Refusals raise ``OutboundRefused``. Pure: no Django; the resolver can be
replaced (``resolver=``, the signature of ``socket.getaddrinfo``).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from jaringan.core.errors import Forbidden

__all__ = ["ALLOW_VARIABLE", "OutboundRefused", "Policy", "default_policy", "describe_response"]

#: The environment variable (and Django setting) naming the networks an operator allows.
ALLOW_VARIABLE = "JARINGAN_OUTBOUND_ALLOW"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class OutboundRefused(Forbidden):
    """An outbound request was refused: its address is not one this server may reach.

    ``host`` is the name asked for, ``address`` the address refused (None when
    the URL itself is unusable) and ``kind`` why (``loopback``, ``private`` …).
    """

    def __init__(self, message: str, *, host: str = "", address: str | None = None, kind: str = "") -> None:
        self.host, self.address, self.kind = host, address, kind
        super().__init__(message)


def _kind(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address (None: it is one)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _kind(ip.ipv4_mapped)
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global:
        return "non-global"
    return None


class Policy:
    """Which addresses outbound requests may reach: public ones, and the networks in ``allow``."""

    def __init__(self, allow: Iterable[str | IPNetwork] = (),
                 resolver: Callable[..., list] = socket.getaddrinfo) -> None:
        self.allow: tuple[IPNetwork, ...] = tuple(
            a if isinstance(a, ipaddress.IPv4Network | ipaddress.IPv6Network) else ipaddress.ip_network(
                a.strip(), strict=False)
            for a in allow if not isinstance(a, str) or a.strip())
        self.resolver = resolver

    @classmethod
    def parse(cls, value: str | Iterable[str] | None, **options) -> Policy:
        """A policy from ``"10.0.0.0/8, 127.0.0.1"`` or a list of CIDRs; ``ValueError`` names a bad one."""
        items = value.split(",") if isinstance(value, str) else list(value or ())
        allow = []
        for item in items:
            if not str(item).strip():
                continue
            try:
                allow.append(ipaddress.ip_network(str(item).strip(), strict=False))
            except ValueError:
                raise ValueError(f"{ALLOW_VARIABLE}: {str(item).strip()!r} is not an IP network (CIDR)") from None
        return cls(allow, **options)

    def __repr__(self) -> str:
        return f"Policy(allow={[str(a) for a in self.allow]})"

    # --- judging addresses ------------------------------------------------------------------------

    def refusal(self, address: str, host: str = "") -> OutboundRefused | None:
        """The refusal for ``address`` (None when it may be reached)."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        kind = _kind(ip)
        if kind is None:
            return None
        judged = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip
        if any(judged in network or ip in network for network in self.allow):
            return None
        named = f"{host} ({ip})" if host and host != str(ip) else str(ip)
        return OutboundRefused(
            f"{named} is a {kind} address; this server does not send requests there "
            f"(an operator may allow it in {ALLOW_VARIABLE})", host=host, address=str(ip), kind=kind)

    def resolve(self, host: str, port: int) -> list[tuple]:
        """``getaddrinfo`` answers for ``host`` that may be reached; refuses when any answer may not."""
        answers = self.resolver(host, port, 0, socket.SOCK_STREAM)
        for answer in answers:
            refused = self.refusal(answer[4][0], host)
            if refused is not None:
                raise refused
        return answers

    def check_url(self, url: str) -> list[str]:
        """Refuse ``url`` unless it is http(s) with a host whose every address may be reached; its addresses."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise OutboundRefused(f"{url} is not an http(s) address with a host", host=parts.hostname or "")
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            raise OutboundRefused(f"{url} has no valid port", host=parts.hostname) from None
        try:
            answers = self.resolve(parts.hostname, port)
        except socket.gaierror as exc:
            raise OutboundRefused(f"{parts.hostname} cannot be resolved: {exc.strerror or exc}",
                                  host=parts.hostname, kind="unresolved") from None
        return sorted({a[4][0] for a in answers})

    # --- connecting --------------------------------------------------------------------------------

    def connect(self, address: tuple[str, int], timeout=None, source_address=None, socket_options=None) -> socket.socket:
        """``socket.create_connection`` that connects only to addresses this policy allows."""
        host, port = address
        failure: OSError | None = None
        for family, kind, proto, _name, sockaddr in self.resolve(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                for option in socket_options or ():
                    sock.setsockopt(*option)
                if isinstance(timeout, int | float):
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                refused = self.refusal(sock.getpeername()[0], host)
                if refused is not None:
                    raise refused
                return sock
            except OSError as exc:
                failure = exc
                sock.close()
            except OutboundRefused:
                sock.close()
                raise
        raise failure or OSError(f"{host} has no address")

    def session(self, session: requests.Session | None = None) -> requests.Session:
        """``session`` (or a new one) with every http(s) connection made through this policy."""
        session = session if session is not None else requests.Session()
        session.trust_env = False
        adapter = GuardedAdapter(self)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session


def _guarded(base: type[HTTPConnection], policy: Policy) -> type[HTTPConnection]:
    def _new_conn(self) -> socket.socket:
        try:
            return policy.connect((self._dns_host, self.port), self.timeout, source_address=self.source_address,
                                  socket_options=self.socket_options)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})") \
                from exc
        except OutboundRefused:
            raise
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc

    return type(f"Guarded{base.__name__}", (base,), {"_new_conn": _new_conn})


class GuardedAdapter(HTTPAdapter):
    """A ``requests`` adapter whose pools open their connections through a ``Policy``."""

    def __init__(self, policy: Policy, **kwargs) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        http = type("GuardedHTTPConnectionPool", (HTTPConnectionPool,),
                    {"ConnectionCls": _guarded(HTTPConnection, self.policy)})
        https = type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,),
                     {"ConnectionCls": _guarded(HTTPSConnection, self.policy)})
        self.poolmanager.pool_classes_by_scheme = {"http": http, "https": https}
        self.poolmanager.key_fn_by_scheme = dict(self.poolmanager.key_fn_by_scheme)

    def __getstate__(self):
        state = super().__getstate__()
        state["policy"] = self.policy
        return state


def default_policy() -> Policy:
    """The policy of ``JARINGAN_OUTBOUND_ALLOW`` in the environment (nothing private allowed when unset)."""
    return Policy.parse(os.environ.get(ALLOW_VARIABLE, ""))


def describe_response(status: int | None, content_type: str | None, length: int) -> str:
    """What may be said of an answer without quoting it: ``HTTP 500, text/html, 1,234 bytes``."""
    parts = [f"HTTP {status}" if status is not None else "no status",
             (content_type or "no content type").split(";", 1)[0].strip() or "no content type",
             f"{length:,} bytes"]
    return ", ".join(parts)
