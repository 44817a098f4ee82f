"""The default work calendar: Mon–Fri 08:30–12:00 and 13:00–17:30, holidays and 调休 from chinese-calendar."""

from datetime import time

from django.db import migrations


def create_default(apps, schema_editor):
    from kefu.worktime.holidays import fill_calendar

    WorkCalendar = apps.get_model("worktime", "WorkCalendar")
    WorkingHours = apps.get_model("worktime", "WorkingHours")
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    calendar, created = WorkCalendar.objects.get_or_create(
        code="CN", defaults={"name": "中国标准工作日历", "timezone": "Asia/Shanghai", "is_default": True}
    )
    if created:
        for weekday in range(5):
            WorkingHours.objects.create(calendar=calendar, weekday=weekday, start=time(8, 30), end=time(12, 0))
            WorkingHours.objects.create(calendar=calendar, weekday=weekday, start=time(13, 0), end=time(17, 30))
    fill_calendar(calendar, CalendarDay)


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_work_calendar")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
