"""E-mail in against a real IMAP server (dovecot on loopback) and the real SMTP sink."""

import base64

import pytest

from kefu.channels import mailparse
from kefu.channels.choices import InboundStatus
from kefu.channels.models import InboundMail, Mailbox, OutboundMail, ReplyTemplate
from kefu.channels.services import mailin
from kefu.channels.testing.mails import build
from kefu.timeline.queries import events_for


@pytest.fixture
def imap_box(imap_server, make_mailbox):
    user, password = imap_server.add_user()
    box = make_mailbox(host=imap_server.host, port=imap_server.port, username=user, password=password)
    box.deliver = lambda *raw: imap_server.deliver(user, password, *raw)
    return box


def _notifications():
    from kefu.tickets.models import Notification

    return Notification.objects.order_by("id")


def test_new_mail_from_a_contact_becomes_a_notification_with_an_acknowledgement(
    imap_box, customer, smtp_server, django_capture_on_commit_callbacks
):
    imap_box.deliver(build(attachments=[("锁.jpg", "image/jpeg", b"\xff\xd8\xff\xe0photo")]))
    with django_capture_on_commit_callbacks(execute=True):
        result = mailin.poll_mailbox(imap_box)
    assert result.error == "" and result.fetched == 1 and result.stored == 1
    mail = InboundMail.objects.get()
    notification = _notifications().get()
    assert mail.status == InboundStatus.CREATED and mail.target == notification
    assert notification.customer == customer and notification.description == "活动柜锁坏了，请安排维修"
    assert "钥匙打不开" in notification.long_text and notification.reporter == "王丽"
    assert [a.name for a in mail.attachments.all()] == ["锁.jpg"]
    assert "mail.received" in [e.event_type for e in events_for(notification)]
    from kefu.contacts.models import Contact as ContactRecord

    first = ContactRecord.objects.get(notification=notification)  # 首问负责制: waits to be taken
    assert (first.channel, first.first_responsible, first.customer) == ("mail", None, customer)
    # The acknowledgement: to the sender, the number in a clear subject, salutation, signature.
    assert len(smtp_server) == 1
    ack = smtp_server[0]
    assert ack["To"] == "wangli@shenqi.example.cn"
    assert ack["Subject"].strip().startswith(f"[{notification.number}]")
    assert ack["In-Reply-To"] == mail.message_id and ack["Auto-Submitted"] == "auto-replied"
    body = ack.get_content()
    assert body.startswith("尊敬的王丽") and notification.number in body and "客服热线 400-800-0000" in body
    imap_box.refresh_from_db()
    assert imap_box.last_uid == 1 and imap_box.last_error == ""


def test_a_poll_again_stores_nothing_twice_and_a_repeated_message_id_is_ignored(imap_box, customer):
    raw = build(message_id="<same-1@shenqi.example.cn>")
    imap_box.deliver(raw, raw)  # the same mail twice in the mailbox (e.g. sent to it twice)
    first = mailin.poll_mailbox(imap_box)
    second = mailin.poll_mailbox(imap_box)
    assert (first.fetched, first.stored) == (2, 1)
    assert (second.fetched, second.stored) == (0, 0)
    assert InboundMail.objects.count() == 1 and _notifications().count() == 1


def test_intake_killed_half_way_resumes_without_duplicates(imap_box, customer, monkeypatch):
    imap_box.deliver(*[build(subject=f"第{i}封") for i in range(4)])
    real = mailin._ingest
    calls = {"n": 0}

    def dies_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("killed")  # the process dies while the third mail is taken in
        return real(*args, **kwargs)

    monkeypatch.setattr(mailin, "_ingest", dies_on_the_third)
    with pytest.raises(SystemExit):
        mailin.poll_mailbox(imap_box)
    assert InboundMail.objects.count() == 2  # the third one's transaction was rolled back
    monkeypatch.setattr(mailin, "_ingest", real)
    box = Mailbox.objects.get(pk=imap_box.pk)
    assert box.last_uid == 2
    result = mailin.poll_mailbox(box)
    assert result.stored == 2
    assert sorted(InboundMail.objects.values_list("subject", flat=True)) == [f"第{i}封" for i in range(4)]
    assert _notifications().count() == 4


