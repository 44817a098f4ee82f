"""Fixed classifications of complaints and accidents (DOMAIN §4, §5; seeds 001, 003)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceivedVia(models.TextChoices):
    """How the complaint reached us 受理渠道."""

    HOTLINE = "hotline", _("400 hotline")  # 400电话
    PHONE = "phone", _("Phone")  # 电话
    EMAIL = "email", _("E-mail")  # 邮件
    ONLINE = "online", _("Online message")  # 在线留言
    WECHAT = "wechat", _("WeChat")  # 微信
    VISIT = "visit", _("Visit")  # 来访
    LETTER = "letter", _("Letter")  # 信函
    STAFF = "staff", _("Reported by staff")  # 员工反映


class ContentClass(models.TextChoices):
    """Complaint content 投诉内容 (seed 003)."""

    CONTRACT = "contract", _("Contract")  # 合同投诉
    QUALITY = "quality", _("Quality")  # 质量投诉
    SERVICE = "service", _("Service")  # 服务投诉
    LOGISTICS = "logistics", _("Logistics process")  # 物流环节投诉


class CauseClass(models.TextChoices):
    """Why the customer complains 投诉原因 (seed 003)."""

    RESULT = "result", _("Dissatisfied with the result")  # 结果不满
    PROCESS = "process", _("Dissatisfied with the process")  # 过程不满


class ComplaintSeverity(models.TextChoices):
    NORMAL = "normal", _("Normal")  # 一般
    SERIOUS = "serious", _("Serious")  # 较重
    MAJOR = "major", _("Major")  # 重大 (上报经理)


class HandledVia(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    ON_SITE = "on_site", _("On site")
    OTHER = "other", _("Other")


class Satisfaction(models.TextChoices):
    """The customer's satisfaction with the outcome 处理结果满意度."""

    VERY_SATISFIED = "5", _("Very satisfied")
    SATISFIED = "4", _("Satisfied")
    NEUTRAL = "3", _("Neutral")
    DISSATISFIED = "2", _("Dissatisfied")
    VERY_DISSATISFIED = "1", _("Very dissatisfied")


class QualityFeedback(models.TextChoices):
    NONE = "", _("Not passed to quality")
    SENT = "sent", _("Passed to quality")  # 已反馈品管
    RESOLVED = "resolved", _("Problem stopped")  # 问题已不再发生


class AccidentKind(models.TextChoices):
    """Service accident by nature 事故性质 (seed 003)."""

    DELAY = "delay", _("Delay")  # 晚点
    DAMAGE = "damage", _("Damage")  # 破损
    LOSS = "loss", _("Loss")  # 丢失


class Responsibility(models.TextChoices):
    THIRD_PARTY = "third_party", _("Third party")  # 第三方原因
    INTERNAL = "internal", _("Internal")  # 企业内部原因
    UNDETERMINED = "undetermined", _("Not yet determined")  # 待定


class AccidentSeverity(models.TextChoices):
    """By loss amount 按损失金额 (seed 003); the limits are data (AccidentThreshold)."""

    GENERAL = "general", _("General")  # 一般事故
    MAJOR = "major", _("Major")  # 重大事故
    SEVERE = "severe", _("Severe")  # 特大事故

    @classmethod
    def rank(cls, value: str) -> int:
        return {cls.GENERAL: 0, cls.MAJOR: 1, cls.SEVERE: 2}.get(value, 0)


class HandlingMethod(models.TextChoices):
    """Accident handling 事故处理方法 (seed 003)."""

    APOLOGY = "apology", _("Apology")  # 致歉
    COMPENSATION = "compensation", _("Compensation by contract")  # 依约赔偿
    INSURANCE = "insurance", _("Insurance claim")  # 保险理赔
    THIRD_PARTY_CLAIM = "third_party_claim", _("Claim against the third party")  # 向第三方索赔
    LITIGATION = "litigation", _("Litigation")  # 诉讼
    SUBROGATION = "subrogation", _("Insurer's subrogation")  # 保险代位求偿


class CarrierStatus(models.TextChoices):
    ACTIVE = "active", _("Cooperating")  # 合作中
    PROBATION = "probation", _("On probation")  # 考察期
    SUSPENDED = "suspended", _("Suspended")  # 暂停合作


class EscalationLevel(models.IntegerChoices):
    SUPERVISOR = 1, _("Supervisor")  # 主管
    MANAGER = 2, _("Manager")  # 经理
