"""Z1 客户服务通知 and Z2 交货异常 with their status profiles, transitions and number ranges."""

from django.db import migrations


def load(apps, schema_editor):
    from kefu.tickets.workflows import install

    install(apps, codes=("Z1", "Z2"))


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_service_notifications"),
        ("workflow", "0001_initial"),
        ("org", "0001_initial"),
        ("core", "0001_initial"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
