"""The Content-Security-Policy header, and compression of the pages anyone may see.

``ContentSecurityPolicyMiddleware`` puts ``settings.CONTENT_SECURITY_POLICY``
on every response that has none (Django 5.2 has no CSP of its own; ``/sru``
has it from this middleware too, see ``jaringan.interop.sru.wsgi``).

``PublicGZipMiddleware`` is Django's ``GZipMiddleware`` for responses to
people not logged in. Compression lets an attacker who can make a victim's
browser send requests, and can watch the sizes of the answers, guess a
secret in a page a byte at a time (BREACH). A page to someone not logged in
holds no secret but the CSRF token, which Django masks afresh on every
response; a logged-in person's pages may show things like an API token or a
node password made for them, so they go uncompressed.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

__all__ = ["ContentSecurityPolicyMiddleware", "PublicGZipMiddleware"]

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = settings.CONTENT_SECURITY_POLICY  # empty: no header
        if value and HEADER not in response:
            response[HEADER] = value
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """GZip for responses to anyone not logged in (see the module's docstring)."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        return super().process_response(request, response)
