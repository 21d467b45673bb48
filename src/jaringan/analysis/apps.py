from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "jaringan.analysis"
    label = "analysis"
    verbose_name = _("Collection analysis")

    def ready(self) -> None:
        from jaringan.catalog.signals import editions_changed, withdrawal_requested

        editions_changed.connect(_changed, dispatch_uid="analysis.profiles")
        withdrawal_requested.connect(_withdrawal, dispatch_uid="analysis.retention")


def _changed(sender, edition_ids, **kwargs) -> None:
    """Editions changed: queue them, in the catalogue's own transaction, for the next refresh."""
    from .services import editions_queue

    editions_queue(edition_ids)


def _withdrawal(sender, record, batch, **kwargs) -> str:
    """A member's file says a copy is gone: a copy it committed to keep stays until its staff confirm."""
    from .services import commitment_hold

    return commitment_hold(record=record, batch=batch)
