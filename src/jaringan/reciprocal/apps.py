from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReciprocalConfig(AppConfig):
    name = "jaringan.reciprocal"
    label = "reciprocal"
    verbose_name = _("Reciprocal borrowing")
