"""A working period may end at 00:00, the midnight that ends its day (7×24 calendars); only the
help text changes in the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("worktime", "0002_default_calendar"),
    ]

    operations = [
        migrations.AlterField(
            model_name="workinghours",
            name="end",
            field=models.TimeField(
                help_text="00:00 is midnight at the end of the day (00:00–00:00: all day).", verbose_name="to"
            ),
        ),
    ]
