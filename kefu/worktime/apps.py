from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "kefu.worktime"
    label = "worktime"
    verbose_name = _("Work calendar")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.worktime import clock
        from kefu.worktime.models import CalendarDay, WorkCalendar, WorkingHours

        # Cache invalidation only: loaded calendars are forgotten when an administrator edits one.
        for model in (WorkCalendar, WorkingHours, CalendarDay):
            post_save.connect(
                clock.invalidate, sender=model, dispatch_uid=f"worktime.inv.save.{model.__name__}"
            )
            post_delete.connect(
                clock.invalidate, sender=model, dispatch_uid=f"worktime.inv.del.{model.__name__}"
            )
