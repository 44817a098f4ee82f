"""Management report benchmarks (server time through the Django test client, median ms).

Make the data first (see bench_notifications), e.g. on SQLite:
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --notifications 1000000 \
        --complaints 200000 --batch 10000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_reports
Prints JSON lines: the cockpit sweep, the cockpit (company-wide and two centres) on the swept
counts, a month's scorecards, the PDF.
"""

from __future__ import annotations

import json
import time

from tests.bench.common import client_for, database_label, measure, setup_django


def _once(name: str, func, **meta) -> None:
    started = time.perf_counter()
    result = func()
    print(
        json.dumps(
            {"case": name, "seconds": round(time.perf_counter() - started, 2), "result": str(result), **meta},
            ensure_ascii=False,
        )
    )


def _ensure_staff(total: int) -> int:
    """At least `total` appraised staff (bench people spread over the centres); returns the count."""
    from django.contrib.auth import get_user_model

    from kefu.org.models import SalesOffice, Staff
    from kefu.reports.services import _appraised_staff

    have = _appraised_staff().count()
    offices = list(SalesOffice.objects.order_by("code"))
    for i in range(have, total):
        user = get_user_model().objects.create(username=f"bench-staff-{i}")
        staff = Staff.objects.create(user=user, personnel_number=f"B{i:05d}", name=f"考核{i}")
        staff.sales_offices.add(offices[i % len(offices)])
    return _appraised_staff().count()


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=0, help="Make at least this many appraised staff.")
    parser.add_argument("--only-scorecards", action="store_true")
    args = parser.parse_args()
    setup_django()
    from kefu.complaints.models import Complaint
    from kefu.reports import services
    from kefu.tickets.models import Notification

    meta = {
        "db": database_label(),
        "notifications": Notification.objects.count(),
        "complaints": Complaint.objects.count(),
    }
    if args.staff:
        meta["staff"] = _ensure_staff(args.staff)
    print(json.dumps({"bench": "reports", **meta}))
    if args.only_scorecards:
        from kefu.reports.models import Scorecard

        period = services.previous_month()
        Scorecard.objects.filter(period_start=period).delete()  # first computation, not a re-run
        _once(
            "scorecards: one month, every person and centre", lambda: services.compute_period(period), **meta
        )
        _once("scorecards: the same month again (re-run)", lambda: services.compute_period(period), **meta)
        return
    # The cockpit reads the counts its sweep keeps (every few minutes in production); generated data
    # has never been swept, and the live fallback is what the sweep exists to avoid.
    _once("cockpit sweep: rebuild the counts", services.refresh_cockpit, **meta)
    manager = client_for("manager")
    supervisor = client_for("supervisor")
    measure("cockpit: last 30 days, company-wide (manager)", lambda: manager.get("/reports/"), reps=7, **meta)
    measure(
        "cockpit: last 30 days, centres 4002+4003 (supervisor)",
        lambda: supervisor.get("/reports/"),
        reps=7,
        **meta,
    )
    measure(
        "cockpit API: last 30 days (manager)", lambda: manager.get("/api/v1/reports/cockpit"), reps=7, **meta
    )
    period = services.previous_month()
    _once("scorecards: one month, every person and centre", lambda: services.compute_period(period), **meta)
    _once(
        "supervision report PDF: one month",
        lambda: services.generate_supervision_report(period, replace=True).size,
        **meta,
    )


if __name__ == "__main__":
    main()
