"""Harvest sources in the admin site (superusers): a new address or format is asked of the provider first."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from jaringan import outbound
from jaringan.core.errors import Invalid

from . import services
from .models import HarvestSource


class HarvestSourceAdminForm(forms.ModelForm):
    endpoint = forms.URLField(label=HarvestSource._meta.get_field("endpoint").verbose_name, max_length=500,
                              assume_scheme="https")

    class Meta:
        model = HarvestSource
        fields = ["library", "name", "endpoint", "metadata_prefix", "set_spec", "every_hours", "active",
                  "harvest_mode"]

    def clean(self):
        data = super().clean()
        endpoint, prefix = data.get("endpoint"), data.get("metadata_prefix")
        before = (self.instance.endpoint, self.instance.metadata_prefix) if self.instance.pk else None
        if self.errors or not endpoint or not prefix or before == (endpoint, prefix):
            return data
        try:
            outbound.address_check(endpoint, field="endpoint")
            self.repository = services.provider_check(endpoint, prefix)
        except Invalid as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(HarvestSource)
class HarvestSourceAdmin(admin.ModelAdmin):
    form = HarvestSourceAdminForm
    list_display = ["__str__", "library", "metadata_prefix", "harvest_mode", "deleted_record", "last_success"]
    readonly_fields = ["repository_name", "deleted_record", "granularity", "next_from", "last_success"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        repository = getattr(form, "repository", None)
        if repository is not None:
            services.provider_keep(obj, repository)
        super().save_model(request, obj, form, change)
