"""Fixed vocabularies of return visits and receptions (DOMAIN §6, seeds 003 and 004)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    """What makes a rule plan a visit."""

    SCHEDULE = "schedule", _("Scheduled (by tier, grade and project age)")
    COMPLAINT_CLOSED = "complaint_closed", _("After a closed complaint")
    LOW_RATING = "low_rating", _("After a low rating")
    MANUAL = "manual", _("Planned by hand")


class Method(models.TextChoices):
    PHONE = "phone", _("Phone visit")  # 电话回访
    ON_SITE = "on_site", _("On-site visit")  # 上门回访


class OwnerFrom(models.TextChoices):
    """Who owns the generated visit (key customers: the key-account manager)."""

    KEY_ACCOUNT_MANAGER = "key_account_manager", _("Key-account manager, else the responsible staff")
    RESPONSIBLE = "responsible", _("Responsible staff")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def colour(cls, value: str) -> str:
        colours: dict[str, str] = {cls.PLANNED: "warning", cls.DONE: "success", cls.CANCELLED: "dark"}
        return colours.get(value, "secondary")


class FollowUpKind(models.TextChoices):
    NOTIFICATION = "notification", _("Service notification")
    COMPLAINT = "complaint", _("Complaint")


class Purpose(models.TextChoices):
    """The five purposes of a customer's visit to the company (seed 003)."""

    INSPECT = "inspect", _("Inspect the company")  # 考察企业
    NEGOTIATE = "negotiate", _("Project negotiation")  # 项目洽谈
    GOODS = "goods", _("Goods status")  # 了解货物情况
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    PERSONAL = "personal", _("Personal contact")  # 人际沟通


# Tiers whose customers are key customers 关键客户 (seed 003: 重要客户 + 主要客户).
KEY_TIERS = ("key", "major")
