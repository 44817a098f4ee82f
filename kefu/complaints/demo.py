"""Demo complaints and accidents in every state, made through the real services on a moved clock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from kefu.complaints import services
from kefu.worktime import clock

ORDER = 50

SUBJECTS = [
    ("活动柜锁坏,抽屉打不开", "quality", "result", True, ("100056", "活动柜锁")),
    ("办公桌桌面开裂", "quality", "result", True, ("200310", "办公桌面板")),
    ("送货比约定晚了两天", "logistics", "process", False, None),
    ("安装师傅态度差", "service", "process", False, None),
    ("合同约定的赠品未送", "contract", "result", False, None),
    ("椅子气杆下沉", "quality", "result", True, ("300120", "升降气杆")),
    ("货物外包装破损", "logistics", "result", False, None),
    ("客服电话多次无人接听", "service", "process", False, None),
]
STEPS = [
    (
        "KSJL",
        "recorder",
        lambda s: {
            "content_class": s[1],
            "cause_class": s[2],
            "is_product_quality": s[3],
            "description": f"客户反映:{s[0]}。",
            "material_code": (s[4] or ("", ""))[0],
            "material_name": (s[4] or ("", ""))[1],
        },
    ),
    ("KSCL", "recorder", lambda s: {"validity_reason": "经核实情况属实"}),
    ("KSBM", "recorder", None),
    (
        "KSFA",
        "recorder",
        lambda s: {
            "cause_analysis": "供应商来料批次问题/承运商操作不当",
            "proposed_plan": "上门检修并更换配件",
        },
    ),
    ("KSPS", "director", lambda s: {"director_decision": "同意方案,三日内完成"}),
    (
        "KSCZ",
        "recorder",
        lambda s: {"handling_actions": "已电话联系客户并安排上门更换", "handled_via": "on_site"},
    ),
    (
        "KSJA",
        "recorder",
        lambda s: {
            "closing_summary": "问题已解决,已反馈品管",
            "evaluation": "处理及时,客户认可",
            "satisfaction": "4",
        },
    ),
]
CARRIERS = [
    ("CY001", "顺达物流有限公司", "公路整车、零担", "华北、华东"),
    ("CY002", "安捷快运股份有限公司", "零担、快运", "全国"),
    ("CY003", "华南联运有限公司", "公路、铁路联运", "华南"),
    ("CY004", "城际速配物流", "同城配送", "北京、天津"),
]


def _usable_department(department, user):
    """The drawn department if `user` may choose it, else the same kind in the user's branch."""
    from kefu.org.scope import usable_departments

    usable = usable_departments(user)
    if usable.filter(pk=department.pk).exists():
        return department
    return usable.filter(kind=department.kind).order_by("code").first() or usable.order_by("code").first()


