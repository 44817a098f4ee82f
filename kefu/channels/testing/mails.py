"""Raw mails for tests and benchmarks, built the way real mail programs build them."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone


def build(
    *,
    sender: str = "王丽 <wangli@shenqi.example.cn>",
    to: str = "kefu.bj@example.com",
    subject: str = "活动柜锁坏了，请安排维修",
    text: str = "您好，我们办公室的活动柜锁坏了，钥匙打不开，请尽快派人维修。",
    html: str | None = None,
    message_id: str | None = None,
    in_reply_to: str = "",
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    charset: str = "utf-8",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="shenqi.example.cn")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text, charset=charset)
    if html is not None:
        message.add_alternative(html, subtype="html", charset=charset)
    for name, ctype, content in attachments:
        main, sub = ctype.split("/", 1)
        message.add_attachment(content, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()
