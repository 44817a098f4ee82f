"""Default survey templates: needs survey (seed 002), five factors (seed 003), new needs (seed 004)."""

from django.db import migrations


def install(apps, schema_editor):
    from kefu.surveys.templates_data import install as install_templates

    install_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_response_visit")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
