"""Fixed classification axes of the customer archive 客户分类 (DOMAIN §2).

Grade rules, anomaly thresholds and pyramid strategies are data (models); these axes are the
vocabulary the seeds fix.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Nature(models.TextChoices):
    """客户性质"""

    # With a context: the shell's "Organisation" is the company structure (组织结构).
    ORGANISATION = "organisation", pgettext_lazy("customer nature", "Organisation")  # 单位客户
    INDIVIDUAL = "individual", pgettext_lazy("customer nature", "Individual")  # 个人客户


class Channel(models.TextChoices):
    """客户渠道 (seed 001: 渠道客户 / 外埠客户 / 终端客户, plus 网络客户)."""

    DEALER = "dealer", _("Channel customer")  # 渠道客户
    OUT_OF_TOWN = "out_of_town", _("Out-of-town customer")  # 外埠客户
    END_USER = "end_user", _("End customer")  # 终端客户
    ONLINE = "online", _("Online customer")  # 网络客户


class Relation(models.TextChoices):
    """业务关系"""

    TRANSACTIONAL = "transactional", _("Transactional")  # 交易型
    CONTRACT = "contract", _("Contract")  # 合同型
    ALLIANCE = "alliance", _("Alliance")  # 联盟型


class Maturity(models.TextChoices):
    """现实客户 / 潜在客户"""

    ACTUAL = "actual", _("Actual customer")
    POTENTIAL = "potential", _("Potential customer")


class Grade(models.TextChoices):
    """A/B/C 类客户 by cooperation time, volume, satisfaction and loyalty."""

    A = "A", _("Grade A")
    B = "B", _("Grade B")
    C = "C", _("Grade C")


class Tier(models.TextChoices):
    """客户金字塔 tiers, from the top of the value ranking down."""

    KEY = "key", _("Key customer")  # 重要客户 top 1 %
    MAJOR = "major", _("Major customer")  # 主要客户 next 19 %
    ORDINARY = "ordinary", _("Ordinary customer")  # 普通客户 next 30 %
    SMALL = "small", _("Small customer")  # 小客户 last 50 %


# Upper bound (cumulative share of customers, in per cent) of each tier, top down.
TIER_SHARES: tuple[tuple[str, int], ...] = (
    (Tier.KEY, 1),
    (Tier.MAJOR, 20),
    (Tier.ORDINARY, 50),
    (Tier.SMALL, 100),
)


class CreditRating(models.TextChoices):
    """资信等级"""

    AAA = "AAA", "AAA"
    AA = "AA", "AA"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class PaymentBehaviour(models.TextChoices):
    """付款情况"""

    PROMPT = "prompt", _("Pays on time")
    SLOW = "slow", _("Sometimes late")
    LATE = "late", _("Often late")
    DEFAULTED = "defaulted", _("Defaulted")


class PartnerFunction(models.TextChoices):
    """合作伙伴功能 (SAP partner functions)."""

    SOLD_TO = "SP", _("Sold-to party")  # 售达方
    SHIP_TO = "SH", _("Ship-to party")  # 送达方
    PAYER = "PY", _("Payer")  # 付款方
    BILL_TO = "BP", _("Bill-to party")  # 收票方
    RESPONSIBLE = "VW", _("Person responsible")  # 负责人


class AnomalyKind(models.TextChoices):
    """异样客户预警 rule kinds; bit values are fixed, they are stored in Customer.anomaly_mask."""

    NO_CONTACT = "no_contact", _("No contact for too long")
    VALUE_DROP = "value_drop", _("Value dropped")
    COMPLAINTS = "complaints", _("Too many complaints")
    # Not a mask bit: raised per survey answer (mean perceived − expected at or below −threshold).
    SATISFACTION = "satisfaction", _("Satisfaction anomaly")


ANOMALY_BITS: dict[str, int] = {
    AnomalyKind.NO_CONTACT: 1,
    AnomalyKind.VALUE_DROP: 2,
    AnomalyKind.COMPLAINTS: 4,
}


class WarningKind(models.TextChoices):
    """What an anomaly warning 异样客户预警 is about (the CustomerWarning list)."""

    LOW_RATING = "low_rating", _("Low rating")
    VALUE_DROP = "value_drop", _("Value dropped")
    SATISFACTION = "satisfaction", _("Satisfaction anomaly")
    NO_CONTACT = "no_contact", _("No contact for too long")
    COMPLAINTS = "complaints", _("Too many complaints")


# The pyramid tiers whose customers are 关键客户 (seed 003: 重要客户 + 主要客户).
KEY_TIERS: tuple[str, ...] = (Tier.KEY, Tier.MAJOR)


class AccessAction(models.TextChoices):
    """What a personal-data access log entry records."""

    REVEAL = "reveal", _("Revealed")
    VIEW = "view", _("Viewed unmasked")
    EXPORT = "export", _("Exported")
    API = "api", _("Read unmasked via API")
    SEARCH = "search", _("Searched by digits while masked")


class SegmentRunStatus(models.TextChoices):
    """Where a customer-segmentation run 客户分类运行 stands."""

    RUNNING = "running", pgettext_lazy("customers", "Running")
    DONE = "done", pgettext_lazy("customers", "Done")
    FAILED = "failed", pgettext_lazy("customers", "Failed")
