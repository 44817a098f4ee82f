import django.db.models.deletion
from django.db import migrations, models

# Each of these foreign keys leads a composite index of the notification table (tk_type_stage_wc,
# tk_customer, tk_wc_order, tk_resp_order, tk_office_order), which serves its lookups too (and
# PostgreSQL's foreign-key checks). Dropping the single-column copies saves five index writes per
# created notification. SQLite would rebuild the 1M-row table for AlterField, so the database side
# is a plain DROP INDEX on both databases, as in customers 0004.
DROPPED = {
    "type_id": "tickets_notification_type_id_aecea3bb",
    "customer_id": "tickets_notification_customer_id_72a72ce5",
    "work_centre_id": "tickets_notification_work_centre_id_cf2980e5",
    "responsible_id": "tickets_notification_responsible_id_551be69a",
    "sales_office_id": "tickets_notification_sales_office_id_87437ce7",
}


def _drop_sqlite_keyword_cover(apps, schema_editor):
    """tk_keyword_cover is PostgreSQL's covering index (0004 builds nothing elsewhere), but SQLite's
    table rebuilds of later migrations made it from the model state: a plain index on the rowid,
    which serves nothing and costs a write per create."""
    if not schema_editor.connection.features.supports_covering_indexes:
        schema_editor.execute('DROP INDEX IF EXISTS "tk_keyword_cover"')


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_fk_indexes_covered_by_composites"),
        ("org", "0001_initial"),
        ("tickets", "0011_service_clock_calendars"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "tickets_notification" ("{column}")',
                )
                for column, name in DROPPED.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="customer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notifications",
                        to="customers.customer",
                        verbose_name="ship-to party",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="responsible",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="notifications",
                        to="org.staff",
                        verbose_name="person responsible",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="sales_office",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="org.salesoffice",
                        verbose_name="responsibility centre",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="tickets.notificationtype",
                        verbose_name="notification type",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="work_centre",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="org.workcentre",
                        verbose_name="main work centre",
                    ),
                ),
            ],
        ),
        migrations.RunPython(_drop_sqlite_keyword_cover, migrations.RunPython.noop),
    ]
