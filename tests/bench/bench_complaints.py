"""Complaint desk benchmarks: worklist, filters, detail, API list, escalation sweep, exception summary.

    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --complaints 200000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_complaints

Prints one JSON line per case (median of repeated in-process runs); never asserts on time.
"""

from __future__ import annotations

from tests.bench.common import client_for, database_label, measure, measure_export, measure_page, setup_django


def main() -> None:
    setup_django()
    from kefu.complaints.models import Complaint
    from kefu.complaints.services import escalate_late

    total = Complaint.objects.count()
    extra = {"complaints": total, "db": database_label()}
    manager = client_for("manager")
    specialist = client_for("complaints")
    some = (
        Complaint.objects.filter(number__startswith="KS").order_by("-id").values_list("pk", flat=True).first()
    )
    measure_page(
        "complaint worklist (manager, company-wide, open, key accounts first)",
        manager,
        "/complaints/",
        **extra,
    )
    measure_page("complaint worklist (specialist, two centres)", specialist, "/complaints/", **extra)
    measure_page("complaint worklist page 20", manager, "/complaints/?page=20", **extra)
    measure_page("complaint worklist overdue only", manager, "/complaints/?overdue=true", **extra)
    measure_page(
        "complaint search by customer name",
        manager,
        "/complaints/?q=%E5%85%AC%E5%8F%B8&open=all",
        **extra,
    )
    measure_page(
        "complaint list filtered by material",
        manager,
        "/complaints/?material=100100&open=all",
        **extra,
    )
    measure_page("complaint detail", manager, f"/complaints/{some}/", **extra)
    measure_page("API complaint list", manager, "/api/v1/complaints/?limit=50", **extra)
    measure_export("xlsx export: open complaints", manager, "/complaints/export.xlsx", reps=3, **extra)
    measure("escalation sweep (nothing new due)", escalate_late, reps=5, **extra)
    measure_page("exception summary (this month)", manager, "/complaints/summary/", reps=5, **extra)
    measure_page(
        "quality feedback (recurring materials, 12 months)",
        manager,
        "/complaints/quality/",
        reps=5,
        **extra,
    )


if __name__ == "__main__":
    main()
