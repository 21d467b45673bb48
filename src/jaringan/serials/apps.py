from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SerialsConfig(AppConfig):
    name = "jaringan.serials"
    label = "serials"
    verbose_name = _("Serials and holdings")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (serials regrouped after an import that brought serial records)
