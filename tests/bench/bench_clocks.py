"""Service clock benchmarks: the worklist's "late" and "due today" selections and "time left" order
(index ranges of the running clocks), the API list, and the escalation sweep with nothing new to do.

Make the data first, then run, e.g. on SQLite:
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --notifications 100000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py recompute_service_clocks
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_clocks
(or the same with DATABASE_URL=postgres://…). Prints JSON lines.
"""

from __future__ import annotations

import json

from tests.bench.common import client_for, database_label, measure, measure_page, setup_django


def main() -> None:
    setup_django()
    from kefu.tickets.models import Notification
    from kefu.tickets.services import escalate_late_clocks
    from kefu.worktime import clock

    now = clock.now()
    running = Notification.objects.filter(clock_due__isnull=False)
    meta = {
        "db": database_label(),
        "notifications": Notification.objects.count(),
        "running_clocks": running.count(),
        "late": running.filter(clock_due__lte=now).count(),
    }
    print(json.dumps({"bench": "clocks", **meta}))
    manager, assistant, technician = client_for("manager"), client_for("assistant"), client_for("wangmin")
    measure_page(
        "worklist: late, most overdue first (manager, company-wide)",
        manager,
        "/notifications/?clock=late",
        **meta,
    )
    measure_page("worklist: late (assistant of 4002)", assistant, "/notifications/?clock=late", **meta)
    measure_page(
        "worklist: late of work centre S4002 (manager)",
        manager,
        "/notifications/?clock=late&work_centre=S4002",
        **meta,
    )
    measure_page(
        "worklist: late, own work (technician 202)", technician, "/notifications/?clock=late", **meta
    )
    measure_page("worklist: due today (manager)", manager, "/notifications/?clock=today", **meta)
    measure_page("worklist: by time left (assistant)", assistant, "/notifications/?sort=due", **meta)
    measure_page(
        "worklist: default order with the clock column (assistant)", assistant, "/notifications/", **meta
    )
    measure_page("API list: late (manager)", manager, "/api/v1/notifications?clock=late", **meta)
    escalate_late_clocks()  # the first run escalates what is late; what is measured is the steady state
    measure("escalation sweep, nothing new to escalate", escalate_late_clocks, reps=5, **meta)


if __name__ == "__main__":
    main()
