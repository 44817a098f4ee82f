from django.contrib import admin

from kefu.tickets.models import ClockEscalation, Notification, NotificationType, SavedView, ServiceTarget


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


@admin.register(ServiceTarget)
class ServiceTargetAdmin(admin.ModelAdmin):
    """Response and resolution targets 服务时效 (working minutes on the target's work calendar,
    blank: the default one); the most specific row wins. A change, of the calendar too, applies to
    notifications created or re-targeted afterwards (running clocks keep the calendar they started
    on); `manage.py recompute_service_clocks` applies it to the open ones too."""

    list_display = [
        "__str__",
        "type",
        "priority",
        "customer_tier",
        "response_minutes",
        "resolution_minutes",
        "warn_percent",
        "manager_after_minutes",
        "calendar",
    ]
    list_editable = ["response_minutes", "resolution_minutes", "warn_percent", "manager_after_minutes"]
    list_filter = ["type", "priority", "customer_tier", "calendar"]
    list_select_related = ["type", "calendar"]


@admin.register(ClockEscalation)
class ClockEscalationAdmin(admin.ModelAdmin):
    """Escalations of late service clocks (written by the sweep only)."""

    list_display = ["notification", "clock", "level", "due", "escalated_at"]
    list_filter = ["clock", "level"]
    raw_id_fields = ["notification"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
