from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockMode(models.TextChoices):
    """How a deadline counts: wall-clock minutes, or only minutes inside working hours."""

    REAL = "real", _("Real time")  # 自然时间
    BUSINESS = "business", _("Business time")  # 工作时间


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")  # 法定节假日
    WORKDAY = "workday", _("Make-up workday")  # 调休上班


class DaySource(models.TextChoices):
    LIBRARY = "library", _("chinese-calendar library")
    MANUAL = "manual", _("Entered by an administrator")
