"""Count the ratings and answers already stored into the new daily tallies (set-based: one
INSERT … SELECT … GROUP BY per tally, the same recount `manage.py rebuild_survey_tallies` runs)."""

from django.db import migrations


def fill(apps, schema_editor):
    from kefu.surveys.tallies import rebuild

    rebuild(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_rating_answer_tallies")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
