"""Service clocks in the browser: the worklist's time left ticks without a reload and turns red
when the due time passes (the page's script counts working time from the calendar's periods)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(org, staff_factory):
    # Transactional tests flush the database between tests: put the default configuration back.
    from kefu.tickets.tests.factories import make_desk
    from kefu.tickets.workflows import install

    install(apps)
    importlib.import_module("kefu.catalog.migrations.0002_default_catalogues").load(apps, None)
    importlib.import_module("kefu.tickets.migrations.0007_service_clocks").seed_targets(apps, None)
    return make_desk(org, staff_factory)


def test_time_left_ticks_and_turns_red_when_late(page, desk):
    from kefu.worktime import clock

    n = desk.z1(priority="1")  # response due in 60 working minutes
    assert n.response_due is not None
    now = clock.now()
    first_working = max(now, clock.working_periods(now, 8)[0][0])
    login(page, desk.assistant.user.username, PASSWORD)
    page.clock.install(time=first_working)
    page.goto(f"{page.base_url}/notifications/")
    row = page.locator(f'tr[data-number="{n.number}"] time[data-clock]')
    row.wait_for()
    page.wait_for_function("document.querySelector('time[data-clock]').hasAttribute('data-seen')")
    assert "text-danger" not in (row.get_attribute("class") or "")
    assert "剩余" in row.inner_text()
    late_by = n.response_due - first_working + dt.timedelta(minutes=2)
    page.clock.fast_forward(int(late_by.total_seconds() * 1000))
    page.wait_for_function("document.querySelector('time[data-clock]').classList.contains('text-danger')")
    assert "已超时" in row.inner_text()


def _off_hours(periods, now, span):
    """The first moment from `now` on when no period of the default calendar falls within `span`."""
    for candidate in [now, *(end + dt.timedelta(minutes=1) for _start, end in periods)]:
        if candidate >= now and not any(s < candidate + span and e > candidate for s, e in periods):
            return candidate
    raise AssertionError("no off-hours in the next days")


def test_a_7x24_clock_ticks_while_the_office_is_closed(page, desk):
    from kefu.tickets.models import NotificationType, ServiceTarget
    from kefu.worktime import clock
    from kefu.worktime.models import WorkCalendar, WorkingHours

    # The default calendar first (flushed with the database), else the only calendar is the default.
    importlib.import_module("kefu.worktime.migrations.0002_default_calendar").create_default(apps, None)
    hotline = WorkCalendar.objects.create(code="7X24", name="7×24 热线")
    for weekday in range(7):
        WorkingHours.objects.create(calendar=hotline, weekday=weekday, start=dt.time(0), end=dt.time(0))
    target = ServiceTarget.objects.get(type=NotificationType.objects.get(code="Z1"), priority="1")
    target.calendar, target.response_minutes, target.resolution_minutes = hotline, 3 * 1440, 5 * 1440
    target.save()
    urgent = desk.z1(priority="1")  # due in three days of real time
    office = desk.z1(priority="3")  # on the default calendar
    now = clock.now()
    closed = _off_hours(clock.working_periods(now, 8), now, dt.timedelta(minutes=40))
    login(page, desk.assistant.user.username, PASSWORD)
    page.clock.install(time=closed)
    page.goto(f"{page.base_url}/notifications/")
    hot = page.locator(f'tr[data-number="{urgent.number}"] time[data-clock]')
    desk_clock = page.locator(f'tr[data-number="{office.number}"] time[data-clock]')
    hot.wait_for()
    assert hot.get_attribute("data-calendar") == str(hotline.pk)
    assert desk_clock.get_attribute("data-calendar") is None
    page.wait_for_function("document.querySelectorAll('time[data-clock][data-seen]').length === 2")
    page.clock.fast_forward(31 * 60 * 1000)  # past a 30 s tick, 31 minutes on, the office still closed
    page.wait_for_function(
        "el => el.textContent.indexOf('23小时') >= 0", arg=hot.element_handle()
    )  # 3 days less 31 minutes: 2 d 23 h 29 min
    before = desk_clock.inner_text()
    page.clock.fast_forward(31 * 1000)
    assert desk_clock.inner_text() == before  # the default calendar's clock stands still
