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
    text = quote("会议室的办公椅气杆下沉了，坐下就降到最低")
    measure(
        "portal: suggestions while typing",
        lambda: customer.get(f"/portal/help/suggest/?description={text}"),
        **extra,
    )


if __name__ == "__main__":
    main()
