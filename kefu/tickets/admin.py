from django.contrib import admin

from kefu.tickets.models import Notification, NotificationType, SavedView


@admin.register(NotificationType)
class NotificationTypeAdmin(admin.ModelAdmin):
    """Administrators add types (咨询, 有费服务 …) with their own status profile and number range."""

    list_display = ["code", "name", "profile", "number_range", "number_start", "is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only here: notifications change through their pages and services only."""

    list_display = [
        "number",
        "type",
        "status",
        "stage",
        "description",
        "customer",
        "work_centre",
        "created_at",
    ]
    list_filter = ["type", "stage"]
    search_fields = ["number"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "query"]
