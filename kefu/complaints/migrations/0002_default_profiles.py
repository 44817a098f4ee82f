"""Default complaint (KS) and accident (SG) status profiles, step time limits and loss thresholds."""

from django.db import migrations


def install(apps, schema_editor):
    from kefu.complaints.workflows import install as install_defaults

    install_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_complaints_accidents_carriers"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
