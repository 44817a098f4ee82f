"""Value benchmarks (h-value): the sales-value feed → value, pyramid tiers, key customers and
warnings over every customer, and the key-customers-first worklists at that scale.

    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --customers 1000000 \
        --sales-months 12 --complaints 200000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_value

Prints one JSON line per case; never asserts on time. The recompute cases run once each, in the
order the nightly task runs them (the first run writes every row, the second only the movers).
"""

from __future__ import annotations

from tests.bench.common import client_for, database_label, measure, measure_page, setup_django


def main() -> None:
    setup_django()
    from django.core.management import call_command

    from kefu.complaints.models import Complaint
    from kefu.customers import services
    from kefu.customers.models import Customer, CustomerWarning, MonthlySales

    call_command("collectstatic", interactive=False, verbosity=0)  # pages need the static manifest
    extra = {
        "customers": Customer.objects.count(),
        "monthly_sales": MonthlySales.objects.count(),
        "complaints": Complaint.objects.count(),
        "db": database_label(),
    }
    once = {"reps": 1, "warmup": 0}
    measure(
        "values from the sales feed, 12-month window (first run)", services.recompute_values, **once, **extra
    )
    measure("values again (nothing changed: no row written)", services.recompute_values, **once, **extra)
    measure("pyramid tiers 1/19/30/50 % (first run)", services.recompute_pyramid, **once, **extra)
    measure(
        "key customers: tiers + 2,000-yuan rule, open complaints and visits follow",
        services.recompute_key_customers,
        **once,
        **extra,
    )
    measure("warning rules (bit mask)", services.recompute_anomalies, **once, **extra)
    measure(
        "value-drop warnings raised (bulk, first run)", services.raise_value_drop_warnings, **once, **extra
    )
    measure(
        "whole nightly chain again (few movers, no new warnings)",
        services.recompute_value_classification,
        **once,
        **extra,
    )
    extra["key_customers"] = Customer.objects.filter(is_key=True).count()
    extra["open_warnings"] = CustomerWarning.objects.filter(is_open=True).count()
    extra["open_key_complaints"] = Complaint.objects.filter(is_open=True, is_key_account=True).count()
    manager = client_for("manager")
    keyaccount = client_for("keyaccount")
    measure_page(
        "complaint worklist, key customers first (manager, company-wide)", manager, "/complaints/", **extra
    )
    measure_page("API complaint list, key customers first", manager, "/api/v1/complaints/?limit=50", **extra)
    measure_page("my visits due, key customers first", keyaccount, "/visits/", **extra)
    measure_page("customer warnings page (open warnings to act on)", manager, "/customers/warnings/", **extra)
    measure_page("API open warnings", manager, "/api/v1/customers/warnings?limit=50", **extra)


if __name__ == "__main__":
    main()
