"""The substring search index of notifications (description and long text, Chinese-aware)."""

from django.db import migrations


def install(apps, schema_editor):
    from kefu.core.search import install as install_index

    install_index(schema_editor, "tickets")


def uninstall(apps, schema_editor):
    from kefu.core.search import uninstall as uninstall_index

    uninstall_index(schema_editor, "tickets")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_default_types_and_profiles")]
    operations = [migrations.RunPython(install, uninstall)]
