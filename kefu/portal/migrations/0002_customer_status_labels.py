"""Customer-facing labels 客户可见状态 on the default notification profiles (Z1, Z2), as data:
an administrator changes them on the status profile; the portal never shows internal codes."""

from django.db import migrations

LABELS = {
    "Z1": {
        "TZJL": ("已受理", "Received"),
        "KCJS": ("已上门勘察", "Inspected on site"),
        "ZGPZ": ("处理方案已确定", "Solution decided"),
        "BPZ": ("处理中", "Being handled"),
        "ZBHF": ("处理中", "Being handled"),
        "TCCL": ("暂缓处理", "On hold"),
        "NOCO": ("已完成", "Completed"),
    },
    "Z2": {
        "TZJL": ("已受理", "Received"),
        "HFYY": ("处理中", "Being handled"),
        "DDKH": ("货物已送达", "Goods delivered"),
        "THCS": ("货物已返厂处理", "Goods returned to the factory"),
        "TCCL": ("暂缓处理", "On hold"),
        "NOCO": ("已完成", "Completed"),
    },
}


def set_labels(apps, schema_editor):
    Status = apps.get_model("workflow", "Status")
    for profile, labels in LABELS.items():
        for code, (zh, en) in labels.items():
            Status.objects.filter(profile__code=profile, code=code, customer_label="").update(
                customer_label=zh, customer_label_en=en
            )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_customer_portal"),
        ("workflow", "0002_status_customer_label"),
        ("tickets", "0002_default_types_and_profiles"),
    ]

    operations = [migrations.RunPython(set_labels, migrations.RunPython.noop)]
