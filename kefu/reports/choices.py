from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorKind(models.TextChoices):
    """Measured from Kefu's records by a formula, or scored by the supervisor (table 2-7)."""

    MEASURED = "measured", _("Measured")
    RATED = "rated", _("Rated by the supervisor")


class AppliesTo(models.TextChoices):
    STAFF = "staff", _("Service staff")
    CENTRE = "centre", _("Responsibility centre")
    BOTH = "both", _("Staff and centre")


class CardStatus(models.TextChoices):
    """Computed 已计算 → rated 已评分 → signed by the appraised 已签认."""

    COMPUTED = "computed", _("Computed")
    RATED = "rated", pgettext_lazy("reports", "Rated")
    SIGNED = "signed", _("Signed off")


class WeeklyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
