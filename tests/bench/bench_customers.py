"""Customer archive benchmark: list page with one filter, name and phone fragment search, pyramid
recompute and a 100,000-row import, at 1,000,000 customers. Prints JSON lines; never asserts.

Run (SQLite):
    KEFU_VAR_DIR=/tmp/kefu-bench .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/kefu-bench .venv/bin/python manage.py generate --customers 1000000
    KEFU_VAR_DIR=/tmp/kefu-bench .venv/bin/python -m tests.bench.bench_customers
PostgreSQL: the same with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>.
`--import-rows N` (default 100000, 0 to skip) sizes the import case. The pyramid is measured as the
nightly job meets it (values unchanged; 1 % of customers with new values); `--from-scratch` adds
the first classification of a freshly loaded archive (every customer changes tier: slow, see README).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
import time
from urllib.parse import quote

from tests.bench.common import REPS, client_for, database_label, measure_export, measure_page, setup_django


def _once(name: str, func, **extra) -> dict:
    started = time.perf_counter()
    result = func()
    row = {"case": name, "median_ms": round((time.perf_counter() - started) * 1000, 1), "reps": 1, **extra}
    if isinstance(result, dict):
        row["result"] = {str(k): v for k, v in result.items()}
    print(json.dumps(row, ensure_ascii=False, default=str), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=REPS)
    parser.add_argument("--from-scratch", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # pages need the static manifest
    from django.db import connection
    from django.db.models import F

    from kefu.customers import services
    from kefu.customers.importing import run_import
    from kefu.customers.models import Customer

    with connection.cursor() as cursor:  # planner statistics as autovacuum would have them
        cursor.execute("ANALYZE customers_customer")
    total = Customer.objects.count()
    db = database_label()
    # A customer from the middle of the archive (not one a previous run's import just added).
    sample = (
        Customer.objects.filter(nature="organisation", id__lte=total // 2)
        .order_by("-id")
        .values("name", "mobile")
        .first()
    )
    name_fragment = sample["name"][2:5]  # e.g. 鑫源科 — three characters from the middle
    short_fragment = sample["name"][2:4]
    phone_fragment = sample["mobile"][-6:]
    assistant = client_for("assistant")  # a centre-scoped, masked role
    manager = client_for("manager")  # company-wide
    common = {"db": db, "customers": total}
    measure_page(
        "list first page, one filter (assistant, channel)",
        assistant,
        "/customers/?channel=dealer",
        reps=args.reps,
        **common,
    )
    measure_page(
        "list first page, one filter (manager, grade)",
        manager,
        "/customers/?tier=small",
        reps=args.reps,
        **common,
    )
    measure_page(
        f"name fragment search {name_fragment}",
        manager,
        f"/customers/?q={quote(name_fragment)}",
        reps=args.reps,
        **common,
    )
    measure_page(
        f"2-character name search {short_fragment}",
        manager,
        f"/customers/?q={quote(short_fragment)}",
        reps=args.reps,
        **common,
    )
    measure_page(
        f"phone fragment search {phone_fragment}",
        manager,
        f"/customers/?q={quote(phone_fragment)}",
        reps=args.reps,
        **common,
    )
    measure_page(
        "API list, one filter",
        manager,
        "/api/v1/customers/?channel=online",
        reps=args.reps,
        **common,
    )

    measure_export(
        "xlsx export, one filter (manager, channel)",
        manager,
        "/customers/export.xlsx?channel=online",
        reps=3,
        **common,
    )

    def recompute() -> dict:
        return services.recompute_pyramid(actor=None)

    if args.from_scratch:
        Customer.objects.exclude(tier="").update(tier="")
        _once("pyramid first classification (every customer changes tier)", recompute, **common)
    recompute()  # the tiers as last night left them
    _once("pyramid nightly recompute, values unchanged", recompute, **common)
    movers = Customer.objects.annotate(m=F("id") % 100).filter(m=0)  # every 100th customer: 1 %
    movers.update(value_amount=F("value_amount") * 3 + 1000)
    _once("pyramid nightly recompute, 1 % of customers with new values", recompute, **common)
    _once(
        "grade recompute (all customers)", lambda: {"rows": services.recompute_grades(actor=None)}, **common
    )
    _once(
        "warning recompute (all customers)",
        lambda: {"flagged": services.recompute_anomalies(actor=None)},
        **common,
    )
    if args.import_rows:
        with tempfile.NamedTemporaryFile(
            "w", suffix=".csv", delete=False, encoding="gbk", newline=""
        ) as handle:
            writer = csv.writer(handle)
            writer.writerow(["客户名称", "责任中心", "手机", "地址", "渠道"])
            for i in range(args.import_rows):
                writer.writerow(
                    [f"导入测试{i}有限公司", "4002", f"139{i:08d}", f"北京市朝阳区导入路{i}号", "终端客户"]
                )
        try:
            _once(
                f"import {args.import_rows} rows (.csv GBK, valid_only)",
                lambda: (
                    vars(
                        run_import(
                            actor=None,
                            kind="customers",
                            path=handle.name,
                            filename="x.csv",
                            mode="valid_only",
                        )
                    )
                    | {"errors": [], "invalid_rows": []}
                ),
                **common,
            )
        finally:
            os.unlink(handle.name)


if __name__ == "__main__":
    main()
