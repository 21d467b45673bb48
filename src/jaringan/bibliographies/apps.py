from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BibliographiesConfig(AppConfig):
    name = "jaringan.bibliographies"
    label = "bibliographies"
    verbose_name = _("Bibliographies")
    default_auto_field = "django.db.models.BigAutoField"
