"""Status profiles as data 状态参数文件: statuses, transitions and their guards.

Every status-bearing record (notifications, complaints, accidents, …) points at a Status of a
profile; the one engine in `workflow.engine` moves it. Administrators can add profiles,
statuses and transitions without code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.workflow.choices import Stage


class StatusProfile(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("status profile")
        verbose_name_plural = _("status profiles")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Status(models.Model):
    """A user status 用户状态 (e.g. TZJL 通知建立) within a profile, with the system stage it means."""

    profile = models.ForeignKey(
        StatusProfile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="statuses"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    stage = models.CharField(
        _("system status"), max_length=16, choices=Stage.choices, default=Stage.OUTSTANDING
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_initial = models.BooleanField(_("initial"), default=False)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, help_text=_("Other codes accepted for it.")
    )
    # What a customer reads in the portal instead of the internal code and name (e.g. TZJL →
    # 已受理); empty: the customer sees the label of the system stage.
    customer_label = models.CharField(
        _("label for customers"),
        max_length=60,
        blank=True,
        help_text=_("Shown to customers in the portal instead of the internal status."),
    )
    customer_label_en = models.CharField(_("English label for customers"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        ordering = ["profile", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="workflow_status_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def customer_display(self) -> str:
        """The customer-facing label: the profile's own, else the system stage's (never the code)."""
        from django.utils.translation import get_language

        english = (get_language() or "").startswith("en")
        if english and self.customer_label_en:
            return self.customer_label_en
        if self.customer_label and not english:
            return self.customer_label
        fallback = CUSTOMER_STAGE_LABELS.get(str(self.stage))
        return str(fallback if fallback is not None else Stage(self.stage).label)


# Customer-facing fallbacks per system stage, for statuses without a label of their own.
CUSTOMER_STAGE_LABELS: dict[str, object] = {
    Stage.OUTSTANDING: pgettext_lazy("customer status", "Received"),
    Stage.IN_PROCESS: pgettext_lazy("customer status", "Being handled"),
    Stage.POSTPONED: pgettext_lazy("customer status", "On hold"),
    Stage.COMPLETED: pgettext_lazy("customer status", "Completed"),
}


class Transition(models.Model):
    """An allowed move between two statuses and what it demands.

    `from_status` empty means "from any status of the profile". `allowed_roles` empty means any
    user who may change the record. `required_fields` names inputs (or record fields) that must
    be filled; `is_approval` marks a supervisor's decision, recorded with the approver;
    `notify_department` is mailed when the move is made.
    """

    profile = models.ForeignKey(
        StatusProfile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.ForeignKey(
        Status, verbose_name=_("from"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to_status = models.ForeignKey(Status, verbose_name=_("to"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("action"), max_length=60)
    name_en = models.CharField(_("English action"), max_length=60, blank=True)
    allowed_roles = models.ManyToManyField("org.Role", verbose_name=_("allowed roles"), blank=True)
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    is_approval = models.BooleanField(_("approval step"), default=False)
    notify_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("notify department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    notify_department_kind = models.CharField(
        _("notify department of kind"),
        max_length=32,
        blank=True,
        help_text=_("Resolved per record, e.g. the regional logistics department of the record's branch."),
    )
    # Who gets an in-app notice after the move (e.g. a fault report: the responsible managers), among
    # the holders of these roles who may see the record.
    notify_roles = models.ManyToManyField(
        "org.Role", verbose_name=_("notify roles"), blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["profile", "order", "id"]

    def __str__(self) -> str:
        source = self.from_status.code if self.from_status is not None else "*"
        return f"{self.profile.code}: {source} → {self.to_status.code}"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name
