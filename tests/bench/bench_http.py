"""Throughput over real HTTP: `make run`'s web server (the same gunicorn command) under `wrk`.

    KEFU_VAR_DIR=var/bench-20000 .venv/bin/python -m tests.bench.bench_http

Starts gunicorn on a free loopback port with `kefu serve`'s settings, logs in as the assistant
(a session and CSRF cookie, as a browser holds them), and runs `wrk -t2 -c8` (BENCH_HTTP_SECONDS,
default 15 s) against the worklist and a notification page, on the same machine as the server
(the issue's condition: this 2-core machine). Prints one JSON line per page: pages/s and the
latency percentiles wrk reports; every response must be a 200. Needs Debian's `wrk`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from tests.bench.common import database_label, emit, setup_django

SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "15"))
CONNECTIONS = 8


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cookies(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"


def _wait(url: str, cookie: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def _seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _wrk(url: str, cookie: str, seconds: int = SECONDS) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url}: responses other than 200:\n{out}")
    latency = dict(re.findall(r"^\s+(50|90|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.M))
    figures = {"pages_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for percentile in ("50", "90", "99"):
        # wrk leaves out a line it has no sample for: say so, rather than stop the bench.
        value = latency.get(percentile)
        figures[f"p{percentile}_ms"] = round(_seconds(value), 1) if value else None
    return figures


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("bench_http needs wrk (apt-get install wrk)")
    setup_django()
    from django.core.management import call_command

    from kefu.core.management.commands.serve import default_threads, default_workers, gunicorn_command
    from kefu.tickets.models import Notification

    call_command("collectstatic", interactive=False, verbosity=0)
    latest = (
        Notification.objects.filter(work_centre__code="S4002").order_by("-id").values_list("pk", flat=True)[0]
    )
    cookie = _cookies("assistant")
    port = _free_port()
    workers = default_workers()
    server = subprocess.Popen(
        gunicorn_command("127.0.0.1", port, workers),
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kefu.settings"},
        stdout=subprocess.DEVNULL,  # the access log is still formatted and written, as in make run
        stderr=subprocess.DEVNULL,
    )
    try:
        meta = {
            "db": database_label(),
            "rows": Notification.objects.count(),
            "workers": workers,
            "threads": default_threads(),
        }
        for case, path in (
            ("worklist over HTTP (wrk, 8 connections)", "/notifications/"),
            ("notification page over HTTP (wrk, 8 connections)", f"/notifications/{latest}/"),
        ):
            url = f"http://127.0.0.1:{port}{path}"
            _wait(url, cookie)
            _wrk(url, cookie, seconds=3)  # warm every worker's buffers and prepared queries
            emit({"case": case, "kind": "throughput", **_wrk(url, cookie), **meta})
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
