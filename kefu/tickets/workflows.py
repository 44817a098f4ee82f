"""Default notification types and their status profiles 状态参数文件 (seed 004), as data.

Loaded by a data migration; administrators change or extend them in the admin. Role codes are
those of kefu.org.roles. `required` names inputs of the transition form/API (or record fields).
"""

# code, name, English name, system stage, order, initial, aliases
Z1_STATUSES = [
    ("TZJL", "通知建立", "Notification created", "outstanding", 10, True, []),
    ("KCJS", "勘察结束", "Survey finished", "in_process", 20, False, ["KCWB"]),
    ("ZGPZ", "主管批准", "Supervisor approved", "in_process", 30, False, []),
    ("BPZ", "主管不批准", "Supervisor refused", "in_process", 40, False, []),
    ("ZBHF", "相应部门回复", "Department replied", "in_process", 50, False, []),
    ("TCCL", "推迟处理", "Postponed", "postponed", 80, False, []),
    ("NOCO", "通知结案", "Notification completed", "completed", 90, False, []),
]
Z2_STATUSES = [
    ("TZJL", "通知建立", "Notification created", "outstanding", 10, True, []),
    ("HFYY", "回复营业", "Replied to sales", "in_process", 20, False, []),
    ("DDKH", "货物送达客户", "Goods reached the customer", "in_process", 30, False, []),
    ("THCS", "货物送回厂商", "Goods returned to the vendor", "in_process", 40, False, []),
    ("TCCL", "推迟处理", "Postponed", "postponed", 80, False, []),
    ("NOCO", "通知结案", "Notification completed", "completed", 90, False, []),
]

ASSIST = ["assistant", "supervisor", "manager"]
# from, to, name, English name, roles, required inputs, approval, notify department kind
Z1_TRANSITIONS = [
    ("TZJL", "KCJS", "勘察结束", "Finish survey", ["technician", *ASSIST], ["survey_result"], False, ""),
    ("KCJS", "ZGPZ", "主管批准", "Approve", ["supervisor"], [], True, "regional_logistics"),
    ("KCJS", "BPZ", "主管不批准", "Refuse", ["supervisor"], ["reason"], True, ""),
    ("ZGPZ", "ZBHF", "登记部门回复", "Record department reply", ASSIST, ["reply"], False, ""),
    ("KCJS", "NOCO", "结案", "Complete", ASSIST, [], False, ""),
    ("BPZ", "NOCO", "结案", "Complete", ASSIST, [], False, ""),
    ("ZBHF", "NOCO", "结案", "Complete", ASSIST, [], False, ""),
    ("TZJL", "TCCL", "推迟", "Postpone", ASSIST, ["reason"], False, ""),
    ("KCJS", "TCCL", "推迟", "Postpone", ASSIST, ["reason"], False, ""),
    ("TCCL", "TZJL", "恢复处理", "Resume", ASSIST, [], False, ""),
]
Z2_TRANSITIONS = [
    ("TZJL", "HFYY", "回复营业", "Reply to sales", ["complaint_specialist", *ASSIST], ["reply"], False, ""),
    (
        "HFYY",
        "DDKH",
        "货物送达客户",
        "Goods delivered",
        ["complaint_specialist", *ASSIST],
        ["delivered_on"],
        False,
        "",
    ),
    (
        "DDKH",
        "THCS",
        "货物送回厂商",
        "Goods returned",
        ["complaint_specialist", *ASSIST],
        ["returned_on"],
        False,
        "",
    ),
    ("DDKH", "NOCO", "结案", "Complete", ["complaint_specialist", *ASSIST], [], False, ""),
    ("THCS", "NOCO", "结案", "Complete", ["complaint_specialist", *ASSIST], [], False, ""),
    ("TZJL", "TCCL", "推迟", "Postpone", ASSIST, ["reason"], False, ""),
    ("TCCL", "TZJL", "恢复处理", "Resume", ASSIST, [], False, ""),
]

