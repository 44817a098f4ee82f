"""`make bench`: every benchmark on SQLite and PostgreSQL, one table.

    make bench                                   # BENCH_ROWS=20000: a few minutes
    BENCH_ROWS=1000000 make bench                # the full run
    BENCH_DATABASES=sqlite make bench            # one database only

Data: the demo plus BENCH_ROWS customers, BENCH_ROWS notifications and BENCH_ROWS/5 complaints
from `manage.py generate`, made once per size and kept (SQLite under var/bench-<rows>/,
PostgreSQL in the database of BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/kefu_bench,
rebuilt when it holds another size). Each benchmark module runs in its own process and prints
JSON lines (see common.py); this script collects them and prints, per case and database: the
page's median ms, the median ms of its SQL run alone, their ratio; rows/s for exports; ms for
creates and jobs. It never asserts on time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
MODULES = [
    "tests.bench.bench_notifications",
    "tests.bench.bench_customers",
    "tests.bench.bench_complaints",
    "tests.bench.bench_field",
    "tests.bench.bench_http",
]
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _env(vendor: str, rows: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["KEFU_VAR_DIR"] = str(ROOT / "var" / f"bench-{rows}")
    if vendor == "postgresql":
        env["DATABASE_URL"] = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kefu_bench")
        env.setdefault("HUEY_NAME", "kefu-bench")
    return env


def _manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def _count(env: dict[str, str]) -> int:
    code = (
        "from kefu.tickets.models import Notification; from kefu.customers.models import Customer; "
        "print(min(Notification.objects.count(), Customer.objects.count()))"
    )
    try:
        return int(_manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1])
    except (subprocess.CalledProcessError, ValueError, IndexError):
        return -1


def _recreate(vendor: str, env: dict[str, str]) -> None:
    if vendor == "sqlite":
        database = Path(env["KEFU_VAR_DIR"]) / "kefu.sqlite3"
        for path in (
            database,
            database.with_name(database.name + "-wal"),
            database.with_name(database.name + "-shm"),
        ):
            path.unlink(missing_ok=True)
        return
    import psycopg

    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(vendor: str, rows: int) -> None:
    env = _env(vendor, rows)
    Path(env["KEFU_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    if vendor == "postgresql":
        try:
            _manage(env, "migrate", "--noinput", "-v0", capture=True)
        except subprocess.CalledProcessError:
            _recreate(vendor, env)
    have = _count(env)
    if have < rows or have > rows * 1.2 + 1000:  # another size (benchmarks add a few rows per run)
        print(f"# {LABELS[vendor]}: making the data ({rows} rows) …", file=sys.stderr, flush=True)
        _recreate(vendor, env)
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "demo", capture=True)
        started = time.perf_counter()
        _manage(
            env,
            "generate",
            f"--customers={rows}",
            f"--notifications={rows}",
            f"--complaints={max(rows // 5, 1)}",
            capture=True,
        )
        print(
            f"# {LABELS[vendor]}: generated in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    _manage(env, "collectstatic", "--noinput", "-v0")  # pages need the static manifest


def run(vendor: str, rows: int) -> list[dict]:
    env = _env(vendor, rows)
    found = []
    for module in MODULES:
        args = [PY, "-m", module]
        if module.endswith("bench_customers"):
            args += ["--import-rows", str(min(max(rows // 10, 1000), 100_000))]
        process = subprocess.run(args, cwd=ROOT, env=env, text=True, capture_output=True)
        if process.returncode:
            print(f"# {module} on {vendor} failed:\n{process.stderr[-2000:]}", file=sys.stderr)
        for line in process.stdout.splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "case" in row:
                row["module"] = module.rsplit("_", 1)[1]
                found.append(row)
    return found


def _cells(row: dict | None) -> list[str]:
    if row is None:
        return ["", "", ""]
    if row.get("kind") == "export":
        return [f"{row['rows_per_s']:,} rows/s", f"{row['rows']:,} rows", ""]
    if row.get("kind") == "throughput":
        return [f"{row['pages_per_s']:,.0f} pages/s", f"p50 {row['p50_ms']} ms", f"p99 {row['p99_ms']} ms"]
    if row.get("kind") == "page":
        ratio = row.get("ratio")
        return [f"{row['median_ms']:.1f}", f"{row['sql_ms']:.2f}", f"{ratio:.1f}×" if ratio else ""]
    return [f"{row['median_ms']:.1f}", "", ""]


def table(results: dict[str, list[dict]], rows: int) -> str:
    vendors = list(results)
    cases: list[tuple[str, str]] = []
    by_vendor = {v: {(r["module"], r["case"]): r for r in rs} for v, rs in results.items()}
    for v in vendors:
        for r in results[v]:
            key = (r["module"], r["case"])
            if key not in cases:
                cases.append(key)
    header = ["case"]
    for v in vendors:
        header += [f"{LABELS[v]} ms", "SQL ms", "page/SQL"]
    lines = [
        f"Kefu bench, {rows:,} rows (ms: median server time, page = full HTML through the test client)",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for module, case in cases:
        cells = [f"{module}: {case}"]
        for v in vendors:
            cells += _cells(by_vendor[v].get((module, case)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    rows = int(os.environ.get("BENCH_ROWS", "20000"))
    vendors = os.environ.get("BENCH_DATABASES", "sqlite postgresql").split()
    results = {}
    for vendor in vendors:
        prepare(vendor, rows)
        results[vendor] = run(vendor, rows)
    print(table(results, rows))


if __name__ == "__main__":
    main()
