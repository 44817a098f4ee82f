"""The substring search indexes of complaints and accidents (kefu.core.search), filled from the rows.

A complaint is found by its number, subject and its customer's number and name; an accident by
its number, shipment, place and carrier name (the fields the keyword filter searched before).
Contact phones are not indexed: a reader who sees them masked must not find a complaint by them.
"""

from django.db import migrations

BATCH = 5000


def _fill(index, queryset, document, using):
    from kefu.core.search import index_documents

    batch = []
    for row in queryset.iterator(chunk_size=BATCH):
        batch.append((row.pk, document(row)))
        if len(batch) >= BATCH:
            index_documents(index, batch, using=using)
            batch = []
    index_documents(index, batch, using=using)


def install(apps, schema_editor):
    from kefu.core.search import install as install_index

    install_index(schema_editor, "complaints")
    install_index(schema_editor, "accidents")
    using = schema_editor.connection.alias
    Complaint = apps.get_model("complaints", "Complaint")
    Accident = apps.get_model("complaints", "Accident")
    _fill(
        "complaints",
        Complaint.objects.using(using)
        .select_related("customer")
        .only("number", "subject", "customer__number", "customer__name")
        .order_by("pk"),
        lambda c: [c.number, c.subject, c.customer.number, c.customer.name],
        using,
    )
    _fill(
        "accidents",
        Accident.objects.using(using)
        .select_related("carrier")
        .only("number", "shipment", "place", "carrier__name")
        .order_by("pk"),
        lambda a: [a.number, a.shipment, a.place, a.carrier.name if a.carrier_id else ""],
        using,
    )


def uninstall(apps, schema_editor):
    from kefu.core.search import uninstall as uninstall_index

    uninstall_index(schema_editor, "complaints")
    uninstall_index(schema_editor, "accidents")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_profiles_follow_the_seeds")]
    operations = [migrations.RunPython(install, uninstall)]
