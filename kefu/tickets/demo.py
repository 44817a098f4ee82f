"""Demo notifications: a few hundred in every status, and seed 004's worked examples exactly
(例1 客户叫修—活动柜锁坏 as notification 1000021, 例2 its survey, item and approval)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kefu.tickets.models import Notification, NotificationType
from kefu.tickets.services import add_item, add_text, change_status, create_notification

ORDER = 40

OFFICE_PEOPLE = {
    "4002": ("assistant", "supervisor", ["wangmin", "zhanghua"], "complaints"),
    "4003": ("tj_assistant", "supervisor", ["tj_tech"], "complaints"),
    "5001": ("sh_assistant", "sh_supervisor", ["sh_tech"], "sh_complaints"),
    "5002": ("hz_assistant", "sh_supervisor", ["hz_tech"], "sh_complaints"),
    "6001": ("gz_assistant", "gz_supervisor", ["gz_tech"], "gz_assistant"),
    "6002": ("sz_assistant", "gz_supervisor", ["sz_tech"], "sz_assistant"),
}
NEEDS = [
    ("活动柜锁", "活动柜被反锁,抽屉打不开。", "06", "100056"),
    ("椅子气压棒下沉", "班椅坐下后自动下沉,需更换气压棒。", "02", "100101"),
    ("文件柜门关不上", "文件柜左门铰链松脱,门关不上。", "04", "100301"),
    ("桌面板划伤", "送货时桌面板划伤约 10 公分。", "01", "100201"),
    ("抽屉滑轨卡顿", "三抽活动柜中间抽屉滑轨卡顿。", "06", "100057"),
    ("沙发面料开线", "接待区沙发扶手面料开线。", "05", "100401"),
    ("椅子五星脚断裂", "职员椅五星脚一支断裂,有安全隐患。", "02", "100102"),
    ("文件柜锁芯损坏", "铁皮文件柜锁芯损坏,钥匙打不开。", "04", "100302"),
]
Z1_PATHS = [
    [],
    [("KCJS", "tech", {"survey_result": "已到现场勘察,需更换配件。"})],
    [("KCJS", "tech", {"survey_result": "需总部报价。"}), ("ZGPZ", "sup", {})],
    [
        ("KCJS", "tech", {"survey_result": "客户要求更换整件。"}),
        ("BPZ", "sup", {"reason": "超出保修范围,建议有费服务"}),
    ],
    [
        ("KCJS", "tech", {"survey_result": "需区物流配合。"}),
        ("ZGPZ", "sup", {}),
        ("ZBHF", "asst", {"reply": "区物流:配件三日内到货,安排两人配合。"}),
    ],
    [("TCCL", "asst", {"reason": "客户出差,下周再约"})],
    [("KCJS", "tech", {"survey_result": "现场已调整好。"}), ("NOCO", "asst", {})],
    [
        ("KCJS", "tech", {"survey_result": "需区物流配合。"}),
        ("ZGPZ", "sup", {}),
        ("ZBHF", "asst", {"reply": "已补发配件。"}),
        ("NOCO", "asst", {}),
    ],
]
Z2_PATHS = [
    [],
    [("HFYY", "cmp", {"reply": "已回复营业,安排补货。"})],
    [("HFYY", "cmp", {"reply": "已回复营业。"}), ("DDKH", "cmp", {"delivered_on": "2026-11-02"})],
    [
        ("HFYY", "cmp", {"reply": "换货。"}),
        ("DDKH", "cmp", {"delivered_on": "2026-11-03"}),
        ("THCS", "cmp", {"returned_on": "2026-11-05"}),
    ],
    [
        ("HFYY", "cmp", {"reply": "补件。"}),
        ("DDKH", "cmp", {"delivered_on": "2026-11-04"}),
        ("NOCO", "cmp", {}),
    ],
    [("TCCL", "asst", {"reason": "等待厂商回复"})],
]


def load(ctx) -> None:
    if Notification.objects.exists():
        return
    rng = ctx["rng"]
    staff = ctx["staff"]
    customers = ctx.get("customers") or {}
    types = {t.code: t for t in NotificationType.objects.all()}
    by_office: dict[str, list] = {}
    for customer in customers.values():
        by_office.setdefault(customer.sales_office.code, []).append(customer)
    seed_customer = customers.get("2110050007")
    made = 0
    today = timezone.localdate()

    def people(office_code):
        asst, sup, techs, cmp = OFFICE_PEOPLE.get(office_code, OFFICE_PEOPLE["4002"])
        return staff[asst], staff[sup], [staff[t] for t in techs], staff[cmp]

    def make(customer, code, index, urgent=False):
        asst, sup, techs, cmp = people(customer.sales_office.code)
        tech = techs[index % len(techs)]
        description, text, ptype, material = NEEDS[index % len(NEEDS)]
        start = today + dt.timedelta(days=rng.randint(-20, 10))
        n = create_notification(
            actor=(asst if code == "Z1" else cmp).user,
            type=types[code],
            customer=customer,
            description=description,
            long_text=text,
            urgent=urgent,
            priority=rng.choice("1233334"),
            payment_status="paid" if code == "Z1" else rng.choice(["unpaid", "partial"]),
            reference_document=str(30000000 + rng.randint(100, 99999))
            if code == "Z2"
            else str(10000000 + rng.randint(100, 99999)),
            reference_date=start - dt.timedelta(days=rng.randint(5, 60)),
            required_start=start,
            required_end=start + dt.timedelta(days=rng.randint(1, 14)),
            responsible=tech if code == "Z1" else cmp,
            items=[
                {
                    "product_type": ptype,
                    "colour": rng.choice("ABCDE"),
                    "material": material,
                    "quantity": rng.randint(1, 3),
                    "reason": rng.choice("1234567"),
                }
            ],
        )
        role = {"tech": tech, "sup": sup, "asst": asst, "cmp": cmp}
        path = Z1_PATHS[index % 8] if code == "Z1" else Z2_PATHS[(index // 3) % 6]
        for to, who, inputs in path:
            if to == "NOCO" and code == "Z1" and index % 2 == 0:
                _paid_service(n, asst, tech, rng)
            change_status(actor=role[who].user, notification=n, to=to, inputs=inputs)
        back = timezone.now() - dt.timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 600))
        Notification.objects.filter(pk=n.pk).update(created_at=back)
        return n

    # Twenty earlier Z1 notifications, so seed 004's example is number 1000021 as in the seed.
    offices = sorted(by_office)
    for index in range(20):
        office = offices[index % len(offices)]
        make(by_office[office][index % len(by_office[office])], "Z1", index)
        made += 1
    if seed_customer is not None:
        _seed_examples(seed_customer, staff, types, ctx)
        made += 1
        if "Z3" in types and "office" in staff:
            made += _seed_fault_and_dispute(seed_customer, staff, types)
    for index in range(300):
        office = offices[index % len(offices)]
        customer = by_office[office][rng.randrange(len(by_office[office]))]
        code = "Z1" if index % 3 else "Z2"
        make(customer, code, index, urgent=index % 17 == 0)
        made += 1
    _clocks(rng)
    ctx["notifications"] = made
    if ctx.get("stdout"):
        ctx["stdout"].write(f"    {made} notifications")


def _clocks(rng) -> None:
    """Service clocks as if the demo had happened over the weeks its notifications were made:
    reactions a few working hours after creation (some too late), completions days later, and a
    handful of fresh open ones so the worklist shows clocks near due beside late ones."""
    from kefu.tickets import clocks

    now = timezone.now()
    rows = list(Notification.objects.select_related("customer").order_by("pk"))
    fresh = [n for n in rows if n.stage in ("outstanding", "in_process")][-12:]
    specs: dict = {}  # each work calendar loaded once for the pass
    for index, n in enumerate(fresh):  # made minutes to hours ago: near due, due today, just late
        n.created_at = now - dt.timedelta(minutes=20 + 45 * index)
    for n in rows:
        if n.responded_at is not None:
            n.responded_at = min(now, n.created_at + dt.timedelta(minutes=rng.randint(20, 480)))
        if n.resolved_at is not None:
            n.resolved_at = n.completed_at = min(now, n.created_at + dt.timedelta(days=rng.randint(1, 9)))
        clocks.start(n, at=n.created_at, specs=specs)
        if n not in fresh:  # old late work counts as escalated; the fresh ones show the sweep
            clocks.settle(n, now)
    Notification.objects.bulk_update(
        rows, ["created_at", "completed_at", *clocks.CLOCK_FIELDS], batch_size=200
    )


def _paid_service(n, assistant, technician, rng) -> None:
    """有费服务: quotation (ZFFW) accepted by the customer, service report; the close makes the ZFW."""
    from kefu.billing.services import create_quotation, decide_quotation, record_service_report

    quotation = create_quotation(
        actor=assistant.user,
        notification=n,
        lines=[
            {
                "kind": "labour",
                "description": "上门维修工时",
                "quantity": rng.randint(1, 3),
                "unit_price": "80.00",
            },
            {"kind": "parts", "material": n.items.first().material.code, "quantity": 1},
            {"kind": "travel", "description": "交通费", "quantity": 1, "unit_price": "30.00"},
        ],
    )
    decide_quotation(actor=assistant.user, quotation=quotation, accepted=True, customer_person="客户经办人")
    record_service_report(
        actor=technician.user,
        notification=n,
        technician=technician,
        quotation=quotation,
        work_done="更换损坏配件并调试",
        materials_used=n.items.first().material.name,
        accepted_by_customer="客户经办人",
    )


def _seed_examples(customer, staff, types, ctx) -> Notification:
    """例1 create 活动柜锁 (Z1, TZJL), 例2 survey finished KCWB, long text, item 06/A/100056/1/1, ZGPZ."""
    org = ctx
    n = create_notification(
        actor=staff["assistant"].user,
        type=types["Z1"],
        customer=customer,
        description="活动柜锁",
        reporter="陈静",
        reference_document="30000075",
        reference_date=dt.date(2001, 3, 1),
        required_start=dt.date(2001, 3, 7),
        required_end=dt.date(2001, 3, 8),
        work_centre=org["work_centres"]["S4002"],
        responsible=staff["wangmin"],
        sales_organization=org["offices"]["4002"].sales_organization,
        distribution_channel=org["channel"],
        division=org["division"],
        sales_office=org["offices"]["4002"],
        sales_group=org["offices"]["4002"].groups.filter(code="002").first(),
        business_area=org["business_areas"]["1002"],
        functional_location="2110050027",
        payment_status="paid",
        long_text="客户叫修:活动柜锁坏。",
    )
    change_status(
        actor=staff["wangmin"].user,
        notification=n,
        to="KCWB",
        inputs={"survey_result": "活动柜被反锁,抽屉打不开。抽屉锁缺货、请购。"},
    )
    add_item(
        actor=staff["assistant"].user,
        notification=n,
        product_type="06",
        colour="A",
        material="100056",
        quantity=1,
        reason="1",
        reason_text="OEM 厂商",
    )
    add_text(actor=staff["assistant"].user, notification=n, text="已通知采购请购抽屉锁。")
    change_status(actor=staff["supervisor"].user, notification=n, to="ZGPZ")
    return n


def _seed_fault_and_dispute(customer, staff, types) -> int:
    """Seed 004's service-system rules as examples: a major fault (Z3) reported to the managers and
    filed with top management, and a disagreement between departments waiting for the office."""
    from kefu.org.models import Department
    from kefu.tickets.services import submit_dispute

    fault = create_notification(
        actor=staff["assistant"].user,
        type=types["Z3"],
        customer=customer,
        description="展厅吊柜整体脱落",
        responsible=staff["supervisor"],
        long_text="客户来电:展厅吊柜脱落,无人员受伤。",
    )
    change_status(  # by the person responsible: a technician sees (and reports on) his own work only
        actor=staff["supervisor"].user,
        notification=fault,
        to="GZBG",
        inputs={
            "fault_time": "2026-11-28 10:20",
            "fault_place": "北京朝阳展厅二层",
            "symptom": "吊柜连同挂件整体脱落,两件样品损坏",
            "plan": "封闭区域,检查其余吊柜挂件,联系厂商更换",
        },
    )
    change_status(
        actor=staff["manager"].user, notification=fault, to="GZBA", inputs={"note": "已备案,报总经理。"}
    )
    departments = {d.kind: d for d in Department.objects.filter(is_active=True).order_by("code")}
    logistics, quality = departments.get("regional_logistics"), departments.get("quality")
    if logistics is None or quality is None:
        return 1
    submit_dispute(
        actor=staff["assistant"].user,
        notification=fault,
        requesting_department=logistics,
        other_departments=[quality],
        issue="挂件断裂责任:区物流认为是挂件质量问题,品管认为是安装不当。",
        positions="区物流:挂件出厂即有裂纹。品管部:安装时螺丝未拧紧。",
        supervising_department=departments.get("headquarters"),
    )
    return 1
