"""Service clocks on notifications: targets by type/priority/tier, working-time dues over weekends,
holidays and 调休, met vs breached, the idempotent escalation sweep, the worklist column and
filter, the API fields, in both languages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kefu.channels.models import Notice
from kefu.core.testing.scope import client_for
from kefu.tickets import clocks, queries
from kefu.tickets.models import ClockEscalation, Notification, NotificationType, ServiceTarget
from kefu.tickets.services import (
    change_status,
    escalate_late_clocks,
    note_response,
    recompute_clocks,
    update_notification,
)
from kefu.timeline.models import TimelineEvent
from kefu.worktime import clock

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def sh(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


def local(value):
    return value.astimezone(SH)


def made(n, at):
    """The row's creation time as the frozen clock saw it (`created_at` is the database's now)."""
    Notification.objects.filter(pk=n.pk).update(created_at=at)
    n.created_at = at
    return n


# --- targets --------------------------------------------------------------------------------
def _minutes(code, priority, tier):
    t = clocks.target_for(NotificationType.objects.get(code=code).pk, priority, tier)
    return (t.response_minutes, t.resolution_minutes)


def test_seeded_targets_type_beats_priority_beats_tier():
    assert _minutes("Z1", "3", "") == (240, 2400)  # Z1 default: half a day, five days
    assert _minutes("Z1", "1", "") == (60, 480)  # very high
    assert _minutes("Z1", "3", "key") == (120, 1440)  # a key customer
    assert _minutes("Z1", "1", "key") == (60, 480)  # priority beats tier
    assert _minutes("Z2", "3", "small") == (120, 1440)


def test_a_type_row_beats_a_priority_row_and_blanks_mean_any():
    z1 = NotificationType.objects.get(code="Z1")
    ServiceTarget.objects.create(priority="4", response_minutes=999, resolution_minutes=9999)
    ServiceTarget.objects.create(type=z1, priority="4", response_minutes=30, resolution_minutes=300)
    assert _minutes("Z1", "4", "") == (30, 300)
    other = NotificationType.objects.create(
        code="Z9", name="咨询", profile=z1.profile, number_range="tickets.Z9", number_start=9000001
    )
    assert clocks.target_for(other.pk, "4", "").response_minutes == 999  # any type, priority 4
    assert clocks.target_for(other.pk, "3", "").response_minutes == 480  # the catch-all row


# --- working time -------------------------------------------------------------------------
def test_dues_count_working_time_across_a_weekend(desk):
    with clock.frozen(sh(2026, 11, 27, 16, 30)):  # a Friday afternoon
        n = desk.z1(priority="3")
    # 240 working minutes: 60 on Friday, then Monday 08:30–11:30.
    assert local(n.response_due) == sh(2026, 11, 30, 11, 30)
    # 2400 = five working days of 480: Friday's 60 + Mon–Thu 1920 + 420 on Friday 12-04.
    assert local(n.resolution_due) == sh(2026, 12, 4, 16, 30)
    assert n.clock_due == n.response_due and n.clock_level == 0


def test_dues_skip_national_day_and_work_the_make_up_sunday(desk):
    with clock.frozen(sh(2025, 9, 30, 16, 0)):  # the last working day before 国庆
        n = desk.z1(priority="3")
    assert local(n.response_due) == sh(2025, 10, 9, 11, 0)  # 90 min on 9-30, 150 on 10-09
    with clock.frozen(sh(2025, 9, 26, 17, 0)):  # Friday; Sunday 9-28 is a 调休 workday
        n = desk.z2(priority="1")
    assert local(n.response_due) == sh(2025, 9, 28, 9, 0)


def test_fast_working_time_over_long_spans_equals_counting_day_by_day():
    spec = clock.load_calendar()
    start = sh(2025, 9, 20, 10, 17)
    for days in (3, 9, 40, 200):
        end = start + dt.timedelta(days=days, hours=5, minutes=3)
        slow, day = dt.timedelta(0), start.date()
        while day <= end.date():
            slow += clock._day_between(spec, max(start, sh(day.year, day.month, day.day)), end)
            day += dt.timedelta(days=1)
        assert clock.business_between(start, end) == slow
        assert clock.business_between(end, start) == -slow


def test_changing_the_priority_or_customer_recomputes_the_dues(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)):
        n = made(desk.z1(priority="3"), sh(2026, 11, 23, 9, 0))
        assert local(n.response_due) == sh(2026, 11, 23, 14, 0)  # 180 in the morning, 60 after lunch
        update_notification(
            actor=desk.assistant.user, notification=n, expected_version=n.version, priority="1"
        )
    n.refresh_from_db()
    assert local(n.response_due) == sh(2026, 11, 23, 10, 0)  # from the creation, not the change
    assert n.clock_due == n.response_due
    desk.customer.tier = "key"
    desk.customer.save()
    with clock.frozen(sh(2026, 11, 23, 9, 30)):
        update_notification(
            actor=desk.assistant.user, notification=n, expected_version=n.version, priority="3"
        )
    n.refresh_from_db()
    assert local(n.response_due) == sh(2026, 11, 23, 11, 0)  # Z1 key customer: 120 minutes


# --- met and breached ---------------------------------------------------------------------
def _responded_event(n):
    return TimelineEvent.objects.filter(object_id=n.pk, event_type="ticket.responded").get()


def test_first_status_change_meets_the_response_and_starts_the_resolution_clock(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)) as frozen:
        n = desk.z1(priority="3")
        frozen.set(sh(2026, 11, 23, 10, 0))
        change_status(actor=desk.technician.user, notification=n, to="KCJS", inputs={"survey_result": "ok"})
    n.refresh_from_db()
    assert local(n.responded_at) == sh(2026, 11, 23, 10, 0)
    assert n.clock_due == n.resolution_due and clocks.running_kind(n) == "resolution"
    event = _responded_event(n)
    assert event.data["met"] is True and event.data["how"] == "status"


def test_a_late_reaction_is_breached_and_completion_stops_the_clocks(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)) as frozen:
        n = desk.z1(priority="1")  # response 60, resolution 480 working minutes
        frozen.set(sh(2026, 11, 24, 9, 0))
        change_status(actor=desk.technician.user, notification=n, to="KCJS", inputs={"survey_result": "ok"})
        frozen.set(sh(2026, 11, 24, 9, 30))
        change_status(actor=desk.assistant.user, notification=n, to="NOCO")
    n.refresh_from_db()
    assert _responded_event(n).data["met"] is False
    assert clocks.met(n.response_due, n.responded_at) is False
    assert clocks.met(n.resolution_due, n.resolved_at) is False  # due 11-23 17:30
    assert n.clock_due is None and n.clock_manager_at is None
    assert clocks.clock_for(n).state == "breached"


def test_an_agreed_visit_is_a_response_once(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)) as frozen:
        n = desk.z1(priority="3")
        frozen.set(sh(2026, 11, 23, 9, 45))
        assert note_response(actor=desk.assistant.user, notification=n, how="appointment") is True
        frozen.set(sh(2026, 11, 23, 10, 0))
        assert note_response(actor=desk.assistant.user, notification=n, how="arrival") is False
    n.refresh_from_db()
    assert local(n.responded_at) == sh(2026, 11, 23, 9, 45)
    assert TimelineEvent.objects.filter(object_id=n.pk, event_type="ticket.responded").count() == 1


# --- escalation sweep ---------------------------------------------------------------------
def test_the_sweep_escalates_each_level_once_whatever_the_reruns(desk, django_capture_on_commit_callbacks):
    with clock.frozen(sh(2026, 11, 23, 9, 0)):
        n = desk.z1(priority="1")  # response due 10:00
        late_by_none = desk.z1(priority="3")  # due 13:30: not late at 11:00
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_late_clocks(now=sh(2026, 11, 23, 9, 59)) == 0
        assert escalate_late_clocks(now=sh(2026, 11, 23, 11, 0)) == 1
        assert escalate_late_clocks(now=sh(2026, 11, 23, 11, 0)) == 0  # run twice: nothing more
        # 15:01: the manager for n (240 working minutes after 10:00), the supervisor for the other.
        assert escalate_late_clocks(now=sh(2026, 11, 23, 15, 1)) == 2
        assert escalate_late_clocks(now=sh(2026, 11, 23, 15, 1)) == 0
    rows = ClockEscalation.objects.filter(notification=n).order_by("level")
    assert [(e.clock, e.level) for e in rows] == [("response", 1), ("response", 2)]
    assert Notification.objects.get(pk=n.pk).clock_level == 2
    assert Notice.objects.filter(recipient=desk.supervisor.user, object_id=n.pk).count() == 1
    assert Notice.objects.filter(recipient=desk.manager.user, object_id=n.pk).count() == 1
    assert TimelineEvent.objects.filter(object_id=n.pk, event_type="ticket.clock_escalated").count() == 2
    assert ClockEscalation.objects.filter(notification=late_by_none).count() == 1


def test_a_sweep_after_downtime_escalates_both_levels_at_once(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)):
        n = desk.z1(priority="1")
    assert escalate_late_clocks(now=sh(2026, 11, 25, 9, 0)) == 2
    assert escalate_late_clocks(now=sh(2026, 11, 25, 9, 0)) == 0
    assert ClockEscalation.objects.filter(notification=n).count() == 2


def test_the_resolution_clock_escalates_afresh_after_a_late_response(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)) as frozen:
        n = desk.z1(priority="1")
        escalate_late_clocks(now=sh(2026, 11, 23, 10, 30))
        frozen.set(sh(2026, 11, 23, 11, 0))
        change_status(actor=desk.technician.user, notification=n, to="KCJS", inputs={"survey_result": "ok"})
    n.refresh_from_db()
    assert n.clock_level == 0 and n.clock_due == n.resolution_due
    assert escalate_late_clocks(now=sh(2026, 11, 24, 9, 5)) == 1  # resolution due 11-24 09:00
    assert set(ClockEscalation.objects.filter(notification=n).values_list("clock", "level")) == {
        ("response", 1),
        ("resolution", 1),
    }


def test_recompute_sets_clocks_of_rows_made_before_them(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)):
        n = made(desk.z1(priority="3"), sh(2026, 11, 23, 9, 0))
        change_status(actor=desk.technician.user, notification=n, to="KCJS", inputs={"survey_result": "ok"})
    due = Notification.objects.get(pk=n.pk).resolution_due
    Notification.objects.filter(pk=n.pk).update(**{name: None for name in clocks.CLOCK_FIELDS[:-1]})
    assert recompute_clocks() == 1
    n.refresh_from_db()
    assert n.resolution_due == due and n.responded_at is not None and n.clock_due == due
    assert recompute_clocks() == 0  # only rows that change are written
    # Late long before the back-fill: counted as escalated, so no storm of notices about old work.
    assert n.clock_level == 2 and escalate_late_clocks() == 0


# --- worklist, page and API ---------------------------------------------------------------
@pytest.mark.parametrize(("language", "late_text"), [("zh-hans", "已超时"), ("en", "overdue")])
def test_worklist_column_and_late_filter(desk, language, late_text):
    with clock.frozen(sh(2026, 11, 23, 9, 0)):
        late = desk.z1(priority="1", description="迟了")
        fine = desk.z1(priority="4", description="还早")
    client = client_for(desk.assistant)
    with clock.frozen(sh(2026, 11, 23, 11, 0)):
        page = client.get("/notifications/?clock=late", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        table = page.split('id="worklist"')[1]
        assert late.number in table and fine.number not in table
        assert "data-clock=" in table and 'class="text-danger fw-semibold"' in table and late_text in table
        everything = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert fine.number in everything and everything.count("<time datetime=") == 2
        today = client.get("/notifications/?clock=today").content.decode().split('id="worklist"')[1]
        assert fine.number in today and late.number not in today  # Z1 default: due 14:00
        bad = client.get("/notifications/?clock=soon").content.decode()
        assert 'id="filter-errors"' in bad


def test_worklist_clock_column_costs_no_query(desk, django_assert_max_num_queries):
    from kefu.core import buffer

    for _ in range(3):
        desk.z1()
    buffer.clear()
    qs = queries.worklist(desk.assistant.user, {})
    queries.read_rows(qs, desk.assistant.user, 0, 50)  # code tables and the calendar into the buffer
    with django_assert_max_num_queries(3):
        rows = queries.read_rows(qs, desk.assistant.user, 0, 50)
    assert rows and all(r.clock is not None and r.clock.kind == "response" for r in rows)


def test_notification_page_shows_the_clock(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)):
        n = desk.z1(priority="1")
    with clock.frozen(sh(2026, 11, 23, 9, 50)):
        page = client_for(desk.assistant).get(f"/notifications/{n.pk}/").content.decode()
    assert 'id="service-clock"' in page and 'data-clock="600"' in page
    assert "text-warning-emphasis" in page  # 10 minutes of 60 left: amber
    assert 'id="service-clocks"' in page


def test_api_lists_clock_fields_filters_late_and_reads_targets(desk):
    with clock.frozen(sh(2026, 11, 23, 9, 0)):
        late = desk.z1(priority="1")
        desk.z1(priority="4")
    client = client_for(desk.assistant)
    with clock.frozen(sh(2026, 11, 23, 10, 30)), translation.override("en"):
        body = client.get("/api/v1/notifications?clock=late", HTTP_ACCEPT_LANGUAGE="en").json()
        assert [r["number"] for r in body["items"]] == [late.number]
        row = body["items"][0]
        assert row["clock_kind"] == "response" and row["clock_state"] == "late"
        assert row["time_left_minutes"] == -30 and row["time_left"] == "30 min overdue"
        assert row["response_due"].startswith("2026-11-23T10:00:00")
        detail = client.get(f"/api/v1/notifications/{late.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
        assert detail["clock_state"] == "late" and detail["time_left"] == "已超时 30分钟"
        by_due = client.get("/api/v1/notifications?sort=due").json()["items"]
        assert by_due[0]["number"] == late.number
    targets = client.get("/api/v1/notifications/service-targets").json()
    assert {"type": "Z1", "priority": "1", "customer_tier": ""}.items() <= next(
        t for t in targets if t["type"] == "Z1" and t["priority"] == "1"
    ).items()
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "time_left_minutes" in schema["RowOut"]["properties"]


def test_periods_for_the_ticking_script(desk):
    with clock.frozen(sh(2026, 11, 27, 16, 0)):
        body = client_for(desk.assistant).get("/api/v1/worktime/periods?days=4").json()
    starts = [p[0][:16] for p in body["periods"]]
    assert starts[0] == "2026-11-27T13:00" and starts[1] == "2026-11-30T08:30"  # the weekend skipped
    assert body["texts"]["left"] and "%(time)s" in body["texts"]["overdue"]


def test_long_deadlines_skip_whole_days_and_agree_with_the_working_time_between():
    start = sh(2025, 9, 19, 15, 47)  # before 国庆, over 调休 Sundays and the holidays
    for minutes in (30, 480, 1000, 2400, 4800, 20_000, 100_000):
        due = clock.add_duration(start, minutes, mode="business")
        assert clock.business_between(start, due) == dt.timedelta(minutes=minutes)
        assert clock.load_calendar().is_working_day(local(due).date())
