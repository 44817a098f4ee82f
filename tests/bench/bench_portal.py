"""Customer portal and knowledge-base benchmarks: "my requests" and knowledge search.

    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --notifications 1000000 --articles 100000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_portal

Prints one JSON line per case (median of repeated in-process runs); never asserts on time.
"""

from __future__ import annotations

from urllib.parse import quote

from tests.bench.common import client_for, database_label, measure, setup_django

PORTAL_USER = "kh.kehu@shenqi.example.cn"  # the demo portal account of 2110050007


def main() -> None:
    setup_django()
    from kefu.knowledge.models import Article
    from kefu.tickets.models import Notification

    extra = {
        "notifications": Notification.objects.count(),
        "articles": Article.objects.count(),
        "db": database_label(),
    }
    customer = client_for(PORTAL_USER)
    staff = client_for("assistant")
    measure("portal: my requests (page)", lambda: customer.get("/portal/"), **extra)
    measure("portal: my requests (API, 50)", lambda: customer.get("/api/v1/portal/requests"), **extra)
    for term in ("气杆", "办公桌松动", "抽屉"):
        measure(
            f"portal: help search {term}", lambda t=term: customer.get(f"/portal/help/?q={quote(t)}"), **extra
        )
        measure(
            f"desk: knowledge search {term}", lambda t=term: staff.get(f"/knowledge/?q={quote(t)}"), **extra
        )
    typed = "会议室的办公椅气杆下沉了，坐下就降到最低"
    text = quote(typed)
    measure(
        "portal: suggestions while typing",
        lambda: customer.get(f"/portal/help/suggest/?description={text}"),
        **extra,
    )
    # The worst case: nothing cached (a new index version before every request).
    from django.core.cache import cache

    from kefu.knowledge.queries import VERSION_KEY

    def cold(client, url):
        cache.delete(VERSION_KEY)
        return client.get(url)

    measure(
        "portal: suggestions, cold cache",
        lambda: cold(customer, f"/portal/help/suggest/?description={text}"),
        **extra,
    )
    # What typing does: each keystroke (after the debounce) sends the text so far.
    prefixes = [quote(typed[:n]) for n in range(4, len(typed) + 1, 3)]
    state = {"i": 0}

    def next_keystroke():
        cache.delete(VERSION_KEY) if state["i"] % len(prefixes) == 0 else None
        url = f"/portal/help/suggest/?description={prefixes[state['i'] % len(prefixes)]}"
        state["i"] += 1
        return customer.get(url)

    measure("portal: suggestions, a typing sequence", next_keystroke, reps=len(prefixes) * 3, **extra)
    staff_text = quote("客户反映文件柜抽屉打不开，钥匙转不动，要求上门维修")
    measure(
        "desk: suggestions in the notification form",
        lambda: staff.get(f"/knowledge/suggest/?description={staff_text}"),
        **extra,
    )
    measure(
        "desk: suggestions in the notification form, cold cache",
        lambda: cold(staff, f"/knowledge/suggest/?description={staff_text}"),
        **extra,
    )


if __name__ == "__main__":
    main()
