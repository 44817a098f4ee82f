"""The complaint worklist read in its index order (issue 16).

cmp_worklist descends on is_open, so it serves the worklist's order for the list of all
complaints (open first) as well as for the open ones, and a search that matches most complaints
walks it instead of sorting every match. "Overdue only" seeks the overdue range of each
key-account group in it; cmp_due, which SQLite preferred for that filter (reading every overdue
row and sorting them), is dropped: nothing else reads it.
"""

from django.db import migrations, models


def analyze(apps, schema_editor):
    """Rebuilt indexes have no statistics until ANALYZE (as tickets 0006)."""
    schema_editor.execute("ANALYZE complaints_complaint")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_search_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="complaint", name="cmp_worklist"),
        migrations.RemoveIndex(model_name="complaint", name="cmp_due"),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["-is_open", "-is_key_account", "step_deadline", "id"], name="cmp_worklist"
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
