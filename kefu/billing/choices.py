from django.db import models
from django.utils.translation import gettext_lazy as _


class QuotationStatus(models.TextChoices):
    """A service quotation 服务报价 (ZFFW) from draft to the customer's decision."""

    DRAFT = "draft", _("Draft")  # 草稿
    OFFERED = "offered", _("Offered to the customer")  # 已报价
    ACCEPTED = "accepted", _("Accepted by the customer")  # 客户确认
    REFUSED = "refused", _("Refused by the customer")  # 客户拒绝


class LineKind(models.TextChoices):
    LABOUR = "labour", _("Labour")  # 人工
    PARTS = "parts", _("Parts")  # 配件
    TRAVEL = "travel", _("Travel")  # 差旅
