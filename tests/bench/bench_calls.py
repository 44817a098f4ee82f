"""Call-centre benchmarks: caller number lookup, signed webhook ring → pop stored, the pop poll,
the pinyin picker and the similar-notification hint.

    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python manage.py generate --customers 100000
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_calls

Prints one JSON line per case (median of repeated in-process runs); never asserts on time.
The browser side of "ring → card visible" is the poll interval (700 ms in kefu.js) plus one poll
and one card request, both measured here.
"""

from __future__ import annotations

import itertools
import json
import time

from tests.bench.common import client_for, database_label, measure, setup_django


def main() -> None:
    setup_django()
    from django.test import Client

    from kefu.contacts import cti
    from kefu.contacts.models import CtiSource
    from kefu.customers.models import Customer

    extra = {"customers": Customer.objects.count(), "db": database_label()}
    customer = Customer.objects.exclude(phone="").order_by("pk").first()
    measure(
        "caller number lookup (normalise + index + verify)",
        lambda: cti.match_customers(customer.phone),
        **extra,
    )
    source = CtiSource.objects.get(key="demo-pbx")
    pbx = Client(HTTP_HOST="127.0.0.1")
    counter = itertools.count()

    def ring():
        n = next(counter)
        body = json.dumps(
            {
                "event_id": f"bench-{time.time_ns()}-{n}",
                "call_id": f"bench-{time.time_ns()}-{n}",
                "kind": "ring",
                "at": "2026-12-01T10:00:00+08:00",
                "number": customer.phone,
                "agent": "assistant",
            }
        ).encode()
        stamp = str(int(time.time()))
        return pbx.post(
            "/api/v1/contacts/cti/events",
            data=body,
            content_type="application/json",
            HTTP_X_KEFU_KEY=source.key,
            HTTP_X_KEFU_TIMESTAMP=stamp,
            HTTP_X_KEFU_SIGNATURE=cti.sign(source.secret, stamp, body),
        )

    measure("webhook ring (signed, new call, pop stored)", ring, **extra)
    agent = client_for("assistant")
    measure("pop poll (nothing new)", lambda: agent.get("/contacts/calls/pops/?after=999999999"), **extra)
    last = agent.get("/contacts/calls/pops/?after=0").json()["pops"][-1]
    measure("caller card", lambda: agent.get(last["card"]), **extra)
    measure(
        "customer picker by pinyin initials", lambda: agent.get("/customers/autocomplete/?q=bjs"), **extra
    )
    # The one picker (/pick/), one request per keystroke as the agent types 申齐保健's initials,
    # a Chinese fragment, a number prefix and a mobile's last four digits (what a masked reader
    # sees); then the small-table pickers and the materials (stored initials, kefu.catalog).
    for term in ("s", "sq", "sqb", "sqbj", "申齐", "保健食品", "2110", "21100500", "5678"):
        measure(
            f"picker keystroke customer '{term}'",
            lambda term=term: agent.get("/pick/", {"source": "customer", "q": term}),
            **extra,
        )
    for source, term in (
        ("staff", "wm"),
        ("work_centre", "s4"),
        ("status", "zgpz"),
        ("reason", "1"),
        ("material", "hdgs"),
    ):
        measure(
            f"picker keystroke {source} '{term}'",
            lambda source=source, term=term: agent.get("/pick/", {"source": source, "q": term}),
            **extra,
        )
    measure(
        "similar-notification hint",
        lambda: agent.get(
            "/contacts/similar/",
            {"customer": customer.number, "description": "活动柜锁坏", "object_address": "张江路88号"},
        ),
        **extra,
    )


if __name__ == "__main__":
    main()
