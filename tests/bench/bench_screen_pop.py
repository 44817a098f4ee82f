"""Ring → card visible in the agent's browser, with 50 agents connected (issue 14: < 1 s at p95).

A real server (gunicorn and the push server, as `kefu serve` runs them) and one Debian Chromium with
50 browser contexts, each an agent logged in on the call-centre page listening for pops (the push
server's event stream; `BENCH_PUSH=0`: no push server, the pages poll every 0.7 s as before).
For each ring the PBX's signed webhook is posted and the clock stops when the caller's card is
visible in that agent's page; the other 49 keep listening meanwhile. A second series rings the
hotline queue (no agent named): the card must show on every connected member; the time is to the
first and to the last of 5 watched pages.

    export KEFU_VAR_DIR=/tmp/kefu-pop
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py demo
    .venv/bin/python manage.py collectstatic --noinput     # the pages need their static files
    .venv/bin/python -m tests.bench.bench_screen_pop            # BENCH_AGENTS=50 BENCH_RINGS=100

Prints JSON lines (p50 / p95 / max in ms); never asserts on time. The latencies depend on how
loaded the machine is (one Chromium runs all 50 pages on the same cores); the server's CPU time
per empty poll and per queue ring (read from /proc for the gunicorn processes) much less so.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import time
import urllib.request

from tests.bench.common import setup_django

AGENTS = int(os.environ.get("BENCH_AGENTS", "50"))
RINGS = int(os.environ.get("BENCH_RINGS", "100"))
QUEUE_RINGS = int(os.environ.get("BENCH_QUEUE_RINGS", "20"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "10"))
PUSH = os.environ.get("BENCH_PUSH", "1") != "0"
# How often a page polls (kefu.js): every 0.7 s without push, every 5 s beside an open stream.
POLL_SECONDS = float(os.environ.get("BENCH_POLL_SECONDS", "5" if PUSH else "0.7"))
SETTLE_SECONDS = 0.7


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def agents() -> list:
    from kefu.core.testing.factories import make_staff
    from kefu.org.models import SalesOffice, Staff

    office = SalesOffice.objects.get(code="4002")
    users = []
    for i in range(AGENTS):
        username = f"bench_agent_{i:02d}"
        staff = Staff.objects.filter(user__username=username).first() or make_staff(
            roles=["assistant"], offices=[office], username=username, number=f"9{i:03d}", name=f"坐席{i:02d}"
        )
        users.append(staff.user)
    return users


def session_cookie(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    from django.utils.module_loading import import_string

    store[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def post_ring(base: str, source, *, call_id: str, number: str, agent: str) -> dict:
    from kefu.contacts.cti import sign

    body = json.dumps(
        {
            "event_id": call_id + "-ring",
            "call_id": call_id,
            "kind": "ring",
            "at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            "number": number,
            "agent": agent,
        }
    ).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        f"{base}/api/v1/contacts/cti/events",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Kefu-Key": source.key,
            "X-Kefu-Timestamp": stamp,
            "X-Kefu-Signature": sign(source.secret, stamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def server_cpu_ms(*servers: subprocess.Popen) -> float:
    """CPU time (user + system) the servers' processes have used so far, in ms: what a poll
    costs the server, which the machine's load barely changes (the latencies above it does)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = []
    for server in servers:
        pids.append(server.pid)
        try:
            with open(f"/proc/{server.pid}/task/{server.pid}/children") as children:
                pids += [int(p) for p in children.read().split()]
        except OSError:
            continue
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * 1000 / tick


