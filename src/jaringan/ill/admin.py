"""Admin pages for the operator: peers and agency ids to edit; requests, messages and the ledger to read.

A request's state is never edited here: it changes only through the
lifecycle (`services.illrequest_act`), which keeps its history.
"""

from django.contrib import admin

from .models import AgencyId, IllEvent, IllMessage, IllRequest, LedgerEntry, Peer, RotaEntry, RoutingWeights


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RotaInline(admin.TabularInline):
    model = RotaEntry
    extra = 0
    can_delete = False
    fields = ("position", "library", "service", "score", "cost", "outcome", "sent_at", "answered_at")
    readonly_fields = fields


class EventInline(admin.TabularInline):
    model = IllEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor_label", "action", "from_state", "to_state", "lender", "note")
    readonly_fields = fields


@admin.register(IllRequest)
class IllRequestAdmin(ReadOnly):
    list_display = ("id", "title", "requester", "supplier", "service", "state", "updated")
    list_filter = ("state", "service", "origin")
    search_fields = ("title", "author", "isbn", "issn", "peer_request_id", "requester__code", "supplier__code")
    inlines = [RotaInline, EventInline]


@admin.register(IllMessage)
class IllMessageAdmin(ReadOnly):
    list_display = ("id", "at", "direction", "kind", "status", "valid", "request", "peer")
    list_filter = ("direction", "kind", "status", "valid")
    readonly_fields = ("text",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ("on", "debtor", "creditor", "kind", "amount", "request", "network")
    list_filter = ("kind", "network")


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    list_display = ("library", "agency_id_type", "agency_id_value", "url", "active")
    list_filter = ("active",)


@admin.register(AgencyId)
class AgencyIdAdmin(admin.ModelAdmin):
    list_display = ("library", "id_type", "id_value")


@admin.register(RoutingWeights)
class RoutingWeightsAdmin(admin.ModelAdmin):
    list_display = ("network", "updated")
