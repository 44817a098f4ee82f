"""Paid service 有费服务 (seed 004 flow 1): the service sales order / quotation (ZFFW) with labour,
parts and travel lines in CNY, the customer's decision, the service report 家具服务单 and the
service invoice (ZFW) made on close."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.billing.choices import LineKind, QuotationStatus
from kefu.core.models import Digits, TimeStampedModel, VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths

MONEY: Digits = {"max_digits": 12, "decimal_places": 2}


class QuotationQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(
        office="notification__sales_office",
        work_centre="notification__work_centre",
        owner_staff="notification__responsible",
        customer="notification__customer",
    )


class Quotation(VersionedModel):
    """A service sales order 服务销售订单 (ZFFW) quoting a notification's paid service."""

    number = models.CharField(_("service order"), max_length=20, unique=True)
    notification = models.ForeignKey(
        "tickets.Notification",
        verbose_name=_("notification"),
        on_delete=models.PROTECT,
        related_name="quotations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=QuotationStatus.choices, default=QuotationStatus.DRAFT
    )
    note = models.TextField(_("note"), blank=True)
    total = models.DecimalField(_("total (CNY)"), **MONEY, default=Decimal("0.00"))
    decided_by_customer = models.CharField(_("confirmed by (customer)"), max_length=50, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = QuotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("service quotation")
        verbose_name_plural = _("service quotations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ZFFW {self.number}"


class QuotationLine(models.Model):
    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=100)
    material = models.ForeignKey(
        "catalog.Material", verbose_name=_("material"), on_delete=models.PROTECT, null=True, blank=True
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_price = models.DecimalField(
        _("unit price (CNY)"), **MONEY, validators=[MinValueValidator(Decimal("0.00"))]
    )
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)

    class Meta:
        verbose_name = _("quotation line")
        verbose_name_plural = _("quotation lines")
        ordering = ["quotation", "id"]

    def __str__(self) -> str:
        return self.description


class ServiceReport(TimeStampedModel):
    """The technician's furniture service form 家具服务单: work done, materials, customer acceptance."""

    notification = models.ForeignKey(
        "tickets.Notification",
        verbose_name=_("notification"),
        on_delete=models.PROTECT,
        related_name="service_reports",
    )
    quotation = models.ForeignKey(
        Quotation,
        verbose_name=_("quotation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    technician = models.ForeignKey("org.Staff", verbose_name=_("technician"), on_delete=models.PROTECT)
    service_date = models.DateField(_("service date"))
    work_done = models.TextField(_("work done"))
    materials_used = models.TextField(_("materials used"), blank=True)
    accepted_by_customer = models.CharField(_("accepted by (customer)"), max_length=50)
    accepted_at = models.DateTimeField(_("accepted at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    # Set in memory by billing.queries.with_material_names, never stored: the materials used with
    # each catalogue material number followed by its name.
    materials_shown: str = ""

    class Meta:
        verbose_name = _("service report")
        verbose_name_plural = _("service reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.service_date}"


class Invoice(TimeStampedModel):
    """A service invoice 服务销售发票 (ZFW), made when a notification with an accepted quote closes."""

    number = models.CharField(_("invoice"), max_length=20, unique=True)
    notification = models.ForeignKey(
        "tickets.Notification",
        verbose_name=_("notification"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    quotation = models.OneToOneField(
        Quotation, verbose_name=_("quotation"), on_delete=models.PROTECT, related_name="invoice"
    )
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service invoice")
        verbose_name_plural = _("service invoices")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ZFW {self.number}"
