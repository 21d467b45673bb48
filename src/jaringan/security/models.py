"""Failed logins, one row each, counted per user name (or UCS node) and per address in a window."""

from django.db import models
from django.utils import timezone


class LoginFailure(models.Model):
    """One failed login. Kept in the database so that every server process counts the same failures."""

    #: What was logged into: "login" (pages, admin) or "ucs" (SLiMS node passwords).
    scope = models.CharField(max_length=8)
    #: "user" (the user name or node id, as typed, lower-cased) or "address" (the client's IP address).
    kind = models.CharField(max_length=8)
    key = models.CharField(max_length=255)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "kind", "key", "at"]), models.Index(fields=["at"])]