# 故障报告制度 (seed 004): a major fault is reported at once with time, place, symptom and plan
# to the responsible managers (the centre's supervisor and the customer-service manager); the
# manager files it and informs top management (the headquarters mailbox); then the handling is
# tracked to the end.
Z3_STATUSES = [
    ("GZDJ", "故障登记", "Fault recorded", "outstanding", 10, True, []),
    ("GZBG", "已报分管经理", "Reported to the manager", "in_process", 20, False, []),
    ("GZBA", "经理备案并报高层", "Filed, top management informed", "in_process", 30, False, []),
    ("GZGZ", "跟踪处理", "Handling tracked", "in_process", 40, False, []),
    ("NOCO", "通知结案", "Notification completed", "completed", 90, False, []),
]
STAFF = ["technician", "complaint_specialist", "key_account", *ASSIST]
FAULT_FIELDS = ["fault_time", "fault_place", "symptom", "plan"]
# ... the same columns as above, then the roles told by an in-app notice (Transition.notify_roles)
Z3_TRANSITIONS = [
    (
        "GZDJ",
        "GZBG",
        "报告故障",
        "Report the fault",
        STAFF,
        FAULT_FIELDS,
        False,
        "",
        ["supervisor", "manager"],
    ),
    (
        "GZBG",
        "GZBA",
        "备案并报高层",
        "File and inform top management",
        ["supervisor", "manager"],
        ["note"],
        False,
        "headquarters",
        ["manager"],
    ),
    ("GZBA", "GZGZ", "跟踪处理", "Track the handling", ["supervisor", "manager"], ["note"], False, "", []),
    ("GZBA", "NOCO", "结案", "Complete", ["supervisor", "manager"], ["note"], False, "", ["manager"]),
    ("GZGZ", "NOCO", "结案", "Complete", ["supervisor", "manager"], ["note"], False, "", ["manager"]),
]

TYPES = [
    {
        "code": "Z1",
        "name": "客户服务通知",
        "name_en": "Customer service",
        "profile": "Z1",
        "order": 1,
        "number_range": "tickets.Z1",
        "number_start": 1000001,
        "payment_statuses": ["paid"],
        "reference_label": "原分公司销售订单号",
        "start_label": "顾客要求的服务开始日期",
        "end_label": "助理预估的结案日期",
        "responsible_label": "责任中心服务人员",
        "default_days": 7,
        "statuses": Z1_STATUSES,
        "transitions": Z1_TRANSITIONS,
        "profile_name": "客户服务通知状态参数文件",
    },
    {
        "code": "Z2",
        "name": "交货异常",
        "name_en": "Delivery exception",
        "profile": "Z2",
        "order": 2,
        "number_range": "tickets.Z2",
        "number_start": 2000001,
        "payment_statuses": ["unpaid", "partial"],
        "reference_label": "总公司发货单号",
        "start_label": "原预估组装结束日期",
        "end_label": "客诉处理预计结束日期",
        "responsible_label": "客诉处理人员",
        "default_days": 10,
        "statuses": Z2_STATUSES,
        "transitions": Z2_TRANSITIONS,
        "profile_name": "交货异常状态参数文件",
    },
    {
        "code": "Z3",
        "name": "重大故障报告",
        "name_en": "Major fault report",
        "profile": "Z3",
        "order": 3,
        "number_range": "tickets.Z3",
        "number_start": 3000001,
        "payment_statuses": [],
        "reference_label": "项目/合同号",
        "start_label": "故障发生日期",
        "end_label": "预计排除日期",
        "responsible_label": "故障处理负责人",
        "default_days": 1,
        "statuses": Z3_STATUSES,
        "transitions": Z3_TRANSITIONS,
        "profile_name": "重大故障报告状态参数文件",
    },
]

ROLE_NAMES = {
    "manager": ("客服部经理", "company"),
    "assistant": ("责任中心助理", "centre"),
    "supervisor": ("售后服务主管", "centre"),
    "technician": ("售后服务专员", "own"),
    "complaint_specialist": ("客户投诉专员", "centre"),
    "key_account": ("大客户专员", "centre"),
    "office": ("办公室", "company"),
}

# 跨部门协作制度 (seed 004): a disagreement between departments goes to the office, which rules.
DISPUTE_STATUSES = [
    ("TJBG", "提交办公室", "Submitted to the office", "outstanding", 10, True, []),
    ("YCJ", "办公室已裁决", "Ruled by the office", "completed", 20, False, []),
    ("YCH", "已撤回", "Withdrawn", "cancelled", 30, False, []),
]
DISPUTE_TRANSITIONS = [
    (
        "TJBG",
        "YCJ",
        "办公室裁决",
        "Rule",
        ["office"],
        ["ruling", "responsible_department", "responsible"],
        True,
        "",
    ),
    ("TJBG", "YCH", "撤回", "Withdraw", [*ASSIST, "office"], ["reason"], False, ""),
]


