"""Mail intake rate: new mails from customers into service notifications (with the acknowledgement
queued), straight from raw bytes and end to end through a real IMAP server (dovecot on loopback).

    KEFU_VAR_DIR=/tmp/bench-mail .venv/bin/python manage.py migrate
    KEFU_VAR_DIR=/tmp/bench-mail .venv/bin/python manage.py demo
    KEFU_VAR_DIR=/tmp/bench-mail .venv/bin/python -m tests.bench.bench_mail_intake [count]

Prints one JSON line per case (mails per second, sustained over `count` mails); never asserts on
time. Each mail becomes one notification, its timeline, its search index and a queued reply.
"""

from __future__ import annotations

import json
import sys
import time

from tests.bench.common import database_label, setup_django


def _mails(count: int, tag: str, intake_user) -> list[bytes]:
    """Mails from the customers the mailbox's intake account may serve (others wait for a person)."""
    from kefu.channels.testing.mails import build
    from kefu.customers.models import Customer

    visible = Customer.objects.visible_to(intake_user).exclude(email="")
    senders = list(visible.values_list("name", "email")[:500])
    subjects = ["活动柜锁坏了", "办公椅气杆下沉", "会议桌桌腿松动", "文件柜柜门关不上", "书架层板变形"]
    return [
        build(
            sender=f"{senders[i % len(senders)][0]} <{senders[i % len(senders)][1]}>",
            subject=f"{subjects[i % len(subjects)]}（{tag}-{i}）",
            text=f"您好：\n{subjects[i % len(subjects)]}，请尽快安排维修。联系人在前台。\n谢谢！",
            message_id=f"<bench-{tag}-{i}-{time.time_ns()}@customer.example.cn>",
        )
        for i in range(count)
    ]


def _report(case: str, count: int, seconds: float, **extra) -> None:
    row = {
        "case": case,
        "mails": count,
        "seconds": round(seconds, 2),
        "mails_per_s": round(count / seconds, 1),
        "db": database_label(),
        **extra,
    }
    print(json.dumps(row, ensure_ascii=False))
    sys.stdout.flush()


def main() -> None:
    setup_django()
    from kefu.channels.choices import InboundStatus
    from kefu.channels.models import InboundMail, Mailbox
    from kefu.channels.services import mailin
    from kefu.channels.testing import dovecot
    from kefu.tickets.models import Notification

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    template = Mailbox.objects.select_related("department").first()
    if template is None:
        raise SystemExit("load the demo first (manage.py demo): it has the mailbox")

    def made(before: int) -> int:
        return Notification.objects.count() - before

    # 1. Raw bytes into notifications (parse, rules, create, acknowledge), one transaction per mail.
    raws = _mails(count, "raw", template.intake_user)
    before = Notification.objects.count()
    started = time.perf_counter()
    for raw in raws:  # each in its own transaction, as the poll does
        mailin.ingest(template, raw)
    _report("ingest raw mail → notification", count, time.perf_counter() - started, created=made(before))

    # 2. End to end: poll a real IMAP server (dovecot on loopback) holding `count` new mails.
    if not dovecot.available():
        print(json.dumps({"case": "IMAP poll", "skipped": "dovecot-imapd is not installed"}))
        return
    server = dovecot.start()
    try:
        user, password = server.add_user()
        box = Mailbox.objects.create(
            name="bench",
            address=f"bench-{time.time_ns()}@example.com",
            host=server.host,
            port=server.port,
            use_ssl=False,
            username=user,
            password=password,
            department=template.department,
            sales_office=template.sales_office,
            intake_user=template.intake_user,
        )
        server.deliver(user, password, *_mails(count, "imap", template.intake_user))
        before = Notification.objects.count()
        started = time.perf_counter()
        result = mailin.poll_mailbox(box, limit=count)
        seconds = time.perf_counter() - started
        created = InboundMail.objects.filter(mailbox=box, status=InboundStatus.CREATED).count()
        _report(
            "IMAP poll (dovecot, loopback) → notification",
            result.fetched,
            seconds,
            created=made(before),
            stored=created,
            error=result.error,
        )
        # 3. A second poll finds nothing new (resume point), and costs one round trip.
        started = time.perf_counter()
        again = mailin.poll_mailbox(box)
        _report("IMAP poll again (nothing new)", max(again.fetched, 1), time.perf_counter() - started)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
