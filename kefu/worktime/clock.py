"""The one clock 统一时钟: the controllable "now" and deadlines in real or business time.

Every deadline in Kefu is computed here, so a test can move time (`frozen()`), and a business
deadline respects the work calendar: working hours per weekday, public holidays and 调休
make-up workdays. Times are stored in UTC; calendars are read in their own zone
(Asia/Shanghai by default).
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import buffer
from kefu.core.errors import KefuError
from kefu.worktime.choices import ClockMode, DayKind

_lock = threading.Lock()
_override: datetime | None = None
MAX_DAYS = 3700  # a deadline more than ~10 years of calendar away is a configuration error


def now() -> datetime:
    """The current time (aware, UTC); tests freeze or move it with `frozen()`."""
    return _override if _override is not None else timezone.now()


_current = now


class FrozenClock:
    """A handle on a frozen clock: `.set(dt)` and `.advance(minutes=…)` move it."""

    def set(self, at: datetime) -> datetime:
        global _override
        if timezone.is_naive(at):
            at = timezone.make_aware(at, ZoneInfo("Asia/Shanghai"))
        with _lock:
            _override = at.astimezone(UTC)
        return _override

    def advance(self, **delta) -> datetime:
        return self.set(now() + timedelta(**delta))

    @property
    def now(self) -> datetime:
        return now()


@contextmanager
def frozen(at: datetime | None = None) -> Iterator[FrozenClock]:
    """Freeze `now()` at `at` (naive means Asia/Shanghai) for the duration of the block."""
    global _override
    previous = _override
    handle = FrozenClock()
    handle.set(at or timezone.now())
    try:
        yield handle
    finally:
        with _lock:
            _override = previous


@dataclass(frozen=True)
class CalendarSpec:
    """A calendar loaded into memory: periods per weekday and the date overrides."""

    tz: ZoneInfo
    hours: dict[int, tuple[tuple[dtime, dtime], ...]]
    overrides: dict[date, str] = field(default_factory=dict)
    makeup_weekday: int = 0
    pk: int | None = None
    name: str = ""  # "code name", for pages that say which calendar a clock counts on
    # Working seconds per day summed from `_CUM_SPAN` days before today: filled on first use, so a
    # span of many days is two look-ups (a worklist's 50 clocks, some overdue for months).
    cumulative: dict = field(default_factory=dict, compare=False, repr=False)

    def periods(self, day: date) -> tuple[tuple[dtime, dtime], ...]:
        kind = self.overrides.get(day)
        if kind == DayKind.HOLIDAY:
            return ()
        if kind == DayKind.WORKDAY:
            return self.hours.get(day.weekday()) or self.hours.get(self.makeup_weekday, ())
        return self.hours.get(day.weekday(), ())

    def is_working_day(self, day: date) -> bool:
        return bool(self.periods(day))


DEFAULT_PERIODS = ((dtime(8, 30), dtime(12, 0)), (dtime(13, 0), dtime(17, 30)))


def _builtin_spec() -> CalendarSpec:
    from kefu.worktime.holidays import library_days

    return CalendarSpec(
        tz=ZoneInfo("Asia/Shanghai"),
        hours={d: DEFAULT_PERIODS for d in range(5)},
        overrides={day: kind for day, kind, _name in library_days()},
    )


def load_calendar(calendar=None) -> CalendarSpec:
    """The spec of `calendar` (a WorkCalendar, its pk or code; None = the default calendar)."""
    if isinstance(calendar, CalendarSpec):
        return calendar
    key = getattr(calendar, "pk", calendar)
    return buffer.get(f"worktime.calendar:{key!r}", lambda: _load_calendar(key))


def _load_calendar(key) -> CalendarSpec:
    from kefu.worktime.models import WorkCalendar

    qs = WorkCalendar.objects.all()
    if key is None:
        obj = qs.filter(is_default=True).first() or qs.order_by("pk").first()
    elif isinstance(key, int):
        obj = qs.filter(pk=key).first()
    else:
        obj = qs.filter(code=key).first()
    if obj is None:
        spec = _builtin_spec()
    else:
        hours: dict[int, list[tuple[dtime, dtime]]] = {}
        for weekday, start, end in obj.hours.order_by("weekday", "start").values_list(
            "weekday", "start", "end"
        ):
            hours.setdefault(weekday, []).append((start, end))
        spec = CalendarSpec(
            tz=ZoneInfo(obj.timezone),
            hours={k: tuple(v) for k, v in hours.items()},
            overrides=dict(obj.days.values_list("date", "kind")),
            makeup_weekday=obj.makeup_weekday,
            pk=obj.pk,
            name=str(obj),
        )
    return spec


MIDNIGHT = dtime(0)


def _period(day: date, start: dtime, end: dtime, tz=None) -> tuple[datetime, datetime]:
    """One working period of `day` as instants; an end of 00:00 is the midnight that ends the day
    (00:00–00:00 every weekday: a 7×24 calendar)."""
    finish = datetime.combine(day + timedelta(days=1) if end == MIDNIGHT else day, end, tzinfo=tz)
    return datetime.combine(day, start, tzinfo=tz), finish


def _periods_on(spec: CalendarSpec, day: date) -> list[tuple[datetime, datetime]]:
    return [_period(day, start, end, spec.tz) for start, end in spec.periods(day)]


def add_duration(start: datetime, minutes: float, *, mode: str = ClockMode.REAL, calendar=None) -> datetime:
    """The moment `minutes` after `start`: wall-clock, or counted only inside working hours.

    In business time a start outside working hours begins counting at the next working period;
    a deadline that ends exactly at a period's end stays there (17:30, not the next 08:30).
    """
    if mode == ClockMode.REAL:
        return start + timedelta(minutes=minutes)
    spec = load_calendar(calendar)
    left = timedelta(minutes=minutes)
    local = start.astimezone(spec.tz)
    if left <= timedelta(0):
        return start
    day = local.date()
    for _day_index in range(MAX_DAYS):
        if day == local.date() + timedelta(days=1):
            day, left = _skip_whole_days(spec, day, left)
        for begin, end in _periods_on(spec, day):
            if end <= local:
                continue
            begin = max(begin, local)
            available = end - begin
            if left <= available:
                return (begin + left).astimezone(UTC)
            left -= available
        day += timedelta(days=1)
    raise KefuError(
        _("The work calendar has no working hours; a business-time deadline cannot be computed."),
        code="calendar_empty",
    )


_CUM_SPAN = 3 * 366  # days either side of the day the table was built


def _cumulative(spec: CalendarSpec) -> tuple[date, list[float]]:
    """(first day, working seconds before each day of the table) of the calendar."""
    table = spec.cumulative.get("days")
    if table is None:
        first = date.today() - timedelta(days=_CUM_SPAN)
        sums, total = [0.0], 0.0
        for index in range(2 * _CUM_SPAN):
            day = first + timedelta(days=index)
            total += sum(
                (finish - begin).total_seconds()
                for begin, finish in (_period(day, s, e) for s, e in spec.periods(day))
            )
            sums.append(total)
        table = spec.cumulative["days"] = (first, sums)
    return table


def _skip_whole_days(spec: CalendarSpec, day: date, left: timedelta) -> tuple[date, timedelta]:
    """Jump over the whole working days `left` outlasts (two look-ups in the cumulative table),
    to the day on which the deadline falls; unchanged outside the table."""
    first, sums = _cumulative(spec)
    i = (day - first).days
    if not 0 <= i < len(sums) - 1:
        return day, left
    j = bisect_left(sums, sums[i] + left.total_seconds()) - 1  # days i..j-1 are used up whole
    if i < j < len(sums) - 1:
        return first + timedelta(days=j), left - timedelta(seconds=sums[j] - sums[i])
    return day, left


def _day_between(spec: CalendarSpec, a: datetime, b: datetime) -> timedelta:
    total = timedelta(0)
    for begin, finish in _periods_on(spec, a.date()):
        lo, hi = max(begin, a), min(finish, b)
        if hi > lo:
            total += hi - lo
    return total


def business_between(start: datetime, end: datetime, *, calendar=None) -> timedelta:
    """Working time between two moments (negative when `end` is before `start`)."""
    if end < start:
        return -business_between(end, start, calendar=calendar)
    spec = load_calendar(calendar)
    a, b = start.astimezone(spec.tz), end.astimezone(spec.tz)
    if (b.date() - a.date()).days > 2:
        first, sums = _cumulative(spec)
        i, j = (a.date() - first).days + 1, (b.date() - first).days
        if 0 < i <= j < len(sums):
            day_end = datetime.combine(a.date() + timedelta(days=1), dtime(0), tzinfo=spec.tz)
            day_start = datetime.combine(b.date(), dtime(0), tzinfo=spec.tz)
            middle = timedelta(seconds=sums[j] - sums[i])
            return _day_between(spec, a, day_end) + middle + _day_between(spec, day_start, b)
    total = timedelta(0)
    day = a.date()
    while day <= b.date():
        for begin, finish in _periods_on(spec, day):
            lo, hi = max(begin, a), min(finish, b)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def working_periods(start: datetime, days: int, *, calendar=None) -> list[tuple[datetime, datetime]]:
    """The working periods from `start`'s day on, for `days` days (what a ticking page counts in)."""
    spec = load_calendar(calendar)
    first = start.astimezone(spec.tz).date()
    return [
        period
        for index in range(max(days, 0))
        for period in _periods_on(spec, first + timedelta(days=index))
        if period[1] > start
    ]