def install_dispute_profile(apps) -> None:
    """The status profile XZ of cross-department disputes (no notification type: its own record)."""
    Profile = apps.get_model("workflow", "StatusProfile")
    Status = apps.get_model("workflow", "Status")
    Transition = apps.get_model("workflow", "Transition")
    Role = apps.get_model("org", "Role")
    Group = apps.get_model("auth", "Group")

    def role(code):
        found = Role.objects.filter(code=code).first()
        if found is None:
            name, scope = ROLE_NAMES[code]
            group, _ = Group.objects.get_or_create(name=name)
            found = Role.objects.create(group=group, code=code, data_scope=scope)
        return found

    profile, _ = Profile.objects.get_or_create(code="XZ", defaults={"name": "跨部门协作分歧状态参数文件"})
    statuses = {}
    for code, name, name_en, stage, order, initial, _aliases in DISPUTE_STATUSES:
        statuses[code], _ = Status.objects.get_or_create(
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
    for order, (src, dst, name, name_en, roles, required, approval, _kind) in enumerate(DISPUTE_TRANSITIONS):
        transition, created = Transition.objects.get_or_create(
            profile=profile,
            from_status=statuses[src],
            to_status=statuses[dst],
            defaults={
                "name": name,
                "name_en": name_en,
                "required_fields": required,
                "is_approval": approval,
                "order": order,
            },
        )
        if created:
            transition.allowed_roles.set([role(r) for r in roles])


def install(apps, codes: tuple[str, ...] | None = None) -> None:
    """Create (or complete) the default types (those of `codes`, default all), profiles, statuses
    and transitions. Each migration names the types it loads, so an older migration keeps loading
    what it loaded when it was written."""
    Profile = apps.get_model("workflow", "StatusProfile")
    Status = apps.get_model("workflow", "Status")
    Transition = apps.get_model("workflow", "Transition")
    Role = apps.get_model("org", "Role")
    Group = apps.get_model("auth", "Group")
    NotificationType = apps.get_model("tickets", "NotificationType")
    NumberRange = apps.get_model("core", "NumberRange")

    def role(code):
        found = Role.objects.filter(code=code).first()
        if found is None:  # roles are normally made after migrate (sync_roles); make them now
            name, scope = ROLE_NAMES[code]
            group, _ = Group.objects.get_or_create(name=name)
            found = Role.objects.create(group=group, code=code, data_scope=scope)
        return found

    for spec in TYPES:
        if codes is not None and spec["code"] not in codes:
            continue
        profile, _ = Profile.objects.get_or_create(
            code=spec["profile"], defaults={"name": spec["profile_name"]}
        )
        statuses = {}
        for code, name, name_en, stage, order, initial, aliases in spec["statuses"]:
            statuses[code], _ = Status.objects.get_or_create(
                profile=profile,
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "stage": stage,
                    "order": order,
                    "is_initial": initial,
                    "aliases": aliases,
                },
            )
        for order, (src, dst, name, name_en, roles, required, approval, kind, *rest) in enumerate(
            spec["transitions"]
        ):
            transition, created = Transition.objects.get_or_create(
                profile=profile,
                from_status=statuses[src],
                to_status=statuses[dst],
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "required_fields": required,
                    "is_approval": approval,
                    "notify_department_kind": kind,
                    "order": order,
                },
            )
            if created:
                transition.allowed_roles.set([role(r) for r in roles])
                if rest and rest[0]:
                    transition.notify_roles.set([role(r) for r in rest[0]])
        NotificationType.objects.get_or_create(
            code=spec["code"],
            defaults={
                k: spec[k]
                for k in (
                    "name",
                    "name_en",
                    "order",
                    "number_range",
                    "number_start",
                    "payment_statuses",
                    "reference_label",
                    "start_label",
                    "end_label",
                    "responsible_label",
                    "default_days",
                )
            }
            | {"profile": profile},
        )
        NumberRange.objects.get_or_create(
            code=spec["number_range"],
            defaults={"name": f"{spec['code']} {spec['name']}", "next_value": spec["number_start"]},
        )
