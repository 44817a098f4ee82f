"""Relationship care benchmarks: month's visit generation, my visits due, customer story, results.

    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --customers 100000 --visits 500000 \
        --ratings 500000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_visits

Prints one JSON line per case (median of repeated in-process runs); never asserts on time.
"""

from __future__ import annotations

from datetime import date

from tests.bench.common import client_for, database_label, measure, setup_django


def main() -> None:
    setup_django()
    from django.core.management import call_command
    from django.db.models import Count

    from kefu.customers.models import Customer
    from kefu.surveys.models import Rating
    from kefu.visits.models import Visit
    from kefu.visits.services import generate_visits

    call_command("collectstatic", interactive=False, verbosity=0)  # pages need the static manifest
    extra = {
        "customers": Customer.objects.count(),
        "visits": Visit.objects.count(),
        "ratings": Rating.objects.count(),
        "db": database_label(),
    }
    month = date(2031, 1, 1)  # a month no demo visit exists in: the first run plans everything
    measure(
        "generate a month's visits from the rules (first run)",
        lambda: generate_visits(month),
        reps=1,
        warmup=0,
        **extra,
    )
    measure(
        "generate the same month again (idempotent, nothing new)",
        lambda: generate_visits(month),
        reps=1,
        warmup=0,
        **extra,
    )
    Visit.objects.filter(plan_key="2031-01").delete()
    keyaccount = client_for("keyaccount")
    relation = client_for("relation")
    measure("my visits due (key-account specialist)", lambda: keyaccount.get("/visits/"), **extra)
    measure("all planned visits (relationship supervisor)", lambda: relation.get("/visits/all/"), **extra)
    busiest = (
        Visit.objects.values("customer_id")
        .order_by()
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("customer_id", flat=True)
        .first()
    )
    measure(
        "customer whole story (busiest customer)",
        lambda: relation.get(f"/visits/customers/{busiest}/story/"),
        **extra,
    )
    measure(
        "survey results by factor, tier and centre (12 months)",
        lambda: relation.get("/surveys/"),
        reps=5,
        **extra,
    )
    measure("visit work report (this month)", lambda: relation.get("/visits/report/"), reps=5, **extra)


if __name__ == "__main__":
    main()
