"""The customer search index (kefu.core.search) and the default classification rules as data."""

from decimal import Decimal

from django.db import migrations


def install_search(apps, schema_editor):
    from kefu.core import search

    search.install(schema_editor, "customers")


def uninstall_search(apps, schema_editor):
    from kefu.core import search

    search.uninstall(schema_editor, "customers")


STRATEGIES = {
    "key": "重要客户（前1%）：成立专门服务小组，指派大客户专员专人联系；优势资源优先分派；关注需求波动，定制效益最大的服务方案；设置专用通道快速沟通；定期上门拜访；投诉优先处理。",
    "major": "主要客户（其后19%）：作为关键客户管理，以提高忠诚度为目标；定期回访和拜访，关注需求变化，优先处理投诉，挖掘增长潜力。",
    "ordinary": "普通客户（其后30%）：对增长型客户大力培育，争取升级为关键客户；对低贡献客户采用维持策略，控制附加服务投入。",
    "small": "小客户（最后50%）：判断可否升级，有潜力的加以培育；对信用差的劣质客户果断淘汰；日常服务仍需热情、礼貌、周到。",
}


def load_defaults(apps, schema_editor):
    GradeRule = apps.get_model("customers", "GradeRule")
    TierStrategy = apps.get_model("customers", "TierStrategy")
    AnomalyRule = apps.get_model("customers", "AnomalyRule")
    GradeRule.objects.get_or_create(
        grade="A",
        defaults={"min_cooperation_years": 3, "min_volume": Decimal("500000"), "min_satisfaction": 85, "min_loyalty": 80},
    )
    GradeRule.objects.get_or_create(
        grade="B",
        defaults={"min_cooperation_years": 1, "min_volume": Decimal("100000"), "min_satisfaction": 70, "min_loyalty": 60},
    )
    for tier, text in STRATEGIES.items():
        TierStrategy.objects.get_or_create(tier=tier, defaults={"strategy": text})
    AnomalyRule.objects.get_or_create(kind="no_contact", defaults={"threshold": Decimal("90")})
    AnomalyRule.objects.get_or_create(kind="value_drop", defaults={"threshold": Decimal("30")})
    AnomalyRule.objects.get_or_create(kind="complaints", defaults={"threshold": Decimal("3")})


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_archive_contacts_addresses_classification")]

    operations = [
        migrations.RunPython(install_search, uninstall_search),
        migrations.RunPython(load_defaults, migrations.RunPython.noop),
    ]
