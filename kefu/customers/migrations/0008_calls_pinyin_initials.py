"""Refill the customers search index with the pinyin initials of each name (issue 14: 'sqbj'
finds 申齐保健). The index is derived data; this rebuilds it in batches from the rows."""

from django.db import migrations

BATCH = 5000


def refill(apps, schema_editor):
    from kefu.core.pinyin import initials
    from kefu.core.search import index_documents

    using = schema_editor.connection.alias
    Customer = apps.get_model("customers", "Customer")
    Contact = apps.get_model("customers", "Contact")
    batch: list = []

    def flush():
        ids = [pk for pk, _ in batch]
        people: dict = {}
        for c in Contact.objects.using(using).filter(customer_id__in=ids).only("customer_id", "name", "phone", "mobile"):
            people.setdefault(c.customer_id, []).extend([c.name, c.phone, c.mobile])
        index_documents(
            "customers",
            [(pk, [f for f in fields + people.get(pk, []) if f]) for pk, fields in batch],
            using=using,
        )
        batch.clear()

    rows = Customer.objects.using(using).only("number", "name", "phone", "mobile").order_by("pk")
    for c in rows.iterator(chunk_size=BATCH):
        batch.append((c.pk, [c.number, c.name, c.phone, c.mobile, initials(c.name)]))
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()


class Migration(migrations.Migration):
    dependencies = [("customers", "0007_mailin_email_indexes")]
    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
