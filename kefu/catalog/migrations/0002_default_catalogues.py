"""Default code catalogues of the furniture service (seed 004: product type 06, colour A,
material 100056, reason 1). Administrators extend them in the admin or by .xlsx import."""

from django.db import migrations

PRODUCT_TYPES = [
    ("01", "办公桌", None), ("02", "办公椅", None), ("03", "会议桌", None), ("04", "文件柜", None),
    ("05", "沙发", None), ("06", "活动柜", None), ("07", "屏风工作站", None), ("08", "书架", None),
    ("0601", "三抽活动柜", "06"), ("0602", "二抽活动柜", "06"), ("0101", "经理桌", "01"), ("0102", "职员桌", "01"),
    ("0201", "班椅", "02"), ("0202", "职员椅", "02"), ("0401", "铁皮文件柜", "04"), ("0402", "木质文件柜", "04"),
]
COLOURS = [
    ("A", "胡桃木色", None), ("B", "樱桃木色", None), ("C", "白橡色", None), ("D", "黑色", None), ("E", "银灰色", None),
    ("A1", "胡桃木配银灰", "A"), ("A2", "胡桃木配黑", "A"), ("C1", "白橡配白", "C"),
]
REASONS = [
    ("1", "产品质量问题"), ("2", "运输破损"), ("3", "安装问题"), ("4", "缺件少件"), ("5", "使用不当"),
    ("6", "客户要求变更"), ("7", "OEM 厂商问题"), ("9", "其他"),
]
MATERIALS = [
    ("100056", "活动柜锁", "PC", "85.00", "06"), ("100057", "抽屉滑轨", "PR", "60.00", "06"),
    ("100101", "椅子气压棒", "PC", "120.00", "02"), ("100102", "椅子五星脚", "PC", "150.00", "02"),
    ("100201", "桌面板 1600", "PC", "680.00", "01"), ("100301", "文件柜门铰链", "PC", "25.00", "04"),
    ("100302", "文件柜锁", "PC", "90.00", "04"), ("100401", "沙发面料 1m", "M", "220.00", "05"),
]


def load(apps, schema_editor):
    ProductType = apps.get_model("catalog", "ProductType")
    ColourCode = apps.get_model("catalog", "ColourCode")
    ReasonCode = apps.get_model("catalog", "ReasonCode")
    Material = apps.get_model("catalog", "Material")
    for model, rows in ((ProductType, PRODUCT_TYPES), (ColourCode, COLOURS)):
        for code, name, parent in rows:
            model.objects.get_or_create(
                code=code, defaults={"name": name, "parent": model.objects.get(code=parent) if parent else None}
            )
    for code, name in REASONS:
        ReasonCode.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, unit, price, ptype in MATERIALS:
        Material.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "price": price, "product_type": ProductType.objects.get(code=ptype)},
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_code_catalogues")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
