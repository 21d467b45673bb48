"""A quarantined record read again, after a fix, within the batch it came in."""

from __future__ import annotations

import io

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.core.catalog import readers
from jaringan.core.catalog.errors import CatalogError
from jaringan.core.errors import Forbidden, NotFound
from jaringan.network.permissions import Principal

from .. import bulk
from ..models import ImportBatch, Quarantine
from ..permissions import can_catalogue
from .editions import editions_refresh
from .ingest import record_ingest


def quarantine_retry(*, actor: Principal, quarantine: Quarantine) -> str:
    """Read a quarantined record again (after a fix) within the batch it came in.

    Still broken, it stays the same quarantine row, with the new reason and one
    more attempt. Taken in, it leaves the quarantine and its batch counts it as
    what it became (new or updated) instead of quarantined: no second batch, no
    second row, the batch's counts still add up.
    """
    if not can_catalogue(actor, quarantine.library):
        raise Forbidden(_("You may not add records for %(library)s.") % {"library": quarantine.library.name})
    with transaction.atomic():
        bulk.placing_alone()
        try:  # a retry that another click already took in is gone
            quarantine = Quarantine.objects.select_for_update().select_related("batch", "library").get(
                pk=quarantine.pk)
        except Quarantine.DoesNotExist:
            raise NotFound(_("That record is no longer in quarantine.")) from None
        try:
            items = list(readers.read(io.BytesIO(bytes(quarantine.raw)), format=quarantine.batch.format or None))
        except CatalogError as exc:
            items, reason = [], str(exc)
        else:
            reason = ""
        item = items[0] if items else None
        if item is None or item.error or (item.record is None and not item.deleted):
            quarantine.reason = (item.error if item is not None and item.error else reason) or _(
                "Nothing readable in the record.")
            quarantine.attempts += 1
            quarantine.last_tried = timezone.now()
            quarantine.save(update_fields=["reason", "attempts", "last_tried"])
            return "quarantined"
        touched: set[int] = set()
        outcome = record_ingest(batch=quarantine.batch, item=item, touched=touched)
        editions_refresh(touched)
        ImportBatch.objects.filter(pk=quarantine.batch_id).update(
            quarantined=F("quarantined") - 1, **{outcome.kind: F(outcome.kind) + 1})
        quarantine.delete()
    return "taken"
