"""The work calendar 工作日历: working hours per weekday plus holiday and 调休 overrides.

Every business-time deadline in Kefu (complaint steps, notification ends, visit dues) is
computed over one of these calendars by `kefu.worktime.clock`.
"""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import TimeStampedModel
from kefu.worktime.choices import DayKind, DaySource

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class WorkCalendar(TimeStampedModel):
    """A work calendar 工作日历; exactly one is the default used when a rule names none."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    timezone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    is_default = models.BooleanField(_("default calendar"), default=False)
    makeup_weekday = models.PositiveSmallIntegerField(
        _("hours of a make-up workday"),
        choices=WEEKDAYS,
        default=0,
        help_text=_("A 调休 make-up workday uses the working hours of this weekday."),
    )

    class Meta:
        verbose_name = _("work calendar")
        verbose_name_plural = _("work calendars")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WorkingHours(models.Model):
    """One working period of a weekday (e.g. Monday 08:30–12:00); a lunch break is two periods.
    An end of 00:00 is the midnight that ends the day, so 00:00–00:00 is a whole day (7×24)."""

    calendar = models.ForeignKey(
        WorkCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start = models.TimeField(pgettext_lazy("worktime", "from"))
    end = models.TimeField(
        pgettext_lazy("worktime", "to"),
        help_text=_("00:00 is midnight at the end of the day (00:00–00:00: all day)."),
    )

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["calendar", "weekday", "start"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        midnight = self.end == time(0)  # the end of the day, after any start
        if self.start is not None and self.end is not None and self.end <= self.start and not midnight:
            raise ValidationError({"end": _("The end must be after the start.")})


class CalendarDay(models.Model):
    """An override of one date: a public holiday 节假日 or a make-up workday 调休上班."""

    calendar = models.ForeignKey(
        WorkCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices, default=DaySource.MANUAL)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="worktime_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
