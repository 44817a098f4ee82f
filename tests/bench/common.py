"""Benchmark helpers: in-process server time (Django test client, warm), median of repeated runs.

Benchmarks print JSON lines; they never assert on time. Run one with
`.venv/bin/python -m tests.bench.<module>` (see README for each).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")
    import django

    django.setup()


def client_for(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def measure(name: str, func, *, reps: int = 15, warmup: int = 2, **extra) -> dict:
    for _ in range(warmup):
        func()
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        result = func()
        times.append((time.perf_counter() - started) * 1000)
        status = getattr(result, "status_code", None)
        if status is not None and status >= 400:
            raise SystemExit(f"{name}: HTTP {status}")
    row = {
        "case": name,
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(sorted(times)[int(len(times) * 0.9) - 1], 2),
        "min_ms": round(min(times), 2),
        "reps": reps,
        **extra,
    }
    print(json.dumps(row, ensure_ascii=False))
    sys.stdout.flush()
    return row


def database_label() -> str:
    from django.db import connection

    return connection.vendor
