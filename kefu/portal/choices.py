from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", _("From the customer")  # 客户留言
    REPLY = "reply", _("Public reply")  # 公开回复


# What a customer may ask for in the portal, and the notification type it becomes.
class RequestKind(models.TextChoices):
    REPAIR = "repair", _("Repair or after-sales service")  # 维修/售后服务
    INSTALL = "install", _("Installation")  # 安装
    DELIVERY = "delivery", _("Delivery problem")  # 送货问题
    ENQUIRY = "enquiry", _("Question")  # 咨询


REQUEST_TYPE_CODES = {
    RequestKind.REPAIR: "Z1",
    RequestKind.INSTALL: "Z1",
    RequestKind.DELIVERY: "Z2",
    RequestKind.ENQUIRY: "Z1",
}
