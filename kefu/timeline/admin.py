from django.contrib import admin

from kefu.timeline.models import TimelineEvent


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    """Read-only: history is never edited."""

    list_display = ["occurred_at", "event_type", "content_type", "object_id", "actor"]
    list_filter = ["event_type", "content_type"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
