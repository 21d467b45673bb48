"""Outbound requests (harvests, ISO 18626 peers, the SMS gateway) reach only addresses the operator allows.

Real HTTP servers on 127.0.0.1; the policy under test is the operator's
setting (``JARINGAN_OUTBOUND_ALLOW``), emptied where a test wants the
deployment's default. The only replaced part is the name resolver of the
DNS-rebinding test (``Policy(resolver=...)``, the seam the guard offers).
"""

from __future__ import annotations

import json
import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jaringan.core.outbound import OutboundRefused, Policy, describe_response

INTERNAL_PAGE = b"<html><body>internal admin: secret=hunter2</body></html>"


@contextmanager
def http_server(routes: dict[str, tuple[int, dict, bytes]]):
    """A server on 127.0.0.1 answering each path with (status, headers, body); any method."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            status, headers, body = routes.get(self.path.split("?", 1)[0], (404, {}, b""))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value.replace("{port}", str(port)))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer  # noqa: N815 (the standard library's names)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


# --- the policy ------------------------------------------------------------------------------------

@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.3.4.5", "loopback"), ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.1.2.3", "private"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
    ("fd12:3456::1", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "private"), ("100.64.0.1", "non-global"), ("fec0::1", "site-local"),
])
def test_non_public_addresses_are_refused_by_default(address, kind):
    refused = Policy().refusal(address, "provider.example")
    assert refused is not None and refused.kind == kind and refused.host == "provider.example"
    assert "JARINGAN_OUTBOUND_ALLOW" in str(refused)


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "103.10.20.30"])
def test_public_addresses_pass(address):
    assert Policy().refusal(address) is None


def test_the_operator_allows_networks_by_cidr():
    policy = Policy.parse("10.20.0.0/16, 127.0.0.1")
    assert policy.refusal("10.20.3.4") is None and policy.refusal("127.0.0.1") is None
    assert policy.refusal("::ffff:10.20.3.4") is None  # the mapped form of an allowed address
    assert policy.refusal("10.21.0.1").kind == "private" and policy.refusal("127.0.0.2").kind == "loopback"
    with pytest.raises(ValueError, match="'10.0.0.300' is not an IP network"):
        Policy.parse("10.0.0.300")


def test_a_name_is_judged_by_every_address_it_resolves_to():
    with pytest.raises(OutboundRefused, match=r"localhost \(.*\) is a loopback address"):
        Policy().check_url("http://localhost:8080/oai")
    with pytest.raises(OutboundRefused, match="not an http"):
        Policy().check_url("file:///etc/passwd")


def test_requests_to_a_refused_address_never_connect():
    with http_server({"/": (200, {}, b"ok")}) as base:
        with pytest.raises(OutboundRefused, match="loopback"):
            Policy().session().get(base + "/", timeout=5)
        assert Policy(["127.0.0.1/32"]).session().get(base + "/", timeout=5).text == "ok"


def test_a_redirect_to_a_refused_address_is_refused():
    with http_server({"/oai": (302, {"Location": "http://127.0.0.2:{port}/secret"}, b""),
                      "/moved": (302, {"Location": "http://127.0.0.1:{port}/secret"}, b""),
                      "/secret": (200, {}, b"secret")}) as base:
        with pytest.raises(OutboundRefused, match=r"127\.0\.0\.2 is a loopback address"):
            Policy(["127.0.0.1/32"]).session().get(base + "/oai", timeout=5)
        assert Policy(["127.0.0.1/32"]).session().get(base + "/moved", timeout=5).text == "secret"


def test_dns_rebinding_is_refused_at_the_connection():
    """The name resolves to a public address when checked, to 127.0.0.1 when connected."""
    with http_server({"/oai": (200, {}, b"internal")}) as base:
        port = int(base.rsplit(":", 1)[1])
        answers = [[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))],
                   [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]]

        def rebinding(host, port, *args):
            return answers.pop(0) if len(answers) > 1 else answers[0]

        policy = Policy(resolver=rebinding)
        assert policy.check_url(f"http://provider.example:{port}/oai") == ["93.184.216.34"]
        with pytest.raises(OutboundRefused, match=r"provider\.example \(127\.0\.0\.1\) is a loopback address"):
            policy.session().get(f"http://provider.example:{port}/oai", timeout=5)


def test_a_response_is_described_not_quoted():
    assert describe_response(500, "text/html; charset=utf-8", 1234) == "HTTP 500, text/html, 1,234 bytes"


# --- harvest sources ---------------------------------------------------------------------------------

@pytest.fixture
def strict(settings):
    """The deployment's default: no private address allowed."""
    settings.JARINGAN_OUTBOUND_ALLOW = ""
    return settings


