"""Customer archive 客户档案 (DOMAIN §2): master data, contacts, service addresses, partners,
classification (grade, value pyramid), anomaly warning inputs and the personal-data access log.

Other apps feed the value measure and the anomaly inputs through `customers.services`
(`add_value`, `note_contact`, `note_complaint`), never by writing these fields themselves.
"""

from __future__ import annotations

import re
from decimal import Decimal

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import Digits, TimeStampedModel, VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.core.search import Tail
from kefu.customers.choices import (
    AccessAction,
    AnomalyKind,
    Channel,
    CreditRating,
    Grade,
    Maturity,
    Nature,
    PartnerFunction,
    PaymentBehaviour,
    Relation,
    SegmentRunStatus,
    Tier,
    WarningKind,
)

number_validator = RegexValidator(r"^\d{10}$", _("A customer number has exactly 10 digits."))
postal_code_validator = RegexValidator(r"^\d{6}$", _("A postal code has 6 digits."))
MONEY: Digits = {"max_digits": 16, "decimal_places": 2}
MOBILE_TAIL = 4  # digits of a mobile a masked reader sees (138****5678) and may search by
_PHONE_CHARS = re.compile(r"^\+?[0-9][0-9\- ()]*$")


def phone_problem(value: str, *, mobile: bool = False) -> str | None:
    """Why `value` is not a usable Chinese phone number, or None (landline 7–12 digits, mobile 1[3-9] + 9)."""
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _PHONE_CHARS.match(value.strip()):
        return str(_("Only digits, spaces, '-', '+' and brackets are allowed."))
    if mobile or (len(digits) == 11 and digits.startswith("1")):
        if not re.fullmatch(r"1[3-9]\d{9}", digits) or _number_type(digits) not in _MOBILE_TYPES:
            return str(_("A mobile number has 11 digits and starts with 13–19."))
        return None
    if not 7 <= len(digits) <= 12:
        return str(_("A phone number has 7 to 12 digits."))
    return None


# The numbering plan of China, from libphonenumber's metadata (phonenumberslite): a mobile must be
# in a range that is allocated to mobiles, not only look like one.
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _number_type(digits: str) -> int | None:
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.number_type(number) if phonenumbers.is_valid_number(number) else None


def clean_phones(obj: models.Model, fields: dict[str, bool], errors: dict | None = None) -> None:
    """Raise a ValidationError naming every phone field (name → is mobile) that is not valid."""
    errors = dict(errors or {})
    for name, mobile in fields.items():
        problem = phone_problem(getattr(obj, name), mobile=mobile)
        if problem:
            errors[name] = [problem]
    if errors:
        raise ValidationError(errors)


class CustomerQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_staff="responsible", customer="pk")