def load(ctx: dict) -> None:
    from kefu.org.models import Department

    rng = ctx["rng"]
    staff = ctx["staff"]
    customers = list((ctx.get("customers") or {}).values())
    if not customers:
        from kefu.customers.models import Customer

        customers = list(Customer.objects.all()[:200])
    if not customers:
        return
    departments = list(
        Department.objects.filter(kind__in=["regional_logistics", "quality", "customer_service"])
    )
    by_office = {"4002": "complaints", "4003": "complaints", "5001": "sh_complaints", "5002": "sh_complaints"}
    now = clock.now()
    made = 0
    for index in range(60):
        customer = rng.choice(customers)
        recorder = staff.get(by_office.get(customer.sales_office.code, "manager"), staff["manager"])
        actors = {"recorder": recorder.user, "director": staff["director"].user}
        subject = rng.choice(SUBJECTS)
        received = now - timedelta(days=rng.randint(0, 75), minutes=rng.randint(0, 600))
        steps = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7]) if index > 3 else 0
        with clock.frozen(received) as frozen:
            complaint = services.create_complaint(
                actor=actors["recorder"],
                customer=customer,
                subject=subject[0],
                received_at=received,
                received_via=rng.choice(["hotline", "phone", "email", "online", "wechat"]),
                contact_name=rng.choice(["张先生", "李女士", "王经理", "赵主任"]),
                severity=rng.choice(["normal", "normal", "normal", "serious", "major"]),
            )
            if index in (4, 5):  # judged not valid 投诉不成立
                services.transition_complaint(
                    complaint, "KSJL", actor=actors["recorder"], inputs=STEPS[0][2](subject)
                )
                frozen.advance(minutes=30)
                services.transition_complaint(
                    complaint,
                    "KSBC",
                    actor=actors["recorder"],
                    inputs={"validity_reason": "经核实非我司产品问题"},
                )
                steps = 0
            for code, who, make_inputs in STEPS[:steps]:
                frozen.advance(minutes=rng.randint(3, 400))
                inputs = (
                    make_inputs(subject)
                    if make_inputs
                    else {"handling_department": _usable_department(rng.choice(departments), actors[who])}
                )
                services.transition_complaint(complaint, code, actor=actors[who], inputs=inputs)
                if code == "KSCZ" and subject[3]:
                    services.send_to_quality(complaint, actor=actors["recorder"], note="请品管跟进")
            if 1 <= steps < 7 and rng.random() < 0.5:
                services.add_follow_up(
                    complaint, actor=actors["recorder"], note="已与客户电话沟通,客户同意等待处理结果。"
                )
        made += 1
    carriers = {}
    for code, name, modes, regions in CARRIERS:
        carriers[code] = services.save_carrier(
            actor=staff["admin"].user,
            code=code,
            name=name,
            transport_modes=modes,
            service_regions=regions,
            status="active",
            contact_name="调度中心",
            phone="400-800-" + code[-3:] + "0",
            cooperation_since=(now - timedelta(days=900)).date(),
            insured=code != "CY004",
        )
        services.add_appraisal(
            carriers[code],
            actor=staff["admin"].user,
            period="2026-Q3",
            score=rng.randint(70, 98),
            on_time_rate=Decimal(rng.randint(88, 99)),
            damage_rate=Decimal("0.8"),
            grade=rng.choice(["A", "B"]),
        )
        services.add_training(
            carriers[code],
            actor=staff["admin"].user,
            held_on=(now - timedelta(days=60)).date(),
            topic="家具装卸与防护规范",
            participants=rng.randint(8, 30),
            result="考核合格",
        )
    offices = ctx["offices"]
    losses = ["300.00", "999.99", "1000.00", "1000.01", "4800.00", "10000.00", "10000.01", "26000.00"]
    for index in range(16):
        office = offices[rng.choice(["4002", "4003", "5001", "6001"])]
        actor = staff["manager"].user
        occurred = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 500))
        if index < 2:
            occurred = now - timedelta(minutes=10 + index * 30)  # one still inside the 30 minutes, one late
        with clock.frozen(occurred) as frozen:
            accident = services.create_accident(
                actor=actor,
                kind=rng.choice(["delay", "damage", "loss"]),
                occurred_at=occurred,
                place=rng.choice(["北京朝阳仓", "天津港", "上海浦东中转站", "广州白云配送中心"]),
                description="运输途中货物受损,客户拒签部分货物。",
                sales_office=office,
                estimated_loss=Decimal(losses[index % len(losses)]),
                carrier=rng.choice(list(carriers.values())),
                shipment=f"3000{rng.randint(1000, 9999)}",
                is_insured=rng.random() < 0.6,
            )
            if index >= 2:
                frozen.advance(minutes=rng.randint(5, 40))
                services.transition_accident(
                    accident, "SGBG", actor=actor, inputs={"initial_measures": "现场拍照,隔离受损货物"}
                )
            if index >= 6:
                frozen.advance(hours=3)
                services.transition_accident(
                    accident,
                    "SGCL",
                    actor=actor,
                    inputs={
                        "handling_method": rng.choice(["compensation", "insurance", "third_party_claim"]),
                        "responsibility": rng.choice(["third_party", "internal"]),
                    },
                )
                services.add_accident_action(
                    accident,
                    actor=actor,
                    method="third_party_claim",
                    amount_claimed=accident.estimated_loss,
                    amount_recovered=(accident.estimated_loss * Decimal("0.6")).quantize(Decimal("0.01")),
                    counterparty=accident.carrier.name,
                )
            if index >= 10:
                frozen.advance(days=3)
                services.transition_accident(
                    accident,
                    "SGJA",
                    actor=staff["manager"].user,
                    inputs={
                        "final_loss": accident.estimated_loss,
                        "closing_note": "已按合同赔付并向承运商追偿",
                    },
                )
    services.escalate_late()
    if ctx.get("stdout"):
        ctx["stdout"].write(f"    {made} complaints, 16 accidents, {len(carriers)} carriers")
