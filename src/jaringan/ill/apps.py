from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IllConfig(AppConfig):
    name = "jaringan.ill"
    label = "ill"
    verbose_name = _("Interlibrary loan")
