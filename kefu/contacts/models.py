"""Contacts 联系记录 and the call centre 呼叫中心 (DOMAIN §1 首问负责制, §8; issues 13.5 and 14).

Every inbound or outbound contact of any channel is one `Contact` with its first responsible
person 首问负责人, who stays accountable until it is closed, also after a handover 工作联络单.
A phone call is a `Call` hanging off its contact; the PBX reports ring/answer/hang-up as
`CallEvent`s (unique per event id) and the call is re-derived from all its events, so replays
and out-of-order delivery still make one correct call.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.contacts.choices import (
    AttemptOutcome,
    CallEventKind,
    CallOutcome,
    Channel,
    Classification,
    Direction,
    ListPurpose,
    Resolution,
    TaskStatus,
)
from kefu.core.models import TimeStampedModel, VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths, scope_q


class ContactPolicy(models.Model):
    """How long a contact may stay without owner or answer, and the repeat window, per channel.

    A row with a blank channel is the default; an administrator edits these (business rules
    live in the database, not in settings).
    """

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True, unique=True)
    answer_minutes = models.PositiveIntegerField(_("answer within (minutes)"), default=60)
    repeat_days = models.PositiveIntegerField(_("repeat contact window (days)"), default=7)

    class Meta:
        verbose_name = _("contact policy")
        verbose_name_plural = _("contact policies")
        ordering = ["channel"]

    def __str__(self) -> str:
        return self.get_channel_display() or str(_("all channels"))


class ContactQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_staff="owner")

    def visible_to(self, user) -> ContactQuerySet:
        """The centre's contacts, the owner's — and the first responsible's until it is closed."""
        from kefu.org.scope import scope_for

        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.company_wide:
            return self.all()
        q = scope_q(self.scope_paths, scope)
        if scope.staff_id:
            q |= Q(first_responsible_id=scope.staff_id)
        return self.filter(q)


class Contact(VersionedModel):
    """One contact 联系 with a customer through any channel, and who answers for it (首问负责制)."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND
    )
    received_at = models.DateTimeField(pgettext_lazy("contacts", "received at"))
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_records",
    )
    person = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_records",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    sales_office = models.ForeignKey(
        "org.SalesOffice",
        verbose_name=_("responsibility centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    first_responsible = models.ForeignKey(
        "org.Staff",
        verbose_name=_("first responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="first_contacts",
    )
    owner = models.ForeignKey(
        "org.Staff",
        verbose_name=_("current owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_contacts",
    )
    answered_at = models.DateTimeField(pgettext_lazy("contacts", "answered at"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    closed_at = models.DateTimeField(pgettext_lazy("contacts", "closed at"), null=True, blank=True)
    notification = models.ForeignKey(
        "tickets.Notification",
        verbose_name=_("service notification"),
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
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
    )
    # Set by the sweep (and cleared when the reason goes away).
    flag_unowned = models.BooleanField(_("no owner in time"), default=False)
    flag_unanswered = models.BooleanField(_("no answer in time"), default=False)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    # Wrap-up 话后处理 (seed 003 flows)
    classification = models.CharField(
        _("classification"), max_length=12, choices=Classification.choices, blank=True
    )
    resolution = models.CharField(_("resolution"), max_length=12, choices=Resolution.choices, blank=True)
    steps = models.JSONField(_("flow steps"), default=dict, blank=True)
    note = models.TextField(_("wrap-up note"), blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["is_open", "received_at"], name="ctc_open"),
            models.Index(fields=["customer", "received_at"], name="ctc_customer"),
            models.Index(fields=["first_responsible", "is_open"], name="ctc_first"),
            models.Index(fields=["owner", "is_open"], name="ctc_owner"),
            models.Index(fields=["sales_office", "received_at"], name="ctc_office"),
        ]
        permissions = [
            ("answer_call", _("Can answer calls and get screen pops")),
            ("handover_contact", _("Can hand a contact over")),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M} {self.subject}".strip()


class Handover(TimeStampedModel):
    """A work liaison slip 工作联络单: the contact goes to someone else, with why and by when."""

    contact = models.ForeignKey(
        Contact,
        verbose_name=pgettext_lazy("contacts", "contact"),
        on_delete=models.CASCADE,
        related_name="handovers",
    )
    from_staff = models.ForeignKey(
        "org.Staff",
        verbose_name=pgettext_lazy("contacts", "from"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    to_staff = models.ForeignKey(
        "org.Staff",
        verbose_name=pgettext_lazy("contacts", "to"),
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    reason = models.TextField(_("why"))
    due_at = models.DateTimeField(_("answer by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("work liaison slip")
        verbose_name_plural = _("work liaison slips")
        ordering = ["-created_at", "-id"]


class CtiSource(models.Model):
    """A PBX or cloud call centre allowed to post call events, with its shared secret."""

    key = models.CharField(_("key id"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    secret = models.CharField(_("shared secret"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("CTI source")
        verbose_name_plural = _("CTI sources")

    def __str__(self) -> str:
        return self.name


class AgentQueue(models.Model):
    """An agent queue / hunt group 坐席队列: the numbers it answers and the agents in it.

    A ring without an agent extension, or to one of these numbers, pops on every available member
    (connected and not on a call); the first to take it owns the call. Queues are data."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    numbers = models.CharField(
        _("numbers"),
        max_length=200,
        blank=True,
        help_text=_("Hotline or hunt-group numbers the PBX rings this queue on, separated by commas."),
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice",
        verbose_name=_("responsibility centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents"), blank=True, related_name="agent_queues"
    )
    is_default = models.BooleanField(
        _("default queue"), default=False, help_text=_("Takes rings that name no agent and no queue.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agent queue")
        verbose_name_plural = _("agent queues")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def number_list(self) -> list[str]:
        return [n.strip() for n in self.numbers.split(",") if n.strip()]


class AgentPresence(models.Model):
    """When an agent's open Kefu last asked for screen pops: connected = seen in the last seconds."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.seen_at:%H:%M:%S}"


class CallQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="contact__sales_office", owner_staff="contact__owner", owner_user="agent")

    def visible_to(self, user) -> CallQuerySet:
        """The scope's calls, and every call that popped on the user's screen (a queue call)."""
        from kefu.org.scope import scope_for

        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.company_wide:
            return self.all()
        popped = ScreenPop.objects.filter(user=user).values("call_id")
        return self.filter(scope_q(self.scope_paths, scope) | Q(pk__in=popped))


class Call(TimeStampedModel):
    """A phone call 通话 (inbound or outbound), derived from its PBX events or entered by hand."""

    contact = models.OneToOneField(
        Contact,
        verbose_name=pgettext_lazy("contacts", "contact"),
        on_delete=models.CASCADE,
        related_name="call",
    )
    source = models.ForeignKey(
        CtiSource,
        verbose_name=_("CTI source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    external_id = models.CharField(_("call id"), max_length=80, null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND
    )
    number = models.CharField(_("phone"), max_length=40, blank=True, help_text=_("As the PBX sent it."))
    national_number = models.CharField(_("national number"), max_length=20, blank=True, db_index=True)
    candidates = models.JSONField(_("matching customers"), default=list, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ring_at = models.DateTimeField(_("rang at"), null=True, blank=True)
    answer_at = models.DateTimeField(pgettext_lazy("contacts", "answered at"), null=True, blank=True)
    end_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=CallOutcome.choices, default=CallOutcome.RINGING
    )
    queue = models.ForeignKey(
        AgentQueue,
        verbose_name=_("agent queue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    wrapped_up = models.BooleanField(_("wrapped up"), default=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-ring_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="call_external_unique"),
        ]
        indexes = [
            models.Index(fields=["agent", "ring_at"], name="call_agent"),
            models.Index(fields=["ring_at"], name="call_ring"),
        ]

    @property
    def talk_seconds(self) -> int | None:
        if self.answer_at and self.end_at:
            return max(0, int((self.end_at - self.answer_at).total_seconds()))
        return None


class CallEvent(models.Model):
    """One event the PBX posted; the event id is unique, so a replay changes nothing."""

    source = models.ForeignKey(
        CtiSource, verbose_name=_("CTI source"), on_delete=models.CASCADE, related_name="+"
    )
    event_id = models.CharField(_("event id"), max_length=80)
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=CallEventKind.choices)
    at = models.DateTimeField(_("time"))
    agent = models.CharField(_("agent"), max_length=40, blank=True)
    received_at = models.DateTimeField(pgettext_lazy("contacts", "received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "event_id"], name="callevent_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"


class ScreenPop(models.Model):
    """A card waiting for an agent's browser 来电弹屏; the id is the browser's cursor."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="pops")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "id"], name="pop_user_cursor")]
        constraints = [models.UniqueConstraint(fields=["user", "call"], name="pop_once")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.call_id}"


class CallListQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_user="created_by")


