"""`kefu serve`: run the web server (gunicorn), the push server (uvicorn, kefu.core.push) and the
task consumer (Huey) together.

Ctrl-C (or SIGTERM) stops them all; if one dies, the others are stopped too, so nothing is left
running half-way.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


def default_workers() -> int:
    """Web worker processes: WEB_WORKERS, else 4. Pages are Python-bound: on two cores, four
    processes of two threads served 5–10 % more pages than three of four, at half the p99 (bench_http)."""
    return int(os.environ.get("WEB_WORKERS", "4"))


def default_threads() -> int:
    """Threads per web worker: WEB_THREADS, else 2 (a worker keeps serving while one request
    waits on the database or a slow client; more threads only queue on the GIL)."""
    return int(os.environ.get("WEB_THREADS", "2"))


def gunicorn_command(host: str, port: str | int, workers: int, *, access_log: str = "-") -> list[str]:
    """The web server as `make run` starts it (the HTTP benchmark starts the same one)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "kefu.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(default_threads()),
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
        "--access-logfile",
        access_log,
        "--error-logfile",
        "-",
    ]


def push_command(host: str, port: str | int) -> list[str]:
    """The push server (kefu.core.push): uvicorn with the ASGI app, one process of coroutines that
    holds the pages' event streams (a held stream costs no thread)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "kefu.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--no-access-log",
        "--timeout-graceful-shutdown",
        "2",
        "--log-level",
        "warning",
    ]


def push_env(env: dict[str, str], port: str | int) -> dict[str, str]:
    """The web server's environment: its pages tell browsers where the push server listens."""
    return {"KEFU_PUSH_URL": f":{port}", **env} if port else env


class Command(BaseCommand):
    help = "Serve Kefu: gunicorn, the push server and the Huey consumer."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--push-port",
            type=int,
            default=os.environ.get("PUSH_PORT"),
            help="the push server's port (default: the web port + 1; 0: no push, pages poll)",
        )

    def handle(self, *args, host, port, workers, push_port, **options):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kefu.settings"}
        push_port = int(port) + 1 if push_port is None else push_port
        web = gunicorn_command(host, port, workers)
        consumer = [sys.executable, "-m", "django", "run_huey", "--workers", "2", "--worker-type", "thread"]
        procs = [subprocess.Popen(web, env=push_env(env, push_port)), subprocess.Popen(consumer, env=env)]
        if push_port:
            procs.append(subprocess.Popen(push_command(host, push_port), env=env))
        display_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(self.style.SUCCESS(f"\nKefu 客服 is running at http://{display_host}:{port}/"))
        self.stdout.write(self._logins())
        self.stdout.write("Press Ctrl-C to stop.\n")
        stopping = False

        def stop(signum=None, frame=None):
            nonlocal stopping
            if stopping:
                return
            stopping = True
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        code = 0
        while any(p.poll() is None for p in procs):
            if not stopping and any(p.poll() is not None for p in procs):
                code = next(p.returncode for p in procs if p.poll() is not None) or 1
                self.stderr.write("A process exited; stopping the others.")
                stop()
            time.sleep(0.5)
        deadline = time.time() + 15
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                proc.kill()
        self.stdout.write("Kefu stopped.")
        if code and not stopping:
            sys.exit(code)

    def _logins(self) -> str:
        from kefu.org.demo import DEMO_PASSWORD, STAFF
        from kefu.org.models import Staff

        if not Staff.objects.filter(user__username="manager").exists():
            return ""
        lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
        for username, number, name, _roles, _offices, _wcs, title in STAFF[:9]:
            lines.append(f"  {username:<14} {number} {name} · {title}")
        lines.append(f"  … {len(STAFF) - 9} more in README.md. Admin screens: http://…/admin/ as 'admin'.")
        lines.append(f"Data: {settings.DATABASES['default']['NAME']}")
        return "\n".join(lines)