def browser_cpu_ms() -> float:
    """CPU time the Chromium processes have used so far, in ms: the 50 pages' share of the cores."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if b"chromium" not in cmdline.read().split(b"\0", 1)[0]:
                    continue
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total * 1000 / tick


def figures(case: str, values: list[float], **extra) -> None:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * len(values)) - 1)]
    print(
        json.dumps(
            {
                "case": case,
                "n": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(p95, 1),
                "max_ms": round(values[-1], 1),
                **extra,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def main() -> None:
    setup_django()
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    from kefu.contacts.models import AgentQueue, CtiSource, ScreenPop
    from kefu.customers.models import Customer
    from kefu.org.models import SalesOffice

    users = agents()
    source, _ = CtiSource.objects.get_or_create(
        key="bench-pbx", defaults={"name": "bench", "secret": "bench"}
    )
    queue, _ = AgentQueue.objects.get_or_create(
        code="BENCH",
        defaults={
            "name": "bench",
            "numbers": "4009990000",
            "sales_office": SalesOffice.objects.get(code="4002"),
        },
    )
    queue.members.set(users)
    # A fresh page shows its agent's pops of the last 10 minutes: an earlier run's would start every
    # page with cards on it (and make each run cost more than the one before).
    ScreenPop.objects.filter(user__in=users).delete()
    customer = Customer.objects.filter(sales_office__code="4002").exclude(phone="").order_by("pk").first()
    cookies = [session_cookie(user) for user in users]  # the ORM before Playwright's event loop runs
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    from kefu.core.management.commands.serve import default_workers, gunicorn_command, push_command, push_env

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kefu.settings"}
    push_port = free_port() if PUSH else 0
    server = subprocess.Popen(  # `make run`'s server (WEB_WORKERS, WEB_THREADS), without its access log
        gunicorn_command("127.0.0.1", port, default_workers(), access_log="/dev/null"),
        env=push_env(env, push_port),
    )
    servers = [server]
    if PUSH:
        servers.append(subprocess.Popen(push_command("127.0.0.1", push_port), env=env))
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            pages = []
            for cookie in cookies:
                context = browser.new_context(locale="zh-CN")
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
                page = context.new_page()
                page.set_default_timeout(30_000)
                page.goto(f"{base}/contacts/calls/")
                page.locator("[data-screen-pop]").wait_for(state="attached")
                pages.append(page)
            time.sleep(3)  # every page has polled (and opened its stream): all agents connected
            if PUSH:
                opened = sum(page.locator("[data-screen-pop][data-push='open']").count() for page in pages)
                assert opened == len(pages), f"{opened} of {len(pages)} pages have the push stream open"
            extra = {
                "agents": len(pages),
                "web_workers": default_workers(),
                "push": PUSH,
                "db": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "load_avg_1m": os.getloadavg()[0],
            }
            cpu, browser_cpu, start = server_cpu_ms(*servers), browser_cpu_ms(), time.perf_counter()
            time.sleep(IDLE_SECONDS)  # nothing rings: every agent's empty poll
            seconds = time.perf_counter() - start
            used = server_cpu_ms(*servers) - cpu
            browser_idle = (browser_cpu_ms() - browser_cpu) / seconds
            polls = len(pages) * seconds / POLL_SECONDS
            idle_rate = used / seconds
            print(
                json.dumps(
                    {
                        "case": "idle polling (nothing new)",
                        "seconds": round(seconds, 1),
                        "server_cpu_ms_per_s": round(used / seconds, 1),
                        "server_cpu_ms_per_poll": round(used / polls, 2),
                        "browser_cpu_ms_per_s": round(browser_idle, 1),
                        **extra,
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
            stamp = time.time_ns()
            times = []
            for r in range(RINGS):
                i = r % len(pages)
                start = time.perf_counter()
                answer = post_ring(
                    base, source, call_id=f"b{stamp}-{r}", number=customer.phone, agent=users[i].username
                )
                card = pages[i].locator(f"[data-call-card='{answer['call_id']}']")
                card.wait_for(state="visible")
                times.append((time.perf_counter() - start) * 1000)
                card.evaluate("el => el.remove()")
            figures("ring → card visible (named agent)", times, **extra)
            first, last, queue_cpu, page_cpu = [], [], [], []
            watched = pages[:5]
            for r in range(QUEUE_RINGS):
                time.sleep(SETTLE_SECONDS)  # the previous ring's polls are over
                cpu_before, window = server_cpu_ms(*servers), time.perf_counter()
                pages_before = browser_cpu_ms()
                start = time.perf_counter()
                answer = post_ring(
                    base, source, call_id=f"q{stamp}-{r}", number=customer.phone, agent="4009990000"
                )
                seen = []
                for page in watched:
                    page.locator(f"[data-call-card='{answer['call_id']}']").wait_for(state="visible")
                    seen.append((time.perf_counter() - start) * 1000)
                first.append(min(seen))
                last.append(max(seen))
                time.sleep(SETTLE_SECONDS * 2)  # every member has asked for the card
                window = time.perf_counter() - window  # less what the idle polls of these seconds cost
                queue_cpu.append(server_cpu_ms(*servers) - cpu_before - idle_rate * window)
                page_cpu.append(browser_cpu_ms() - pages_before - browser_idle * window)
                for page in pages:
                    page.evaluate(
                        "id => document.querySelectorAll(`[data-call-card='${id}']`)"
                        ".forEach(e => e.remove())",
                        answer["call_id"],
                    )
            figures("queue ring → card visible, first of 5 watched members", first, **extra)
            figures("queue ring → card visible, last of 5 watched members", last, **extra)
            # The server's CPU for one queue ring: the webhook and every member's poll with the card,
            # above what the same seconds of empty polls cost. Approximate: on a machine so loaded
            # that the pages poll less often than while idle, it comes out too low (even negative).
            figures("server CPU ms per queue ring, above idle (webhook + 50 card polls)", queue_cpu, **extra)
            # The same seconds in the one Chromium of all 50 pages, above idle: on this machine
            # the browsers share the server's two cores, which real agents' own PCs would not.
            figures("browser CPU ms per queue ring, above idle (50 pages, one Chromium)", page_cpu, **extra)
            browser.close()
    finally:
        for each in servers:
            each.terminate()
        for each in servers:
            each.wait(timeout=20)


if __name__ == "__main__":
    main()
