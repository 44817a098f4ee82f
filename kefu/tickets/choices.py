from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PaymentStatus(models.TextChoices):
    """完款状况 of the referenced sales document: decides Z1 (after) vs Z2 (before full payment)."""

    PAID = "paid", _("Fully paid")  # 已完款
    PARTIAL = "partial", _("Partly paid")  # 部分付款
    UNPAID = "unpaid", _("Not paid")  # 未付款
    UNKNOWN = "unknown", _("Unknown")  # 未知


class Priority(models.TextChoices):
    """SAP priorities 优先级 1–4."""

    VERY_HIGH = "1", _("1 Very high")
    HIGH = "2", _("2 High")
    MEDIUM = "3", _("3 Medium")
    LOW = "4", _("4 Low")


class PartnerRole(models.TextChoices):
    """Partner functions 合作伙伴功能 on a notification."""

    SHIP_TO = "SH", _("Ship-to party")  # 送达方
    SOLD_TO = "SP", _("Sold-to party")  # 售达方
    RESPONSIBLE = "VW", _("Person responsible")  # 负责人
    PAYER = "PY", _("Payer")  # 付款方
    BILL_TO = "BP", _("Bill-to party")  # 收票方
    CONTACT = "AP", _("Contact person")  # 联系人


class ClockKind(models.TextChoices):
    """The two service clocks 服务时钟 of a notification."""

    RESPONSE = "response", _("Response")  # 响应
    RESOLUTION = "resolution", pgettext_lazy("service clock", "Resolution")  # 解决


class ClockFilter(models.TextChoices):
    """The worklist's clock selection (UI and API share it)."""

    LATE = "late", _("Late")  # 已超时
    TODAY = "today", _("Due today")  # 今天到期
