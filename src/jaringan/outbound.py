"""The operator's outbound policy, and the check of an address a person saves.

``JARINGAN_OUTBOUND_ALLOW`` (a setting or the environment: CIDRs separated by
commas, e.g. ``10.20.0.0/16, 127.0.0.1``) names the private networks this
server may reach; public addresses are always allowed. Every outbound
request (harvests, ISO 18626 messages, the SMS gateway) goes through
``policy().session()``; see ``jaringan.core.outbound`` for the checks.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.utils.translation import gettext as _

from jaringan.core.errors import Invalid
from jaringan.core.outbound import ALLOW_VARIABLE, OutboundRefused, Policy

__all__ = ["OutboundRefused", "address_check", "policy", "refusal_text"]


def policy() -> Policy:
    """The policy the settings (then the environment) describe."""
    value = getattr(settings, ALLOW_VARIABLE, None)
    if value is None:
        value = os.environ.get(ALLOW_VARIABLE, "")
    return Policy.parse(value)


def refusal_text(url: str, exc: OutboundRefused) -> str:
    """A refusal in the reader's language."""
    if exc.kind == "unresolved":
        return _("%(host)s cannot be found.") % {"host": exc.host}
    if exc.address is None:
        return _("%(url)s is not an http(s) address.") % {"url": url}
    return _("%(url)s leads to %(address)s, a %(kind)s address: this server sends no requests to its own or "
             "private networks unless an operator allows them (%(setting)s).") % {
        "url": url, "address": exc.address, "kind": exc.kind, "setting": ALLOW_VARIABLE}


def address_check(url: str, *, field: str) -> None:
    """Refuse a URL a person saves when it leads to an address outbound requests may not reach.

    A name that cannot be resolved now is accepted (the request is checked again
    when it is made, connection by connection).
    """
    try:
        policy().check_url(url)
    except OutboundRefused as exc:
        if exc.kind == "unresolved":
            return
        text = refusal_text(url, exc)
        raise Invalid(text, code="address_refused", errors={field: [text]}) from None
