"""``/sru`` answered in front of the site: the same answers, without what SRU never uses.

An SRU request needs no session, login, messages, language choice, CSRF
check (the view is exempt), static files or URL patterns: through the whole
stack, that handling costs more than answering a count does.
:func:`with_sru` puts a handler in front of the site's WSGI application that
takes ``/sru`` alone and passes everything else on untouched.

A GET is answered directly: the host checked against ``ALLOWED_HOSTS`` by
Django's own request object (the verdict kept per host), the query string
parsed as Django parses it, ``request_started``/``request_finished`` sent
whenever a database connection is open or opened (their receivers close old
connections; a count or a scan needs none), Django's request object made
only when a response writes the site's address (records, explain), and the
headers the site's middleware put on an SRU response, made once from their
settings: ``SecurityMiddleware`` (no-sniff, referrer and opener policies,
HSTS over HTTPS), ``CommonMiddleware`` (``Content-Length``),
``XFrameOptionsMiddleware`` and our ``ContentSecurityPolicyMiddleware`` (its
value from the same function the middleware reads).

Everything else goes through :class:`SRUHandler`, Django's own handler with
the site's middleware less those in :data:`UNNEEDED`: a POST, a host not
allowed (Django's 400 page and its security log), too many parameters, and
every request when the settings ask for what the direct answer does not do
(an HTTPS redirect, ``PREPEND_WWW``, refused user agents, or a middleware it
does not know, e.g. one added to the site later).

    # jaringan/wsgi.py
    application = with_sru(get_wsgi_application())
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_script_name
from django.core.signals import request_finished, request_started, setting_changed
from django.db import connections
from django.dispatch import receiver
from django.urls import ResolverMatch, set_script_prefix
from django.utils.module_loading import import_string

from jaringan.security.middleware import policy_header

__all__ = ["ANSWERED", "PATH", "UNNEEDED", "DirectSRU", "SRUHandler", "direct_headers", "with_sru"]

PATH = "/sru"

#: Middleware whose work an SRU request never needs.
UNNEEDED = frozenset({
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files only
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # SRU's messages are the standard's, in English
    "django.middleware.csrf.CsrfViewMiddleware",  # the view is exempt
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jaringan.security.middleware.PublicGZipMiddleware",  # pages only
    "jaringan.errorpages.PermissionDeniedPage",  # the SRU view refuses no one
})

#: Middleware whose effect on an SRU answer the direct path reproduces (see :func:`direct_headers`).
ANSWERED = frozenset({
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jaringan.security.middleware.ContentSecurityPolicyMiddleware",
})


def sru_middleware() -> list[str]:
    """The site's middleware that apply to ``/sru``, in the site's order."""
    return [name for name in settings.MIDDLEWARE if name not in UNNEEDED]


class SRUHandler(WSGIHandler):
    """Django's WSGI handler for the SRU view alone (made once Django is set up)."""

    def __init__(self) -> None:
        from .views import sru  # importable before Django is set up, as jaringan/wsgi.py imports it

        super().__init__()
        self._match = ResolverMatch(sru, (), {}, url_name="sru", route=PATH.lstrip("/"))

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for name in reversed(sru_middleware()):
            try:
                middleware = import_string(name)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler

    def resolve_request(self, request) -> ResolverMatch:
        request.resolver_match = self._match
        return self._match


