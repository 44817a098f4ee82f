from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The system status 系统状态 a user status belongs to; lists and KPIs group by it."""

    OUTSTANDING = "outstanding", _("Outstanding")  # 未结
    IN_PROCESS = "in_process", _("In process")  # 正在处理
    POSTPONED = "postponed", _("Postponed")  # 推迟
    COMPLETED = "completed", _("Completed")  # 已完成
    CANCELLED = "cancelled", _("Cancelled")  # 已取消

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.OUTSTANDING, cls.IN_PROCESS, cls.POSTPONED]

    @classmethod
    def colour(cls, value: str) -> str:
        colours: dict[str, str] = {
            cls.OUTSTANDING: "warning",
            cls.IN_PROCESS: "primary",
            cls.POSTPONED: "secondary",
            cls.COMPLETED: "success",
            cls.CANCELLED: "dark",
        }
        return colours.get(value, "secondary")
