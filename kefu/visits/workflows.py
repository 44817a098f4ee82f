"""Default status profile JD of reception records 客户接待记录表 (seed 003), shipped as data.

The receiver submits the record to the relationship supervisor 客户关系主管, who reviews it or
returns it with a note; a returned record is corrected and submitted again.
"""

from __future__ import annotations

REVIEWERS = ["relationship_supervisor", "manager"]

# code, name, English name, stage, order, initial
RECEPTION_STATUSES = [
    ("JDCG", "草稿", "Draft", "outstanding", 10, True),
    ("JDTJ", "已提交主管", "Submitted", "in_process", 20, False),
    ("JDTH", "已退回", "Returned", "postponed", 30, False),
    ("JDSH", "已审核", "Reviewed", "completed", 40, False),
]
# from, to, name, English name, roles, required fields, approval
RECEPTION_TRANSITIONS = [
    ("JDCG", "JDTJ", "提交主管", "Submit to the supervisor", [], [], False),
    ("JDTJ", "JDSH", "审核通过", "Review", REVIEWERS, [], True),
    ("JDTJ", "JDTH", "退回修改", "Return", REVIEWERS, ["review_note"], False),
    ("JDTH", "JDTJ", "重新提交", "Submit again", [], [], False),
]


def install(apps) -> None:
    StatusProfile = apps.get_model("workflow", "StatusProfile")
    Status = apps.get_model("workflow", "Status")
    Transition = apps.get_model("workflow", "Transition")
    Role = apps.get_model("org", "Role")
    Group = apps.get_model("auth", "Group")
    from kefu.org.roles import ROLES

    definitions = {r.code: r for r in ROLES}

    def role(code):
        found = Role.objects.filter(code=code).first()
        if found is None:
            definition = definitions[code]
            group, _ = Group.objects.get_or_create(name=definition.name)
            found = Role.objects.create(group=group, code=code, data_scope=definition.scope)
        return found

    profile, _ = StatusProfile.objects.get_or_create(
        code="JD", defaults={"name": "客户接待记录", "description": "接待记录提交客户关系主管审核"}
    )
    by_code = {}
    for code, name, name_en, stage, order, initial in RECEPTION_STATUSES:
        by_code[code], _ = Status.objects.get_or_create(
            profile=profile,
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "stage": stage,
                "order": order,
                "is_initial": initial,
            },
        )
    if not Transition.objects.filter(profile=profile).exists():
        for index, (src, dst, name, name_en, roles, required, approval) in enumerate(RECEPTION_TRANSITIONS):
            transition = Transition.objects.create(
                profile=profile,
                from_status=by_code[src],
                to_status=by_code[dst],
                name=name,
                name_en=name_en,
                required_fields=required,
                is_approval=approval,
                order=(index + 1) * 10,
            )
            transition.allowed_roles.set([role(r) for r in roles])


# name, trigger, tier, grade, min months, max months, every, method, due work days, owner, order
DEFAULT_RULES = [
    ("重要客户每月上门回访", "schedule", "key", "", None, None, 1, "on_site", 10, "key_account_manager", 10),
    (
        "主要客户每月上门回访",
        "schedule",
        "major",
        "",
        None,
        None,
        1,
        "on_site",
        10,
        "key_account_manager",
        20,
    ),
    ("交付一年内项目每月电话回访", "schedule", "", "", 0, 12, 1, "phone", 10, "responsible", 30),
    ("交付一年以上项目每季电话回访", "schedule", "", "", 12, None, 3, "phone", 15, "responsible", 40),
    ("客诉结案后回访", "complaint_closed", "", "", None, None, 1, "phone", 3, "responsible", 50),
    ("低分评价后回访", "low_rating", "", "", None, None, 1, "phone", 2, "key_account_manager", 60),
]


def install_rules(apps) -> None:
    """Seed 004's rule (monthly in the first year, quarterly after) and seed 003's key-customer visits."""
    VisitRule = apps.get_model("visits", "VisitRule")
    if VisitRule.objects.exists():
        return
    for name, trigger, tier, grade, lo, hi, every, method, due, owner, order in DEFAULT_RULES:
        VisitRule.objects.create(
            name=name,
            trigger=trigger,
            tier=tier,
            grade=grade,
            min_months=lo,
            max_months=hi,
            every_months=every,
            method=method,
            due_workdays=due,
            owner_from=owner,
            order=order,
        )