class CallList(VersionedModel):
    """An outbound call list 外呼任务: customers to call for one purpose, within calling hours."""

    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(
        pgettext_lazy("contacts", "purpose"),
        max_length=16,
        choices=ListPurpose.choices,
        default=ListPurpose.OTHER,
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    calling_from = models.TimeField(_("call from"), default="09:00")
    calling_until = models.TimeField(_("call until"), default="18:00")
    working_days_only = models.BooleanField(
        _("working days only"),
        default=True,
        help_text=_("No calls on days the work calendar marks as rest days or public holidays."),
    )
    retry_minutes = models.PositiveIntegerField(_("retry after (minutes)"), default=120)
    max_attempts = models.PositiveSmallIntegerField(_("attempts at most"), default=3)
    script = models.TextField(_("call script"), blank=True)
    is_open = models.BooleanField(_("open"), default=True)

    objects = CallListQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbound call list")
        verbose_name_plural = _("outbound call lists")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CallTaskQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="call_list__sales_office", owner_user="agent")


class CallTask(TimeStampedModel):
    """One customer to call on a list, in one agent's queue."""

    call_list = models.ForeignKey(
        CallList, verbose_name=_("call list"), on_delete=models.CASCADE, related_name="tasks"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(pgettext_lazy("contacts", "next attempt"), null=True, blank=True)
    objects = CallTaskQuerySet.as_manager()

    last_outcome = models.CharField(
        _("last outcome"), max_length=14, choices=AttemptOutcome.choices, blank=True
    )
    reference = models.CharField(
        _("reason to call"),
        max_length=120,
        blank=True,
        help_text=_("What the selection found, e.g. a visit due."),
    )

    class Meta:
        verbose_name = _("call task")
        verbose_name_plural = _("call tasks")
        ordering = ["next_attempt_at", "id"]
        constraints = [models.UniqueConstraint(fields=["call_list", "customer"], name="calltask_once")]
        indexes = [
            models.Index(fields=["agent", "status", "next_attempt_at"], name="calltask_queue"),
            models.Index(fields=["call_list", "status"], name="calltask_progress"),
        ]


class CallAttempt(models.Model):
    """One attempt on a task, with its outcome and note."""

    task = models.ForeignKey(
        CallTask, verbose_name=_("call task"), on_delete=models.CASCADE, related_name="attempt_rows"
    )
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=AttemptOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    contact = models.ForeignKey(
        Contact,
        verbose_name=pgettext_lazy("contacts", "contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome}"
