"""``/sru`` answered in front of the site: the site's own middleware, without what SRU never uses.

An SRU request needs no session, login, messages, language choice, CSRF
check (the view is exempt), static files or URL patterns: through the whole
stack, that handling costs more than answering a count does.
:func:`with_sru` puts :class:`SRUApplication` in front of the site's WSGI
application: it takes ``/sru`` alone and passes everything else on untouched.

:class:`SRUHandler` is Django's own WSGI handler with the site's middleware
(``settings.MIDDLEWARE`` in the site's order) less those named in
:data:`UNNEEDED`, around the SRU view. It answers every SRU request that is
not a GET, and the first GET of each kind (see below). Its middleware are
the site's: the security middleware's headers, HSTS and HTTPS redirect, the
host check with its 400, the clickjacking and Content-Security-Policy
headers, and whatever middleware the site adds later. Nothing here knows
what any of them does.

Through the middleware, the headers a count needs cost more than the count.
So :class:`SRUApplication` learns them from the middleware. The first GET of
a kind (the request less its query string and the client's port: its host,
scheme, headers and address) is answered through :class:`SRUHandler`; then
the same middleware answer two probes of that kind (a view answering a fixed
document, the second with another query string and another document). When
both come back ``200 OK`` as the documents sent, with the same headers as
each other and as the real answer (``Content-Length`` aside, which follows
each document), the middleware add nothing that depends on the query string,
the answer or the moment, and later GETs of that kind are answered directly
with those headers. Otherwise (an HTTPS redirect, a host refused, a header
that changes each time, a document rewritten) every request of that kind
goes through :class:`SRUHandler`. What is learned is learned again after
:data:`LEARNED_FOR` seconds, and when a setting changes.

A direct answer reads its parameters from the query string as Django's
``QueryDict`` does (too many of them: through :class:`SRUHandler`, for
Django's answer), and sends ``request_started``/``request_finished`` when a
database connection is open or opened (their receivers close old
connections; a count or a scan needs none).

    # jaringan/wsgi.py
    application = with_sru(get_wsgi_application())
"""

from __future__ import annotations

import io
import time
import weakref
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, get_script_name
from django.core.signals import request_finished, request_started, setting_changed
from django.db import connections
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import ResolverMatch, set_script_prefix
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

__all__ = ["LEARNED_FOR", "PATH", "UNNEEDED", "SRUApplication", "SRUHandler", "sru_middleware", "with_sru"]

PATH = "/sru"

#: Middleware whose work an SRU request never needs (none of them has anything to add to an SRU answer).
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

#: Seconds the headers learned for a kind of request are used before they are learned again.
LEARNED_FOR = 60.0
#: Groups of kinds of request remembered at most (all forgotten when there are more), and kinds a group.
KINDS = 256
KINDS_A_GROUP = 8

#: What makes two GETs to ``/sru`` different requests of the same kind.
_PER_REQUEST = frozenset({"QUERY_STRING", "REMOTE_PORT"})
#: Where a probe's request carries the document its view answers.
_PROBE = "jaringan.sru.probe"
_CONTENT_LENGTH = "Content-Length"


def sru_middleware() -> list[str]:
    """The site's middleware that apply to ``/sru``, in the site's order."""
    return [name for name in settings.MIDDLEWARE if name not in UNNEEDED]


class SRUHandler(WSGIHandler):
    """Django's WSGI handler for one view at ``/sru`` (the SRU view unless told), through
    :func:`sru_middleware` (made once Django is set up)."""

    def __init__(self, view=None) -> None:
        if view is None:
            from .views import sru as view  # importable before Django is set up, as jaringan/wsgi.py imports it

        super().__init__()
        self._match = ResolverMatch(view, (), {}, url_name="sru", route=PATH.lstrip("/"))

    def load_middleware(self, is_async: bool = False) -> None:
        """Django's own chain (as ``BaseHandler.load_middleware`` makes it), of :func:`sru_middleware` only."""
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


def _probe_view(request):
    """A probe's answer: the document its request carries, as the SRU view sends its own."""
    from .views import CONTENT_TYPE

    return HttpResponse(request.META[_PROBE], content_type=CONTENT_TYPE)


def _served(application, environ) -> tuple[str, list[tuple[str, str]], bytes]:
    """One request through a WSGI application: its status, headers and body."""
    seen = []
    result = application(environ, lambda status, headers, exc_info=None: seen.append((status, list(headers))))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return seen[0][0], seen[0][1], body


@dataclass(slots=True)
class _Kind:
    """A kind of GET to ``/sru``: what its requests share, and what the middleware add to their answers."""

    request: dict[str, str]  # the request's variables less its query string and the client's port
    ignored: tuple[str, ...]  # what else the request held: the server's objects (``wsgi.input``, ...)
    until: float  # time.monotonic() after which this is learned again
    headers: list[tuple[str, str | None]] | None  # None for Content-Length; None: through SRUHandler


