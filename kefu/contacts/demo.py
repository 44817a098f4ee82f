"""Demo call centre: a PBX source, policies, a month of calls through the real webhook path, a few
handovers and an outbound list of return visits."""

from __future__ import annotations

from datetime import time, timedelta

from kefu.contacts import services
from kefu.contacts.models import ContactPolicy, CtiSource
from kefu.worktime import clock

ORDER = 60
DEMO_SECRET = "demo-cti-secret"
SUBJECTS = ["咨询送货时间", "活动柜锁坏报修", "发票开具", "安装预约", "投诉送货晚点", "查询维修进度"]


def load(ctx: dict) -> None:
    from kefu.customers.models import Customer

    rng = ctx["rng"]
    staff = ctx["staff"]
    ContactPolicy.objects.get_or_create(channel="", defaults={"answer_minutes": 60, "repeat_days": 7})
    ContactPolicy.objects.get_or_create(channel="mail", defaults={"answer_minutes": 240, "repeat_days": 7})
    source, _ = CtiSource.objects.get_or_create(
        key="demo-pbx", defaults={"name": "演示呼叫中心 (FreeSWITCH)", "secret": DEMO_SECRET}
    )
    customers = list(Customer.objects.filter(sales_office__code__in=["4002", "4003"]).exclude(phone="")[:60])
    if not customers:
        return
    agents = [s for s in (staff.get("assistant"), staff.get("keyaccount"), staff.get("complaints")) if s]
    now = clock.now()
    for index in range(120):  # a month of calls, a few a day
        customer = rng.choice(customers)
        agent = rng.choice(agents)
        start = now - timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        start = start.replace(hour=rng.randint(9, 17))
        number = customer.phone if rng.random() < 0.8 else "13700000000"
        call_id = f"demo-{index}"
        answered = rng.random() < 0.85
        events = [("ring", start)]
        if answered:
            events.append(("answer", start + timedelta(seconds=rng.randint(3, 20))))
        events.append(("hangup", start + timedelta(seconds=rng.randint(40, 600))))
        if index % 10 == 0:
            events.reverse()  # the PBX delivered out of order: still one correct call
        for n, (kind, at) in enumerate(events):
            call, _new = services.ingest_event(
                source,
                {
                    "event_id": f"{call_id}-{n}-{kind}",
                    "call_id": call_id,
                    "kind": kind,
                    "at": at.isoformat(),
                    "number": number,
                    "agent": agent.user.username,
                },
            )
        if answered and index % 3:
            with clock.frozen(call.end_at or start):
                services.wrap_up(
                    call.contact,
                    actor=agent.user,
                    classification=rng.choice(["inquiry", "service", "complaint", "order"]),
                    resolution="resolved" if index % 7 else "follow_up",
                    steps={"greeted": True, "identified": True, "understood": True},
                    subject=rng.choice(SUBJECTS),
                    note="已答复客户",
                )
    manager = staff.get("manager")
    if manager is not None:
        office = customers[0].sales_office
        services.create_call_list(
            actor=manager.user,
            name="12月回访 北京朝阳",
            purpose="return_visit",
            sales_office=office,
            customers=customers[:20],
            agents=[a.user for a in agents],
            calling_from=time(9, 0),
            calling_until=time(18, 0),
            script="您好,这里是客服中心,回访近期服务情况……",
        )