def remaining(
    deadline: datetime, now: datetime | None = None, *, mode: str = ClockMode.REAL, calendar=None
) -> timedelta:
    """Time left until `deadline` (negative when overdue), in the clock's own kind of time."""
    current = now if now is not None else _current()
    if mode == ClockMode.REAL:
        return deadline - current
    return business_between(current, deadline, calendar=calendar)


def humanize(delta: timedelta) -> str:
    """'1天2小时5分钟' style duration (absolute value), for lists and pages."""
    minutes = math.ceil(abs(delta).total_seconds() / 60)  # 9:59 left reads "10 min", never "9 min"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d d") % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if mins or not parts:
        parts.append(_("%(n)d min") % {"n": mins})
    return " ".join(parts)


@dataclass(frozen=True)
class ClockState:
    """What a list or page shows about one running clock."""

    deadline: datetime | None
    left: timedelta | None
    mode: str

    @property
    def overdue(self) -> bool:
        return self.left is not None and self.left < timedelta(0)

    @property
    def minutes_left(self) -> int | None:
        if self.left is None:
            return None
        seconds = self.left.total_seconds()
        return math.ceil(seconds / 60) if seconds >= 0 else math.floor(seconds / 60)

    @property
    def text(self) -> str:
        if self.left is None:
            return ""
        if self.overdue:
            return _("%(time)s overdue") % {"time": humanize(self.left)}
        return _("%(time)s left") % {"time": humanize(self.left)}

    @property
    def colour(self) -> str:
        if self.left is None:
            return "secondary"
        if self.overdue:
            return "danger"
        return "warning" if self.left <= timedelta(minutes=30) else "success"

    def as_dict(self) -> dict:
        return {
            "deadline": self.deadline,
            "minutes_left": self.minutes_left,
            "overdue": self.overdue,
            "mode": self.mode,
            "text": self.text,
        }


def clock_state(
    deadline: datetime | None, *, mode: str = ClockMode.REAL, calendar=None, at: datetime | None = None
) -> ClockState:
    if deadline is None:
        return ClockState(None, None, mode)
    return ClockState(deadline, remaining(deadline, at, mode=mode, calendar=calendar), mode)
