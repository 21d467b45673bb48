"""Scans of copies: kept under JARINGAN_HOME, downloaded with a token until they expire.

A scan is stored as ``<deliveries>/<yyyy>/<token>`` (the name the supplier
gave it is kept on the `Delivery` row, never used as a path). The link works
only for the reader the copy is for and the staff of the reader's library,
signed in, until ``expires``; `purge_expired` deletes the files of links that
have expired (the row stays, as the record of the delivery).

Across systems the same rules hold:

* a scan for a library served by another system travels as a URL in the
  ISO 18626 message (``deliveryInfo``: ``sentVia`` URL, the address in
  ``itemId``, the expiry in the note): ``peer_link``. Only the requesting
  library's system fetches it — with the shared secret agreed with it when
  there is one — until the same expiry, and its file is purged the same way;
* a scan a lender on another system sends by URL is kept as a ``link``
  delivery: the reader and the reader's library's staff follow it through
  this hub's own download address, signed in, until it expires here
  (``JARINGAN_ILL_DOWNLOAD_DAYS`` after it came), as a scan kept here.
"""

from __future__ import annotations

import mimetypes
import secrets
from datetime import timedelta
from pathlib import Path

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.core.errors import Invalid

from . import conf
from .models import Delivery, IllRequest

#: Bytes read at a time when storing an upload.
CHUNK = 1024 * 1024


def _name_of(scan) -> str:
    name = Path(getattr(scan, "name", "") or "scan.pdf").name
    return name[:200] or "scan.pdf"


def store_scan(*, request: IllRequest, scan, pages: int | None, actor_user_id: int | None) -> Delivery:
    """Keep an uploaded scan and make its download link; the caller's transaction owns the row."""
    limit = conf.max_upload_bytes()
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    relative = Path(f"{now:%Y}") / token
    target = conf.deliveries_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    try:
        with open(target, "xb") as out:
            chunks = scan.chunks(CHUNK) if hasattr(scan, "chunks") else iter(lambda: scan.read(CHUNK), b"")
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise Invalid(
                        _("The scan is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
                        errors={"scan": [_("Too large.")]},
                    )
                out.write(chunk)
        if size == 0:
            raise Invalid(_("The scan is empty."), errors={"scan": [_("Empty file.")]})
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    filename = _name_of(scan)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return Delivery.objects.create(
        request=request, method=Delivery.Method.FILE, path=str(relative), filename=filename,
        content_type=content_type, size=size, token=token, expires=now + timedelta(days=conf.download_days()),
        pages=pages, created_by_id=actor_user_id,
    )


def store_link(*, request: IllRequest, url: str, pages: int | None, note: str = "") -> Delivery:
    """Keep the address of a scan the lender's system holds; it is followed through this hub until it expires."""
    return Delivery.objects.create(
        request=request, method=Delivery.Method.LINK, url=url[:1000], token=secrets.token_urlsafe(32),
        expires=timezone.now() + timedelta(days=conf.download_days()), pages=pages, note=note,
    )


def peer_link(delivery: Delivery) -> str:
    """The address the requesting library's system fetches a scan from (an absolute URL: JARINGAN_BASE_URL)."""
    return conf.base_url() + reverse("iso18626_delivery", args=[delivery.token])


def file_of(delivery: Delivery) -> Path:
    return conf.deliveries_dir() / delivery.path


def link(delivery: Delivery) -> str:
    return conf.base_url() + reverse("ill_delivery_download", args=[delivery.token])


def gone(delivery: Delivery) -> bool:
    """The delivery can no longer be downloaded: its file was deleted, or it is past its expiry."""
    return delivery.purged or delivery.expires < timezone.now()


def count_download(delivery: Delivery) -> None:
    """One more download of ``delivery`` (or one more following of its link)."""
    Delivery.objects.filter(pk=delivery.pk).update(downloads=F("downloads") + 1)


def purge_expired(now=None) -> int:
    """Delete the files of expired links; how many were deleted."""
    now = now or timezone.now()
    count = 0
    for delivery in Delivery.objects.filter(method=Delivery.Method.FILE, purged=False, expires__lt=now):
        file_of(delivery).unlink(missing_ok=True)
        Delivery.objects.filter(pk=delivery.pk).update(purged=True)
        count += 1
    return count
