from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "kefu.worktime"
    label = "worktime"
    verbose_name = _("Work calendar")

    def ready(self) -> None:
        from kefu.core import buffer
        from kefu.worktime.models import CalendarDay, WorkCalendar, WorkingHours

        buffer.watch(WorkCalendar, WorkingHours, CalendarDay)  # loaded calendars are buffered
