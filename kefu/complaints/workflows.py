"""Default status profiles of complaints (KS) and accidents (SG), their time limits and loss thresholds.

Shipped as data by a migration (administrators change them in the admin). The complaint
flow follows seed 001 (received → recorded within 10 minutes → … → complaint handling
report) and the 8 steps of seed 003: 1 记录投诉内容 2 判断投诉是否成立 3 确定投诉处理部门
4 调查分析投诉原因 + 5 提出处理方案 (seed 001 does both at once) 6 主管领导批示
7 实施处理方案 8 总结评价. Each transition's allowed roles are the step's owners.
"""

from __future__ import annotations

from decimal import Decimal

# Seed 001's table: the supervisor 客服主管 (with the manager 市场部经理) records, analyses and
# proposes; the marketing director 营销总监 alone decides the plan; the supervisor handles, follows
# up and closes, the complaint specialists 客服人员 carrying out each step. Whoever first takes the
# complaint (首问负责) may record it.
HANDLERS = ["complaint_specialist", "supervisor", "manager"]
RECORDERS = [*HANDLERS, "key_account", "assistant"]
DECIDERS = ["marketing_director"]

# code, name, English name, stage, order, initial
COMPLAINT_STATUSES = [
    ("KSSL", "已受理", "Received", "outstanding", 10, True),
    ("KSJL", "已记录", "Recorded", "in_process", 20, False),
    ("KSCL", "投诉成立", "Valid", "in_process", 30, False),
    ("KSBC", "投诉不成立", "Not valid", "completed", 35, False),
    ("KSBM", "已定处理部门", "Department set", "in_process", 40, False),
    ("KSFA", "方案待批示", "Plan proposed", "in_process", 50, False),
    ("KSPS", "方案已批示", "Plan decided", "in_process", 60, False),
    ("KSCZ", "处理完成", "Handled", "in_process", 70, False),
    ("KSJA", "已结案", "Closed", "completed", 80, False),
]

# from, to, name, English name, roles, required fields, approval
COMPLAINT_TRANSITIONS = [
    (
        "KSSL",
        "KSJL",
        "记录客诉",
        "Record the complaint",
        RECORDERS,
        ["content_class", "cause_class", "description"],
        False,
    ),
    ("KSJL", "KSCL", "判定成立", "Judge valid", HANDLERS, [], False),
    ("KSJL", "KSBC", "判定不成立", "Judge not valid", HANDLERS, ["validity_reason"], False),
    ("KSCL", "KSBM", "确定处理部门", "Set the handling department", HANDLERS, ["handling_department"], False),
    ("KSBM", "KSFA", "提出处理方案", "Propose a plan", HANDLERS, ["cause_analysis", "proposed_plan"], False),
    ("KSFA", "KSPS", "批示方案", "Decide the plan", DECIDERS, ["director_decision"], True),
    ("KSFA", "KSBM", "退回方案", "Send the plan back", DECIDERS, ["director_decision"], True),
    ("KSPS", "KSCZ", "处理完成", "Handling done", HANDLERS, ["handling_actions"], False),
    ("KSCZ", "KSJA", "结案", "Close", HANDLERS, ["closing_summary", "evaluation", "satisfaction"], False),
]

# status, severity, tier, grade, minutes, mode, manager after
COMPLAINT_LIMITS = [
    ("KSSL", "", "", "", 10, "real", 20),  # 接信息10分钟内反应、记录
    ("KSJL", "", "", "", 60, "business", 60),
    ("KSCL", "", "", "", 60, "business", 60),
    ("KSBM", "", "", "", 240, "business", 120),  # 第一时间剖析原由、上报办理方案
    ("KSFA", "", "", "", 240, "business", 120),  # 营销总监第一时间决议
    ("KSPS", "", "", "", 1440, "business", 480),
    ("KSCZ", "", "", "", 2400, "business", 960),
    # 重大客诉 and key customers go faster
    ("KSJL", "major", "", "", 30, "business", 30),
    ("KSBM", "major", "", "", 60, "business", 60),
    ("KSFA", "major", "", "", 60, "business", 60),
    ("KSPS", "major", "", "", 480, "business", 240),
    ("KSBM", "", "key", "", 120, "business", 60),
    ("KSPS", "", "key", "", 960, "business", 240),
]

