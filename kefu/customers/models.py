"""Customer archive 客户档案 (DOMAIN §2). The customers issue completes this model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.customers.choices import Nature


class CustomerQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_staff="responsible")


class Customer(VersionedModel):
    """A customer 客户 with a 10-digit number (e.g. 2110050007), owned by one responsibility centre."""

    number = models.CharField(_("customer number"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    nature = models.CharField(_("nature"), max_length=16, choices=Nature.choices, default=Nature.ORGANISATION)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="customers"
    )
    responsible = models.ForeignKey(
        "org.Staff", verbose_name=_("responsible staff"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="customers",
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["number"]
        permissions = [("view_personal_data", _("Can see customer phone, e-mail and address unmasked"))]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
