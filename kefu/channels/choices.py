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
