"""Fixed classifications of complaints and accidents (DOMAIN §4, §5; seeds 001, 003)."""

from django.db import models
from django.utils.translation import pgettext_lazy

# Labels carry the context "complaints": short words (质量投诉) must not take other apps' words.


class ReceivedVia(models.TextChoices):
    """How the complaint reached us 受理渠道."""

    HOTLINE = "hotline", pgettext_lazy("complaints", "400 hotline")  # 400电话
    PHONE = "phone", pgettext_lazy("complaints", "Phone")  # 电话
    EMAIL = "email", pgettext_lazy("complaints", "E-mail")  # 邮件
    ONLINE = "online", pgettext_lazy("complaints", "Online message")  # 在线留言
    WECHAT = "wechat", pgettext_lazy("complaints", "WeChat")  # 微信
    VISIT = "visit", pgettext_lazy("complaints", "Visit")  # 来访
    LETTER = "letter", pgettext_lazy("complaints", "Letter")  # 信函
    STAFF = "staff", pgettext_lazy("complaints", "Reported by staff")  # 员工反映


class ContentClass(models.TextChoices):
    """Complaint content 投诉内容 (seed 003)."""

    CONTRACT = "contract", pgettext_lazy("complaints", "Contract")  # 合同投诉
    QUALITY = "quality", pgettext_lazy("complaints", "Quality")  # 质量投诉
    SERVICE = "service", pgettext_lazy("complaints", "Service")  # 服务投诉
    LOGISTICS = "logistics", pgettext_lazy("complaints", "Logistics process")  # 物流环节投诉


class CauseClass(models.TextChoices):
    """Why the customer complains 投诉原因 (seed 003)."""

    RESULT = "result", pgettext_lazy("complaints", "Dissatisfied with the result")  # 结果不满
    PROCESS = "process", pgettext_lazy("complaints", "Dissatisfied with the process")  # 过程不满


class ComplaintSeverity(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("complaints", "Normal")  # 一般
    SERIOUS = "serious", pgettext_lazy("complaints", "Serious")  # 较重
    MAJOR = "major", pgettext_lazy("complaints", "Major")  # 重大 (上报经理)


class HandledVia(models.TextChoices):
    PHONE = "phone", pgettext_lazy("complaints", "Phone")
    EMAIL = "email", pgettext_lazy("complaints", "E-mail")
    ON_SITE = "on_site", pgettext_lazy("complaints", "On site")
    OTHER = "other", pgettext_lazy("complaints", "Other")


class Satisfaction(models.TextChoices):
    """The customer's satisfaction with the outcome 处理结果满意度."""

    VERY_SATISFIED = "5", pgettext_lazy("complaints", "Very satisfied")
    SATISFIED = "4", pgettext_lazy("complaints", "Satisfied")
    NEUTRAL = "3", pgettext_lazy("complaints", "Neutral")
    DISSATISFIED = "2", pgettext_lazy("complaints", "Dissatisfied")
    VERY_DISSATISFIED = "1", pgettext_lazy("complaints", "Very dissatisfied")


class QualityFeedback(models.TextChoices):
    NONE = "", pgettext_lazy("complaints", "Not passed to quality")
    SENT = "sent", pgettext_lazy("complaints", "Passed to quality")  # 已反馈品管
    RESOLVED = "resolved", pgettext_lazy("complaints", "Problem stopped")  # 问题已不再发生


class AccidentKind(models.TextChoices):
    """Service accident by nature 事故性质 (seed 003)."""

    DELAY = "delay", pgettext_lazy("complaints", "Delay")  # 晚点
    DAMAGE = "damage", pgettext_lazy("complaints", "Damage")  # 破损
    LOSS = "loss", pgettext_lazy("complaints", "Loss")  # 丢失


class Responsibility(models.TextChoices):
    THIRD_PARTY = "third_party", pgettext_lazy("complaints", "Third party")  # 第三方原因
    INTERNAL = "internal", pgettext_lazy("complaints", "Internal")  # 企业内部原因
    UNDETERMINED = "undetermined", pgettext_lazy("complaints", "Not yet determined")  # 待定


class AccidentSeverity(models.TextChoices):
    """By loss amount 按损失金额 (seed 003); the limits are data (AccidentThreshold)."""

    GENERAL = "general", pgettext_lazy("complaints", "General")  # 一般事故
    MAJOR = "major", pgettext_lazy("complaints", "Major")  # 重大事故
    SEVERE = "severe", pgettext_lazy("complaints", "Severe")  # 特大事故

    @classmethod
    def rank(cls, value: str) -> int:
        ranks: dict[str, int] = {cls.GENERAL: 0, cls.MAJOR: 1, cls.SEVERE: 2}
        return ranks.get(value, 0)


class HandlingMethod(models.TextChoices):
    """Accident handling 事故处理方法 (seed 003)."""

    APOLOGY = "apology", pgettext_lazy("complaints", "Apology")  # 致歉
    COMPENSATION = "compensation", pgettext_lazy("complaints", "Compensation by contract")  # 依约赔偿
    INSURANCE = "insurance", pgettext_lazy("complaints", "Insurance claim")  # 保险理赔
    THIRD_PARTY_CLAIM = (
        "third_party_claim",
        pgettext_lazy("complaints", "Claim against the third party"),
    )  # 向第三方索赔
    LITIGATION = "litigation", pgettext_lazy("complaints", "Litigation")  # 诉讼
    SUBROGATION = "subrogation", pgettext_lazy("complaints", "Insurer's subrogation")  # 保险代位求偿


class CarrierStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("complaints", "Cooperating")  # 合作中
    PROBATION = "probation", pgettext_lazy("complaints", "On probation")  # 考察期
    SUSPENDED = "suspended", pgettext_lazy("complaints", "Suspended")  # 暂停合作


class EscalationLevel(models.IntegerChoices):
    SUPERVISOR = 1, pgettext_lazy("complaints", "Supervisor")  # 主管
    MANAGER = 2, pgettext_lazy("complaints", "Manager")  # 经理
