"""Default reception profile JD and the seed rules of return visits."""

from django.db import migrations


def install(apps, schema_editor):
    from kefu.visits.workflows import install as install_profile
    from kefu.visits.workflows import install_rules

    install_profile(apps)
    install_rules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_visits_receptions"),
        ("workflow", "0001_initial"),
        ("org", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
