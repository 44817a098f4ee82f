"""`manage.py generate --complaints N`: bulk complaints in every status for benchmarks (deterministic)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import transaction

ORDER = 60
PROFILE_MIX = ["KSSL", "KSJL", "KSCL", "KSBM", "KSFA", "KSPS", "KSCZ", "KSBC"] + ["KSJA"] * 12
CONTENT = ["contract", "quality", "service", "logistics"]
SUBJECTS = [
    "活动柜锁坏",
    "桌面开裂",
    "送货延误",
    "安装态度差",
    "赠品未送",
    "气杆下沉",
    "包装破损",
    "电话无人接听",
]


def add_arguments(parser) -> None:
    parser.add_argument("--complaints", type=int, default=0, help="Number of complaints to generate.")


def run(options: dict, ctx: dict) -> int:
    total = options.get("complaints") or 0
    if not total:
        return 0
    from kefu.complaints.flows import profile
    from kefu.complaints.models import COMPLAINT_PROFILE, Complaint
    from kefu.complaints.services import reindex_complaints
    from kefu.customers.models import Customer
    from kefu.org.models import Department
    from kefu.worktime import clock

    rng = ctx["rng"]
    batch_size = ctx.get("batch", 5000)
    statuses = {s.code: s for s in profile(COMPLAINT_PROFILE).statuses.all()}
    customers = list(
        Customer.objects.values_list("pk", "sales_office_id", "is_key", "number", "name")[:200_000]
    )
    departments = list(Department.objects.values_list("pk", flat=True))
    now = clock.now()
    start = Complaint.objects.count()
    made, started = 0, time.perf_counter()
    while made < total:
        rows = []
        for _ in range(min(batch_size, total - made)):
            seq = start + made + len(rows) + 1
            cust_id, office_id, key, cust_number, cust_name = rng.choice(customers)
            code = rng.choice(PROFILE_MIX)
            status = statuses[code]
            received = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            is_open = status.stage not in ("completed", "cancelled")
            deadline = received + timedelta(minutes=10 if code == "KSSL" else rng.randint(60, 4000))
            content = rng.choice(CONTENT)
            complaint = Complaint(
                number=f"KSG{seq:09d}",
                status=status,
                stage=status.stage,
                received_at=received,
                received_via="hotline",
                customer_id=cust_id,
                sales_office_id=office_id,
                subject=rng.choice(SUBJECTS),
                content_class="" if code == "KSSL" else content,
                cause_class="" if code == "KSSL" else "result",
                is_product_quality=content == "quality",
                severity=rng.choice(["normal"] * 8 + ["serious", "major"]),
                is_key_account=key,
                handling_department_id=rng.choice(departments) if departments else None,
                material_code=f"{rng.randint(100000, 100300)}" if content == "quality" else "",
                is_open=is_open,
                step_seq=1,
                step_started_at=received,
                step_deadline=deadline if is_open else None,
                step_manager_at=deadline + timedelta(minutes=60) if is_open else None,
                escalation_level=2 if is_open and deadline < now else 0,
                closed_at=deadline if not is_open else None,
                is_valid=code != "KSBC" if code != "KSSL" else None,
            )
            # the customer as the search index needs it (number and name), without a query per row
            complaint.customer = Customer(pk=cust_id, number=cust_number, name=cust_name)
            rows.append(complaint)
        with transaction.atomic():
            Complaint.objects.bulk_create(rows, batch_size=batch_size)
            reindex_complaints(rows)  # generated complaints are searchable like real ones
        made += len(rows)
        if ctx.get("stdout") and made % (batch_size * 10) == 0:
            ctx["stdout"].write(f"    complaints: {made}/{total} ({time.perf_counter() - started:.0f}s)")
    return made
