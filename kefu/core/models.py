"""Shared model pieces: timestamps, optimistic versions and per-type number ranges."""

from __future__ import annotations

from typing import TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _


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
