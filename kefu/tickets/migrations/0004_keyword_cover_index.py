from django.conf import settings
from django.db import migrations, models

INDEX = models.Index(
    fields=["id"],
    include=("urgent", "created_at", "sales_office", "work_centre", "responsible"),
    name="tk_keyword_cover",
)


def _covering_databases_only(add: bool):
    """SQLite would build a plain index on id (its rowid already is one): PostgreSQL only."""

    def run(apps, schema_editor):
        if not schema_editor.connection.features.supports_covering_indexes:
            return
        model = apps.get_model("tickets", "Notification")
        if add:
            schema_editor.add_index(model, INDEX)
        else:
            schema_editor.remove_index(model, INDEX)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_fk_indexes_covered_by_composites"),
        ("org", "0001_initial"),
        ("tickets", "0003_search_index"),
        ("workflow", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="notification", index=INDEX)],
            database_operations=[
                migrations.RunPython(_covering_databases_only(True), _covering_databases_only(False))
            ],
        ),
    ]
