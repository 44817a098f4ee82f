"""`manage.py generate --notifications N`: N notifications with items, long text and timeline
events in every status, for benchmarks (bulk inserts in batches, deterministic)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

ORDER = 40
WORDS = [
    "活动柜",
    "抽屉锁",
    "气压棒",
    "五星脚",
    "桌面板",
    "文件柜门",
    "滑轨",
    "沙发面料",
    "屏风",
    "铰链",
    "锁芯",
    "书架隔板",
]
FAULTS = ["损坏", "松动", "划伤", "卡顿", "异响", "断裂", "开线", "打不开", "缺件", "变形"]


def add_arguments(parser) -> None:
    parser.add_argument(
        "--notifications", type=int, default=0, help="How many service notifications to make."
    )


@contextmanager
def _keep_given_times(*models):
    """bulk_create would stamp every row with now(); generated history needs its own times."""
    fields = [f for m in models for f in m._meta.fields if getattr(f, "auto_now_add", False)]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def run(options, ctx) -> int:
    total = options.get("notifications") or 0
    if not total:
        return 0
    from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode
    from kefu.core.models import NumberRange
    from kefu.core.search import index_documents
    from kefu.customers.models import Customer
    from kefu.org.models import Staff, WorkCentre
    from kefu.tickets.models import Item, Notification, NotificationType
    from kefu.tickets.queries import SEARCH_INDEX
    from kefu.timeline.models import TimelineEvent
    from kefu.workflow.models import Status

    rng = ctx["rng"]
    batch = ctx.get("batch", 5000)
    types = list(NotificationType.objects.filter(code__in=["Z1", "Z2"]).select_related("profile"))
    statuses = {t.pk: list(Status.objects.filter(profile=t.profile)) for t in types}
    customers = list(Customer.objects.values_list("pk", "sales_office_id")[:200_000])
    if not customers:
        raise SystemExit("generate customers first (or load the demo)")
    centres: dict[int, list] = {}
    for wc in WorkCentre.objects.select_related("sales_office"):
        centres.setdefault(wc.sales_office_id, []).append(wc)
    techs: dict[int, list[int]] = {}
    for staff in Staff.objects.filter(
        user__groups__role__code__in=["technician", "complaint_specialist"]
    ).prefetch_related("sales_offices"):
        for office in staff.sales_offices.all():
            techs.setdefault(office.pk, []).append(staff.pk)
    any_wc = next(iter(centres.values()))[0]
    ptypes = list(ProductType.objects.values_list("pk", flat=True))
    colours = list(ColourCode.objects.values_list("pk", flat=True))
    materials = list(Material.objects.values_list("pk", flat=True))
    reasons = list(ReasonCode.objects.values_list("pk", flat=True))
    ct = ContentType.objects.get_for_model(Notification)
    from kefu.org.models import BusinessArea, DistributionChannel, Division, SalesOffice

    offices = {o.pk: o for o in SalesOffice.objects.all()}
    channel = DistributionChannel.objects.order_by("code").first()
    division = Division.objects.filter(code="02").first() or Division.objects.first()
    area = BusinessArea.objects.filter(code="1002").first()
    now = timezone.now()
    starts = {}
    for t in types:
        rng_row = NumberRange.objects.filter(code=t.number_range).first()
        starts[t.pk] = max(rng_row.next_value if rng_row else t.number_start, t.number_start) + 10_000_000
    made = 0
    with _keep_given_times(Notification, Item):
        while made < total:
            size = min(batch, total - made)
            rows = []
            for _i in range(size):
                ntype = types[0] if rng.random() < 0.7 else types[1]
                status = rng.choice(statuses[ntype.pk])
                customer_id, office_id = rng.choice(customers)
                office = offices[office_id]
                wc = rng.choice(centres.get(office_id) or [any_wc])
                created = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 720))
                start = created.date() + dt.timedelta(days=rng.randint(0, 5))
                word, fault = rng.choice(WORDS), rng.choice(FAULTS)
                number = starts[ntype.pk]
                starts[ntype.pk] += 1
                rows.append(
                    Notification(
                        number=str(number),
                        type=ntype,
                        description=f"{word}{fault}",
                        long_text=f"[{created:%Y-%m-%d %H:%M}]\n客户反映{word}{fault},需上门处理。",
                        status=status,
                        stage=status.stage,
                        customer_id=customer_id,
                        sold_to_id=customer_id,
                        reference_document=str(30000000 + rng.randint(0, 9_999_999)),
                        required_start=start,
                        required_end=start + dt.timedelta(days=rng.randint(1, 14)),
                        work_centre=wc,
                        responsible_id=rng.choice(techs.get(office_id) or [None]),
                        sales_organization_id=office.sales_organization_id,
                        distribution_channel=channel,
                        division=division,
                        sales_office=office,
                        business_area=area,
                        object_address="",
                        contact_phone="13800000000",
                        priority=rng.choice("1233334"),
                        urgent=rng.random() < 0.02,
                        payment_status="paid" if ntype.code == "Z1" else "unpaid",
                        created_at=created,
                        updated_at=created,
                        completed_at=created + dt.timedelta(days=3) if status.stage == "completed" else None,
                    )
                )
            with transaction.atomic():
                Notification.objects.bulk_create(rows, batch_size=1000)
                if rows[0].pk is None:  # databases without RETURNING: read the ids back
                    ids = dict(
                        Notification.objects.filter(number__in=[r.number for r in rows]).values_list(
                            "number", "pk"
                        )
                    )
                    for r in rows:
                        r.pk = r.id = ids[r.number]
                Item.objects.bulk_create(
                    [
                        Item(
                            notification_id=r.pk,
                            position=1,
                            product_type_id=rng.choice(ptypes),
                            colour_id=rng.choice(colours),
                            material_id=rng.choice(materials),
                            quantity=Decimal(1),
                            reason_id=rng.choice(reasons),
                            created_at=r.created_at,
                            updated_at=r.created_at,
                        )
                        for r in rows
                    ],
                    batch_size=2000,
                )
                events = []
                for r in rows:
                    events.append(
                        TimelineEvent(
                            content_type=ct,
                            object_id=r.pk,
                            event_type="ticket.created",
                            occurred_at=r.created_at,
                            data={"number": r.number},
                        )
                    )
                    if r.status.code != "TZJL":
                        events.append(
                            TimelineEvent(
                                content_type=ct,
                                object_id=r.pk,
                                event_type="workflow.transition",
                                occurred_at=r.created_at + dt.timedelta(hours=4),
                                data={"from": "TZJL", "to": r.status.code},
                            )
                        )
                TimelineEvent.objects.bulk_create(events, batch_size=2000)
                index_documents(SEARCH_INDEX, [(r.pk, [r.description, r.long_text]) for r in rows])
            made += size
            if ctx.get("stdout") and made % (batch * 20) == 0:
                ctx["stdout"].write(f"    notifications: {made}")
    for t in types:  # keep the number ranges ahead of what was generated
        NumberRange.objects.filter(code=t.number_range).update(next_value=starts[t.pk])
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, so the planner picks the worklist indexes
        cursor.execute("ANALYZE")
    return made
