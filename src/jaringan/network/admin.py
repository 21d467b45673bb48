"""The admin site for coordinators: each sees and changes only their networks' data."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import permissions as perm
from . import selectors
from .models import Agreement, AgreementParty, Library, Membership, MembershipEvent, Network, Responsibility, Role

admin.site.site_header = _("Jaringan administration")
admin.site.site_title = _("Jaringan")


_p = perm.principal_of


class ScopedAdmin(admin.ModelAdmin):
    """Limit every list and object to what the signed-in coordinator may act on."""

    network_path = "network"

    def scope(self, request, qs):
        p = _p(request)
        if p.is_superuser:
            return qs
        return qs.filter(**{f"{self.network_path}__in": p.coordinated})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and _p(request).is_coordinator


@admin.register(Network)
class NetworkAdmin(ScopedAdmin):
    network_path = "pk"
    list_display = ("code", "name", "structure", "scope", "jurisdiction", "funding")
    list_filter = ("structure", "scope", "funding")
    search_fields = ("code", "name", "area")

    def scope(self, request, qs):
        p = _p(request)
        return qs if p.is_superuser else qs.filter(pk__in=p.coordinated)

    def has_add_permission(self, request):
        return _p(request).is_superuser


@admin.register(Library)
class LibraryAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "city", "province", "collection_size")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ("kind", "province")
    search_fields = ("code", "name", "city")

    def scope(self, request, qs):
        """The libraries the person acts for: their own, and those admitted to their networks."""
        return qs.filter(pk__in=selectors.libraries_editable_by(_p(request)).values("pk"))


class MembershipEventInline(admin.TabularInline):
    model = MembershipEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_state", "to_state", "actor", "note", "at")
    exclude = ("eligibility",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """State changes go through the membership pages (eligibility checks, history); here they are read-only."""

    list_display = ("library", "network", "state", "applied", "changed")
    list_filter = ("state", "network")
    readonly_fields = ("network", "library", "state", "eligibility", "applied", "changed")
    inlines = [MembershipEventInline]

    def has_add_permission(self, request):
        return False


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ("library",)


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ("library",)


@admin.register(Agreement)
class AgreementAdmin(ScopedAdmin):
    list_display = ("code", "title", "network", "form", "coverage", "relation", "starts", "ends")
    list_filter = ("network", "form", "coverage", "relation")
    search_fields = ("code", "title")
    inlines = [PartyInline, ResponsibilityInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network":
            p = _p(request)
            kwargs["queryset"] = Network.objects.all() if p.is_superuser else Network.objects.filter(pk__in=p.coordinated)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "network", "library")
    list_filter = ("kind",)

    def has_module_permission(self, request):
        return request.user.is_superuser
