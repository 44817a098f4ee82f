"""The knowledge search index (kefu.core.search) and the default categories as data."""

from django.db import migrations

CATEGORIES = [
    ("install", "安装", "Installation", 10),
    ("care", "使用与保养", "Use and care", 20),
    ("repair", "维修", "Repair", 30),
    ("delivery", "送货与物流", "Delivery", 40),
    ("billing", "费用与发票", "Charges and invoices", 50),
    ("account", "账号与服务", "Account and service", 60),
    ("internal", "内部流程", "Internal procedures", 90),
]


def install(apps, schema_editor):
    from kefu.core import search

    search.install(schema_editor, "knowledge")
    Category = apps.get_model("knowledge", "Category")
    for code, name, name_en, order in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})


def uninstall(apps, schema_editor):
    from kefu.core import search

    search.uninstall(schema_editor, "knowledge")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_knowledge_base")]

    operations = [migrations.RunPython(install, uninstall)]
