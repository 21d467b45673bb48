"""``/sru`` through a shorter Django stack: the same request handling, without what SRU never uses.

An SRU request needs no session, login, messages, language choice, CSRF
check (the view is exempt) or static files, and its address is known: the
full stack (nine middleware and the URL patterns tried in turn) costs about
as much as answering a count. :func:`with_sru` puts a handler in front of
the site's WSGI application that takes ``/sru`` alone and passes everything
else on untouched:

* it is Django's own ``WSGIHandler`` (request parsing and its limits, the
  allowed hosts, ``request_started``/``request_finished`` and so database
  connections, exceptions turned into responses, response closing);
* its middleware are the site's ``MIDDLEWARE`` in their order, less those
  named in :data:`UNNEEDED`: security headers, HTTPS redirects and
  anything added later still apply;
* the view is called without URL resolution (``request.resolver_match``
  is set as the resolver would set it).

    # jaringan/wsgi.py
    application = with_sru(get_wsgi_application())
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.urls import ResolverMatch
from django.utils.module_loading import import_string

__all__ = ["PATH", "UNNEEDED", "SRUHandler", "with_sru"]

PATH = "/sru"

#: Middleware whose work an SRU request never needs.
UNNEEDED = frozenset({
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files only
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # SRU's messages are the standard's, in English
    "django.middleware.csrf.CsrfViewMiddleware",  # the view is exempt
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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


def with_sru(application):
    """``application`` with ``/sru`` answered by :class:`SRUHandler`."""
    handler = SRUHandler()

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") == PATH:
            return handler(environ, start_response)
        return application(environ, start_response)

    return dispatch
