"""Shared model pieces: timestamps, optimistic versions and per-type number ranges."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Digits(TypedDict):
    """The size of a money column 金额, spread into a DecimalField: `DecimalField(_(..), **MONEY)`."""

    max_digits: int
    decimal_places: int


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record two people may edit at once: `version` grows on every save made by a service.

    Services compare the version the user saw with the stored one (see core.concurrency), so
    the second of two concurrent saves is refused instead of silently overwriting the first.
    """

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class NumberRange(models.Model):
    """A number range 号码范围: the next free number of a document kind (e.g. one per notification type)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=10, blank=True)
    next_value = models.PositiveBigIntegerField(_("next value"), default=1)
    last_value = models.PositiveBigIntegerField(_("last value"), default=9_999_999_999)
    width = models.PositiveSmallIntegerField(
        _("width"), default=0, help_text=_("Zero-pad to this many digits.")
    )

    class Meta:
        verbose_name = _("number range")
        verbose_name_plural = _("number ranges")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.prefix}{self.next_value})"


class ExportJob(TimeStampedModel):
    """A big export 导出任务 written by the task queue: its progress, and the file when done.

    Lists stream small exports straight to the browser; above `kefu.core.exports.STREAM_LIMIT`
    rows the export runs here, as its owner (same scope and masking), and only the owner may
    see the job or download its file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", pgettext_lazy("export job", "Done")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=100)
    params = models.TextField(_("selection"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_estimate = models.PositiveIntegerField(_("rows expected"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"], name="core_export_status_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.rows_done * 100 / self.rows_estimate)) if self.rows_estimate else 0
