"""Field service 现场服务: agreed visit windows and what the technician records on site."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import VersionedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.field.choices import Slot, StepKind


class AppointmentQuerySet(ScopedQuerySet):
    # Visible where the notification is visible.
    scope_paths = ScopePaths(
        office="notification__sales_office",
        work_centre="notification__work_centre",
        owner_staff="notification__responsible",
    )


class Appointment(VersionedModel):
    """The visit window 预约 agreed with the customer for one notification: a day and a slot."""

    notification = models.OneToOneField(
        "tickets.Notification",
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="appointment",
    )
    date = models.DateField(_("visit date"))
    slot = models.CharField(_("time slot"), max_length=2, choices=Slot.choices, default=Slot.MORNING)
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["date", "slot"]
        indexes = [models.Index(fields=["date", "slot"], name="fd_appt_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_slot_display()}"


class FieldStepQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(
        office="notification__sales_office",
        work_centre="notification__work_centre",
        owner_staff="notification__responsible",
    )


class FieldStep(models.Model):
    """One step a technician recorded in the app (arrive, survey, report, photo, signature).

    `client_id` is made by the phone when the step is recorded, possibly offline; a replayed sync
    of the same step finds the row and does nothing twice.
    """

    notification = models.ForeignKey(
        "tickets.Notification", verbose_name=_("notification"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    client_id = models.CharField(_("client id"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    synced_at = models.DateTimeField(_("synced at"), auto_now_add=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    attachment = models.ForeignKey(
        "tickets.Attachment",
        verbose_name=_("attachment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version_after = models.PositiveIntegerField(_("version after"), default=0)

    objects = FieldStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("field step")
        verbose_name_plural = _("field steps")
        ordering = ["recorded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["actor", "client_id"], name="fd_step_once")]
        indexes = [models.Index(fields=["notification", "kind"], name="fd_step_kind")]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.kind}"


class TechnicianProfile(models.Model):
    """What dispatch 派工 knows of a technician: product types he services, jobs per day, his base."""

    staff = models.OneToOneField(
        "org.Staff", verbose_name=_("technician"), on_delete=models.CASCADE, related_name="field_profile"
    )
    skills = models.ManyToManyField(
        "catalog.ProductType", verbose_name=_("product types serviced"), blank=True, related_name="+"
    )
    daily_capacity = models.PositiveSmallIntegerField(_("jobs per day"), default=6)
    district = models.CharField(
        _("base district code"), max_length=6, blank=True, help_text=_("GB/T 2260 code, e.g. 110105")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("technician profile")
        verbose_name_plural = _("technician profiles")

    def __str__(self) -> str:
        return str(self.staff)


class AddressLocation(models.Model):
    """Where a service address lies, for dispatch distances (kept here; no map service at run time)."""

    address = models.OneToOneField(
        "customers.ServiceAddress",
        verbose_name=_("service address"),
        on_delete=models.CASCADE,
        related_name="location",
    )
    district = models.CharField(_("district code"), max_length=6, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("address location")
        verbose_name_plural = _("address locations")

    def __str__(self) -> str:
        return self.district
