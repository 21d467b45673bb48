"""Who is calling: the one place the site's API and its tokens authenticate a person.

The API (``jaringan.api``) takes a bearer token (``Authorization: Bearer
jrg_...``, made by :func:`jaringan.network.services.token_create`, of which
only :func:`hash_token` is stored) or the session of someone logged in (with
its CSRF token): :data:`WRITE_AUTH`, which the apps' routers and operations
name. :func:`api_user` and :func:`api_principal` say who that was, and
:func:`reader_principal` who is asking where anyone may read.

Logins to the pages and the admin, and a SLiMS node's password, are counted
by ``jaringan.security.throttle``.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from .models import ApiToken
from .permissions import ANONYMOUS, Principal, principal_for

__all__ = ["WRITE_AUTH", "TokenAuth", "api_principal", "api_user", "hash_token", "reader_principal"]


def hash_token(key: str) -> str:
    """What is stored of a token: its SHA-256."""
    return hashlib.sha256(key.encode()).hexdigest()


class TokenAuth(HttpBearer):
    """A bearer token's user, when the token is known and its user active."""

    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


#: What an operation that writes, or reads what is not public, asks of its caller.
WRITE_AUTH = [TokenAuth(), django_auth]


def api_user(request):
    """The API's caller: the user of the bearer token when the API authenticated one, else the session's."""
    return request.auth if getattr(request, "auth", None) is not None else request.user


def api_principal(request) -> Principal:
    """The API caller's roles (:func:`api_user`)."""
    return principal_for(api_user(request))


def reader_principal(request) -> Principal:
    """Who asks to read: by bearer token if one is sent (a wrong one is refused), else by session."""
    if request.headers.get("Authorization"):
        user = TokenAuth()(request)
        if not user:
            raise AuthenticationError()
        return principal_for(user)
    user = getattr(request, "user", None)
    return principal_for(user) if user is not None and user.is_authenticated else ANONYMOUS
