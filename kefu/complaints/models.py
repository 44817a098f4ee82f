"""Complaints 客诉, service accidents 物流服务事故, carriers 承运商 and their clocks (DOMAIN §4, §5).

Complaints and accidents are status-bearing records of the one workflow engine (profiles KS
and SG, shipped as data). Every step has a stored deadline computed by the one clock
(`kefu.worktime.clock`) from StepTimeLimit rows, so the escalation task only compares stored
times and survives any downtime.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.complaints.choices import (
    AccidentKind,
    AccidentSeverity,
    CarrierStatus,
    CauseClass,
    ComplaintSeverity,
    ContentClass,
    EscalationLevel,
    HandledVia,
    HandlingMethod,
    QualityFeedback,
    ReceivedVia,
    Responsibility,
    Satisfaction,
)
from kefu.core.models import Digits, TimeStampedModel, VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.worktime.choices import ClockMode

MONEY: Digits = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]

COMPLAINT_PROFILE = "KS"
ACCIDENT_PROFILE = "SG"


class StepClockMixin(models.Model):
    """The running clock of the current step: stored deadline, escalation time and level."""

    step_seq = models.PositiveIntegerField(_("step number"), default=1)
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True)
    step_deadline = models.DateTimeField(_("step deadline"), null=True, blank=True)
    step_manager_at = models.DateTimeField(_("escalate to the manager at"), null=True, blank=True)
    step_clock_mode = models.CharField(
        _("clock"), max_length=10, choices=ClockMode.choices, default=ClockMode.REAL
    )
    step_calendar = models.ForeignKey(
        "worktime.WorkCalendar",
        verbose_name=_("work calendar"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    is_open = models.BooleanField(_("open"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        abstract = True


class Carrier(VersionedModel):
    """A carrier 承运商 in the carrier archive 承运商档案: basic data and cooperation data."""

    code = models.CharField(_("carrier code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    license_number = models.CharField(_("road transport licence"), max_length=50, blank=True)
    transport_modes = models.CharField(_("transport modes"), max_length=100, blank=True)
    service_regions = models.CharField(_("service regions"), max_length=200, blank=True)
    fleet_size = models.PositiveIntegerField(_("vehicles"), null=True, blank=True)
    status = models.CharField(
        _("cooperation status"), max_length=12, choices=CarrierStatus.choices, default=CarrierStatus.ACTIVE
    )
    cooperation_since = models.DateField(_("cooperating since"), null=True, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=50, blank=True)
    contract_until = models.DateField(_("contract valid until"), null=True, blank=True)
    insured = models.BooleanField(_("carries cargo insurance"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CarrierTraining(TimeStampedModel):
    """A training given to a carrier's staff 承运商培训."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.CASCADE, related_name="trainings"
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=100)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    result = models.CharField(_("result"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("carrier training")
        verbose_name_plural = _("carrier trainings")
        ordering = ["-held_on"]


class CarrierAppraisal(TimeStampedModel):
    """A periodic appraisal 承运商考核 of a carrier: on-time and damage rates and a score."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.CASCADE, related_name="appraisals"
    )
    period = models.CharField(_("period"), max_length=20, help_text=_("e.g. 2026-Q3"))
    on_time_rate = models.DecimalField(
        _("on-time rate %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    damage_rate = models.DecimalField(
        _("damage rate %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    grade = models.CharField(_("grade"), max_length=2, blank=True)
    comment = models.CharField(pgettext_lazy("carrier", "comment"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("carrier appraisal")
        verbose_name_plural = _("carrier appraisals")
        ordering = ["-period"]


class StepTimeLimit(models.Model):
    """How long a step may take 运作时效: per status × severity × customer tier/grade, as data.

    The most specific row wins (severity and tier/grade match beat blanks, which mean "any").
    """

    status = models.ForeignKey(
        "workflow.Status", verbose_name=_("step (status)"), on_delete=models.CASCADE, related_name="+"
    )
    severity = models.CharField(
        _("severity"),
        max_length=10,
        blank=True,
        help_text=_("Blank: any. Complaint or accident severity code."),
    )
    customer_tier = models.CharField(
        _("customer tier"), max_length=10, blank=True, help_text=_("Blank: any.")
    )
    customer_grade = models.CharField(
        _("customer grade"), max_length=1, blank=True, help_text=_("Blank: any.")
    )
    minutes = models.PositiveIntegerField(_("time limit (minutes)"))
    mode = models.CharField(_("clock"), max_length=10, choices=ClockMode.choices, default=ClockMode.BUSINESS)
    calendar = models.ForeignKey(
        "worktime.WorkCalendar",
        verbose_name=_("work calendar"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    manager_after_minutes = models.PositiveIntegerField(
        _("escalate to the manager after (minutes)"),
        default=60,
        help_text=_("Counted from the deadline, in the same clock."),
    )

    class Meta:
        verbose_name = _("step time limit")
        verbose_name_plural = _("step time limits")
        ordering = ["status__profile", "status__order", "severity", "customer_tier"]

    def __str__(self) -> str:
        return (
            f"{self.status} {self.severity or '*'}/{self.customer_tier or '*'}/{self.customer_grade or '*'}"
        )


class AccidentThreshold(models.Model):
    """A loss threshold 损失金额标准: loss strictly over `amount` gives `severity` and a report.

    Seed 003: over 1,000 yuan → report to the next management level; over 10,000 yuan → HQ audit.
    "Over" (超过) is strictly greater: 1,000.00 is still general.
    """

    severity = models.CharField(_("severity"), max_length=10, choices=AccidentSeverity.choices, unique=True)
    amount = models.DecimalField(_("loss over (CNY)"), **MONEY, validators=NON_NEGATIVE)
    report_to_kind = models.CharField(_("report to department of kind"), max_length=32, blank=True)
    report_to_role = models.CharField(_("notify role"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("accident threshold")
        verbose_name_plural = _("accident thresholds")
        ordering = ["amount"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} > {self.amount}"


class ComplaintQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_staff="owner")


class Complaint(StepClockMixin, VersionedModel):
    """A complaint 客诉, i.e. the complaint report form 客诉状况报告表 as a record."""

    number = models.CharField(_("complaint number"), max_length=20, unique=True)
    status = models.ForeignKey(
        "workflow.Status", verbose_name=_("status"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("system status"), max_length=16, default="outstanding")
    # 受理
    received_at = models.DateTimeField(_("received at"))
    received_via = models.CharField(
        _("received through"), max_length=10, choices=ReceivedVia.choices, default=ReceivedVia.HOTLINE
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="complaints"
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "org.Staff",
        verbose_name=_("handler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notification = models.ForeignKey(
        "tickets.Notification",
        verbose_name=_("service notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
    )
    sales_document = models.CharField(_("sales document"), max_length=20, blank=True)
    shipment = models.CharField(_("shipment / delivery note"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=100)
    # 记录 (客诉状况报告表)
    content_class = models.CharField(
        _("complaint content"), max_length=10, choices=ContentClass.choices, blank=True
    )
    cause_class = models.CharField(
        _("complaint cause"), max_length=10, choices=CauseClass.choices, blank=True
    )
    is_product_quality = models.BooleanField(_("product quality complaint"), default=False)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=ComplaintSeverity.choices, default=ComplaintSeverity.NORMAL
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    # customer class at receipt (priority handling of key accounts)
    is_key_account = models.BooleanField(_("key account"), default=False)
    customer_tier = models.CharField(_("customer tier"), max_length=10, blank=True)
    customer_grade = models.CharField(_("customer grade"), max_length=1, blank=True)
    # 判断是否成立
    is_valid = models.BooleanField(_("complaint valid"), null=True, blank=True)
    validity_reason = models.TextField(_("validity reasoning"), blank=True)
    # 处理部门, 原因, 方案, 批示
    handling_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("handling department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cause_analysis = models.TextField(_("cause analysis"), blank=True)
    proposed_plan = models.TextField(_("proposed plan"), blank=True)
    director_decision = models.TextField(_("marketing director's decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(pgettext_lazy("complaints", "decided at"), null=True, blank=True)
    # 处理, 结案
    handling_actions = models.TextField(_("handling actions"), blank=True)
    handled_via = models.CharField(_("handled by"), max_length=10, choices=HandledVia.choices, blank=True)
    closing_summary = models.TextField(_("closing summary"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    satisfaction = models.CharField(
        _("customer satisfaction"), max_length=1, choices=Satisfaction.choices, blank=True
    )
    # 品管反馈
    material = models.ForeignKey(
        "catalog.Material",
        verbose_name=_("material"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    material_code = models.CharField(_("material number"), max_length=20, blank=True)
    material_name = models.CharField(_("material description"), max_length=100, blank=True)
    quality_feedback = models.CharField(
        _("quality feedback"), max_length=10, choices=QualityFeedback.choices, blank=True
    )
    quality_feedback_at = models.DateTimeField(_("passed to quality at"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [
            # worklist: open first, key accounts first, then by the step deadline. Descending on
            # is_open, so the list of all (open and closed) is read in its order too, not sorted;
            # the open list and its overdue part read the is_open = true range of it. ("Overdue
            # only" had an index of its own, cmp_due: SQLite read every overdue row from it and
            # sorted them for page one.)
            models.Index(fields=["-is_open", "-is_key_account", "step_deadline", "id"], name="cmp_worklist"),
            models.Index(
                fields=["sales_office", "is_open", "-is_key_account", "step_deadline"],
                name="cmp_office_worklist",
            ),
            models.Index(fields=["owner", "is_open", "step_deadline"], name="cmp_owner_worklist"),
            # the escalation sweep: open, not yet escalated to this level, due
            models.Index(fields=["is_open", "escalation_level", "step_deadline"], name="cmp_escalate_1"),
            models.Index(fields=["is_open", "escalation_level", "step_manager_at"], name="cmp_escalate_2"),
            models.Index(fields=["received_at"], name="cmp_received"),
            models.Index(fields=["customer", "received_at"], name="cmp_customer"),
            models.Index(fields=["material_code", "received_at"], name="cmp_material"),
        ]
        permissions = [
            ("decide_complaint", _("Can decide complaint handling plans")),
            ("view_complaint_reports", _("Can see complaint and accident reports")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def workflow_profile(self):
        from kefu.complaints.flows import profile

        return profile(COMPLAINT_PROFILE)


class ComplaintFollowUp(TimeStampedModel):
    """A follow-up record 跟进记录 written by the CS supervisor while the complaint is handled."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    via = models.CharField(_("through"), max_length=10, choices=HandledVia.choices, default=HandledVia.PHONE)
    note = models.TextField(_("note"))

    class Meta:
        verbose_name = _("follow-up record")
        verbose_name_plural = _("follow-up records")
        ordering = ["-at", "-id"]


class AccidentQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_staff="owner")


class Accident(StepClockMixin, VersionedModel):
    """A logistics service accident 物流服务事故 between acceptance and the customer's signature."""

    number = models.CharField(_("accident number"), max_length=20, unique=True)
    status = models.ForeignKey(
        "workflow.Status", verbose_name=_("status"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("system status"), max_length=16, default="outstanding")
    kind = models.CharField(pgettext_lazy("complaints", "kind"), max_length=10, choices=AccidentKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=200)
    shipment = models.CharField(_("shipment / delivery note"), max_length=20, blank=True)
    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("carrier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accidents",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accidents",
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accidents",
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "org.Staff",
        verbose_name=_("handler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accidents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"))
    is_insured = models.BooleanField(_("insured"), default=False)
    insurer = models.CharField(_("insurer"), max_length=100, blank=True)
    estimated_loss = models.DecimalField(
        _("estimated loss (CNY)"), **MONEY, default=Decimal("0.00"), validators=NON_NEGATIVE
    )
    final_loss = models.DecimalField(
        _("final loss (CNY)"), **MONEY, null=True, blank=True, validators=NON_NEGATIVE
    )
    responsibility = models.CharField(
        _("responsibility"),
        max_length=14,
        choices=Responsibility.choices,
        default=Responsibility.UNDETERMINED,
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=AccidentSeverity.choices, default=AccidentSeverity.GENERAL
    )
    # 30分钟报告本单位负责人
    report_due_at = models.DateTimeField(_("report due at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported to the unit head at"), null=True, blank=True)
    reported_to = models.ForeignKey(
        "org.Staff",
        verbose_name=_("unit head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    initial_measures = models.TextField(_("initial measures"), blank=True)
    handling_method = models.CharField(
        _("main handling method"), max_length=20, choices=HandlingMethod.choices, blank=True
    )
    amount_claimed = models.DecimalField(_("amount claimed (CNY)"), **MONEY, default=Decimal("0.00"))
    amount_recovered = models.DecimalField(_("amount recovered (CNY)"), **MONEY, default=Decimal("0.00"))
    closing_note = models.TextField(_("closing note"), blank=True)

    objects = AccidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("service accident")
        verbose_name_plural = _("service accidents")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["is_open", "step_deadline"], name="acc_due"),
            models.Index(fields=["is_open", "escalation_level", "step_deadline"], name="acc_escalate_1"),
            models.Index(fields=["is_open", "escalation_level", "step_manager_at"], name="acc_escalate_2"),
            models.Index(fields=["sales_office", "is_open", "step_deadline"], name="acc_office_worklist"),
            models.Index(fields=["occurred_at"], name="acc_occurred"),
            models.Index(fields=["carrier", "occurred_at"], name="acc_carrier"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def loss(self) -> Decimal:
        """The loss that decides severity: the final loss once known, else the estimate."""
        return self.final_loss if self.final_loss is not None else self.estimated_loss

    def workflow_profile(self):
        from kefu.complaints.flows import profile

        return profile(ACCIDENT_PROFILE)


class AccidentAction(TimeStampedModel):
    """One handling action 处理措施 of an accident, with the amounts claimed and recovered."""

    accident = models.ForeignKey(
        Accident, verbose_name=_("accident"), on_delete=models.CASCADE, related_name="actions"
    )
    method = models.CharField(_("handling method"), max_length=20, choices=HandlingMethod.choices)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    counterparty = models.CharField(_("counterparty"), max_length=100, blank=True)
    amount_claimed = models.DecimalField(
        _("amount claimed (CNY)"), **MONEY, default=Decimal("0.00"), validators=NON_NEGATIVE
    )
    amount_recovered = models.DecimalField(
        _("amount recovered (CNY)"), **MONEY, default=Decimal("0.00"), validators=NON_NEGATIVE
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("accident handling action")
        verbose_name_plural = _("accident handling actions")
        ordering = ["-at", "-id"]


class AccidentReport(models.Model):
    """A loss report made once per threshold (上一级管理部门, 总公司监察部门); unique, so never twice."""

    accident = models.ForeignKey(
        Accident, verbose_name=_("accident"), on_delete=models.CASCADE, related_name="reports"
    )
    severity = models.CharField(_("severity"), max_length=10, choices=AccidentSeverity.choices)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    loss = models.DecimalField(_("loss reported (CNY)"), **MONEY)
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("accident loss report")
        verbose_name_plural = _("accident loss reports")
        constraints = [models.UniqueConstraint(fields=["accident", "severity"], name="acc_report_once")]

    def __str__(self) -> str:
        return f"{self.accident_id} {self.severity} {self.loss}"


class Escalation(models.Model):
    """One escalation of one late step to one level; the unique constraints make the task idempotent."""

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="escalations",
    )
    accident = models.ForeignKey(
        Accident,
        verbose_name=_("accident"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="escalations",
    )
    step_seq = models.PositiveIntegerField(_("step number"))
    status_code = models.CharField(_("step"), max_length=10)
    level = models.PositiveSmallIntegerField(_("level"), choices=EscalationLevel.choices)
    deadline = models.DateTimeField(_("deadline"))
    escalated_at = models.DateTimeField(_("escalated at"))
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-escalated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "step_seq", "level"],
                name="esc_complaint_once",
                condition=models.Q(complaint__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["accident", "step_seq", "level"],
                name="esc_accident_once",
                condition=models.Q(accident__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["escalated_at"], name="esc_time")]

    def __str__(self) -> str:
        return f"{self.status_code} L{self.level} @ {self.escalated_at:%Y-%m-%d %H:%M}"
