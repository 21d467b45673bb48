"""The interlibrary loan app's settings, with their defaults.

Each is read from Django's settings first, then from the environment, so a
deployment sets them either way:

==============================  =======================================================  ==========
name                            meaning                                                  default
==============================  =======================================================  ==========
JARINGAN_ILL_LOAN_DAYS          loan period when the lender names no due date            28
JARINGAN_ILL_RENEWAL_DAYS       days a granted renewal adds when the lender names none   14
JARINGAN_ILL_MAX_RENEWALS       renewals a requester may ask for                         2
JARINGAN_ILL_ANSWER_DAYS        days a lender has to answer before the next is asked     3
JARINGAN_ILL_DOWNLOAD_DAYS      days a delivered scan can be downloaded                  14
JARINGAN_ILL_MAX_UPLOAD_MB      largest scan accepted                                    50
JARINGAN_ISO18626_AGENCY_TYPE   ``agencyIdType`` of the libraries served here            JARINGAN
JARINGAN_ISO18626_SCHEMA        path of another ``ISO-18626-v1_2.xsd``                   the shipped one
JARINGAN_ISO18626_MAX_KB        largest ISO 18626 message accepted (larger: HTTP 413)    1024
JARINGAN_ISO18626_KEEP_KB       of a refused message about no request, the KB kept       64
JARINGAN_ISO18626_REFUSED_DAYS  days such messages are kept (``jaringan ill-tick``)      7
JARINGAN_ISO18626_RATE          messages a minute from one address or peer (0: no limit) 60
JARINGAN_ISO18626_TRANSPORT     dotted path of the outbound transport class              HttpTransport
JARINGAN_ISO18626_SEND          who sends messages out: ``background`` (a thread of the  background
                                serving process, and workers) or ``worker`` (only
                                ``jaringan ill-send`` and ``jaringan ill-tick``)
JARINGAN_ISO18626_RETRY_FIRST   seconds before a message is first tried again (doubling) 15
JARINGAN_ISO18626_RETRY_MAX     the longest wait between two tries, in seconds           3600
JARINGAN_ISO18626_RETRY_DAYS    days a message is tried before it is given up            7
JARINGAN_SMS_BACKEND            dotted path of the SMS backend class                     LoggingBackend
JARINGAN_SMS_URL                the SMS gateway's address (``HttpGatewayBackend``)       none
JARINGAN_BASE_URL               this site's address, for links in notices                none
==============================  =======================================================  ==========

A message refused and about no request (unreadable, an unknown agency or
request) is kept for ``JARINGAN_ISO18626_REFUSED_DAYS`` only, and of it only
its first ``JARINGAN_ISO18626_KEEP_KB``, its length and its SHA-256. The
rate counts the messages kept in the last minute from the sender's address
(``REMOTE_ADDR``, or with ``JARINGAN_BEHIND_PROXY=1`` the address the proxy
adds to ``X-Forwarded-For``), or from the peer when it proved itself with its
shared secret; beyond it the answer is HTTP 429 with
``Retry-After`` and nothing is kept.

The schema ships inside the package (``jaringan/core/iso18626/schema/``);
``JARINGAN_ISO18626_SCHEMA`` points at another copy. When the copy named
there cannot be read, messages are still read strictly by the ISO 18626 core
and their log says the schema check was not made.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def _get(name: str, default):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    if value is None or value == "":
        return default
    return type(default)(value) if default is not None and not isinstance(value, type(default)) else value


def loan_days() -> int:
    return _get("JARINGAN_ILL_LOAN_DAYS", 28)


def renewal_days() -> int:
    return _get("JARINGAN_ILL_RENEWAL_DAYS", 14)


def max_renewals() -> int:
    return _get("JARINGAN_ILL_MAX_RENEWALS", 2)


def answer_days() -> int:
    return _get("JARINGAN_ILL_ANSWER_DAYS", 3)


def download_days() -> int:
    return _get("JARINGAN_ILL_DOWNLOAD_DAYS", 14)


def max_upload_bytes() -> int:
    return _get("JARINGAN_ILL_MAX_UPLOAD_MB", 50) * 1024 * 1024


def agency_type() -> str:
    return _get("JARINGAN_ISO18626_AGENCY_TYPE", "JARINGAN")


def max_message_bytes() -> int:
    return _get("JARINGAN_ISO18626_MAX_KB", 1024) * 1024


def keep_bytes() -> int:
    return _get("JARINGAN_ISO18626_KEEP_KB", 64) * 1024


def refused_days() -> int:
    return _get("JARINGAN_ISO18626_REFUSED_DAYS", 7)


def rate_per_minute() -> int:
    return _get("JARINGAN_ISO18626_RATE", 60)


def transport_path() -> str:
    return _get("JARINGAN_ISO18626_TRANSPORT", "jaringan.ill.iso18626.transport.HttpTransport")


def send_mode() -> str:
    mode = _get("JARINGAN_ISO18626_SEND", "background").strip().lower()
    if mode not in ("background", "worker"):
        raise ValueError(f"JARINGAN_ISO18626_SEND: {mode!r} is neither 'background' nor 'worker'")
    return mode


def retry_seconds() -> float:
    return _get("JARINGAN_ISO18626_RETRY_FIRST", 15.0)


def retry_max_seconds() -> float:
    return _get("JARINGAN_ISO18626_RETRY_MAX", 3600.0)


def retry_days() -> float:
    return _get("JARINGAN_ISO18626_RETRY_DAYS", 7.0)


def sms_backend_path() -> str:
    return _get("JARINGAN_SMS_BACKEND", "jaringan.ill.sms.LoggingBackend")


def sms_url() -> str:
    return _get("JARINGAN_SMS_URL", "")


def base_url() -> str:
    return _get("JARINGAN_BASE_URL", "").rstrip("/")


def deliveries_dir() -> Path:
    return Path(settings.HOME) / "ill" / "deliveries"


def schema_path() -> Path | None:
    """Where the ISO 18626 schema is: ``JARINGAN_ISO18626_SCHEMA``, else the copy shipped with the package."""
    from jaringan.core.iso18626 import SCHEMA_PATH

    explicit = _get("JARINGAN_ISO18626_SCHEMA", "")
    path = Path(explicit) if explicit else SCHEMA_PATH
    return path if path.is_file() else None
