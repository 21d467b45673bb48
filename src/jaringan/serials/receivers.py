"""After an import that brought serial records, the serials are grouped again (after its commit)."""

from django.db import transaction
from django.dispatch import receiver

from jaringan.catalog.signals import import_finished


@receiver(import_finished)
def regroup_after_import(sender, batch, **kwargs) -> None:
    from jaringan.catalog.models import SourceRecord

    if not SourceRecord.objects.filter(batch=batch, edition__format="serial").exists():
        return

    def regroup() -> None:
        from .services import serials_refresh

        serials_refresh()

    transaction.on_commit(regroup)
