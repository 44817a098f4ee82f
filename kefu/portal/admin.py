from django.contrib import admin

from kefu.portal.models import PortalAccount


@admin.register(PortalAccount)
class PortalAccountAdmin(admin.ModelAdmin):
    """Read-only here: accounts are invited and closed through the portal services."""

    list_display = ["email", "customer", "contact", "activated_at", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["email", "customer__number", "customer__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
