"""Service clocks on notifications (issue 12, capability 5): targets per type × priority × tier,
the stored due/met instants with their partial indexes, the escalation rows; default targets for
Z1/Z2; clocks of existing notifications (in the migration up to BACKFILL_LIMIT rows, beyond that
by `manage.py recompute_service_clocks`, which a bulk-loaded bench database runs after loading)."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


BACKFILL_LIMIT = 200_000
DAY = 8 * 60  # working minutes of a working day (08:30–12:00, 13:00–17:30)
# type, priority, customer tier, response, resolution (working minutes). The most specific wins:
# type beats priority beats tier, so each type names its own priorities and key customers.
DEFAULT_TARGETS = [
    ("", "", "", DAY, 10 * DAY),
    ("Z1", "", "", DAY // 2, 5 * DAY),
    ("Z1", "1", "", 60, DAY),
    ("Z1", "2", "", 2 * 60, 2 * DAY),
    ("Z1", "", "key", 2 * 60, 3 * DAY),
    ("Z2", "", "", 2 * 60, 3 * DAY),
    ("Z2", "1", "", 60, DAY),
    ("Z2", "2", "", 60, 2 * DAY),
    ("Z2", "", "key", 60, 2 * DAY),
]


def seed_targets(apps, schema_editor):
    Type = apps.get_model("tickets", "NotificationType")
    Target = apps.get_model("tickets", "ServiceTarget")
    types = {t.code: t for t in Type.objects.all()}
    for code, priority, tier, response, resolution in DEFAULT_TARGETS:
        if code and code not in types:
            continue
        Target.objects.get_or_create(
            type=types.get(code),
            priority=priority,
            customer_tier=tier,
            defaults={"response_minutes": response, "resolution_minutes": resolution},
        )


def backfill(apps, schema_editor):
    from django.db.models import Min

    from kefu.tickets.clocks import backfill as run

    Notification = apps.get_model("tickets", "Notification")
    total = Notification.objects.count()
    if total > BACKFILL_LIMIT:
        print(f"\n  {total} notifications: run `manage.py recompute_service_clocks` for their clocks.")
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Event = apps.get_model("timeline", "TimelineEvent")
    ct = ContentType.objects.filter(app_label="tickets", model="notification").first()

    def first_moves(ids):
        if ct is None:
            return {}
        rows = (
            Event.objects.filter(content_type=ct, object_id__in=ids, event_type="workflow.transition")
            .values("object_id")
            .annotate(first=Min("occurred_at"))
        )
        return {row["object_id"]: row["first"] for row in rows}

    Customer = apps.get_model("customers", "Customer")
    Status = apps.get_model("workflow", "Status")
    run(
        Notification.objects.all(),
        targets=list(apps.get_model("tickets", "ServiceTarget").objects.all()),
        tiers=lambda ids: dict(Customer.objects.filter(pk__in=ids).values_list("pk", "tier")),
        first_moves=first_moves,
        initial_ids=set(Status.objects.filter(is_initial=True).values_list("pk", flat=True)),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0008_calls_pinyin_initials'),
        ('org', '0001_initial'),
        ('tickets', '0006_order_and_scope_indexes'),
        ('workflow', '0002_status_customer_label'),
        ('worktime', '0002_default_calendar'),
        ('timeline', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClockEscalation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('clock', models.CharField(choices=[('response', 'Response'), ('resolution', 'Resolution')], max_length=10, verbose_name='clock')),
                ('level', models.PositiveSmallIntegerField(verbose_name='level')),
                ('due', models.DateTimeField(verbose_name='due')),
                ('escalated_at', models.DateTimeField(verbose_name='escalated at')),
                ('recipients', models.JSONField(blank=True, default=list, verbose_name='recipients')),
            ],
            options={
                'verbose_name': 'clock escalation',
                'verbose_name_plural': 'clock escalations',
                'ordering': ['-escalated_at'],
            },
        ),
        migrations.CreateModel(
            name='ServiceTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('priority', models.CharField(blank=True, choices=[('1', '1 Very high'), ('2', '2 High'), ('3', '3 Medium'), ('4', '4 Low')], help_text='Blank: any.', max_length=1, verbose_name='priority')),
                ('customer_tier', models.CharField(blank=True, choices=[('key', 'Key customer'), ('major', 'Major customer'), ('ordinary', 'Ordinary customer'), ('small', 'Small customer')], help_text='Blank: any.', max_length=10, verbose_name='customer tier')),
                ('response_minutes', models.PositiveIntegerField(help_text='First reaction: the status leaves the initial one, or a visit is agreed or started.', verbose_name='response within (working minutes)')),
                ('resolution_minutes', models.PositiveIntegerField(help_text='Until the notification is completed.', verbose_name='resolution within (working minutes)')),
                ('warn_percent', models.PositiveSmallIntegerField(default=25, help_text='The clock turns amber when this share of the target is left.', validators=[django.core.validators.MaxValueValidator(100)], verbose_name='near due in the last (per cent)')),
                ('manager_after_minutes', models.PositiveIntegerField(default=240, help_text='Counted from the due time; the supervisor is told at the due time.', verbose_name='escalate to the manager after (working minutes)')),
            ],
            options={
                'verbose_name': 'service target',
                'verbose_name_plural': 'service targets',
                'ordering': ['type__order', 'type__code', 'priority', 'customer_tier'],
            },
        ),
        migrations.AddField(
            model_name='notification',
            name='clock_due',
            field=models.DateTimeField(blank=True, null=True, verbose_name='due'),
        ),
        # A plain ADD COLUMN with a constant default on both databases: Django would rebuild the
        # whole table on SQLite for a NOT NULL column (minutes at a million notifications).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='notification',
                    name='clock_level',
                    field=models.PositiveSmallIntegerField(default=0, verbose_name='escalation level'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE "tickets_notification" ADD COLUMN "clock_level" smallint NOT NULL DEFAULT 0'
                    ' CHECK ("clock_level" >= 0)',
                    'ALTER TABLE "tickets_notification" DROP COLUMN "clock_level"',
                ),
            ],
        ),
        migrations.AddField(
            model_name='notification',
            name='clock_manager_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='escalate to the manager at'),
        ),
        migrations.AddField(
            model_name='notification',
            name='clock_warn_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='near due from'),
        ),
        migrations.AddField(
            model_name='notification',
            name='resolution_due',
            field=models.DateTimeField(blank=True, null=True, verbose_name='resolution due'),
        ),
        migrations.AddField(
            model_name='notification',
            name='resolved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='resolved at'),
        ),
        migrations.AddField(
            model_name='notification',
            name='responded_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='responded at'),
        ),
        migrations.AddField(
            model_name='notification',
            name='response_due',
            field=models.DateTimeField(blank=True, null=True, verbose_name='response due'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('clock_due__isnull', False)), fields=['clock_due', 'id', 'sales_office', 'work_centre', 'responsible'], name='tk_clock_due'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('clock_due__isnull', False)), fields=['work_centre', 'clock_due', 'id'], name='tk_wc_clock'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('clock_due__isnull', False)), fields=['responsible', 'clock_due', 'id'], name='tk_resp_clock'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('clock_due__isnull', False)), fields=['clock_level', 'clock_due'], name='tk_clock_esc1'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('clock_manager_at__isnull', False)), fields=['clock_level', 'clock_manager_at'], name='tk_clock_esc2'),
        ),
        migrations.AddField(
            model_name='clockescalation',
            name='notification',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clock_escalations', to='tickets.notification'),
        ),
        migrations.AddField(
            model_name='servicetarget',
            name='type',
            field=models.ForeignKey(blank=True, help_text='Blank: any.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='service_targets', to='tickets.notificationtype', verbose_name='notification type'),
        ),
        migrations.AddConstraint(
            model_name='clockescalation',
            constraint=models.UniqueConstraint(fields=('notification', 'clock', 'level'), name='tk_clock_escalated_once'),
        ),
        migrations.RunPython(seed_targets, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
