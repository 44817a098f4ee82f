"""Service clocks on several work calendars (issue 12): a target names the calendar its minutes
count on (blank: the default), and a notification keeps the calendar its clocks started on.

Existing notifications keep an empty `clock_calendar`, which means the default calendar: the one
their clocks were counted on, so no data step is needed. Both columns are nullable without a
default, an instant ALTER TABLE ADD COLUMN on SQLite and PostgreSQL at any size; the index on the
stored calendar is partial (only rows on a calendar of their own), so the millions on the default
cost it nothing."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0010_dispatch_order"),
        ("worktime", "0002_default_calendar"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicetarget",
            name="calendar",
            field=models.ForeignKey(
                blank=True,
                help_text="Blank: the default calendar.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="service_targets",
                to="worktime.workcalendar",
                verbose_name="work calendar",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="clock_calendar",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="The work calendar the service clocks count on; blank: the default calendar.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="worktime.workcalendar",
                verbose_name="clock calendar",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("clock_calendar__isnull", False)),
                fields=["clock_calendar"],
                name="tk_clock_calendar",
            ),
        ),
    ]
