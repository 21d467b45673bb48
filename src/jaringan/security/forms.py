"""Login forms that refuse an attempt while its user name or address has failed too often."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class ThrottledLogin:
    """Mixed into an ``AuthenticationForm``: counts failed passwords, refuses while over the limit."""

    def clean(self):
        counted = throttle.keys(user=self.cleaned_data.get("username") or "",
                                address=throttle.client_address(self.request) if self.request else "")
        refused = throttle.refusal(throttle.LOGIN, counted)
        if refused:
            raise forms.ValidationError(refused, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if any(error.code == "invalid_login" for error in exc.error_list):
                throttle.failed(throttle.LOGIN, counted)
            raise
        throttle.succeeded(throttle.LOGIN, counted)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLogin, AuthenticationForm):
    """The site's login page."""


class ThrottledAdminAuthenticationForm(ThrottledLogin, AdminAuthenticationForm):
    """The admin's login page."""