def direct_headers(secure: bool) -> list[tuple[str, str]] | None:
    """The headers the site's middleware add to an SRU answer, from their settings; None when the
    settings ask for more than headers (then every request goes through :class:`SRUHandler`)."""
    names = set(sru_middleware())
    if not names <= ANSWERED or settings.SECURE_SSL_REDIRECT or settings.PREPEND_WWW or settings.DISALLOWED_USER_AGENTS:
        return None
    headers = []
    if "django.middleware.security.SecurityMiddleware" in names:
        if settings.SECURE_HSTS_SECONDS and secure:
            value = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                value += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                value += "; preload"
            headers.append(("Strict-Transport-Security", value))
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers.append(("X-Content-Type-Options", "nosniff"))
        policy = settings.SECURE_REFERRER_POLICY
        if policy:
            headers.append(("Referrer-Policy", ",".join(
                [v.strip() for v in policy.split(",")] if isinstance(policy, str) else policy)))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if "django.middleware.clickjacking.XFrameOptionsMiddleware" in names:
        headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    if "jaringan.security.middleware.ContentSecurityPolicyMiddleware" in names and policy_header():
        headers.append(("Content-Security-Policy", policy_header()))
    return headers


class DirectSRU:
    """A GET to ``/sru`` answered without the middleware chain; anything else to :class:`SRUHandler`."""

    def __init__(self) -> None:
        from . import views

        self._views = views
        self._fallback = SRUHandler()
        self._headers = {secure: direct_headers(secure) for secure in (False, True)}
        self._content_type = ("Content-Type", views.CONTENT_TYPE)
        self._charset = settings.DEFAULT_CHARSET  # read once, as middleware read theirs
        self._fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or self._headers[False] is None:
            return self._fallback(environ, start_response)
        if not self._allowed(environ):
            return self._fallback(environ, start_response)  # Django's 400 and its security log
        query = environ.get("QUERY_STRING", "").encode("iso-8859-1")
        try:
            text = query.decode(self._charset)
        except UnicodeDecodeError:  # forgiven as Django's QueryDict forgives it
            text = query.decode("iso-8859-1")
        try:
            pairs = parse_qsl(text, keep_blank_values=True, encoding=self._charset, max_num_fields=self._fields)
        except ValueError:  # too many parameters: Django's 400
            return self._fallback(environ, start_response)
        set_script_prefix(get_script_name(environ))
        # Django's receivers of these signals close connections that are old or broken (and reset
        # the query log under DEBUG); with no connection open they have nothing to do, and a count
        # or a scan opens none. A request that opens one still closes it as any other request does.
        signalled = settings.DEBUG or _connected()
        if signalled:
            request_started.send(sender=self.__class__, environ=environ)
        try:
            body = self._views.answer(self._views.WSGIParameters(environ, pairs))
        finally:
            if signalled or _connected():
                request_finished.send(sender=self.__class__)
        secure = environ.get("wsgi.url_scheme") == "https" or _secure_by_proxy(environ)
        headers = [self._content_type, *self._headers[secure], ("Content-Length", str(len(body)))]
        start_response("200 OK", headers)
        return [body]

    def _allowed(self, environ) -> bool:
        """Whether Django accepts the request's host (``ALLOWED_HOSTS``), kept by the host headers
        until a setting changes."""
        key = tuple(environ.get(name) for name in _HOST_KEYS)
        allowed = _hosts.get(key)
        if allowed is None:
            try:
                WSGIRequest(environ).get_host()
                allowed = True
            except DisallowedHost:
                allowed = False
            if len(_hosts) > 1_000:
                _hosts.clear()
            _hosts[key] = allowed
        return allowed


#: What Django's ``get_host`` reads, and whether it accepted it.
_HOST_KEYS = ("HTTP_X_FORWARDED_HOST", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT")
_hosts: dict[tuple, bool] = {}


@receiver(setting_changed)
def _forget_hosts(**kwargs) -> None:
    _hosts.clear()


def _secure_by_proxy(environ) -> bool:
    header = settings.SECURE_PROXY_SSL_HEADER
    return bool(header) and WSGIRequest(environ).is_secure()


def _connected() -> bool:
    """Whether this thread has a database connection open."""
    return any(alias.connection is not None for alias in connections.all(initialized_only=True))


def with_sru(application):
    """``application`` with ``/sru`` answered by :class:`DirectSRU`."""
    handler = DirectSRU()

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") == PATH:
            return handler(environ, start_response)
        return application(environ, start_response)

    return dispatch
