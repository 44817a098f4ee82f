"""Service notifications 服务通知单 (DOMAIN §3, seed 004): types, the notification, its items,
append-only long text, attachments, partners, saved worklist views and idempotent API creates."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import TimeStampedModel, VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.customers.choices import Tier
from kefu.tickets.choices import ClockKind, PartnerRole, PaymentStatus, Priority
from kefu.workflow.choices import Stage


class NotificationType(models.Model):
    """A notification type 通知类型 (Z1 客户服务通知, Z2 交货异常, …) with its status profile and
    number range; an administrator adds more (咨询, 有费服务) without code."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    profile = models.ForeignKey(
        "workflow.StatusProfile", verbose_name=_("status profile"), on_delete=models.PROTECT, related_name="+"
    )
    number_range = models.CharField(
        _("number range"), max_length=32, help_text=_("Code of the number range.")
    )
    number_start = models.PositiveBigIntegerField(_("first number"), default=1000000)
    payment_statuses = models.JSONField(
        _("proposed for payment statuses"),
        default=list,
        blank=True,
        help_text=_("This type is proposed when the reference document has one of these payment statuses."),
    )
    reference_label = models.CharField(_("reference document means"), max_length=100, blank=True)
    start_label = models.CharField(_("required start means"), max_length=100, blank=True)
    end_label = models.CharField(_("required end means"), max_length=100, blank=True)
    responsible_label = models.CharField(_("person responsible means"), max_length=100, blank=True)
    default_days = models.PositiveSmallIntegerField(
        _("default days to required end"), default=7, help_text=_("Used to propose the required end.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("notification type")
        verbose_name_plural = _("notification types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class NotificationQuerySet(ScopedQuerySet):
    # Responsibility centre, main work centre, and the technician's own notifications.
    scope_paths = ScopePaths(
        office="sales_office", work_centre="work_centre", owner_staff="responsible", customer="customer"
    )


class Notification(VersionedModel):
    """A service notification 服务通知单 (IW51/IW52): one customer need or complaint, its user status
    from the type's profile, the system status `stage` (kept with the status for fast worklists)."""

    number = models.CharField(_("notification"), max_length=20, unique=True)
    # No single-column index on type, customer, work centre, person responsible or responsibility
    # centre: each leads a composite index below (tk_type_stage_wc, tk_customer, tk_wc_order,
    # tk_resp_order, tk_office_order) that serves its lookups, and every create writes each index.
    type = models.ForeignKey(
        NotificationType, verbose_name=_("notification type"), on_delete=models.PROTECT, db_index=False
    )
    reference_notification = models.ForeignKey(
        "self",
        verbose_name=_("reference notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referenced_by",
    )
    description = models.CharField(pgettext_lazy("tickets", "description"), max_length=100)
    long_text = models.TextField(
        _("long text"), blank=True, help_text=_("All long-text entries, oldest first (append-only).")
    )
    status = models.ForeignKey("workflow.Status", verbose_name=_("user status"), on_delete=models.PROTECT)
    stage = models.CharField(
        _("system status"), max_length=16, choices=Stage.choices, default=Stage.OUTSTANDING
    )
    # Customer and partners (SH ship-to, SP sold-to; VW is the person responsible).
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("ship-to party"),
        on_delete=models.PROTECT,
        related_name="notifications",
        db_index=False,
    )
    sold_to = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("sold-to party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reporter = models.CharField(_("reported by"), max_length=50, blank=True)
    reference_document = models.CharField(_("reference document"), max_length=20, blank=True)
    reference_date = models.DateField(_("reference document date"), null=True, blank=True)
    # 通知日期: the day the customer called, today unless the call is entered later.
    notification_date = models.DateField(_("notification date"), default=timezone.localdate)
    required_start = models.DateField(_("required start"), null=True, blank=True)
    required_end = models.DateField(_("required end"), null=True, blank=True)
    # Organisation 组织数据.
    work_centre = models.ForeignKey(
        "org.WorkCentre", verbose_name=_("main work centre"), on_delete=models.PROTECT, db_index=False
    )
    responsible = models.ForeignKey(
        "org.Staff",
        verbose_name=_("person responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,
    )
    sales_organization = models.ForeignKey(
        "org.SalesOrganization", verbose_name=_("sales organisation"), on_delete=models.PROTECT
    )
    distribution_channel = models.ForeignKey(
        "org.DistributionChannel", verbose_name=_("distribution channel"), on_delete=models.PROTECT
    )
    division = models.ForeignKey("org.Division", verbose_name=_("division"), on_delete=models.PROTECT)
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, db_index=False
    )
    sales_group = models.ForeignKey(
        "org.SalesGroup", verbose_name=_("sales group"), on_delete=models.SET_NULL, null=True, blank=True
    )
    business_area = models.ForeignKey(
        "org.BusinessArea", verbose_name=_("business area"), on_delete=models.PROTECT, null=True, blank=True
    )
    # Functional location 功能位置: the object address wins over the customer's address.
    functional_location = models.CharField(_("functional location"), max_length=30, blank=True)
    object_address = models.CharField(_("object address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    priority = models.CharField(
        _("priority"), max_length=1, choices=Priority.choices, default=Priority.MEDIUM
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    payment_status = models.CharField(
        _("payment status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNKNOWN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Service clocks 服务时钟 (kefu.tickets.clocks): due instants in working time from the matching
    # ServiceTarget, and when each was met. `clock_due` is the running clock's due (response until
    # the first reaction, then resolution; empty once closed), so "late" and "time left" are index
    # ranges; `clock_level` is how far the running clock has been escalated.
    response_due = models.DateTimeField(_("response due"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    clock_due = models.DateTimeField(_("due"), null=True, blank=True)
    clock_warn_at = models.DateTimeField(_("near due from"), null=True, blank=True)
    clock_manager_at = models.DateTimeField(_("escalate to the manager at"), null=True, blank=True)
    clock_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # The work calendar the clocks count on, taken from the target when they start and kept when
    # the target's calendar changes later (blank: the default calendar). Indexed only where set.
    clock_calendar = models.ForeignKey(
        "worktime.WorkCalendar",
        verbose_name=_("clock calendar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text=_("The work calendar the service clocks count on; blank: the default calendar."),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("service notification")
        verbose_name_plural = _("service notifications")
        ordering = ["-urgent", "-created_at", "-id"]
        permissions = [
            ("transition_notification", _("Can change the status of notifications")),
            ("export_notification", _("Can export notifications")),
            ("mail_notification", _("Can mail notifications to departments")),
            ("assign_notification", _("Can assign notifications")),
        ]
        # Worklists show urgent first, newest first, then by id; each selection axis has its own
        # index that ends in that order (id included: PostgreSQL's indexes do not end in the row
        # id as SQLite's do), so any page is an index range scan, never a sort of 1M rows.
        indexes = [
            models.Index(
                fields=["type", "stage", "work_centre", "urgent", "created_at", "id"], name="tk_type_stage_wc"
            ),
            models.Index(fields=["work_centre", "urgent", "created_at", "id"], name="tk_wc_order"),
            models.Index(fields=["sales_office", "urgent", "created_at", "id"], name="tk_office_order"),
            models.Index(fields=["responsible", "urgent", "created_at", "id"], name="tk_resp_order"),
            # Dispatch order 派工 (urgent first, earliest required start): the dispatch board of a
            # work centre and a technician's jobs without an appointment walk these, never sort.
            models.Index(
                fields=["work_centre", "-urgent", "required_start", "created_at", "id"], name="tk_wc_dispatch"
            ),
            models.Index(
                fields=["responsible", "-urgent", "required_start", "created_at", "id"],
                name="tk_resp_dispatch",
            ),
            # Stage-led indexes carry the scope columns: a centre user's counts (workbench tiles)
            # and stage lists test their scope in the index, without reading a row per entry.
            models.Index(
                fields=["stage", "urgent", "created_at", "id", "sales_office", "work_centre", "responsible"],
                name="tk_stage_order",
            ),
            models.Index(fields=["customer", "created_at"], name="tk_customer"),
            models.Index(fields=["urgent", "created_at", "id"], name="tk_order"),
            models.Index(
                fields=["stage", "required_end", "sales_office", "work_centre", "responsible"],
                name="tk_overdue",
            ),
            models.Index(fields=["reference_document"], name="tk_refdoc"),
            # Service clocks: only running clocks are indexed (partial), in "time left" order.
            models.Index(
                fields=["clock_due", "id", "sales_office", "work_centre", "responsible"],
                condition=models.Q(clock_due__isnull=False),
                name="tk_clock_due",
            ),
            models.Index(
                fields=["work_centre", "clock_due", "id"],
                condition=models.Q(clock_due__isnull=False),
                name="tk_wc_clock",
            ),
            models.Index(
                fields=["responsible", "clock_due", "id"],
                condition=models.Q(clock_due__isnull=False),
                name="tk_resp_clock",
            ),
            models.Index(
                fields=["clock_level", "clock_due"],
                condition=models.Q(clock_due__isnull=False),
                name="tk_clock_esc1",
            ),
            models.Index(
                fields=["clock_level", "clock_manager_at"],
                condition=models.Q(clock_manager_at__isnull=False),
                name="tk_clock_esc2",
            ),
            models.Index(
                fields=["clock_calendar"],
                condition=models.Q(clock_calendar__isnull=False),
                name="tk_clock_calendar",
            ),
            models.Index(fields=["notification_date", "type", "stage"], name="tk_notif_date"),
            # PostgreSQL only (others skip covering indexes): a keyword's thousands of matches are
            # scoped and sorted from this index alone; only the page's rows are then read.
            models.Index(
                fields=["id"],
                include=["urgent", "created_at", "sales_office", "work_centre", "responsible"],
                name="tk_keyword_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description}"

    # Set in memory by create_notification, never stored: the call was an idempotent replay, and
    # what it just wrote (so the response needs no re-read).
    replayed: bool = False
    just_written: dict | None = None

    # --- the workflow engine's protocol -------------------------------------------------
    def workflow_profile(self):
        return self.type.profile

    def department_for_kind(self, kind: str):
        from kefu.org.models import Department

        qs = Department.objects.filter(kind=kind, is_active=True)
        return qs.filter(sales_organization=self.sales_organization_id).first() or qs.first()

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return bool(
            self.required_end
            and self.stage in Stage.open_values()
            and self.required_end < timezone.localdate()
        )


class ServiceTarget(models.Model):
    """Response and resolution targets 服务时效 per notification type × priority × customer tier,
    in working minutes on the target's work calendar (blank: the default one, e.g. a 7×24 calendar
    for a key customers' hotline). Blank means "any"; the most specific row wins (a type match
    beats a priority match beats a tier match). Edited in the admin."""

    type = models.ForeignKey(
        NotificationType,
        verbose_name=_("notification type"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_targets",
        help_text=_("Blank: any."),
    )
    priority = models.CharField(
        _("priority"), max_length=1, choices=Priority.choices, blank=True, help_text=_("Blank: any.")
    )
    customer_tier = models.CharField(
        _("customer tier"), max_length=10, choices=Tier.choices, blank=True, help_text=_("Blank: any.")
    )
    response_minutes = models.PositiveIntegerField(
        _("response within (working minutes)"),
        help_text=_("First reaction: the status leaves the initial one, or a visit is agreed or started."),
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (working minutes)"), help_text=_("Until the notification is completed.")
    )
    warn_percent = models.PositiveSmallIntegerField(
        _("near due in the last (per cent)"),
        default=25,
        validators=[MaxValueValidator(100)],
        help_text=_("The clock turns amber when this share of the target is left."),
    )
    manager_after_minutes = models.PositiveIntegerField(
        _("escalate to the manager after (working minutes)"),
        default=240,
        help_text=_("Counted from the due time; the supervisor is told at the due time."),
    )
    calendar = models.ForeignKey(
        "worktime.WorkCalendar",
        verbose_name=_("work calendar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_targets",
        help_text=_("Blank: the default calendar."),
    )

    class Meta:
        verbose_name = _("service target")
        verbose_name_plural = _("service targets")
        ordering = ["type__order", "type__code", "priority", "customer_tier"]

    def __str__(self) -> str:
        code = self.type.code if self.type is not None else "*"
        return f"{code}/{self.priority or '*'}/{self.customer_tier or '*'}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        same = ServiceTarget.objects.filter(
            type=self.type_id, priority=self.priority, customer_tier=self.customer_tier
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError(_("A target for this type, priority and tier exists already."))
        short = _("The resolution target must not be shorter than the response target.")
        if (
            self.response_minutes is not None
            and self.resolution_minutes is not None
            and self.resolution_minutes < self.response_minutes
        ):
            raise ValidationError({"resolution_minutes": short})


class ClockEscalation(models.Model):
    """One escalation of one late service clock to one level; unique, so the sweep is idempotent."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="clock_escalations")
    clock = models.CharField(
        pgettext_lazy("service clock", "clock"), max_length=10, choices=ClockKind.choices
    )
    level = models.PositiveSmallIntegerField(_("level"))
    due = models.DateTimeField(_("due"))
    escalated_at = models.DateTimeField(_("escalated at"))
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        verbose_name = _("clock escalation")
        verbose_name_plural = _("clock escalations")
        ordering = ["-escalated_at"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "clock", "level"], name="tk_clock_escalated_once")
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.clock} {self.level}"


class Item(TimeStampedModel):
    """An item 项目 (例2): one material concerned, its product type, colour, quantity and reason."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("item"), default=1)
    product_type = models.ForeignKey(
        "catalog.ProductType", verbose_name=_("product type"), on_delete=models.PROTECT, null=True, blank=True
    )
    colour = models.ForeignKey(
        "catalog.ColourCode", verbose_name=_("colour code"), on_delete=models.PROTECT, null=True, blank=True
    )
    material = models.ForeignKey(
        "catalog.Material", verbose_name=_("material"), on_delete=models.PROTECT, null=True, blank=True
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reason = models.ForeignKey(
        "catalog.ReasonCode", verbose_name=_("reason code"), on_delete=models.PROTECT, null=True, blank=True
    )
    reason_text = models.CharField(_("reason text"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["notification", "position"]
        constraints = [models.UniqueConstraint(fields=["notification", "position"], name="tk_item_position")]

    def __str__(self) -> str:
        return f"{self.position}"


class LongTextEntry(models.Model):
    """One entry of the long text 长文本, with author and time; entries are never rewritten."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="text_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(_("author"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("time"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("long-text entry")
        verbose_name_plural = _("long-text entries")
        ordering = ["notification", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


def attachment_path(instance, filename: str) -> str:
    from uuid import uuid4

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"tickets/{instance.notification_id}/{uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A file on a notification (photos of damage, the signed service form)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["notification", "created_at"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """A partner 合作伙伴 of the notification beyond SH/SP/VW on the header (payer, contact …)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="partners")
    function = models.CharField(_("partner function"), max_length=2, choices=PartnerRole.choices)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["notification", "function"]

    def __str__(self) -> str:
        return f"{self.function} {self.name}"


class SavedView(models.Model):
    """A named worklist view 编辑清单变式: the selections (query string) and the chosen columns."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("selections"), max_length=1000, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="tk_view_unique_name")]

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """An API create's `Idempotency-Key`: a retry with the same key returns the same notification."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="tk_idempotency_unique")]

    def __str__(self) -> str:
        return self.key


class DisputeQuerySet(ScopedQuerySet):
    # Seen as its notification is seen (centre, work centre, own); the office sees all (company scope).
    scope_paths = ScopePaths(
        office="notification__sales_office",
        work_centre="notification__work_centre",
        owner_staff="notification__responsible",
        customer="notification__customer",
    )


DISPUTE_PROFILE = "XZ"


class Dispute(VersionedModel):
    """A disagreement between departments 跨部门协作分歧 over a service notification (seed 004):
    the requesting department leads the service; when the departments it needs disagree and the
    work cannot go on, the positions go to the office 办公室, which rules. The ruling is recorded
    here and enforced on the notification (its person responsible; the responsible department and
    the supervising department are told), through the one workflow engine (profile XZ)."""

    notification = models.ForeignKey(
        "tickets.Notification",
        verbose_name=_("notification"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    status = models.ForeignKey("workflow.Status", verbose_name=_("status"), on_delete=models.PROTECT)
    requesting_department = models.ForeignKey(
        "org.Department", verbose_name=_("requesting department"), on_delete=models.PROTECT, related_name="+"
    )
    other_departments = models.ManyToManyField(
        "org.Department", verbose_name=_("departments in disagreement"), related_name="+"
    )
    issue = models.TextField(_("disagreement"))
    positions = models.TextField(_("positions of the departments"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    ruling = models.TextField(_("ruling"), blank=True)
    responsible_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("responsible department (ruled)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible = models.ForeignKey(
        "org.Staff",
        verbose_name=_("person responsible (ruled)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    supervising_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("supervising department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ruled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cross-department dispute")
        verbose_name_plural = _("cross-department disputes")
        ordering = ["-created_at", "-pk"]
        permissions = [("rule_dispute", _("Can rule on disputes between departments (office)"))]
        indexes = [models.Index(fields=["status", "created_at"], name="tk_dispute_status")]

    def __str__(self) -> str:
        return f"{self.notification.number} {self.issue[:30]}"

    def workflow_profile(self):
        from kefu.workflow.models import StatusProfile

        return StatusProfile.objects.get(code=DISPUTE_PROFILE)
