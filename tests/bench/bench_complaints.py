"""Complaint desk benchmarks: worklist, filters, detail, API list, escalation sweep, exception summary.

    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --complaints 200000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_complaints

Prints one JSON line per case (median of repeated in-process runs); never asserts on time.
"""

from __future__ import annotations

from tests.bench.common import client_for, database_label, measure, setup_django


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
    measure(
        "complaint worklist (manager, company-wide, open, key accounts first)",
        lambda: manager.get("/complaints/"),
        **extra,
    )
    measure("complaint worklist (specialist, two centres)", lambda: specialist.get("/complaints/"), **extra)
    measure("complaint worklist page 20", lambda: manager.get("/complaints/?page=20"), **extra)
    measure("complaint worklist overdue only", lambda: manager.get("/complaints/?overdue=true"), **extra)
    measure(
        "complaint search by customer name",
        lambda: manager.get("/complaints/?q=%E5%85%AC%E5%8F%B8&open=all"),
        **extra,
    )
    measure(
        "complaint list filtered by material",
        lambda: manager.get("/complaints/?material=100100&open=all"),
        **extra,
    )
    measure("complaint detail", lambda: manager.get(f"/complaints/{some}/"), **extra)
    measure("API complaint list", lambda: manager.get("/api/v1/complaints/?limit=50"), **extra)
    measure("escalation sweep (nothing new due)", escalate_late, reps=5, **extra)
    measure("exception summary (this month)", lambda: manager.get("/complaints/summary/"), reps=5, **extra)
    measure(
        "quality feedback (recurring materials, 12 months)",
        lambda: manager.get("/complaints/quality/"),
        reps=5,
        **extra,
    )


if __name__ == "__main__":
    main()
