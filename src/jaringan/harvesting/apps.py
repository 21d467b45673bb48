from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarvestingConfig(AppConfig):
    name = "jaringan.harvesting"
    label = "harvesting"
    verbose_name = _("Harvesting")
