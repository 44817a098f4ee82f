"""Chinese public holidays and 调休 make-up workdays from the maintained chinese-calendar library.

The library is the source for the years it knows; an administrator edits or adds days in the
admin (source "manual"), and a refresh (`manage.py sync_holidays`) never overwrites those.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def library_days() -> Iterator[tuple[date, str, str]]:
    """(date, kind, Chinese name) for every holiday and every weekend make-up workday the library knows."""
    import chinese_calendar

    for day, name in sorted(chinese_calendar.holidays.items()):
        yield day, "holiday", HOLIDAY_NAMES.get(str(name), str(name))
    for day, name in sorted(chinese_calendar.workdays.items()):
        if day.weekday() >= 5:  # the library lists every workday; only weekend ones are 调休
            yield day, "workday", f"{HOLIDAY_NAMES.get(str(name), str(name))}调休"


def fill_calendar(calendar, day_model=None) -> int:
    """Add the library's days to `calendar`, keeping manual entries; returns how many were added."""
    if day_model is None:
        from kefu.worktime.models import CalendarDay as day_model
    existing = set(day_model.objects.filter(calendar=calendar).values_list("date", flat=True))
    rows = [
        day_model(calendar=calendar, date=day, kind=kind, name=name, source="library")
        for day, kind, name in library_days()
        if day not in existing
    ]
    day_model.objects.bulk_create(rows, batch_size=500)
    return len(rows)
