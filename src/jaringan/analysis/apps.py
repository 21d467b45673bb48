from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "jaringan.analysis"
    label = "analysis"
    verbose_name = _("Collection analysis")

    def ready(self) -> None:
        from jaringan.catalog.signals import editions_changed

        editions_changed.connect(_changed, dispatch_uid="analysis.profiles")


def _changed(sender, edition_ids, **kwargs) -> None:
    """Editions changed: queue them, in the catalogue's own transaction, for the next refresh."""
    from .services import editions_queue

    editions_queue(edition_ids)
