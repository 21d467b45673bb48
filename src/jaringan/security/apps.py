from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "jaringan.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from django.contrib import admin

        from .forms import ThrottledAdminAuthenticationForm

        admin.site.login_form = ThrottledAdminAuthenticationForm  # the admin's login counts failures too
