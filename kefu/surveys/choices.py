"""Fixed vocabularies of satisfaction (DOMAIN §7, seeds 002, 003 and 004)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Factor(models.TextChoices):
    """The five factors of logistics customer satisfaction (seed 003)."""

    ENTERPRISE = "enterprise", _("Enterprise")  # 企业因素
    PRODUCT = "product", _("Product")  # 产品因素
    MARKETING_SERVICE = "marketing_service", _("Marketing and service system")  # 营销与服务体系因素
    COMMUNICATION = "communication", _("Communication")  # 沟通因素
    CARE = "care", _("Customer care")  # 客户关怀因素


class AnswerKind(models.TextChoices):
    SCALE = "scale", _("Score 1–5")
    GAP = "gap", _("Expected and perceived (1–5 each)")
    TEXT = "text", _("Free text")


class ServiceKind(models.TextChoices):
    NOTIFICATION = "notification", _("Service notification")
    COMPLAINT = "complaint", _("Complaint")


class Collected(models.TextChoices):
    VISIT = "visit", _("On a return visit")
    PHONE = "phone", _("By phone")
    MAIL = "mail", _("By mail or letter")
    ONLINE = "online", _("Online")


LOW_STARS = 2  # a rating of 1 or 2 stars raises the anomaly warning
