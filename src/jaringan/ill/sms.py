"""Text messages to readers' telephones, through a gateway chosen by a setting.

``JARINGAN_SMS_BACKEND`` is the dotted path of a backend class:

* ``jaringan.ill.sms.LoggingBackend`` (the default) writes each message to
  the log (logger ``jaringan.ill.sms``) and sends nothing — for a demo, or a
  library without a gateway;
* ``jaringan.ill.sms.HttpGatewayBackend`` posts each message as JSON
  (``{"to": "+62…", "text": "…"}``) to ``JARINGAN_SMS_URL``, the shape most
  Indonesian SMS gateways and self-hosted Android gateways accept; an
  ``Authorization`` header comes from ``JARINGAN_SMS_TOKEN`` when set.

A real gateway with another interface plugs in as a class with the same
``send(to, text)`` method. A failed text never stops the request it is about:
``send_sms`` logs the failure and returns False.
"""

from __future__ import annotations

import json
import logging
import os
import re
import requests
from django.conf import settings
from django.utils.module_loading import import_string

from jaringan import outbound
from jaringan.core.errors import Unavailable

from . import conf

log = logging.getLogger(__name__)

__all__ = ["HttpGatewayBackend", "LoggingBackend", "SmsBackend", "SmsError", "get_backend", "normalise_phone",
           "send_sms"]

#: The longest text sent: three concatenated SMS parts.
MAX_LENGTH = 459


class SmsError(Unavailable):
    """The gateway did not take the message."""


class SmsBackend:
    """Base of the backends: ``send`` one text to one number, or raise ``SmsError``."""

    def send(self, to: str, text: str) -> None:
        raise NotImplementedError


class LoggingBackend(SmsBackend):
    """Writes each text to the log and keeps the last ones in ``sent`` (for a demo or a check)."""

    sent: list[tuple[str, str]] = []
    KEEP = 100

    def send(self, to: str, text: str) -> None:
        log.info("SMS to %s: %s", to, text)
        LoggingBackend.sent.append((to, text))
        del LoggingBackend.sent[:-self.KEEP]


class HttpGatewayBackend(SmsBackend):
    """Posts ``{"to", "text"}`` as JSON to ``JARINGAN_SMS_URL``."""

    timeout = 15

    def __init__(self, url: str | None = None, token: str | None = None):
        self.url = url or conf.sms_url()
        self.token = token if token is not None else (getattr(settings, "JARINGAN_SMS_TOKEN", None)
                                                      or os.environ.get("JARINGAN_SMS_TOKEN", ""))
        if not self.url:
            raise SmsError("JARINGAN_SMS_URL is not set")

    def send(self, to: str, text: str) -> None:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        try:  # through the outbound policy: a gateway on a private network must be allowed by the operator
            with outbound.policy().session() as session:
                response = session.post(self.url, data=body, headers=headers, timeout=self.timeout)
        except outbound.OutboundRefused as exc:
            raise SmsError(f"the gateway was refused: {exc}") from None
        except (requests.RequestException, OSError) as exc:
            raise SmsError(f"the gateway could not be reached: {type(exc).__name__}") from None
        if not 200 <= response.status_code < 300:
            raise SmsError(f"the gateway answered HTTP {response.status_code}")


def get_backend() -> SmsBackend:
    return import_string(conf.sms_backend_path())()


_NOT_DIGITS = re.compile(r"[^\d+]")


def normalise_phone(number: str) -> str | None:
    """An Indonesian mobile number in international form: ``0812-3456-789`` → ``+628123456789``."""
    digits = _NOT_DIGITS.sub("", number or "")
    if digits.startswith("+"):
        digits = "+" + digits[1:].replace("+", "")
    elif digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+62" + digits[1:]
    elif digits.startswith("62"):
        digits = "+" + digits
    return digits if 9 <= len(digits.lstrip("+")) <= 15 and digits.startswith("+") else None


def send_sms(to: str, text: str) -> bool:
    """Send a text; False (and a log line) when the number is unusable or the gateway fails."""
    number = normalise_phone(to)
    if number is None:
        log.warning("SMS not sent: %r is not a telephone number", to)
        return False
    try:
        get_backend().send(number, text[:MAX_LENGTH])
    except SmsError as exc:
        log.warning("SMS to %s not sent: %s", number, exc)
        return False
    return True