def _group(environ) -> tuple:
    """What every request of a kind shares that is quick to read (a kind's first look-up)."""
    return len(environ), environ.get("HTTP_HOST"), environ.get("HTTP_USER_AGENT"), environ.get("REMOTE_ADDR")


class SRUApplication:
    """``/sru``: a GET of a kind whose headers are learned answered directly, anything else by
    :class:`SRUHandler` (see the module's docstring)."""

    def __init__(self) -> None:
        from . import views

        self._views = views
        self._handler = SRUHandler()
        self._prober = SRUHandler(csrf_exempt(_probe_view))
        self._charset = settings.DEFAULT_CHARSET  # read once, as middleware read theirs
        self._fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        self._kinds: dict[tuple, list[_Kind]] = {}
        _applications.add(self)

    def forget(self) -> None:
        """Learn every kind's headers again (a setting changed)."""
        self._kinds = {}

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET":
            return self._handler(environ, start_response)
        kind = self._known(environ)
        if kind is None:
            return self._learn(environ, start_response)
        if kind.headers is None:
            return self._handler(environ, start_response)
        pairs = self._parameters(environ)
        if pairs is None:  # too many parameters: Django's answer
            return self._handler(environ, start_response)
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
        length = str(len(body))
        start_response("200 OK", [(name, length if value is None else value) for name, value in kind.headers])
        return [body]

    def direct(self, environ) -> bool:
        """Whether a GET like this one is answered directly (its kind's headers learned)."""
        kind = self._known(environ)
        return kind is not None and kind.headers is not None

    def _known(self, environ) -> _Kind | None:
        """The request's kind, when learned and not too long ago."""
        for kind in self._kinds.get(_group(environ), ()):
            request = environ.copy()
            for name in kind.ignored:
                request.pop(name, None)
            if request == kind.request:
                return kind if kind.until > time.monotonic() else None
        return None

    def _parameters(self, environ) -> list[tuple[str, str]] | None:
        """The query string's (name, value) pairs as Django's ``QueryDict`` reads them; None when
        there are more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``."""
        query = environ.get("QUERY_STRING", "").encode("iso-8859-1")
        try:
            text = query.decode(self._charset)
        except UnicodeDecodeError:  # forgiven as Django's QueryDict forgives it
            text = query.decode("iso-8859-1")
        try:
            return parse_qsl(text, keep_blank_values=True, encoding=self._charset, max_num_fields=self._fields)
        except ValueError:
            return None

    def _learn(self, environ, start_response):
        """Answer through :class:`SRUHandler`; after a ``200 OK``, learn what the middleware add to
        answers of this kind."""
        group = _group(environ)  # read before Django's request object adds to the environment
        ignored = tuple(name for name, value in environ.items() if name in _PER_REQUEST or type(value) is not str)
        request = {name: value for name, value in environ.items() if name not in ignored}
        status, headers, body = _served(self._handler, environ)
        start_response(status, headers)
        if status == "200 OK":
            probed = self._probe(request)
            kind = _Kind(request=request, ignored=ignored, until=time.monotonic() + LEARNED_FOR,
                         headers=probed if probed == _marked(headers, body) else None)
            kinds = [known for known in self._kinds.get(group, ()) if known.request != request]
            self._kinds = {} if len(self._kinds) >= KINDS else self._kinds
            self._kinds[group] = [*kinds[-(KINDS_A_GROUP - 1):], kind]
        return [body]

    def _probe(self, request: dict[str, str]) -> list | None:
        """The headers the middleware add to any SRU answer of a kind of request, or None when they
        depend on more than the kind (see the module's docstring)."""
        learned = []
        for query, document in ((request.get("QUERY_STRING", ""), b"<probe/>"), ("x-probe=1", b"<probe>2</probe>")):
            environ = {**request, "QUERY_STRING": query, "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(),
                       _PROBE: document}
            status, headers, body = _served(self._prober, environ)
            if status != "200 OK" or body != document:
                return None
            learned.append(_marked(headers, body))
        return learned[0] if learned[0] == learned[1] else None


def _marked(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str | None]]:
    """The headers with None for a ``Content-Length`` that is the body's."""
    return [(name, None if name == _CONTENT_LENGTH and value == str(len(body)) else value) for name, value in headers]


_applications: weakref.WeakSet[SRUApplication] = weakref.WeakSet()


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    for application in _applications:
        application.forget()


def _connected() -> bool:
    """Whether this thread has a database connection open."""
    return any(alias.connection is not None for alias in connections.all(initialized_only=True))


def with_sru(application):
    """``application`` with ``/sru`` answered by :class:`SRUApplication`."""
    handler = SRUApplication()

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") == PATH:
            return handler(environ, start_response)
        return application(environ, start_response)

    return dispatch
