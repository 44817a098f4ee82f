"""Return-visit rules 回访计划, visits 回访 with their follow-ups, and receptions 客户接待记录 (DOMAIN §6).

A rule is data edited by the relationship supervisor; the generator turns rules into visits with
one row per customer and plan key (a month for scheduled visits, the source record for event
visits), so running it twice makes no duplicates. A visit's problems become notifications or
complaints owned by whoever owns the problem, linked back by VisitFollowUp. A reception is a
status-bearing record of the one workflow engine (profile JD: submitted, reviewed, returned).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import TimeStampedModel, VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.core.validation import no_control_characters
from kefu.customers.choices import Grade, Tier
from kefu.visits.choices import FollowUpKind, Method, OwnerFrom, Purpose, Trigger, VisitStatus

RECEPTION_PROFILE = "JD"


class VisitRule(VersionedModel):
    """A return-visit rule: which customers are visited, how often, how, and by whom.

    Blank tier/grade/segment mean "any". Project age is counted in whole months from the customer's
    cooperation start (the delivery of its first project, seed 004); a scheduled rule plans a
    visit in a month when the age is a multiple of `every_months`. The first matching rule (by
    `order`) wins for a customer and month.
    """

    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices, default=Trigger.SCHEDULE)
    tier = models.CharField(_("pyramid tier"), max_length=10, choices=Tier.choices, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    # A customer segment 客户分类 (a cluster of one segmentation run); blank means any. The run a
    # rule names is kept when newer runs replace it, so the condition never silently widens.
    segment = models.ForeignKey(
        "customers.Segment",
        verbose_name=_("customer segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_rules",
    )
    min_months = models.PositiveSmallIntegerField(_("project age from (months)"), null=True, blank=True)
    max_months = models.PositiveSmallIntegerField(
        _("project age below (months)"), null=True, blank=True, help_text=_("Blank: no upper bound.")
    )
    every_months = models.PositiveSmallIntegerField(
        _("every (months)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.PHONE)
    due_workdays = models.PositiveSmallIntegerField(
        _("due within (work days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    owner_from = models.CharField(
        _("owner"), max_length=24, choices=OwnerFrom.choices, default=OwnerFrom.KEY_ACCOUNT_MANAGER
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("return-visit rule")
        verbose_name_plural = _("return-visit rules")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class VisitQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_staff="owner")


class Visit(VersionedModel):
    """One return visit 回访 of a customer: planned with a due time and an owner, then recorded."""

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits"
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "org.Staff",
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    rule = models.ForeignKey(
        VisitRule, verbose_name=_("rule"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_key = models.CharField(_("plan key"), max_length=40)
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    is_key = models.BooleanField(_("key customer"), default=False)
    due_at = models.DateTimeField(pgettext_lazy("visits", "due"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    performed_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_person = models.CharField(_("spoke with"), max_length=50, blank=True)
    summary = models.TextField(_("what was said"), blank=True)
    needs = models.TextField(_("needs and plans"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    card = models.JSONField(_("customer data card"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        permissions = [("view_visit_report", _("Can see the return-visit work report"))]
        ordering = ["-is_key", "due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "plan_key"], name="visits_visit_one_per_plan_key")
        ]
        indexes = [
            models.Index(fields=["owner", "status", "-is_key", "due_at"], name="visits_owner_key_due"),
            models.Index(
                fields=["sales_office", "status", "-is_key", "due_at"], name="visits_office_key_due"
            ),
            models.Index(fields=["status", "performed_at"], name="visits_performed"),
            models.Index(fields=["status", "-is_key", "due_at"], name="visits_status_key_due"),
        ]

    def __str__(self) -> str:
        return f"{self.customer.name} {self.due_at:%Y-%m-%d}"


class VisitFollowUp(TimeStampedModel):
    """A problem found on a visit, passed to its owner as a notification or complaint (谁的问题谁负责)."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FollowUpKind.choices)
    description = models.CharField(_("problem"), max_length=200)
    owner = models.ForeignKey(
        "org.Staff",
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notification = models.ForeignKey(
        "tickets.Notification",
        verbose_name=_("notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit follow-up")
        verbose_name_plural = _("visit follow-ups")
        ordering = ["pk"]


class ReceptionQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_user="created_by")


class Reception(VersionedModel):
    """A customer's visit to the company 客户接待记录表 (seed 003), reviewed by the relationship head."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="receptions"
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.ForeignKey("workflow.Status", verbose_name=_("status"), on_delete=models.PROTECT)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    started_at = models.DateTimeField(_("arrived at"))
    ended_at = models.DateTimeField(_("left at"), null=True, blank=True)
    visitors = models.CharField(_("visitors"), max_length=200)
    attendees = models.CharField(_("our attendees"), max_length=200, blank=True)
    conversation = models.TextField(_("conversation"))
    answers = models.TextField(_("answers given"), blank=True)
    contacts_confirmed = models.BooleanField(_("contact details confirmed with the customer"), default=False)
    cost = models.DecimalField(
        _("reception cost (CNY)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ReceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("reception record")
        verbose_name_plural = _("reception records")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.customer.name}"

    def workflow_profile(self):
        from kefu.workflow.models import StatusProfile

        return StatusProfile.objects.get(code=RECEPTION_PROFILE)


class ReceptionQuestion(TimeStampedModel):
    """An open question left by a reception 遗留问题, tracked until answered by its deadline."""

    reception = models.ForeignKey(
        Reception, verbose_name=_("reception"), on_delete=models.CASCADE, related_name="questions"
    )
    question = models.CharField(_("question"), max_length=200, validators=[no_control_characters])
    deadline = models.DateField(_("answer by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("open question")
        verbose_name_plural = _("open questions")
        ordering = ["deadline", "pk"]
