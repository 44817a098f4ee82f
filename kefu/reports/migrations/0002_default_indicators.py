"""Default appraisal indicators (表2-5/2-6 measured from Kefu's records; 表2-7 态度能力 rated by the
supervisor) and grade bands. Administrators change weights, bounds and grades as data."""

from decimal import Decimal

from django.db import migrations

# code, name, name_en, kind, formula, group, applies_to, weight, zero_at, full_at, unit
INDICATORS = [
    ("closed", "完成通知单数", "Notifications completed", "measured", "notifications_closed", "业绩", "staff", 15, 0, 40, "单"),
    ("on_time", "按时完成率", "Completed on time", "measured", "on_time_rate", "业绩", "both", 20, 60, 100, "%"),
    ("first_response", "首次响应时间(中位数)", "Median first response", "measured", "first_response_hours", "业绩", "both", 10, 48, 2, "小时"),
    ("complaint_hours", "客诉处理时长", "Complaint handling time", "measured", "complaint_handling_hours", "业绩", "both", 10, 240, 24, "小时"),
    ("reopen", "重开率", "Reopen rate", "measured", "reopen_rate", "业绩", "both", 10, 20, 0, "%"),
    ("satisfaction", "客户满意率", "Satisfied customers", "measured", "satisfaction_rate", "业绩", "both", 10, 60, 100, "%"),
    ("evaluation", "客户评价率", "Evaluation rate", "measured", "evaluation_rate", "业绩", "centre", 5, 0, 80, "%"),
    ("att_responsibility", "责任心", "Sense of responsibility", "rated", "", "工作态度", "staff", 5, None, None, "分"),
    ("att_initiative", "积极性", "Initiative", "rated", "", "工作态度", "staff", 5, None, None, "分"),
    ("att_teamwork", "协作精神", "Teamwork", "rated", "", "工作态度", "staff", 5, None, None, "分"),
    ("att_discipline", "纪律性", "Discipline", "rated", "", "工作态度", "staff", 5, None, None, "分"),
    ("abl_knowledge", "业务知识", "Product and service knowledge", "rated", "", "工作能力", "staff", 5, None, None, "分"),
    ("abl_communication", "沟通能力", "Communication", "rated", "", "工作能力", "staff", 5, None, None, "分"),
    ("abl_problem", "解决问题能力", "Problem solving", "rated", "", "工作能力", "staff", 5, None, None, "分"),
    ("abl_adaptability", "应变能力", "Adaptability", "rated", "", "工作能力", "staff", 5, None, None, "分"),
]
GRADES = [("A", 90, "优秀"), ("B", 80, "良好"), ("C", 70, "合格"), ("D", 60, "待改进"), ("E", 0, "不合格")]


def install(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    GradeBand = apps.get_model("reports", "GradeBand")
    for order, row in enumerate(INDICATORS, start=1):
        code, name, name_en, kind, formula, group, applies_to, weight, zero_at, full_at, unit = row
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "formula": formula,
                "group": group,
                "applies_to": applies_to,
                "weight": Decimal(weight),
                "zero_at": None if zero_at is None else Decimal(zero_at),
                "full_at": None if full_at is None else Decimal(full_at),
                "unit": unit,
                "order": order * 10,
            },
        )
    for grade, min_score, label in GRADES:
        GradeBand.objects.update_or_create(grade=grade, defaults={"min_score": Decimal(min_score), "label": label})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_management_reports")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
