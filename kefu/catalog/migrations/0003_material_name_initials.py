from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_default_catalogues'),
    ]

    operations = [
        migrations.AddField(
            model_name='material',
            name='name_initials',
            field=models.CharField(blank=True, db_index=True, default='', editable=False, max_length=100, verbose_name='name initials'),
        ),
    ]
