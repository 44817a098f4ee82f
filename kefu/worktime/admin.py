from django.contrib import admin

from kefu.worktime.models import CalendarDay, WorkCalendar, WorkingHours


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone", "is_default", "makeup_weekday"]
    inlines = [WorkingHoursInline]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source", "calendar"]
    list_filter = ["calendar", "kind", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        # An administrator's edit must survive the next library refresh.
        obj.source = "manual"
        super().save_model(request, obj, form, change)
