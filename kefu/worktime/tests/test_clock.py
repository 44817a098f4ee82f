"""The one clock: real and business time over the default calendar (Mon–Fri 08:30–12:00, 13:00–17:30)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kefu.core.errors import KefuError
from kefu.worktime import clock
from kefu.worktime.models import CalendarDay, WorkCalendar, WorkingHours

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def sh(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def biz(start, minutes, calendar=None):
    return clock.add_duration(start, minutes, mode="business", calendar=calendar).astimezone(SH)


def test_real_time_counts_every_minute_across_midnight_and_weekends():
    start = sh(2026, 11, 27, 23, 50)  # a Friday night
    assert clock.add_duration(start, 30, mode="real") == sh(2026, 11, 28, 0, 20)


def test_business_time_inside_one_period():
    assert biz(sh(2026, 11, 23, 10, 0), 60) == sh(2026, 11, 23, 11, 0)


def test_business_time_skips_the_lunch_break():
    assert biz(sh(2026, 11, 23, 11, 30), 60) == sh(2026, 11, 23, 13, 30)


def test_deadline_ending_exactly_at_close_stays_there():
    assert biz(sh(2026, 11, 23, 17, 0), 30) == sh(2026, 11, 23, 17, 30)


def test_business_time_crosses_midnight_from_after_hours():
    assert biz(sh(2026, 11, 23, 20, 0), 30) == sh(2026, 11, 24, 9, 0)


def test_business_time_skips_the_weekend():
    assert biz(sh(2026, 11, 27, 17, 0), 60) == sh(2026, 11, 30, 9, 0)


def test_national_day_holidays_are_skipped():
    # 2025-10-01..08 are holidays (国庆 + 中秋); the next working day is Thursday 10-09.
    assert biz(sh(2025, 9, 30, 17, 0), 60) == sh(2025, 10, 9, 9, 0)


def test_make_up_saturday_and_sunday_are_worked():
    # 2025-09-28 (Sunday) is a 调休 workday before 国庆.
    assert biz(sh(2025, 9, 26, 17, 0), 60) == sh(2025, 9, 28, 9, 0)
    # 2025-10-11 (Saturday) too.
    assert biz(sh(2025, 10, 10, 17, 0), 60) == sh(2025, 10, 11, 9, 0)


def test_result_is_stored_in_utc_and_shown_in_shanghai():
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    result = clock.add_duration(start, 60, mode="business")
    assert result.tzinfo == UTC
    assert result == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    assert result.astimezone(SH).time() == time(11, 0)


def test_remaining_in_business_time_ignores_nights_and_weekends():
    deadline = sh(2026, 11, 30, 9, 0)
    assert clock.remaining(deadline, sh(2026, 11, 27, 17, 0), mode="business") == timedelta(minutes=60)
    assert clock.remaining(deadline, sh(2026, 11, 27, 17, 0), mode="real") == timedelta(hours=64)


def test_remaining_is_negative_when_overdue():
    deadline = sh(2026, 11, 23, 10, 0)
    assert clock.remaining(deadline, sh(2026, 11, 23, 10, 45), mode="business") == timedelta(minutes=-45)
    assert clock.remaining(deadline, sh(2026, 11, 23, 10, 45), mode="real") == timedelta(minutes=-45)


def test_holidays_and_makeup_days_are_prefilled_from_the_library():
    calendar = WorkCalendar.objects.get(is_default=True)
    national_day = CalendarDay.objects.get(calendar=calendar, date="2025-10-01")
    assert (national_day.kind, national_day.name, national_day.source) == ("holiday", "国庆节", "library")
    assert CalendarDay.objects.get(calendar=calendar, date="2025-09-28").kind == "workday"
    assert calendar.hours.count() == 10


def test_an_administrators_holiday_moves_deadlines():
    calendar = WorkCalendar.objects.get(is_default=True)
    assert biz(sh(2026, 11, 23, 17, 0), 60) == sh(2026, 11, 24, 9, 0)
    CalendarDay.objects.create(calendar=calendar, date="2026-11-24", kind="holiday", name="公司庆典")
    assert biz(sh(2026, 11, 23, 17, 0), 60) == sh(2026, 11, 25, 9, 0)


def test_a_calendar_without_hours_is_refused_clearly():
    empty = WorkCalendar.objects.create(code="EMPTY", name="空")
    with pytest.raises(KefuError) as info:
        clock.add_duration(sh(2026, 11, 23, 9), 10, mode="business", calendar=empty)
    assert info.value.code == "calendar_empty"


def test_a_saturday_shift_calendar_by_code():
    cal = WorkCalendar.objects.create(code="SAT", name="六天制")
    for weekday in range(6):
        WorkingHours.objects.create(calendar=cal, weekday=weekday, start=time(9), end=time(18))
    assert biz(sh(2026, 11, 27, 17, 0), 120, calendar="SAT") == sh(2026, 11, 28, 10, 0)


def test_frozen_clock_is_controllable(frozen_clock):
    frozen_clock.set(datetime(2026, 11, 23, 9, 0))  # naive = Shanghai
    assert clock.now() == sh(2026, 11, 23, 9, 0)
    frozen_clock.advance(minutes=11)
    assert clock.now() == sh(2026, 11, 23, 9, 11)
    state = clock.clock_state(sh(2026, 11, 23, 9, 10))
    assert state.overdue and state.minutes_left == -1


def test_clock_state_text_in_chinese():
    state = clock.clock_state(sh(2026, 11, 23, 10, 0), at=sh(2026, 11, 23, 9, 52))
    with translation.override("zh-hans"):
        assert state.text == "剩余 8分钟"
        assert state.colour == "warning"
    late = clock.clock_state(sh(2026, 11, 23, 10, 0), at=sh(2026, 11, 24, 11, 5))
    with translation.override("zh-hans"):
        assert late.text == "已超时 1天 1小时 5分钟"


def _all_day(code="7X24"):
    """A 7×24 calendar: 00:00–00:00 (midnight ends the day) on every weekday, no holidays."""
    cal = WorkCalendar.objects.create(code=code, name="7×24 热线")
    for weekday in range(7):
        WorkingHours.objects.create(calendar=cal, weekday=weekday, start=time(0), end=time(0))
    return cal


def test_a_period_ending_at_midnight_makes_a_7x24_calendar_count_real_time():
    cal = _all_day()
    start = sh(2025, 9, 26, 22, 15)  # a Friday night before 国庆: weekend, 调休 and holidays ahead
    for minutes in (30, 120, 1440, 3 * 1440 + 7, 20_000):
        assert biz(start, minutes, calendar=cal.pk) == start + timedelta(minutes=minutes)
        due = start + timedelta(minutes=minutes)
        assert clock.business_between(start, due, calendar=cal.pk) == timedelta(minutes=minutes)
    # The default calendar waits for Sunday 9-28, a 调休 workday (the weekend and the night are off).
    assert biz(start, 30) == sh(2025, 9, 28, 9, 0)
    periods = clock.working_periods(sh(2026, 11, 28, 3, 0), 2, calendar=cal.pk)
    assert periods[0] == (sh(2026, 11, 28, 0, 0), sh(2026, 11, 29, 0, 0))


def test_an_end_at_midnight_is_valid_and_other_ends_before_the_start_are_not():
    from django.core.exceptions import ValidationError

    cal = WorkCalendar.objects.create(code="NIGHT", name="夜班")
    WorkingHours(calendar=cal, weekday=0, start=time(18), end=time(0)).full_clean()
    with pytest.raises(ValidationError):
        WorkingHours(calendar=cal, weekday=0, start=time(18), end=time(6)).full_clean()
    WorkingHours.objects.create(calendar=cal, weekday=0, start=time(18), end=time(0))
    assert biz(sh(2026, 11, 23, 23, 0), 90, calendar="NIGHT") == sh(2026, 11, 30, 18, 30)  # next Monday
