"""Management 管理与考核 (DOMAIN §9, seeds 002/004/000): appraisal indicators as data, scorecards per
period and person or centre, the archive of monthly supervision reports and the Friday weekly
reports. This app reads other apps through their queries; it writes only its own tables."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kefu.core.models import Digits, TimeStampedModel, VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.reports.choices import AppliesTo, CardStatus, IndicatorKind, WeeklyStatus

POINTS: Digits = {"max_digits": 7, "decimal_places": 2}


class Cockpit(models.Model):
    """No rows: carries the permission to open the manager's cockpit 管理驾驶舱."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_cockpit", _("Can open the manager's cockpit"))]

    def __str__(self) -> str:
        return str(_("Cockpit"))


class Indicator(models.Model):
    """An appraisal indicator 考核指标: a formula over Kefu's records (or an item the supervisor
    scores), its weight, and the values at which it earns nothing and full marks."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    formula = models.CharField(
        _("formula"), max_length=32, blank=True, help_text=_("Code of the formula (measured indicators).")
    )
    group = models.CharField(pgettext_lazy("reports", "group"), max_length=30, blank=True)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo.choices)
    weight = models.DecimalField(
        _("weight (points)"), **POINTS, validators=[MinValueValidator(Decimal(0))], default=Decimal(10)
    )
    zero_at = models.DecimalField(_("no points at"), max_digits=12, decimal_places=2, null=True, blank=True)
    full_at = models.DecimalField(_("full points at"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("appraisal indicator")
        verbose_name_plural = _("appraisal indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class GradeBand(models.Model):
    """A grade 等级 and the lowest score (of 100) that earns it."""

    grade = models.CharField(_("grade"), max_length=2, unique=True)
    min_score = models.DecimalField(_("from score"), **POINTS)
    label = models.CharField(_("label"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"{self.grade} ≥ {self.min_score}"


class ScorecardQuerySet(ScopedQuerySet):
    # A manager sees the cards of the centres they manage; everyone sees their own card.
    scope_paths = ScopePaths(office="sales_office", owner_staff="staff")


class Scorecard(VersionedModel):
    """One appraisal 考核表 for one month: of a staff member (staff set) or of a responsibility
    centre (staff empty). Figures are recomputed until the appraised person signs the card off."""

    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("appraised"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CardStatus.choices, default=CardStatus.COMPUTED
    )
    score = models.DecimalField(_("score"), **POINTS, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=2, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    supervisor_comment = models.CharField(_("supervisor's comment"), max_length=500, blank=True)
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    staff_comment = models.CharField(_("comment of the appraised"), max_length=500, blank=True)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["-period_start", "sales_office", "staff"]
        permissions = [("rate_scorecard", _("Can compute and rate scorecards"))]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "staff"], condition=Q(staff__isnull=False), name="rp_card_staff"
            ),
            models.UniqueConstraint(
                fields=["period_start", "sales_office"],
                condition=Q(staff__isnull=True),
                name="rp_card_centre",
            ),
        ]

    def __str__(self) -> str:
        who = self.staff.name if self.staff is not None else str(self.sales_office)
        return f"{self.period_start:%Y-%m} {who}"

    @property
    def is_centre(self) -> bool:
        return self.staff_id is None


class ScorecardLine(models.Model):
    """One indicator on one card: the measured value (with numerator and denominator where it is a
    rate) or the supervisor's points; points are empty ("—") when there is no data."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    weight = models.DecimalField(_("weight (points)"), **POINTS)
    points = models.DecimalField(_("points"), **POINTS, null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard line")
        verbose_name_plural = _("scorecard lines")
        ordering = ["scorecard", "indicator__order", "indicator__code"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "indicator"], name="rp_line_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class ReportRecipient(models.Model):
    """Who receives the monthly supervision report 服务监督报告 (the general manager, by default)."""

    name = models.CharField(_("name"), max_length=50)
    email = models.EmailField(_("e-mail"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report recipient")
        verbose_name_plural = _("report recipients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def report_path(instance, filename: str) -> str:
    return f"reports/supervision/{instance.period_start:%Y-%m}-{instance.pk or 'new'}.pdf"


class SupervisionReport(TimeStampedModel):
    """An archived monthly service supervision report 服务监督报告 (统计报表及分析档案): the PDF as it
    was generated, its period, and when it was mailed."""

    period_start = models.DateField(_("period from"), unique=True)
    period_end = models.DateField(_("period to"))
    file = models.FileField(_("file"), upload_to=report_path)
    size = models.PositiveIntegerField(_("size"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service supervision report")
        verbose_name_plural = _("service supervision reports")
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m}"


class WeeklyReportQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_staff="staff")


class WeeklyReport(VersionedModel):
    """The Friday weekly report 周报 of one person: drafted from the week's data, completed with
    their remarks and submitted for the Friday afternoon meeting."""

    week_start = models.DateField(_("week from"))
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("staff"), on_delete=models.PROTECT, related_name="+"
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    done = models.TextField(pgettext_lazy("reports", "work done"), blank=True)
    problems = models.TextField(_("problems and customer feedback"), blank=True)
    plan = models.TextField(_("plan for next week"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WeeklyStatus.choices, default=WeeklyStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = WeeklyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week_start", "staff"]
        constraints = [models.UniqueConstraint(fields=["week_start", "staff"], name="rp_weekly_unique")]

    def __str__(self) -> str:
        return f"{self.week_start} {self.staff_id}"


class CockpitSnapshot(models.Model):
    """When the cockpit's pre-aggregated counts were last rebuilt by the sweep."""

    taken_at = models.DateTimeField(_("taken at"))
    today = models.DateField(_("as of day"))

    class Meta:
        verbose_name = _("cockpit snapshot")
        verbose_name_plural = _("cockpit snapshots")

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M}"


class CockpitCellQuerySet(ScopedQuerySet):
    # The notification's own scope paths: a cell is visible exactly when its notifications are.
    scope_paths = ScopePaths(office="sales_office", work_centre="work_centre", owner_staff="responsible")


class CockpitCell(models.Model):
    """One pre-aggregated count of the cockpit (rebuilt by a sweep, read at a million rows):
    open notifications per centre, work centre, person responsible, status and age bucket, or
    notifications received / completed per centre, work centre, person and day. The columns
    carry the notification's own scope columns, so the one scope rule filters them as it filters
    notifications."""

    KIND_BACKLOG, KIND_IN, KIND_OUT = "backlog", "in", "out"
    # received notifications per reason code / product type (code_id) and first-response hour (bucket)
    KIND_REASON, KIND_PRODUCT, KIND_RESPONSE = "reason", "product", "response"

    kind = models.CharField(max_length=8)
    sales_office = models.ForeignKey("org.SalesOffice", on_delete=models.CASCADE, related_name="+")
    work_centre = models.ForeignKey("org.WorkCentre", on_delete=models.CASCADE, related_name="+")
    responsible = models.ForeignKey("org.Staff", on_delete=models.CASCADE, null=True, related_name="+")
    status = models.ForeignKey("workflow.Status", on_delete=models.CASCADE, null=True, related_name="+")
    bucket = models.PositiveSmallIntegerField(default=0)
    day = models.DateField(null=True)
    count = models.PositiveIntegerField(default=0)
    code_id = models.PositiveIntegerField(null=True)
    due = models.PositiveIntegerField(default=0)  # completed with a required end
    on_time = models.PositiveIntegerField(default=0)  # ... on or before it

    objects = CockpitCellQuerySet.as_manager()

    class Meta:
        verbose_name = _("cockpit count")
        verbose_name_plural = _("cockpit counts")
        indexes = [models.Index(fields=["kind", "day"], name="rp_cell_kind_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.count}"
