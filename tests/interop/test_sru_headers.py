"""Every ``/sru`` answer carries what the site's middleware put on any answer, under every security setting.

What the middleware would put is asked of the middleware themselves: the
site's whole chain (``settings.MIDDLEWARE``, nothing left out) around a view
answering a bare XML document, for the same request. Each SRU request is
sent twice (the first is answered through the middleware and teaches
``/sru`` its headers; the next is answered directly) and each answer must
carry every header that chain gives, with the same value; an answer must be
what the whole site answers to that request (the same status; for a ``200
OK`` the same headers and body too).
"""

from __future__ import annotations

import re
import secrets

from django.test import override_settings

from .test_sru import _environ, _wsgi, _without_language

#: The deployment settings (``jaringan.settings`` reads them from ``JARINGAN_*`` variables, or
#: they are Django's own): each changes what the security middleware put on an answer.
SETTINGS = {
    "defaults": {},
    "hsts": {"SECURE_HSTS_SECONDS": 31536000},
    "hsts-subdomains-preload": {"SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                                "SECURE_HSTS_PRELOAD": True},
    "hsts-behind-proxy": {"SECURE_HSTS_SECONDS": 600, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                          "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
    "ssl-redirect": {"SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 3600},
    "ssl-redirect-exempt": {"SECURE_SSL_REDIRECT": True, "SECURE_REDIRECT_EXEMPT": [r"^sru$"]},
    "referrer-policy-list": {"SECURE_REFERRER_POLICY": "no-referrer, strict-origin-when-cross-origin"},
    "referrer-policy-off": {"SECURE_REFERRER_POLICY": None},
    "opener-policy": {"SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin-allow-popups"},
    "opener-policy-off": {"SECURE_CROSS_ORIGIN_OPENER_POLICY": None},
    "csp": {"CONTENT_SECURITY_POLICY": "default-src 'none'; frame-ancestors 'none'"},
    "csp-off": {"CONTENT_SECURITY_POLICY": ""},
    "frame-options": {"X_FRAME_OPTIONS": "SAMEORIGIN"},
    "nosniff-off": {"SECURE_CONTENT_TYPE_NOSNIFF": False},
    "user-agents": {"DISALLOWED_USER_AGENTS": [re.compile(r"BadBot")]},
    "prepend-www": {"PREPEND_WWW": True},
    "secure-cookies": {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True},
    "production": {"SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                   "SECURE_HSTS_PRELOAD": True, "SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True,
                   "CSRF_COOKIE_SECURE": True, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
}

#: searchRetrieve with records and without, explain, scan, and diagnostics.
REQUESTS = {
    "searchRetrieve": "version=1.2&operation=searchRetrieve&query=dc.title%3Dindonesia&maximumRecords=2",
    "count": "version=2.0&query=sejarah&maximumRecords=0",
    "explain": "version=1.2&operation=explain",
    "scan": "version=1.2&operation=scan&scanClause=dc.title%3Dsej&maximumTerms=3",
    "diagnostic": "version=1.2&operation=searchRetrieve&query=(((",
    "unknown-operation": "version=1.2&operation=delete",
}

#: How a request reaches the site: plain HTTP, HTTPS, HTTPS ended by a proxy that says so, a robot.
CLIENTS = {
    "http": {},
    "https": {"wsgi.url_scheme": "https"},
    "proxied-https": {"HTTP_X_FORWARDED_PROTO": "https"},
    "robot": {"HTTP_USER_AGENT": "BadBot/1.0"},
}

#: Headers not the middleware's (the bare view's ``Content-Type``), of the middleware ``/sru`` leaves out
#: by design (the language middleware's: SRU answers in the standard's English), or that follow each body.
NOT_SRU = {"Content-Type", "Vary", "Content-Language", "Content-Length"}

#: What the settings above change.
SECURITY_HEADERS = ("Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy", "X-Content-Type-Options", "Location")


def _bare_site():
    """The site's whole middleware chain around a view answering a bare XML document."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import HttpResponse
    from django.urls import ResolverMatch
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def bare(request):
        return HttpResponse(b"<bare/>", content_type="text/xml; charset=utf-8")

    class Bare(WSGIHandler):
        def resolve_request(self, request):
            request.resolver_match = ResolverMatch(bare, (), {})
            return request.resolver_match

    return Bare()


def _check(answer, expected, what: str) -> None:
    status, headers, body = answer
    expected_status, expected_headers, _ = expected
    if expected_status == "200 OK":
        assert status == "200 OK", what
        assert headers["Content-Length"] == str(len(body)), what
    for name, value in expected_headers.items():
        if name not in NOT_SRU and name != "Set-Cookie":  # a refusal's page sets a new CSRF token
            assert headers.get(name) == value, f"{what}: {name}"


def test_every_sru_answer_carries_the_middlewares_headers_under_every_setting(indexed, settings):
    from django.core.handlers.wsgi import WSGIHandler

    from jaringan.interop.sru.wsgi import with_sru

    settings.ALLOWED_HOSTS = ["testserver", "www.testserver"]
    seen = {header: set() for header in SECURITY_HEADERS}
    for name, values in SETTINGS.items():
        with override_settings(**values):
            site, bare, lean = WSGIHandler(), _bare_site(), with_sru(WSGIHandler())
            for client, extra in CLIENTS.items():
                for kind, query in REQUESTS.items():
                    what = f"{name}, {client}, {kind}"
                    expected = _wsgi(bare, "/sru", query, **extra)
                    whole = _without_language(_wsgi(site, "/sru", query, **extra))
                    for _ in range(2):  # learned, then answered directly
                        answer = _wsgi(lean, "/sru", query, **extra)
                        _check(answer, expected, what)
                        assert answer == whole if whole[0] == "200 OK" else answer[0] == whole[0], what
                        for header in SECURITY_HEADERS:
                            seen[header].add(answer[1].get(header))
    for header, values in seen.items():  # the settings above turn each header on, off, or change it
        assert len(values) > 1, header


def test_refused_sru_requests_carry_the_middlewares_headers(indexed, settings):
    """A host not allowed (Django's 400), a method the view refuses (405), too many parameters."""
    from django.core.handlers.wsgi import WSGIHandler

    from jaringan.interop.sru.wsgi import with_sru

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_HSTS_SECONDS = 3600
    settings.CONTENT_SECURITY_POLICY = "default-src 'none'"
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    site, bare, lean = WSGIHandler(), _bare_site(), with_sru(WSGIHandler())
    many = "&".join(f"x-{n}=1" for n in range(5))
    requests = {
        "host": ("version=1.2&operation=explain", {"host": "evil.example"}),
        "host-https": ("version=1.2&operation=explain", {"host": "evil.example", "wsgi.url_scheme": "https"}),
        "put": ("version=1.2&operation=explain", {"method": "PUT", "wsgi.url_scheme": "https"}),
        "head": ("version=1.2&operation=explain", {"method": "HEAD"}),
        "post": ("", {"method": "POST", "body": b"version=1.2&operation=searchRetrieve&query=sejarah"}),
        "many": (many, {"wsgi.url_scheme": "https"}),
    }
    statuses = {}
    for what, (query, extra) in requests.items():
        expected = _wsgi(bare, "/sru", query, **{k: v for k, v in extra.items() if k not in ("method", "body")})
        for _ in range(2):
            answer = _wsgi(lean, "/sru", query, **extra)
            assert answer == _without_language(_wsgi(site, "/sru", query, **extra)), what
            for name, value in expected[1].items():
                if name not in NOT_SRU:
                    assert answer[1].get(name) == value, f"{what}: {name}"
        statuses[what] = answer[0]
    assert statuses == {"host": "400 Bad Request", "host-https": "400 Bad Request",
                        "put": "405 Method Not Allowed", "head": "405 Method Not Allowed", "post": "200 OK",
                        "many": "200 OK"}


class PermissionsPolicy:
    """A header-setting middleware the SRU code has never heard of."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Permissions-Policy"] = "geolocation=()"
        return response


class RequestId(PermissionsPolicy):
    """A middleware whose header changes with every answer."""

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Request-Id"] = secrets.token_hex(8)
        return response


def test_a_middleware_added_later_reaches_every_sru_answer(indexed, settings):
    from jaringan.interop.sru.wsgi import SRUApplication

    settings.ALLOWED_HOSTS = ["testserver"]
    query = "version=1.2&operation=searchRetrieve&query=sejarah&maximumRecords=0"
    sru = SRUApplication()
    environ = _environ("/sru", "version=2.0&scanClause=dc.title%3Dsej")
    assert not sru.direct(environ)
    assert _wsgi(sru, "/sru", query)[0] == "200 OK"
    assert sru.direct(environ)  # learned: the next GET of its kind answered directly
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.PermissionsPolicy"]
    sru = SRUApplication()
    for _ in range(2):
        assert _wsgi(sru, "/sru", query)[1]["Permissions-Policy"] == "geolocation=()"
    assert sru.direct(environ)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.RequestId"]
    sru = SRUApplication()
    ids = {_wsgi(sru, "/sru", query)[1]["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3 and not sru.direct(environ)  # never answered with a header learned from another answer
