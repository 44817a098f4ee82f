"""`manage.py generate --visits N`: bulk return visits (done and planned) for benchmarks (deterministic)."""

from __future__ import annotations

import time
from datetime import timedelta

ORDER = 70


def add_arguments(parser) -> None:
    parser.add_argument("--visits", type=int, default=0, help="Number of return visits to generate.")


def run(options: dict, ctx: dict) -> int:
    total = options.get("visits") or 0
    if not total:
        return 0
    from kefu.core.bulkload import analyze
    from kefu.customers.models import Customer
    from kefu.org.models import Staff
    from kefu.visits.models import Visit
    from kefu.worktime import clock

    rng = ctx["rng"]
    batch_size = ctx.get("batch", 5000)
    customers = list(
        Customer.objects.values_list("pk", "sales_office_id", "responsible_id", "tier")[:200_000]
    )
    staff = list(Staff.objects.values_list("pk", flat=True)) or [None]
    now = clock.now()
    start = Visit.objects.count()
    made, started = 0, time.perf_counter()
    while made < total:
        rows = []
        for _ in range(min(batch_size, total - made)):
            seq = start + made + len(rows) + 1
            cust_id, office_id, responsible_id, tier = rng.choice(customers)
            due = now - timedelta(minutes=rng.randint(-30 * 24 * 60, 365 * 24 * 60))
            done = due < now - timedelta(days=3) and rng.random() < 0.9
            rows.append(
                Visit(
                    customer_id=cust_id,
                    sales_office_id=office_id,
                    owner_id=responsible_id or rng.choice(staff),
                    plan_key=f"gen:{seq}",
                    trigger="schedule",
                    method="on_site" if tier in ("key", "major") else "phone",
                    status="done" if done else "planned",
                    is_key=tier in ("key", "major"),
                    due_at=due,
                    performed_at=due - timedelta(hours=rng.randint(0, 72)) if done else None,
                    summary="客户整体满意" if done else "",
                    satisfaction=rng.choice([3, 4, 4, 5, 5]) if done else None,
                )
            )
        Visit.objects.bulk_create(rows, batch_size=batch_size)
        made += len(rows)
        if ctx.get("stdout") and made % (batch_size * 10) == 0:
            ctx["stdout"].write(f"    visits: {made}/{total} ({time.perf_counter() - started:.0f}s)")
    # Fresh statistics: PostgreSQL's planner otherwise takes a person's millions of visits for a
    # handful and sorts them all for "my visits due" (141 ms at 2.5M instead of an index walk).
    analyze(Visit._meta.db_table)
    return made
