from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarvestingConfig(AppConfig):
    name = "jaringan.harvesting"
    label = "harvesting"
    verbose_name = _("Harvesting")

    def ready(self):
        from jaringan.catalog import sections

        from . import views

        sections.intake_section_add(template="harvesting/intake_sources.html", context=views.intake_sources)
