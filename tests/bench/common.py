"""Benchmark helpers: what a user gets, measured in-process (Django test client, warm).

Every page case renders the full response through the test client and consumes its body, then
re-runs the SQL that page ran (captured with `CaptureQueriesContext`) alone on the driver cursor,
interleaved with the page runs, and prints both medians and their ratio: the page/SQL ratio says
how much of a page is rendering rather than database. Exports print rows/s; creates print ms.

Benchmarks print one JSON line per case; they never assert on time. Run one with
`.venv/bin/python -m tests.bench.<module>`, or all of them on both databases with `make bench`
(`tests/bench/run.py` prints one table).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time

REPS = int(os.environ.get("BENCH_REPS", "15"))


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


def _emit(row: dict) -> dict:
    print(json.dumps(row, ensure_ascii=False, default=str))
    sys.stdout.flush()
    return row


def emit(row: dict) -> dict:
    """Print one result line of a benchmark that measures in its own way (e.g. over HTTP)."""
    return _emit(row)


def _median(times: list[float]) -> float:
    return round(statistics.median(times), 2)


def _p90(times: list[float]) -> float:
    return round(sorted(times)[max(int(len(times) * 0.9) - 1, 0)], 2)


def consume(response) -> bytes:
    """The whole body, as a browser would read it (streamed responses included)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _fetch(name: str, request, *, ok: tuple[int, ...] = (200,)) -> tuple[object, bytes]:
    response = request()
    body = consume(response)
    if response.status_code not in ok:
        raise SystemExit(f"{name}: HTTP {response.status_code}")
    return response, body


def measure(
    name: str, func, *, reps: int | None = None, warmup: int = 2, kind: str = "other", **extra
) -> dict:
    """Median ms of `func()` (a create, a sweep …); HTTP responses are consumed and checked."""
    reps = reps or REPS
    for _ in range(warmup):
        func()
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        result = func()
        if hasattr(result, "status_code"):
            consume(result)
        times.append((time.perf_counter() - started) * 1000)
        status = getattr(result, "status_code", None)
        if status is not None and status >= 400:
            raise SystemExit(f"{name}: HTTP {status}")
    return _emit(
        {
            "case": name,
            "kind": kind,
            "median_ms": _median(times),
            "p90_ms": _p90(times),
            "min_ms": round(min(times), 2),
            "reps": reps,
            **extra,
        }
    )


def _page_sql(queries: list[dict]) -> list[str]:
    """The page's reading statements, as sent (parameters inlined by the backend)."""
    keep = []
    for query in queries:
        sql = query["sql"]
        head = sql.lstrip()[:6].upper()
        if head.startswith(("SELECT", "WITH")):
            keep.append(sql)
    return keep


def _run_sql(statements: list[str]) -> None:
    from django.db import connection

    cursor = connection.connection.cursor()  # the driver's own cursor: nothing of Django's around it
    try:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    finally:
        cursor.close()


def measure_page(name: str, client, url: str, *, reps: int | None = None, warmup: int = 2, **extra) -> dict:
    """A page (or API list) through the test client, body consumed, beside its SQL run alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reps = reps or REPS
    for _ in range(warmup):
        _fetch(name, lambda: client.get(url))
    with CaptureQueriesContext(connection) as captured:
        _response, body = _fetch(name, lambda: client.get(url))
    queries = list(captured.captured_queries)  # the next request's request_started empties the log
    statements = _page_sql(queries)
    _run_sql(statements)  # warm, like the page
    page, sql = [], []
    for _ in range(reps):  # interleaved, so both see the same machine
        started = time.perf_counter()
        _fetch(name, lambda: client.get(url))
        page.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        _run_sql(statements)
        sql.append((time.perf_counter() - started) * 1000)
    page_ms, sql_ms = _median(page), _median(sql)
    return _emit(
        {
            "case": name,
            "kind": "page",
            "median_ms": page_ms,
            "p90_ms": _p90(page),
            "sql_ms": sql_ms,
            "ratio": round(page_ms / sql_ms, 1) if sql_ms else None,
            "queries": len(queries),
            "selects": len(statements),
            "bytes": len(body),
            "reps": reps,
            **extra,
        }
    )


def xlsx_rows(body: bytes) -> int:
    """Data rows of an xlsx workbook (every sheet, minus one header row each)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    # kefu's streaming writer leaves out the sheet dimension, so count the rows themselves
    return sum(max(sum(1 for _ in sheet.iter_rows(values_only=True)) - 1, 0) for sheet in book.worksheets)


def _export_once(name: str, client, url: str) -> tuple[float, int, bool]:
    """One export as its user waits for it: the streamed download, or, above the stream limit,
    the job the list starts, run here as the task worker would (ms, rows, ran as a job)."""
    from kefu.core.exports import run_export
    from kefu.core.models import ExportJob

    started = time.perf_counter()
    response = client.get(url)
    body = consume(response)
    location = response.get("Location", "") if response.status_code == 302 else ""
    if "/exports/" in location:
        job_id = int(location.rstrip("/").rsplit("/", 1)[1])
        run_export(job_id)
        job = ExportJob.objects.get(pk=job_id)
        if job.status != ExportJob.Status.DONE:
            raise SystemExit(f"{name}: export job {job_id} {job.status} {job.error}")
        return (time.perf_counter() - started) * 1000, job.rows_done, True
    if response.status_code != 200:
        raise SystemExit(f"{name}: HTTP {response.status_code}")
    return (time.perf_counter() - started) * 1000, xlsx_rows(body) if body[:2] == b"PK" else 0, False


def measure_export(name: str, client, url: str, *, reps: int = 3, **extra) -> dict:
    """An xlsx export: median ms for the whole download (or the export job, when the selection
    is above the stream limit: run once) and rows per second."""
    first_ms, rows, as_job = _export_once(name, client, url)  # warm; a job's run is the figure
    times = [first_ms] if as_job else [_export_once(name, client, url)[0] for _ in range(reps)]
    ms = _median(times)
    return _emit(
        {
            "case": name,
            "kind": "export",
            "median_ms": ms,
            "rows": rows,
            "rows_per_s": round(rows / (ms / 1000)) if ms and rows else 0,
            "as_job": as_job,
            "reps": len(times),
            **extra,
        }
    )


def measure_create(
    name: str, func, *, ok: tuple[int, ...] = (200, 201, 302), reps: int | None = None, **extra
):
    """A create (form POST or API call): median ms; every call must succeed."""
    reps = reps or REPS

    def call():
        response = func()
        consume(response)
        if response.status_code not in ok:
            raise SystemExit(f"{name}: HTTP {response.status_code} {response.content[:300]!r}")
        return None

    return measure(name, call, reps=reps, kind="create", **extra)


def database_label() -> str:
    from django.db import connection

    return connection.vendor