def test_a_reply_threads_onto_its_record_by_in_reply_to_and_by_subject_number(
    imap_box, customer, django_capture_on_commit_callbacks, smtp_server
):
    imap_box.deliver(build())
    with django_capture_on_commit_callbacks(execute=True):
        mailin.poll_mailbox(imap_box)
    notification = _notifications().get()
    ack = OutboundMail.objects.get()
    imap_box.deliver(
        build(subject="Re: 已收到", text="补充：是二楼那个柜子。", in_reply_to=ack.message_id),
        build(subject=f"回复 [{notification.number}] 何时上门？", text="请问何时上门？"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        mailin.poll_mailbox(imap_box)
    notification.refresh_from_db()
    assert _notifications().count() == 1
    assert InboundMail.objects.filter(status=InboundStatus.THREADED).count() == 2
    assert "二楼那个柜子" in notification.long_text and "何时上门" in notification.long_text
    assert len(smtp_server) == 1  # replies are not acknowledged again


def test_a_stranger_cannot_write_into_a_record_by_its_number(mailbox, customer):
    mailin.ingest(mailbox, build())
    notification = _notifications().get()
    mail, _ = mailin.ingest(
        mailbox,
        build(sender="x@evil.example.com", subject=f"[{notification.number}] 改地址", text="改到别处"),
    )
    notification.refresh_from_db()
    assert mail.status == InboundStatus.UNMATCHED and mail.target is None
    assert "改到别处" not in notification.long_text


def test_keywords_make_a_complaint_and_unknown_senders_wait_for_a_person(mailbox, customer):
    mail, _ = mailin.ingest(mailbox, build(subject="投诉：送货时家具破损", text="柜门破损，要求赔偿。"))
    assert mail.status == InboundStatus.CREATED
    assert mail.target.__class__.__name__ == "Complaint"
    assert mail.target.received_via == "email" and mail.target.customer == customer
    unknown, _ = mailin.ingest(mailbox, build(sender="someone@unknown.example.com"))
    assert unknown.status == InboundStatus.UNMATCHED and unknown.note
    assert _notifications().count() == 0


def test_a_complaint_mailbox_makes_complaints(make_mailbox, customer):
    box = make_mailbox(address="tousu@example.com", default_kind="complaint", complaint_keywords="")
    mail, _ = mailin.ingest(box, build(subject="服务态度差"))
    assert mail.target.__class__.__name__ == "Complaint"


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_automatic_mail_is_kept_but_never_answered(mailbox, customer, headers, smtp_server):
    mail, _ = mailin.ingest(mailbox, build(subject="自动回复：我不在办公室", headers=headers))
    assert mail.status == InboundStatus.LOOP and mail.target is None
    assert OutboundMail.objects.count() == 0 and _notifications().count() == 0


def test_a_bounce_is_not_answered(mailbox, customer):
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        b"To: kefu.bj@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"Message-ID: <bounce-1@mx.example.com>\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--B--\r\n"
    )
    mail, _ = mailin.ingest(mailbox, raw)
    assert mail.status == InboundStatus.LOOP and OutboundMail.objects.count() == 0


def test_gbk_gb18030_and_big5_mail_is_read(mailbox, customer):
    gbk = (
        b"From: =?GB2312?B?" + base64.b64encode("王丽".encode("gbk")) + b"?= <wangli@shenqi.example.cn>\r\n"
        b"Subject: =?GBK?B?" + base64.b64encode("镕铖的柜子坏了".encode("gbk")) + b"?=\r\n"
        b"Message-ID: <gbk-1@shenqi.example.cn>\r\n"
        b"Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "镕铖：请尽快维修。".encode("gbk")
        + b"\r\n"
    )
    big5 = (
        b"From: wangli@shenqi.example.cn\r\nSubject: =?big5?B?"
        + base64.b64encode("請盡快維修".encode("big5"))
        + b"?=\r\nMessage-ID: <big5-1@shenqi.example.cn>\r\n"
        b"Content-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "櫃子壞了".encode("big5")
        + b"\r\n"
    )
    undeclared = (  # 8-bit GB18030 in headers and body, no charset anywhere
        "From: 王丽 <wangli@shenqi.example.cn>\r\nSubject: 门把手松了\r\n"
        "Message-ID: <raw-1@shenqi.example.cn>\r\n\r\n"
        "门把手松了，请派人。\r\n"
    ).encode("gb18030")
    a, _ = mailin.ingest(mailbox, gbk)
    b, _ = mailin.ingest(mailbox, big5)
    c, _ = mailin.ingest(mailbox, undeclared)
    assert (a.subject, a.from_name, a.text.strip()) == ("镕铖的柜子坏了", "王丽", "镕铖：请尽快维修。")
    assert (b.subject, b.text.strip()) == ("請盡快維修", "櫃子壞了")
    assert (c.subject, c.from_name, c.text.strip()) == ("门把手松了", "王丽", "门把手松了，请派人。")
    assert {m.status for m in (a, b, c)} == {InboundStatus.CREATED}


def test_html_is_sanitised_and_scripts_never_stored(mailbox, customer):
    html = '<p onclick="steal()">柜子<b>坏了</b></p><script>alert(1)</script><img src=x onerror=alert(2)>'
    mail, _ = mailin.ingest(mailbox, build(html=html, text="柜子坏了"))
    assert "<script" not in mail.html and "onclick" not in mail.html and "onerror" not in mail.html
    assert "<b>坏了</b>" in mail.html
    html_only = (
        b"From: wangli@shenqi.example.cn\r\nSubject: html\r\nMessage-ID: <h-1@x.cn>\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        + "<div>第一行<script>x()</script></div><div>第二行</div>".encode()
    )
    only, _ = mailin.ingest(mailbox, html_only)
    assert only.text == "第一行\n第二行"


def test_malformed_mime_has_a_clear_outcome_and_unreadable_mail_is_quarantined(mailbox, customer):
    broken = (  # a multipart whose boundary never comes: read as text, the defect noted
        b"From: wangli@shenqi.example.cn\r\nSubject: broken\r\nMessage-ID: <broken-1@x.cn>\r\n"
        b'Content-Type: multipart/mixed; boundary="NEVER"\r\n\r\n' + "柜子坏了\r\n".encode()
    )
    mail, _ = mailin.ingest(mailbox, broken)
    assert mail.status == InboundStatus.CREATED and mail.note
    garbage, created = mailin.ingest(mailbox, b"\x00\x01 this is not a mail at all")
    empty, _ = mailin.ingest(mailbox, b"")
    assert created and garbage.status == InboundStatus.QUARANTINED and garbage.note
    assert bytes(garbage.raw) == b"\x00\x01 this is not a mail at all"  # kept for a person
    assert empty.status == InboundStatus.QUARANTINED
    again, created_again = mailin.ingest(mailbox, b"\x00\x01 this is not a mail at all")
    assert again.pk == garbage.pk and not created_again


def test_attachments_over_the_limit_are_named_not_kept(mailbox, customer, monkeypatch):
    monkeypatch.setattr(mailin, "MAX_ATTACHMENT_BYTES", 1000)
    mail, _ = mailin.ingest(
        mailbox,
        build(
            attachments=[
                ("small.pdf", "application/pdf", b"%PDF-1.4 small"),
                ("big.zip", "application/zip", b"0" * 5000),
            ]
        ),
    )
    assert [a.name for a in mail.attachments.all()] == ["small.pdf"]
    assert mail.skipped_attachments == [{"name": "big.zip", "size": 5000}]
    assert mail.status == InboundStatus.CREATED


def test_an_unreachable_server_is_reported_on_the_mailbox(make_mailbox):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = make_mailbox(host="127.0.0.1", port=port)
    result = mailin.poll_mailbox(box)
    box.refresh_from_db()
    assert result.error and box.last_error == result.error and InboundMail.objects.count() == 0


def test_canned_reply_is_written_from_the_record_with_the_writers_signature(
    mailbox, customer, desk, smtp_server, django_capture_on_commit_callbacks
):
    mail, _ = mailin.ingest(mailbox, build())
    notification = mail.target
    template = ReplyTemplate.objects.create(
        name="上门安排",
        subject="关于{kind}的上门安排",
        body="{salutation}：\n\n您的{kind} {number}（{customer}）当前状态：{status}。{unknown}"
        "\n\n{signature}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        out = mailin.reply_with_template(actor=desk["agent"].user, target=notification, template=template)
    sent = smtp_server[-1]
    assert out.to == ["wangli@shenqi.example.cn"] and out.in_reply_to == mail.message_id
    assert sent["Subject"].strip() == f"[{notification.number}] 关于服务通知单的上门安排"
    body = sent.get_content()
    assert "尊敬的王丽" in body and customer.name in body and notification.status.display_name in body
    assert "{unknown}" in body  # an unknown placeholder stays visible to its author
    assert "陈静" in body and "北京客服部" in body


def test_the_filter_literal_lists_every_status():
    from typing import get_args

    from kefu.channels.api import InboundFilter

    assert set(get_args(InboundFilter)) == {"", "waiting", *InboundStatus.values}


def test_a_mail_whose_intake_fails_is_kept_aside_and_does_not_block_the_mailbox(
    imap_box, customer, monkeypatch
):
    imap_box.deliver(build(subject="好的一封"), build(subject="出错的一封"), build(subject="后面一封"))
    real = mailin._create_record

    def fails_on_one(mailbox, mail, *args, **kwargs):
        if mail.subject == "出错的一封":
            raise RuntimeError("database hiccup")
        return real(mailbox, mail, *args, **kwargs)

    monkeypatch.setattr(mailin, "_create_record", fails_on_one)
    result = mailin.poll_mailbox(imap_box)
    assert result.error == "" and result.fetched == 3 and result.stored == 3
    failed = InboundMail.objects.get(status=InboundStatus.QUARANTINED)
    assert "database hiccup" in failed.note
    assert mailparse.parse(bytes(failed.raw)).subject == "出错的一封"  # the original is kept
    assert sorted(
        InboundMail.objects.filter(status=InboundStatus.CREATED).values_list("subject", flat=True)
    ) == [
        "后面一封",
        "好的一封",
    ]
    imap_box.refresh_from_db()
    assert imap_box.last_uid == 3
    assert mailin.poll_mailbox(imap_box).fetched == 0  # not read again
