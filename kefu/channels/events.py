"""Timeline event types of the channels app."""

from django.utils.translation import gettext, gettext_lazy

from kefu.timeline.registry import register


def _mail(data: dict) -> str:
    text = f"{data.get('subject', '')} → {', '.join(data.get('to', []))}"
    if data.get("department"):
        text += f" ({data['department']})"
    return text


def _failed(data: dict) -> str:
    return _mail(data) + " · " + gettext("Not delivered; it is retried automatically (see the outbox).")


MAIL_QUEUED = register("mail.queued", gettext_lazy("Mail queued"), describe=_mail, icon="envelope")
MAIL_SENT = register("mail.sent", gettext_lazy("Mail sent"), describe=_mail, icon="envelope-check")
MAIL_FAILED = register(
    "mail.failed", gettext_lazy("Mail failed"), describe=_failed, icon="envelope-exclamation"
)
NOTICE_SENT = register(
    "notice.sent",
    gettext_lazy("Notice sent"),
    describe=lambda d: f"{d.get('recipient', '')}: {d.get('message', '')}",
    icon="bell",
)
MAIL_RECEIVED = register(
    "mail.received",
    gettext_lazy("Mail received"),
    describe=lambda d: f"{d.get('from', '')}: {d.get('subject', '')}",
    icon="envelope-arrow-down",
)
WECHAT_RECEIVED = register(
    "wechat.received",
    gettext_lazy("WeChat message received"),
    describe=lambda d: d.get("content", ""),
    icon="wechat",
)
WECHAT_SENT = register(
    "wechat.sent",
    gettext_lazy("WeChat message sent"),
    describe=lambda d: d.get("text", "") + (f" · {d['error']}" if d.get("error") else ""),
    icon="wechat",
)
WECHAT_CODE_ISSUED = register(
    "wechat.code_issued",
    gettext_lazy("WeChat binding code issued"),
    describe=lambda d: d.get("contact", ""),
    icon="wechat",
)
