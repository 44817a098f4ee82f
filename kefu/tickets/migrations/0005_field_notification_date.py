import django.utils.timezone
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Existing notifications were notified on the day they were created (Asia/Shanghai)."""
    table = apps.get_model("tickets", "Notification")._meta.db_table
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        sql = f"UPDATE {table} SET notification_date = date(created_at, '+8 hours')"
    elif vendor == "postgresql":
        sql = f"UPDATE {table} SET notification_date = (created_at AT TIME ZONE 'Asia/Shanghai')::date"
    else:
        return
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_keyword_cover_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="notification_date",
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name="notification date"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["notification_date", "type", "stage"], name="tk_notif_date"),
        ),
    ]
