"""Work calendar API: the one clock's deadline computation, for other systems and the browser."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from kefu.core.errors import ValidationFailed
from kefu.core.validation import MAX_ID
from kefu.worktime import clock
from kefu.worktime.choices import ClockMode
from kefu.worktime.models import CalendarDay

router = Router(tags=["worktime"])


class DeadlineOut(Schema):
    start: datetime
    minutes: int
    mode: str
    deadline: datetime
    time_left: str


class DayOut(Schema):
    date: date
    kind: str
    name: str
    source: str


@router.get(
    "/deadline", response=DeadlineOut, summary="Deadline `minutes` after `start` in real or business time"
)
def deadline(
    request,
    start: datetime,
    minutes: int = Query(..., ge=0, le=525_600),
    mode: str = ClockMode.BUSINESS,
    calendar: str = "",
):
    if not 1900 <= start.year <= 2199:
        raise ValidationFailed(fields={"start": [_("Enter a date between 1900 and 2199.")]})
    if mode not in ClockMode.values:
        raise ValidationFailed(fields={"mode": [_("Choose one of the allowed values.")]})
    if minutes < 0 or minutes > 525_600:
        raise ValidationFailed(fields={"minutes": [_("Enter a number of minutes between 0 and 525600.")]})
    due = clock.add_duration(start, minutes, mode=mode, calendar=calendar or None)
    return {
        "start": start,
        "minutes": minutes,
        "mode": mode,
        "deadline": due,
        "time_left": clock.clock_state(due, mode=mode, calendar=calendar or None).text,
    }


class PeriodsOut(Schema):
    now: datetime
    periods: list[list[datetime]]  # [start, end] pairs (a tuple makes an OpenAPI 3.0 "items" array)
    texts: dict[str, str]


@router.get(
    "/periods",
    response=PeriodsOut,
    summary="Working periods from now on: what a page's clocks tick in, with their texts",
)
def periods(
    request,
    days: int = Query(7, ge=1, le=31),
    calendar: int | None = Query(
        None,
        ge=1,
        le=MAX_ID,
        description="A work calendar's id (a clock's data-calendar); empty: the default.",
    ),
):
    if not 1 <= days <= 31:
        raise ValidationFailed(fields={"days": [_("Enter a number of days between 1 and 31.")]})
    now = clock.now()
    return {
        "now": now,
        "periods": clock.working_periods(now, days, calendar=calendar),
        "texts": {
            "left": _("%(time)s left"),
            "overdue": _("%(time)s overdue"),
            "d": _("%(n)d d"),
            "h": _("%(n)d h"),
            "min": _("%(n)d min"),
        },
    }


@router.get("/days", response=list[DayOut], summary="Holidays and 调休 workdays of a year (default calendar)")
def days(request, year: int = Query(..., ge=1900, le=2199)):
    if not 1900 <= year <= 2199:
        raise ValidationFailed(fields={"year": [_("Enter a year between 1900 and 2199.")]})
    spec = clock.load_calendar()
    qs = CalendarDay.objects.filter(date__year=year).order_by("date")
    qs = qs.filter(calendar_id=spec.pk) if spec.pk else qs.none()
    return list(qs.values("date", "kind", "name", "source"))
