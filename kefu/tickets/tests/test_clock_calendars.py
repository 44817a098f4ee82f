"""Service clocks on several work calendars (issue 12): a target names the calendar its minutes
count on; a notification keeps the calendar its clocks started on, for reactions, postponing, the
escalation sweep, lists, pages and the API, and a list reads each calendar once."""

from __future__ import annotations

import datetime as dt
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from kefu.channels.models import Notice
from kefu.core import buffer
from kefu.core.testing.scope import client_for
from kefu.tickets import clocks, queries
from kefu.tickets.models import ClockEscalation, Notification, NotificationType, ServiceTarget
from kefu.tickets.services import change_status, escalate_late_clocks, recompute_clocks, update_notification
from kefu.worktime import clock
from kefu.worktime.models import WorkCalendar, WorkingHours

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def sh(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def local(value):
    return value.astimezone(SH) if value is not None else None


@pytest.fixture
def hotline():
    """A 7×24 calendar (every day 00:00–00:00, no holidays) for the very-high-priority Z1 target
    (response 60, resolution 480 minutes); other targets stay on the default calendar."""
    cal = WorkCalendar.objects.create(code="7X24", name="7×24 热线")
    for weekday in range(7):
        WorkingHours.objects.create(calendar=cal, weekday=weekday, start=time(0), end=time(0))
    return cal


def z1(desk, priority):
    """A Z1 notification made now (the frozen clock's now: `created_at` is the database's)."""
    n = desk.z1(priority=priority)
    Notification.objects.filter(pk=n.pk).update(created_at=clock.now())
    n.created_at = clock.now()
    return n


def urgent_target():
    return ServiceTarget.objects.get(
        type=NotificationType.objects.get(code="Z1"), priority="1", customer_tier=""
    )


def on_calendar(calendar):
    target = urgent_target()
    target.calendar = calendar
    target.save()


def move(n, to, person, **inputs):
    change_status(actor=person.user, notification=n, to=to, inputs=inputs)
    n.refresh_from_db()


# --- starting a clock -----------------------------------------------------------------------
def test_a_7x24_target_counts_through_the_weekend_where_the_default_waits_for_monday(desk, hotline):
    with clock.frozen(sh(2026, 11, 27, 17, 0)):  # a Friday, 30 minutes before the desk closes
        default = z1(desk, "1")
        on_calendar(hotline)
        urgent = z1(desk, "1")
        ordinary = z1(desk, "3")
    assert default.clock_calendar_id is None
    assert local(default.response_due) == sh(2026, 11, 30, 9, 0)  # 30 on Friday, 30 on Monday
    assert local(default.resolution_due) == sh(2026, 11, 30, 17, 0)
    assert urgent.clock_calendar_id == hotline.pk
    assert local(urgent.response_due) == sh(2026, 11, 27, 18, 0)
    assert local(urgent.resolution_due) == sh(2026, 11, 28, 1, 0)  # Saturday night
    assert local(urgent.clock_warn_at) == sh(2026, 11, 27, 17, 45)  # amber in the last 25 % of 60
    stored = Notification.objects.get(pk=urgent.pk)
    assert (stored.clock_calendar_id, stored.response_due) == (hotline.pk, urgent.response_due)
    assert ordinary.clock_calendar_id is None  # its target names no calendar


def test_a_7x24_target_counts_through_national_day(desk, hotline):
    on_calendar(hotline)
    with clock.frozen(sh(2025, 9, 30, 17, 0)):  # the last working day before 国庆
        urgent = z1(desk, "1")
        ordinary = z1(desk, "3")
    assert local(urgent.response_due) == sh(2025, 9, 30, 18, 0)
    assert local(urgent.resolution_due) == sh(2025, 10, 1, 1, 0)  # on the holiday
    assert local(ordinary.response_due) == sh(2025, 10, 9, 12, 0)  # 30 on 9-30, 210 after the holidays


# --- the stored calendar stays ------------------------------------------------------------
def test_the_clock_keeps_its_calendar_when_the_target_moves_to_another(desk, hotline):
    on_calendar(hotline)
    with clock.frozen(sh(2026, 11, 27, 17, 0)) as frozen:
        n = z1(desk, "1")
        on_calendar(None)  # the administrator moves the target back to the default calendar
        frozen.set(sh(2026, 11, 27, 17, 20))
        move(n, "KCJS", desk.technician, survey_result="已勘察")  # the first reaction: resolution runs
    assert n.clock_calendar_id == hotline.pk
    assert n.clock_due == n.resolution_due and local(n.resolution_due) == sh(2026, 11, 28, 1, 0)
    # Amber and manager instants of the resolution clock, recomputed now, on the 7×24 calendar:
    assert local(n.clock_warn_at) == sh(2026, 11, 27, 23, 0)  # 360 minutes after the creation
    assert local(n.clock_manager_at) == sh(2026, 11, 28, 5, 0)  # 240 minutes after the due
    with clock.frozen(sh(2026, 11, 28, 0, 30)):  # Saturday night: the default calendar is closed
        row = queries.read_rows(queries.worklist(desk.assistant.user, {}), desk.assistant.user, 0, 50)
    mine = next(r for r in row if r.id == n.pk)
    assert mine.clock.left_seconds == 30 * 60 and mine.clock.state == "near"
    assert mine.clock_calendar == hotline.pk


def test_postponing_and_resuming_recount_on_the_stored_calendar(desk, hotline):
    on_calendar(hotline)
    with clock.frozen(sh(2026, 11, 27, 17, 0)) as frozen:
        n = z1(desk, "1")
        on_calendar(None)
        frozen.set(sh(2026, 11, 27, 17, 10))
        move(n, "TCCL", desk.assistant, reason="客户出差")  # postponed (the clock keeps running)
        assert n.stage == "postponed" and n.clock_due == n.resolution_due
        postponed = (n.clock_warn_at, n.clock_manager_at)
        frozen.set(sh(2026, 11, 27, 22, 0))
        move(n, "TZJL", desk.assistant)  # resumed
    assert n.stage == "outstanding" and n.clock_calendar_id == hotline.pk
    assert (n.clock_warn_at, n.clock_manager_at) == postponed
    assert local(n.clock_manager_at) == sh(2026, 11, 28, 5, 0)  # not Monday 13:30 as on the default


def test_the_sweep_escalates_on_the_calendar_the_clock_started_on(
    desk, hotline, django_capture_on_commit_callbacks
):
    on_calendar(hotline)
    with clock.frozen(sh(2026, 11, 27, 17, 0)) as frozen:
        urgent = z1(desk, "1")  # response due Friday 18:00 (7×24)
        on_calendar(None)
        ordinary = z1(desk, "1")  # the default calendar: due Monday 09:00
        with django_capture_on_commit_callbacks(execute=True):
            assert escalate_late_clocks(now=sh(2026, 11, 27, 18, 30)) == 1  # the supervisor, Friday night
        frozen.set(sh(2026, 11, 27, 18, 40))
        move(urgent, "KCJS", desk.technician, survey_result="已勘察")  # late; the resolution clock runs
    # Resolution due Saturday 01:00; the manager 240 minutes later on 7×24 (on the default: Monday).
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_late_clocks(now=sh(2026, 11, 28, 2, 0)) == 1
        assert escalate_late_clocks(now=sh(2026, 11, 28, 6, 0)) == 1
        assert escalate_late_clocks(now=sh(2026, 11, 28, 6, 0)) == 0
    assert set(ClockEscalation.objects.filter(notification=urgent).values_list("clock", "level")) == {
        ("response", 1),
        ("resolution", 1),
        ("resolution", 2),
    }
    assert not ClockEscalation.objects.filter(notification=ordinary).exists()
    told = Notice.objects.filter(recipient=desk.supervisor.user, object_id=urgent.pk).values_list(
        "message", flat=True
    )
    assert any("2026-11-28 01:00" in message for message in told)
    assert Notice.objects.filter(recipient=desk.manager.user, object_id=urgent.pk).count() == 1


# --- restarting the clocks ----------------------------------------------------------------
def test_a_new_target_restarts_the_clocks_on_its_own_calendar(desk, hotline):
    with clock.frozen(sh(2026, 11, 27, 17, 0)):
        n = z1(desk, "3")
        on_calendar(hotline)
        update_notification(
            actor=desk.assistant.user, notification=n, expected_version=n.version, priority="1"
        )
    n.refresh_from_db()
    assert n.clock_calendar_id == hotline.pk and local(n.response_due) == sh(2026, 11, 27, 18, 0)


def test_recompute_applies_the_targets_current_calendars(desk, hotline):
    on_calendar(hotline)
    with clock.frozen(sh(2026, 11, 27, 17, 0)):
        n = z1(desk, "1")
        ordinary = z1(desk, "3")
        assert recompute_clocks() == 0  # nothing changed: nothing written
        on_calendar(None)
        assert recompute_clocks() == 1  # `manage.py recompute_service_clocks` after the change
    n.refresh_from_db()
    assert n.clock_calendar_id is None and local(n.response_due) == sh(2026, 11, 30, 9, 0)
    Notification.objects.filter(pk=ordinary.pk).update(clock_calendar=hotline)
    with clock.frozen(sh(2026, 11, 27, 17, 0)):
        assert recompute_clocks() == 1
    assert Notification.objects.get(pk=ordinary.pk).clock_calendar_id is None


def test_a_calendar_with_clocks_on_it_cannot_be_deleted(desk, hotline):
    on_calendar(hotline)
    z1(desk, "1")
    on_calendar(None)
    with pytest.raises(ProtectedError):
        hotline.delete()


# --- lists, pages, API --------------------------------------------------------------------
def _read_page(user):
    qs = queries.worklist(user, {})
    queries.read_rows(qs, user, 0, 50)  # code tables and calendars into the buffer
    with CaptureQueriesContext(connection) as counted:
        rows = queries.read_rows(qs, user, 0, 50)
    return rows, len(counted)


def test_a_worklist_on_two_calendars_costs_no_query_per_row(desk, hotline):
    user = desk.assistant.user
    with clock.frozen(sh(2026, 11, 27, 17, 0)):
        for _ in range(3):
            z1(desk, "1")
        buffer.clear()
        with clock.frozen(sh(2026, 11, 28, 0, 30)):
            _, one_calendar = _read_page(user)
        on_calendar(hotline)
        urgent = [z1(desk, "1") for _ in range(3)]
    buffer.clear()
    with clock.frozen(sh(2026, 11, 28, 0, 30)):  # Saturday night
        rows, two_calendars = _read_page(user)
    assert two_calendars <= one_calendar + 1
    by_id = {r.id: r for r in rows}
    for n in urgent:  # response due Friday 18:00 on 7×24: 6.5 h late; on the default: not yet due
        assert by_id[n.pk].clock.state == "late" and by_id[n.pk].clock.left_seconds == -390 * 60
        assert by_id[n.pk].clock_calendar == hotline.pk
    others = [r for r in rows if r.id not in {n.pk for n in urgent}]
    assert len(others) == 3 and all(r.clock.left_seconds == 30 * 60 for r in others)
    assert all(r.clock_calendar is None for r in others)


def test_page_and_api_show_the_clocks_calendar(desk, hotline):
    on_calendar(hotline)
    with clock.frozen(sh(2026, 11, 27, 17, 0)):
        n = z1(desk, "1")
        ordinary = z1(desk, "3")
    client = client_for(desk.assistant)
    with clock.frozen(sh(2026, 11, 27, 17, 40)):
        page = client.get(f"/notifications/{n.pk}/").content.decode()
        other = client.get(f"/notifications/{ordinary.pk}/").content.decode()
        listed = client.get("/notifications/").content.decode()
        body = client.get(f"/api/v1/notifications/{n.pk}").json()
        items = client.get("/api/v1/notifications").json()["items"]
    # The page script ticks this clock in the 7×24 periods: 20 minutes left, the office closed.
    assert f'data-clock="1200" data-warn="900" data-calendar="{hotline.pk}"' in page
    assert "data-calendar=" not in other
    assert "按工作日历 7X24 7×24 热线 计算工作时间" in page and "7X24" not in other
    assert listed.count(f'data-calendar="{hotline.pk}"') == 1
    assert body["clock_calendar"] == hotline.pk and body["time_left_minutes"] == 20
    assert {i["number"]: i["clock_calendar"] for i in items} == {n.number: hotline.pk, ordinary.number: None}
    targets = client.get("/api/v1/notifications/service-targets").json()
    assert {t["calendar"] for t in targets if t["type"] == "Z1" and t["priority"] == "1"} == {hotline.pk}
    assert {t["calendar"] for t in targets if t["priority"] != "1"} == {None}
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert (
        "clock_calendar" in schema["RowOut"]["properties"] and "calendar" in schema["TargetOut"]["properties"]
    )


def test_clock_for_reads_each_calendar_once_for_a_list(desk, hotline, django_assert_num_queries):
    on_calendar(hotline)
    with clock.frozen(sh(2026, 11, 27, 17, 0)):
        rows = [z1(desk, "1"), z1(desk, "1"), z1(desk, "3")]
    buffer.clear()
    calendars: dict = {}
    with django_assert_num_queries(6):  # two calendars, three queries each (row, hours, days)
        shown = [clocks.clock_for(n, sh(2026, 11, 27, 17, 30), calendars=calendars) for n in rows]
    assert [c.left_seconds for c in shown] == [30 * 60, 30 * 60, 210 * 60]
    assert set(calendars) == {None, hotline.pk}
