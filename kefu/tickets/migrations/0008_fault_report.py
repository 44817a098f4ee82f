"""Z3 重大故障报告 (seed 004 故障报告制度) with its status profile, notices and number range."""

from django.db import migrations


def load(apps, schema_editor):
    from kefu.tickets.workflows import install

    install(apps, codes=("Z3",))


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_service_clocks"),
        ("workflow", "0003_notify_roles"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
