"""Scale data: `manage.py generate --customers 1000000` (bulk inserts, deterministic seed).

Each customer is shaped like what `services.create_customer` writes: the row, its "created"
timeline event and its search index document (number, name, phones), so search, history and
pages work on them like on real ones. Rows go in with `kefu.core.bulkload` (driver executemany
on SQLite, COPY on PostgreSQL) in large batches. Numbers start at
3000000000 so they never collide with real or demo numbers (21…).
"""

from __future__ import annotations

import json
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kefu.core import search
from kefu.core.pinyin import initials
from kefu.customers.models import Customer

ORDER = 20
FIRST_NUMBER = 3_000_000_000

CITY_BY_PREFIX = {"40": "北京市", "50": "上海市", "60": "广州市"}
PARTS_A = list("华盛鑫源泰丰恒达明宏嘉瑞诚信安博远通鼎佳联创新宇辉金海天德润永兴隆昌福康")
PARTS_B = ["科技", "贸易", "物流", "家居", "餐饮", "酒店", "教育", "医疗", "建筑", "食品", "电子", "服饰"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超华建志海燕")
CHANNELS = ["dealer", "out_of_town", "end_user", "online"]
RELATIONS = ["transactional", "contract", "alliance"]


def add_arguments(parser) -> None:
    parser.add_argument("--customers", type=int, default=0, help="How many customers to generate.")
    parser.add_argument(
        "--sales-months",
        type=int,
        default=0,
        help="Months of sales 销售额 (the sales-value feed) per generated customer, ending last month.",
    )


def run(options: dict, ctx: dict) -> int:
    total = options.get("customers") or 0
    if not total:
        return 0
    from django.contrib.contenttypes.models import ContentType

    from kefu.core.bulkload import (
        Laps,
        Table,
        analyze,
        deferred_indexes,
        next_ids,
        reset_sequences,
        stamp,
        write,
    )
    from kefu.customers import events
    from kefu.customers.queries import SEARCH_INDEX
    from kefu.org.models import SalesOffice, Staff
    from kefu.timeline.models import TimelineEvent

    rng = ctx["rng"]
    random, choice, randrange = rng.random, rng.choice, rng.randrange
    batch_size = max(ctx.get("batch", 50_000), 1)
    offices = list(SalesOffice.objects.order_by("code").values_list("pk", "code"))
    staff_by_office: dict[int, list[int]] = {}
    for staff_id, office_id in Staff.objects.filter(sales_offices__isnull=False).values_list(
        "pk", "sales_offices"
    ):
        staff_by_office.setdefault(office_id, []).append(staff_id)
    last = (
        Customer.objects.filter(number__gte=str(FIRST_NUMBER))
        .order_by("-number")
        .values_list("number", flat=True)
    )
    start = int(last[0]) + 1 if last else FIRST_NUMBER
    next_id = next_ids(Customer, f"search_{SEARCH_INDEX}")
    customers = Table(
        Customer,
        [
            "id",
            "number",
            "name",
            "nature",
            "mobile",
            "phone",
            "address",
            "region",
            "sales_office",
            "responsible",
            "channel",
            "relation",
            "value_amount",
            "value_previous",
            "volume",
            "satisfaction",
            "loyalty",
            "created_at",
            "updated_at",
        ],
    )
    history = Table(TimelineEvent, ["content_type", "object_id", "event_type", "occurred_at", "data"])
    from kefu.customers.models import MonthlySales
    from kefu.customers.services import add_months, value_window

    sales_months = max(0, min(options.get("sales_months") or 0, 36))
    sales = Table(MonthlySales, ["customer", "period", "amount", "source", "updated_at"])
    last_month = value_window(timezone.localdate(), 12)["end"]
    periods = [add_months(last_month, -back).isoformat() for back in range(sales_months)]
    # Seasonality of furniture and logistics sales (high before the holidays), per month 1–12.
    season = [0.0, 0.8, 0.7, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 1.1, 1.05, 1.2, 1.4]
    content_type = ContentType.objects.get_for_model(Customer).pk
    created_event = events.CREATED.code
    now = stamp(timezone.now())
    factors = [Decimal(f) for f in ("0.5", "0.9", "1", "1.1", "1.2")]
    # Per office: its city and the people who can be responsible.
    places = [
        (pk, CITY_BY_PREFIX.get(code[:2], "深圳市"), staff_by_office.get(pk) or [None])
        for pk, code in offices
    ]
    clock = Laps()
    names_json: dict[str, str] = {}
    made = 0
    started = time.perf_counter()
    with (
        deferred_indexes(Customer, rows=total, laps=clock),
        deferred_indexes(TimelineEvent, rows=total, laps=clock),
        deferred_indexes(MonthlySales, rows=total * sales_months, laps=clock),
        search.bulk_load(SEARCH_INDEX, rows=total, laps=clock),
    ):
        while made < total:
            size = min(batch_size, total - made)
            rows, docs, history_rows, sales_rows = [], [], [], []
            for i in range(size):
                office_id, city, people = choice(places)
                individual = random() < 0.15
                if individual:
                    name = choice(SURNAMES) + "".join(choice(GIVEN) for _ in range(choice([1, 2])))
                else:
                    name = f"{city[:2]}{choice(PARTS_A)}{choice(PARTS_A)}{choice(PARTS_B)}有限公司"
                value = Decimal(int(rng.lognormvariate(10, 1.5)))
                number = str(start + made + i)
                mobile = f"1{choice('38')}{randrange(10**9):09d}"
                phone = "" if individual else f"0{randrange(10, 999)}-{randrange(2 * 10**7, 9 * 10**7)}"
                pk = next_id
                next_id += 1
                rows.append(
                    (
                        pk,
                        number,
                        name,
                        "individual" if individual else "organisation",
                        mobile,
                        phone,
                        f"{city}{choice(PARTS_A)}{choice(PARTS_A)}路{randrange(1, 500)}号",
                        city,
                        office_id,
                        choice(people),
                        choice(CHANNELS),
                        choice(RELATIONS),
                        str(value),
                        str(value * choice(factors)),
                        str(value * 3),
                        randrange(50, 101),
                        randrange(30, 101),
                        now,
                        now,
                    )
                )
                # what services.create_customer records and indexes (no contacts yet)
                quoted = names_json.get(name)  # json.dumps({"number": …, "name": …}), names repeat
                if quoted is None:
                    quoted = names_json[name] = json.dumps(name)
                history_rows.append(
                    (content_type, pk, created_event, now, f'{{"number": "{number}", "name": {quoted}}}')
                )
                docs.append((pk, [f for f in (number, name, phone, mobile, initials(name)) if f]))
                if periods:
                    monthly = float(value) / 120  # as in the demo: about one in twenty over 2,000 yuan
                    dropping = random() < 0.05  # the last quarter halved: value-drop warnings to find
                    for back, period in enumerate(periods):
                        amount = monthly * season[int(period[5:7])] * (0.7 + 0.6 * random())
                        if dropping and back < 3:
                            amount *= 0.5
                        sales_rows.append((pk, period, f"{amount:.2f}", "generated", now))
            clock.lap("values")
            with transaction.atomic():
                write(customers, rows)
                clock.lap("customers")
                write(history, history_rows)
                clock.lap("timeline events")
                search.append_documents(SEARCH_INDEX, docs)
                clock.lap("search index")
                if sales_rows:
                    write(sales, sales_rows)
                    clock.lap("monthly sales")
            clock.lap("commits")
            made += size
            if ctx.get("stdout") and made % 100_000 < size:
                ctx["stdout"].write(f"    customers: {made}/{total} ({time.perf_counter() - started:.0f}s)")
        clock.lap("commits")
    reset_sequences(Customer)
    # Fresh planner statistics: without them PostgreSQL misjudges the filters after a bulk load.
    analyze("customers_customer", "timeline_timelineevent", "customers_monthlysales")
    analyze(f"search_{SEARCH_INDEX}")
    clock.lap("sequences and analyze")
    if ctx.get("stdout") and ctx.get("verbosity", 1) > 1:
        ctx["stdout"].write(f"    customers, {clock.legend()} by step: {clock}")
    return made