class Customer(VersionedModel):
    """A customer 客户 with a 10-digit number (e.g. 2110050007), owned by one responsibility centre."""

    number = models.CharField(_("customer number"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    nature = models.CharField(_("nature"), max_length=16, choices=Nature.choices, default=Nature.ORGANISATION)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[postal_code_validator]
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice",
        verbose_name=_("responsibility centre"),
        on_delete=models.PROTECT,
        related_name="customers",
        db_index=False,  # led by cust_office_number: one index less to write per row
    )
    responsible = models.ForeignKey(
        "org.Staff",
        verbose_name=_("responsible staff"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        db_index=False,  # led by cust_resp_number
    )

    # 基本资料
    mobile = models.CharField(_("mobile"), max_length=30, blank=True)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=30, blank=True, help_text=_("Resident ID or unified social credit code.")
    )
    business_scope = models.TextField(_("business scope"), blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (CNY)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    region = models.CharField(
        _("region"), max_length=50, blank=True, help_text=_("Province and city, e.g. 北京市朝阳区.")
    )
    # 分类
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.END_USER)
    relation = models.CharField(
        _("business relation"), max_length=16, choices=Relation.choices, default=Relation.TRANSACTIONAL
    )
    maturity = models.CharField(
        _("maturity"), max_length=16, choices=Maturity.choices, default=Maturity.ACTUAL
    )
    cooperation_since = models.DateField(_("cooperating since"), null=True, blank=True)
    needs = models.TextField(_("needs information"), blank=True)
    # 资信
    credit_rating = models.CharField(
        _("credit rating"), max_length=4, choices=CreditRating.choices, blank=True
    )
    credit_limit = models.DecimalField(
        _("credit limit (CNY)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    payment_behaviour = models.CharField(
        _("payment behaviour"), max_length=16, choices=PaymentBehaviour.choices, blank=True
    )
    credit_notes = models.TextField(_("credit investigation notes"), blank=True)
    # 大客户
    is_key_account = models.BooleanField(_("key account"), default=False)
    key_account_manager = models.ForeignKey(
        "org.Staff",
        verbose_name=_("key-account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_accounts",
        db_index=False,  # led by cust_kam_number
    )
    is_active = models.BooleanField(_("active"), default=True)

    # 分级输入: volume 通货量, satisfaction and loyalty scores (0–100), fed by visits/surveys.
    volume = models.DecimalField(_("volume"), **MONEY, default=Decimal(0))
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (0–100)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    loyalty = models.PositiveSmallIntegerField(
        _("brand loyalty (0–100)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    grade_computed = models.CharField(_("grade by rules"), max_length=1, choices=Grade.choices, blank=True)
    grade_override = models.CharField(
        _("grade set manually"), max_length=1, choices=Grade.choices, blank=True
    )
    grade_override_reason = models.CharField(_("reason for the manual grade"), max_length=200, blank=True)
    grade_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grade set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    grade_override_at = models.DateTimeField(_("grade set at"), null=True, blank=True)

    # 客户金字塔: value of the current and the previous period (revenue or profit, CNY).
    value_amount = models.DecimalField(_("value (current period)"), **MONEY, default=Decimal(0))
    value_previous = models.DecimalField(_("value (previous period)"), **MONEY, default=Decimal(0))
    tier = models.CharField(_("pyramid tier"), max_length=10, choices=Tier.choices, blank=True)

    # 异样客户预警 inputs, fed by tickets, complaints, visits and channels.
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    open_complaints = models.PositiveIntegerField(_("open complaints"), default=0)
    complaints_90d = models.PositiveIntegerField(_("complaints in 90 days"), default=0)
    anomaly_mask = models.PositiveSmallIntegerField(_("warnings"), default=0)
    anomaly_since = models.DateTimeField(_("flagged since"), null=True, blank=True)

    # The sales-value feed (MonthlySales), summed by `services.recompute_values`: value_amount is
    # then the average monthly sales over the policy's window, these the last two quarters.
    sales_quarter = models.DecimalField(_("sales last quarter"), **MONEY, default=Decimal(0))
    sales_quarter_previous = models.DecimalField(_("sales previous quarter"), **MONEY, default=Decimal(0))
    sales_through = models.DateField(_("sales counted through"), null=True, blank=True)
    # Seed 004: average monthly sales at or over the policy's minimum makes a key account 大客户.
    key_by_sales = models.BooleanField(_("key account by sales"), default=False)
    # 关键客户 (seed 003: tiers 重要 + 主要, a key account by hand or by sales): kept by the recompute
    # service so worklists can order key customers first from an index.
    is_key = models.BooleanField(_("key customer"), default=False)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["number"]
        permissions = [
            ("view_personal_data", _("Can see customer phone, e-mail and address unmasked")),
            ("reveal_personal_data", _("Can reveal a customer's personal data, giving a reason")),
            ("export_customer", _("Can export customers")),
            ("import_customer", _("Can import customers")),
            ("classify_customer", _("Can set grades and recompute the classification")),
            ("view_access_log", _("Can see the personal-data access log")),
        ]
        # Worklist orders are by number; each filter axis gets (axis, number) so a filtered
        # first page is an index range scan, not a sort of a million rows.
        indexes = [
            # Incoming mail finds its sender's customer by address (kefu.channels mail intake).
            models.Index(Lower("email"), name="customers_customer_email_ci"),
            # A masked reader finds a customer by the mobile's last four digits, the ones shown.
            models.Index(Tail("mobile", MOBILE_TAIL), name="cust_mobile_tail"),
            models.Index(fields=["sales_office", "number"], name="cust_office_number"),
            models.Index(fields=["responsible", "number"], name="cust_resp_number"),
            models.Index(fields=["grade", "number"], name="cust_grade_number"),
            models.Index(fields=["tier", "number"], name="cust_tier_number"),
            models.Index(fields=["channel", "number"], name="cust_channel_number"),
            models.Index(fields=["region", "number"], name="cust_region_number"),
            models.Index(fields=["anomaly_mask", "number"], name="cust_anomaly_number"),
            models.Index(fields=["value_amount", "id"], name="cust_value_rank"),
            models.Index(fields=["key_account_manager", "number"], name="cust_kam_number"),
            models.Index(fields=["is_key", "number"], name="cust_is_key_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.number and not re.match(number_validator.regex, self.number):
            errors["number"] = [number_validator.message]
        if self.key_account_manager_id and not self.is_key_account:
            errors["key_account_manager"] = [_("Only a key account has a key-account manager.")]
        clean_phones(self, {"phone": False, "mobile": True, "fax": False}, errors)

    @property
    def pyramid_tier(self) -> str:
        return self.get_tier_display() if self.tier else ""


class Contact(TimeStampedModel):
    """A contact person 联系人 of a customer; one of them is the primary contact."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name", "id"]
        # Incoming mail finds its sender's contact by address (kefu.channels mail intake).
        indexes = [models.Index(Lower("email"), name="customers_contact_email_ci")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        clean_phones(self, {"phone": False, "mobile": True})


class ServiceAddress(TimeStampedModel):
    """A service address 功能位置 (functional location): where service happens if not at the main address."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="service_addresses"
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. FL-01"))
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[postal_code_validator]
    )
    region = models.CharField(_("region"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("service address")
        verbose_name_plural = _("service addresses")
        ordering = ["-is_default", "code"]
        constraints = [models.UniqueConstraint(fields=["customer", "code"], name="cust_address_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        clean_phones(self, {"contact_phone": False})


class CustomerPartner(TimeStampedModel):
    """A partner link 合作伙伴 (SP 售达方, SH 送达方, PY 付款方, VW 负责人 …) to another customer."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="partners"
    )
    function = models.CharField(_("partner function"), max_length=2, choices=PartnerFunction.choices)
    partner = models.ForeignKey(
        Customer, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="partner_of"
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["function", "id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "function", "partner"], name="cust_partner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.function} {self.partner_id}"


class GradeRule(TimeStampedModel):
    """A rule that gives grade A or B when every minimum is met (C otherwise); administrators edit them.

    Rules are tried from the best grade down; an empty minimum is not checked.
    """

    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, unique=True)
    min_cooperation_years = models.PositiveSmallIntegerField(
        _("minimum cooperation (years)"), null=True, blank=True
    )
    min_volume = models.DecimalField(_("minimum volume"), **MONEY, null=True, blank=True)
    min_satisfaction = models.PositiveSmallIntegerField(_("minimum satisfaction"), null=True, blank=True)
    min_loyalty = models.PositiveSmallIntegerField(_("minimum loyalty"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("grade rule")
        verbose_name_plural = _("grade rules")
        ordering = ["grade"]

    def __str__(self) -> str:
        return self.grade


class TierStrategy(models.Model):
    """The service strategy 管理策略 shown beside each tier of the pyramid (seed 003)."""

    tier = models.CharField(_("pyramid tier"), max_length=10, choices=Tier.choices, unique=True)
    strategy = models.TextField(_("strategy"))

    class Meta:
        verbose_name = _("tier strategy")
        verbose_name_plural = _("tier strategies")

    def __str__(self) -> str:
        return self.tier


class AnomalyRule(TimeStampedModel):
    """A warning rule 异样客户预警规则: flag a customer when its input crosses the threshold."""

    kind = models.CharField(_("kind"), max_length=16, choices=AnomalyKind.choices, unique=True)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Days without contact, per cent of value drop, or number of complaints in 90 days."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


class ValuePolicy(TimeStampedModel):
    """How the sales-value feed drives value (one row, edited by an administrator): the window of
    months averaged into a customer's value, and seed 004's key-account rule 大客户 (average monthly
    sales at or over the minimum, 2,000 yuan by default)."""

    window_months = models.PositiveSmallIntegerField(
        _("months averaged"), default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    key_account_min_average = models.DecimalField(
        _("key account: minimum average monthly sales (CNY)"),
        **MONEY,
        default=Decimal(2000),
        validators=[MinValueValidator(Decimal(0))],
    )
    key_account_rule_active = models.BooleanField(_("key-account rule active"), default=True)

    class Meta:
        verbose_name = _("value policy")
        verbose_name_plural = _("value policy")

    def __str__(self) -> str:
        return f"{self.window_months} / {self.key_account_min_average}"

    @classmethod
    def current(cls) -> ValuePolicy:
        return cls.objects.order_by("pk").first() or cls()


class MonthlySales(models.Model):
    """A customer's sales 销售额 in one month, from the sales-value feed (import or API): one row per
    customer and month, so feeding the same month again updates it."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="monthly_sales",
        db_index=False,  # led by the unique (customer, period)
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("sales (CNY)"), **MONEY)
    source = models.CharField(_("source"), max_length=16, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("monthly sales")
        verbose_name_plural = _("monthly sales")
        ordering = ["customer", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "period"], name="cust_sales_one_per_month")
        ]
        # The recompute sums a window of months over every customer: period first.
        indexes = [models.Index(fields=["period", "customer", "amount"], name="cust_sales_period")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.period:%Y-%m} {self.amount}"

    def clean(self) -> None:
        if self.period and self.period.day != 1:
            self.period = self.period.replace(day=1)


class WarningQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="customer__sales_office", owner_staff="assignee", customer="customer")


class CustomerWarning(TimeStampedModel):
    """An anomaly warning 异样客户预警 about one customer (a low rating, a value drop, a satisfaction
    anomaly …): sent to the person who must act, open until acknowledged with a note. One row per
    customer, kind and source, so raising the same warning twice notifies once."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="warnings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=WarningKind.choices)
    source_key = models.CharField(_("source"), max_length=60)
    message = models.CharField(_("message"), max_length=300)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    assignee = models.ForeignKey(
        "org.Staff",
        verbose_name=_("who must act"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_warnings",
    )
    raised_at = models.DateTimeField(_("raised at"))
    is_open = models.BooleanField(_("open"), default=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    objects = WarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer warning")
        verbose_name_plural = _("customer warnings")
        ordering = ["-raised_at", "-id"]
        permissions = [("acknowledge_customerwarning", _("Can acknowledge customer warnings"))]
        constraints = [
            models.UniqueConstraint(fields=["customer", "kind", "source_key"], name="cust_warning_once")
        ]
        # Partial indexes on the open list: SQLite renders `is_open = true` as a bare `WHERE is_open`,
        # which matches a partial index's condition but not a leading boolean column.
        indexes = [
            models.Index(
                fields=["-raised_at", "-id"], condition=models.Q(is_open=True), name="cust_warning_open"
            ),
            models.Index(
                fields=["assignee", "-raised_at"],
                condition=models.Q(is_open=True),
                name="cust_warning_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.customer_id}"


class PersonalDataAccess(models.Model):
    """Who saw or exported a customer's personal data unmasked, when and why (客户资料限权使用)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer", "at"], name="cust_access_customer_at")]

    def __str__(self) -> str:
        return f"{self.action} {self.customer_id} {self.at:%Y-%m-%d %H:%M}"


class SegmentRun(models.Model):
    """One customer segmentation 客户分类 (seed 004: clustering and classification): the parameters,
    the k chosen by silhouette, the feature scaling, and the decision tree's held-out accuracy."""

    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SegmentRunStatus.choices, default=SegmentRunStatus.RUNNING
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    k = models.PositiveSmallIntegerField(_("number of segments"), null=True, blank=True)
    silhouette = models.FloatField(_("silhouette"), null=True, blank=True)
    silhouettes = models.JSONField(_("silhouette by k"), default=dict, blank=True)
    scaling = models.JSONField(_("feature scaling"), default=dict, blank=True)
    customer_count = models.PositiveIntegerField(_("customers"), default=0)
    classifier_label = models.CharField(_("classifier label"), max_length=20, blank=True)
    classifier_accuracy = models.FloatField(_("classifier accuracy (held out)"), null=True, blank=True)
    classifier_test_size = models.PositiveIntegerField(_("held-out customers"), default=0)
    classifier_rules = models.TextField(_("classification rules"), blank=True)
    proposed_count = models.PositiveIntegerField(_("grades proposed"), default=0)
    seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    error = models.TextField(pgettext_lazy("customers", "error"), blank=True)

    class Meta:
        verbose_name = _("segmentation run")
        verbose_name_plural = _("segmentation runs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="cust_segrun_status")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} k={self.k}"


class Segment(models.Model):
    """A cluster of one run: its centre (in the features' own units) and the traits that describe
    it (codes such as "value+", rendered in words in the reader's language, never stored as text)."""

    run = models.ForeignKey(SegmentRun, on_delete=models.CASCADE, related_name="segments")
    number = models.PositiveSmallIntegerField(_("number"))
    centre = models.JSONField(_("centre"), default=dict)
    traits = models.JSONField(_("traits"), default=list, blank=True)
    size = models.PositiveIntegerField(_("customers"), default=0)

    class Meta:
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="cust_segment_run_number")]

    def __str__(self) -> str:
        from kefu.customers.segmentation import describe

        return f"{self.number + 1}. {describe(self.traits)}"


class CustomerSegment(models.Model):
    """A customer's segment in one run, and the grade the decision tree proposes for an ungraded one."""

    run = models.ForeignKey(SegmentRun, on_delete=models.CASCADE, related_name="+")
    # Both covered by the composite index and the unique constraint below (leftmost column).
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="members", db_index=False)
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="segment_memberships", db_index=False
    )
    proposed_grade = models.CharField(_("proposed grade"), max_length=1, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = _("segment membership")
        verbose_name_plural = _("segment memberships")
        constraints = [models.UniqueConstraint(fields=["customer", "run"], name="cust_segment_member_once")]
        indexes = [models.Index(fields=["segment", "customer"], name="cust_segment_members")]

    def __str__(self) -> str:
        return f"{self.customer_id} → {self.segment_id}"