@pytest.mark.django_db
def test_a_source_on_a_private_address_is_refused_when_saved(demo_network, strict, passwords):
    from django.test import Client

    from jaringan.core.errors import Invalid
    from jaringan.harvesting import services
    from jaringan.harvesting.models import HarvestSource
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    library = Library.objects.get(code="UNPATTI")
    for url in ("http://127.0.0.1:8080/oai", "http://[::1]/oai", "http://169.254.169.254/latest/",
                "http://10.0.0.5/oai", "http://[::ffff:127.0.0.1]/oai", "http://localhost/oai"):
        with pytest.raises(Invalid) as caught:
            services.source_save(actor=SYSTEM, library=library, data={"endpoint": url, "metadata_prefix": "oai_dc"})
        assert list(caught.value.errors) == ["endpoint"] and "JARINGAN_OUTBOUND_ALLOW" in caught.value.message
    client = Client()
    assert client.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    page = client.post("/manage/libraries/UNPATTI/sources/", {"endpoint": "http://127.0.0.1:8080/oai",
                                                              "metadata_prefix": "oai_dc", "every_hours": "24"},
                       follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a loopback address" in page and not HarvestSource.objects.exists()


@pytest.mark.django_db
def test_a_harvest_is_checked_again_when_it_runs(demo_network, settings):
    """A source saved while its address was allowed is refused once the operator no longer allows it."""
    from jaringan.harvesting import services
    from jaringan.harvesting.models import HarvestSource
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    with http_server({"/oai": (200, {"Content-Type": "text/html"}, INTERNAL_PAGE)}) as base:
        # saved while it answered as a provider (saving now asks it, and an HTML page is refused)
        source = HarvestSource.objects.create(library=Library.objects.get(code="UNPATTI"), endpoint=base + "/oai",
                                              metadata_prefix="oai_dc")
        shown = services.source_harvest(source=source, retries=0, retry_wait=0.01, timeout=5)
        assert shown.status == "failed"
        settings.JARINGAN_OUTBOUND_ALLOW = ""
        refused = services.source_harvest(source=source, retries=0, retry_wait=0.01, timeout=5)
    assert refused.status == "failed" and "refused" in refused.error and "loopback" in refused.error
    for run in (shown, refused):
        run.batch.refresh_from_db()
        for text in (run.error, run.batch.message):
            assert "secret" not in text and "internal admin" not in text and "<html" not in text
    assert "text/html" in shown.error and f"{len(INTERNAL_PAGE)} bytes" in shown.error


# --- ISO 18626 peers -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_peer_on_a_private_address_is_refused_by_the_api(demo_network, strict, user):
    from django.test import Client

    from jaringan.ill.models import Peer
    from jaringan.network import services as network

    token = network.token_create(user=user("koordinator"))
    response = Client().post("/api/ill/peers", data=json.dumps({"library": "UNHAS", "url": "http://10.1.2.3/iso"}),
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
                             HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "url" in json.dumps(response.json())
    assert "a private address" in response.content.decode() and not Peer.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_peer_on_a_private_address(demo_network, strict):
    from django.core.exceptions import ValidationError

    from jaringan.ill.models import Peer
    from jaringan.network.models import Library

    peer = Peer(library=Library.objects.get(code="UNHAS"), url="http://127.0.0.1:9/iso18626",
                agency_id_type="JARINGAN", agency_id_value="UNHAS")
    with pytest.raises(ValidationError) as caught:
        peer.full_clean()
    assert "url" in caught.value.error_dict


def test_the_iso18626_transport_refuses_and_describes(settings):
    from jaringan.ill.iso18626.transport import HttpTransport, TransportError

    with http_server({"/iso": (500, {"Content-Type": "text/html"}, INTERNAL_PAGE),
                      "/hop": (307, {"Location": "http://127.0.0.2:{port}/iso"}, b"")}) as base:
        with pytest.raises(TransportError) as caught:
            HttpTransport().send(base + "/iso", b"<x/>", timeout=5)
        assert "HTTP 500, text/html" in str(caught.value) and "secret" not in str(caught.value)
        with pytest.raises(TransportError, match=r"refused: 127\.0\.0\.2 is a loopback address"):
            HttpTransport().send(base + "/hop", b"<x/>", timeout=5)
        settings.JARINGAN_OUTBOUND_ALLOW = ""
        with pytest.raises(TransportError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
            HttpTransport().send(base + "/iso", b"<x/>", timeout=5)