ACCIDENT_STATUSES = [
    ("SGDJ", "事故登记", "Registered", "outstanding", 10, True),
    ("SGBG", "已报告负责人", "Reported", "in_process", 20, False),
    ("SGCL", "处理中", "Handling", "in_process", 30, False),
    ("SGJA", "已结案", "Closed", "completed", 40, False),
]
ACCIDENT_ROLES = ["assistant", "supervisor", "complaint_specialist", "manager"]
ACCIDENT_TRANSITIONS = [
    # Seed 003: report to the unit head within 30 minutes *and* take first measures 初期处理.
    (
        "SGDJ",
        "SGBG",
        "报告本单位负责人",
        "Report to the unit head",
        ACCIDENT_ROLES,
        ["initial_measures"],
        False,
    ),
    (
        "SGBG",
        "SGCL",
        "开始处理",
        "Start handling",
        ACCIDENT_ROLES,
        ["handling_method", "responsibility"],
        False,
    ),
    ("SGCL", "SGJA", "结案", "Close", ["supervisor", "manager"], ["final_loss", "closing_note"], False),
    (
        "SGBG",
        "SGJA",
        "结案",
        "Close",
        ["supervisor", "manager"],
        ["final_loss", "closing_note", "handling_method"],
        False,
    ),
]
ACCIDENT_LIMITS = [
    ("SGDJ", "", "", "", 30, "real", 30),  # 30分钟内报告本单位负责人
    ("SGBG", "", "", "", 480, "business", 240),
    ("SGCL", "", "", "", 4800, "business", 960),
    ("SGBG", "severe", "", "", 120, "business", 60),
]

# severity, over amount, report to department kind, notify role, description
ACCIDENT_THRESHOLDS = [
    ("major", Decimal("1000.00"), "headquarters", "manager", "预计损失超过1000元:申报上一级管理部门"),
    ("severe", Decimal("10000.00"), "audit", "manager", "预计损失超过1万元:向总公司监察部门申报"),
]

PROFILES = [
    (
        "KS",
        "客诉处理",
        "客诉办理流程(种子001/003)",
        COMPLAINT_STATUSES,
        COMPLAINT_TRANSITIONS,
        COMPLAINT_LIMITS,
    ),
    (
        "SG",
        "物流服务事故",
        "服务事故申报与处理(种子003)",
        ACCIDENT_STATUSES,
        ACCIDENT_TRANSITIONS,
        ACCIDENT_LIMITS,
    ),
]


def install(apps) -> None:
    """Create (or complete) the default profiles; works with historical models in migrations."""
    StatusProfile = apps.get_model("workflow", "StatusProfile")
    Status = apps.get_model("workflow", "Status")
    Transition = apps.get_model("workflow", "Transition")
    Role = apps.get_model("org", "Role")
    Group = apps.get_model("auth", "Group")
    StepTimeLimit = apps.get_model("complaints", "StepTimeLimit")
    AccidentThreshold = apps.get_model("complaints", "AccidentThreshold")
    from kefu.org.roles import ROLES

    role_names = {r.code: r for r in ROLES}

    def role(code):
        found = Role.objects.filter(code=code).first()
        if found is None:  # roles are normally synced after migrate; create the ones we need now
            definition = role_names[code]
            group, _ = Group.objects.get_or_create(name=definition.name)
            found = Role.objects.create(group=group, code=code, data_scope=definition.scope)
        return found

    for code, name, description, statuses, transitions, limits in PROFILES:
        profile, _ = StatusProfile.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        by_code = {}
        for s_code, s_name, s_en, stage, order, initial in statuses:
            by_code[s_code], _ = Status.objects.get_or_create(
                profile=profile,
                code=s_code,
                defaults={
                    "name": s_name,
                    "name_en": s_en,
                    "stage": stage,
                    "order": order,
                    "is_initial": initial,
                },
            )
        if not Transition.objects.filter(profile=profile).exists():
            for index, (src, dst, t_name, t_en, roles, required, approval) in enumerate(transitions):
                transition = Transition.objects.create(
                    profile=profile,
                    from_status=by_code[src],
                    to_status=by_code[dst],
                    name=t_name,
                    name_en=t_en,
                    required_fields=required,
                    is_approval=approval,
                    order=(index + 1) * 10,
                )
                transition.allowed_roles.set([role(r) for r in roles])
        if not StepTimeLimit.objects.filter(status__profile=profile).exists():
            for s_code, severity, tier, grade, minutes, mode, manager_after in limits:
                StepTimeLimit.objects.create(
                    status=by_code[s_code],
                    severity=severity,
                    customer_tier=tier,
                    customer_grade=grade,
                    minutes=minutes,
                    mode=mode,
                    manager_after_minutes=manager_after,
                )
    for severity, amount, kind, role_code, description in ACCIDENT_THRESHOLDS:
        AccidentThreshold.objects.get_or_create(
            severity=severity,
            defaults={
                "amount": amount,
                "report_to_kind": kind,
                "report_to_role": role_code,
                "description": description,
            },
        )
