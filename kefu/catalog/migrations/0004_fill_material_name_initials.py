"""Fill the pinyin initials of every existing material's name (issue 14: the material picker finds
活动柜锁 by 'hdgs'). Derived data, written in batches by primary key; new and renamed materials
get theirs from `Material.save()`."""

from django.db import migrations

BATCH = 5000


def fill(apps, schema_editor):
    from kefu.core.pinyin import initials

    using = schema_editor.connection.alias
    Material = apps.get_model("catalog", "Material")
    rows = Material.objects.using(using).only("name", "name_initials").order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        last = batch[-1].pk
        changed = []
        for material in batch:
            wanted = initials(material.name)[:100]
            if material.name_initials != wanted:
                material.name_initials = wanted
                changed.append(material)
        Material.objects.using(using).bulk_update(changed, ["name_initials"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_material_name_initials")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
