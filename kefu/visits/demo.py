"""A year of return visits and receptions, made through the real services on a moved clock."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kefu.visits import services
from kefu.visits.choices import VisitStatus
from kefu.visits.models import Visit
from kefu.worktime import clock

ORDER = 60
SH = ZoneInfo("Asia/Shanghai")
SUMMARIES = [
    "客户对近期送货和安装服务满意,表示明年继续合作。",
    "客户反映部分办公椅气杆下沉,希望尽快上门检修。",
    "客户询问新款会议桌价格,已转销售跟进。",
    "客户对服务响应速度提出意见,希望缩短上门时间。",
    "客户整体满意,提出增加年度保养服务的需求。",
    "联系人变更为行政部王主任,已更新客户资料卡。",
]
PROBLEMS = [("notification", "办公椅气杆下沉,需上门检修"), ("complaint", "送货比约定晚了两天")]
PURPOSES = ["inspect", "negotiate", "goods", "complaint", "personal"]


def _months_back(today: date, n: int) -> date:
    y, m = today.year, today.month - n
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1)


def load(ctx: dict) -> None:
    from kefu.customers.models import Customer

    rng = ctx["rng"]
    staff = ctx["staff"]
    relation = staff["relation"].user
    now = clock.now()
    today = now.astimezone(SH).date()
    made = recorded = 0
    for back in range(11, -1, -1):
        month = _months_back(today, back)
        with clock.frozen(datetime.combine(month, time(8, 0), tzinfo=SH)):
            made += services.generate_visits(month).created
    due = list(
        Visit.objects.filter(status=VisitStatus.PLANNED, due_at__lt=now - timedelta(days=2))
        .select_related("customer", "owner", "owner__user")
        .order_by("due_at", "pk")
    )
    for visit in due:
        roll = rng.random()
        if roll < 0.06:
            with clock.frozen(visit.due_at):
                services.cancel_visit(
                    visit, actor=relation, expected_version=visit.version, note="客户停业装修,本期不回访"
                )
            continue
        if roll > 0.9:
            continue  # left overdue: the report shows them
        actor = (
            visit.owner.user if visit.owner and visit.owner.user.has_perm("visits.change_visit") else relation
        )
        at = visit.due_at - timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 5))
        follow_ups = []
        if rng.random() < 0.04 and actor.has_perm("tickets.add_notification"):
            kind, text = rng.choice(PROBLEMS)
            if kind == "notification" or actor.has_perm("complaints.add_complaint"):
                follow_ups.append({"kind": kind, "description": text, "owner": visit.customer.responsible})
        with clock.frozen(at + timedelta(hours=1)):
            try:
                services.record_visit(
                    visit,
                    actor=actor,
                    expected_version=visit.version,
                    performed_at=at,
                    contact_person=rng.choice(["张经理", "李主任", "王总", "赵女士"]),
                    summary=rng.choice(SUMMARIES),
                    satisfaction=rng.choice([3, 4, 4, 5, 5, 5, 2]),
                    card={"volume_outlook": rng.choice(["持平", "增长10%", "增长20%", "下降"])},
                    follow_ups=follow_ups,
                )
            except Exception:  # a follow-up the visitor may not create: record the visit without it
                services.record_visit(
                    visit, actor=actor, expected_version=visit.version, performed_at=at, summary=SUMMARIES[0]
                )
        recorded += 1
    receptions = 0
    offices = {}
    for customer in Customer.objects.select_related("sales_office").order_by("pk"):
        offices.setdefault(customer.sales_office.code, []).append(customer)
    for code, customers in sorted(offices.items()):
        for i in range(3):
            customer = rng.choice(customers)
            started = now - timedelta(days=rng.randint(3, 330), hours=rng.randint(0, 6))
            actor = staff.get("keyaccount").user if code == "4002" and "keyaccount" in staff else relation
            with clock.frozen(started + timedelta(hours=3)):
                reception = services.create_reception(
                    actor=actor,
                    customer=customer,
                    purpose=rng.choice(PURPOSES),
                    started_at=started,
                    ended_at=started + timedelta(hours=2),
                    visitors=rng.choice(["张总、采购部李经理", "王主任一行三人", "赵经理"]),
                    attendees="客户关系主管、销售代表",
                    conversation="客户来访考察生产线并讨论明年办公家具采购计划。",
                    answers="已介绍公司服务体系与保养方案。",
                    contacts_confirmed=True,
                    cost=rng.choice([0, 150, 300, 800]),
                    questions=[
                        {"question": "能否提供新款样品?", "deadline": (started + timedelta(days=7)).date()}
                    ],
                )
                if i > 0:
                    services.transition_reception(reception, "JDTJ", actor=actor)
                if i > 1 or (i == 1 and code != "4002"):
                    services.transition_reception(reception, "JDSH", actor=relation)
                    question = reception.questions.first()
                    services.answer_question(question, actor=relation, answer="已寄送样品")
            receptions += 1
    ctx["stdout"].write(f"    {made} visits planned, {recorded} recorded, {receptions} receptions")
