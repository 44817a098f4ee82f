import pytest

from kefu.core.testing.scope import api_client_for

pytestmark = pytest.mark.django_db


def test_deadline_api_counts_business_time_over_national_day(org, staff_factory):
    api = api_client_for(staff_factory(roles=["assistant"], offices=[org.office_a]))
    body = api.get("/api/v1/worktime/deadline", {"start": "2025-09-30T17:00:00+08:00", "minutes": 60}).json()
    assert body["deadline"] == "2025-10-09T09:00:00+08:00"  # 09:00 in Shanghai, shown in local time
    bad = api.get(
        "/api/v1/worktime/deadline", {"start": "2025-09-30T17:00:00+08:00", "minutes": 60, "mode": "x"}
    )
    assert bad.status_code == 400 and "mode" in bad.json()["error"]["fields"]
    days = api.get("/api/v1/worktime/days", {"year": 2025}).json()
    assert {"date": "2025-10-01", "kind": "holiday", "name": "国庆节", "source": "library"} in days


def test_periods_of_another_calendar_for_its_clocks(org, staff_factory):
    from datetime import time

    from kefu.worktime import clock
    from kefu.worktime.models import WorkCalendar, WorkingHours

    hotline = WorkCalendar.objects.create(code="7X24", name="7×24")
    for weekday in range(7):
        WorkingHours.objects.create(calendar=hotline, weekday=weekday, start=time(0), end=time(0))
    api = api_client_for(staff_factory(roles=["assistant"], offices=[org.office_a]))
    with clock.frozen(clock.datetime(2026, 11, 28, 10, 0)):  # a Saturday
        default = api.get("/api/v1/worktime/periods", {"days": 3}).json()["periods"]
        own = api.get("/api/v1/worktime/periods", {"days": 2, "calendar": hotline.pk}).json()["periods"]
    assert default[0][0].startswith("2026-11-30T08:30")  # the weekend is off
    assert own[0] == ["2026-11-28T00:00:00+08:00", "2026-11-29T00:00:00+08:00"]
    assert api.get("/api/v1/worktime/periods", {"calendar": "x"}).status_code == 400
