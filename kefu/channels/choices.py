from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    """Delivery state of an outbound mail 外发邮件; failed mail stays visible and is retried."""

    QUEUED = "queued", _("Queued")  # 待发送
    SENT = "sent", _("Sent")  # 已发送
    FAILED = "failed", _("Failed")  # 发送失败

    @classmethod
    def colour(cls, value: str) -> str:
        colours: dict[str, str] = {cls.QUEUED: "secondary", cls.SENT: "success", cls.FAILED: "danger"}
        return colours.get(value, "secondary")


class InboundKind(models.TextChoices):
    """What a new mail of a mailbox becomes when no keyword rule says otherwise."""

    NOTIFICATION = "notification", _("Service notification")  # 服务通知单
    COMPLAINT = "complaint", _("Complaint")  # 客诉


class InboundStatus(models.TextChoices):
    """What became of an incoming mail 来信; everything but `done`/`threaded`/`loop` needs a person."""

    CREATED = "created", _("New record")  # 已建单
    THREADED = "threaded", _("Added to its record")  # 已归档到原单
    UNMATCHED = "unmatched", _("Sender unknown")  # 发件人未识别
    QUARANTINED = "quarantined", _("Could not be read")  # 无法解析
    LOOP = "loop", _("Automatic mail, not answered")  # 自动邮件/退信
    DISMISSED = "dismissed", _("Dismissed")  # 已处理

    @classmethod
    def colour(cls, value: str) -> str:
        colours: dict[str, str] = {
            cls.CREATED: "success",
            cls.THREADED: "info",
            cls.UNMATCHED: "warning",
            cls.QUARANTINED: "danger",
            cls.LOOP: "secondary",
            cls.DISMISSED: "secondary",
        }
        return colours.get(value, "secondary")

    @classmethod
    def needs_person(cls) -> list[str]:
        return [cls.UNMATCHED, cls.QUARANTINED]
