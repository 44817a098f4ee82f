"""Service notification benchmarks (server time through the Django test client, median ms).

Make the data first, then run, e.g. on SQLite:
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --notifications 1000000 --batch 10000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_notifications
(or the same with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>). Prints JSON lines.
"""

from __future__ import annotations

import itertools
import json

from tests.bench.common import (
    client_for,
    database_label,
    measure_create,
    measure_export,
    measure_page,
    setup_django,
)


def main() -> None:
    setup_django()
    from kefu.tickets.models import Notification

    total = Notification.objects.count()
    meta = {"db": database_label(), "notifications": total}
    print(json.dumps({"bench": "notifications", **meta}))
    manager = client_for("manager")
    assistant = client_for("assistant")
    measure_page(
        "worklist: outstanding Z1 of S4002, newest first (assistant of 4002)",
        assistant,
        "/notifications/?type=Z1&stage=outstanding&work_centre=S4002",
        **meta,
    )
    measure_page(
        "worklist: outstanding Z1 of S4002 (manager, company-wide)",
        manager,
        "/notifications/?type=Z1&stage=outstanding&work_centre=S4002",
        **meta,
    )
    measure_page(
        "worklist: keyword 抽屉锁 (description or long text)",
        manager,
        "/notifications/?q=抽屉锁",
        **meta,
    )
    measure_page("worklist: keyword 锁芯打不开", assistant, "/notifications/?q=锁芯打不开", **meta)
    measure_page(
        "API list: outstanding Z1 of S4002",
        manager,
        "/api/v1/notifications/?type=Z1&stage=outstanding&work_centre=S4002",
        **meta,
    )
    latest = (
        Notification.objects.filter(work_centre__code="S4002")
        .order_by("-id")
        .values_list("pk", flat=True)[:20]
    )
    measure_page("notification page", assistant, f"/notifications/{latest[0]}/", **meta)
    measure_export(
        "xlsx export: outstanding Z1 of S4002",
        manager,
        "/notifications/export/?type=Z1&stage=outstanding&work_centre=S4002",
        **meta,
    )
    form = {
        "customer": "2110050007",
        "long_text": "活动柜被反锁,抽屉打不开。",
        "priority": "3",
        "payment_status": "paid",
        "reference_document": "30000075",
        "reporter": "陈静",
    }
    numbers = itertools.count(1)
    payload = {
        "customer": "2110050007",
        "description": "活动柜锁",
        "long_text": "活动柜被反锁,抽屉打不开。",
        "payment_status": "paid",
        "items": [{"product_type": "06", "colour": "A", "material": "100056", "quantity": 1, "reason": "1"}],
    }
    measure_create(
        "create notification (staff form)",
        lambda: assistant.post("/notifications/new/", {**form, "description": "活动柜锁"}),
        **meta,
    )
    measure_create(
        "create notification (API)",
        lambda: assistant.post(
            "/api/v1/notifications/",
            payload,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"bench-{next(numbers)}-{total}",
        ),
        **meta,
    )
    ids = list(
        Notification.objects.filter(work_centre__code="S4002", stage="outstanding")
        .order_by("-created_at")
        .values_list("pk", flat=True)[:200]
    )
    query = "&".join(f"id={pk}" for pk in ids)
    measure_page(
        f"work plan of {len(ids)} notifications",
        assistant,
        f"/notifications/work-plan/?{query}",
        **meta,
    )


if __name__ == "__main__":
    main()
