"""Admin site: members' NCIP servers (superusers), and the records of reciprocal borrowing to read."""

from django.contrib import admin

from .models import BorrowingTerms, NcipServer


@admin.register(NcipServer)
class NcipServerAdmin(admin.ModelAdmin):
    list_display = ("library", "url", "agency_id", "active")
    search_fields = ("library__code", "library__name", "agency_id")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(BorrowingTerms)
class BorrowingTermsAdmin(NcipServerAdmin):
    list_display = ("agreement", "items_at_a_time", "loan_days", "renewals")
    search_fields = ("agreement__code",)
