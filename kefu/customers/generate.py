"""Scale data: `manage.py generate --customers 1000000` (bulk inserts, deterministic seed).

Generated customers skip the per-row timeline event (they are benchmark data, not history) but
get their search index entries, so search works on them like on real ones. Numbers start at
3000000000 so they never collide with real or demo numbers (21…).
"""

from __future__ import annotations

import time
from decimal import Decimal

from django.db import connection, transaction

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


def run(options: dict, ctx: dict) -> int:
    total = options.get("customers") or 0
    if not total:
        return 0
    from kefu.org.models import SalesOffice, Staff

    rng = ctx["rng"]
    batch_size = ctx.get("batch", 5000)
    offices = list(SalesOffice.objects.order_by("code"))
    staff_by_office = {
        o.pk: list(Staff.objects.filter(sales_offices=o).values_list("pk", flat=True)) for o in offices
    }
    last = (
        Customer.objects.filter(number__gte=str(FIRST_NUMBER))
        .order_by("-number")
        .values_list("number", flat=True)
    )
    start = int(last[0]) + 1 if last else FIRST_NUMBER
    made = 0
    started = time.perf_counter()
    while made < total:
        size = min(batch_size, total - made)
        rows = []
        for i in range(size):
            office = offices[rng.randrange(len(offices))]
            city = CITY_BY_PREFIX.get(office.code[:2], "深圳市")
            individual = rng.random() < 0.15
            if individual:
                name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
            else:
                name = f"{city[:2]}{rng.choice(PARTS_A)}{rng.choice(PARTS_A)}{rng.choice(PARTS_B)}有限公司"
            value = Decimal(int(rng.lognormvariate(10, 1.5)))
            people = staff_by_office.get(office.pk) or [None]
            rows.append(
                Customer(
                    number=str(start + made + i),
                    name=name,
                    nature="individual" if individual else "organisation",
                    mobile=f"1{rng.choice('38')}{rng.randrange(10**9):09d}",
                    phone=""
                    if individual
                    else f"0{rng.randrange(10, 999)}-{rng.randrange(2 * 10**7, 9 * 10**7)}",
                    address=f"{city}{rng.choice(PARTS_A)}{rng.choice(PARTS_A)}路{rng.randrange(1, 500)}号",
                    region=city,
                    sales_office_id=office.pk,
                    responsible_id=rng.choice(people),
                    channel=rng.choice(CHANNELS),
                    relation=rng.choice(RELATIONS),
                    value_amount=value,
                    value_previous=value * Decimal(rng.choice(["0.5", "0.9", "1", "1.1", "1.2"])),
                    volume=value * 3,
                    satisfaction=rng.randrange(50, 101),
                    loyalty=rng.randrange(30, 101),
                )
            )
        with transaction.atomic():
            Customer.objects.bulk_create(rows, batch_size=1000)
            search.index_documents(
                "customers",
                [(c.pk, [c.number, c.name, c.phone, c.mobile, initials(c.name)]) for c in rows],
            )
        made += size
        if made % 100_000 < size:
            ctx["stdout"].write(f"    customers: {made}/{total} ({time.perf_counter() - started:.0f}s)")
    # Fresh planner statistics: without them PostgreSQL misjudges the filters after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
    return made
