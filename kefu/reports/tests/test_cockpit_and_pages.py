"""The cockpit is scoped and every figure's link lists exactly the records it counts; the pages,
the xlsx export, the API, the weekly report and the monthly schedule."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from kefu.reports import queries, services
from kefu.reports.models import ReportRecipient, Scorecard, SupervisionReport, WeeklyReport
from kefu.tickets import queries as tickets
from kefu.tickets.models import Notification
from kefu.workflow.choices import Stage

pytestmark = pytest.mark.django_db


def _client(staff) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff.user)
    return client


@pytest.fixture
def backlog(desk):
    """Three open notifications in centre A, one in centre B (out of A's scope)."""
    made = [desk.z1() for _ in range(3)]
    from kefu.tickets.tests.factories import make_customer

    other = desk.z1(
        actor=desk.outsider.user,
        customer=make_customer(desk.org.office_b),
        work_centre=desk.org.wc_b,
        responsible=desk.outsider_tech,
        sales_group=None,
    )
    return made, other


def test_cockpit_counts_only_what_the_viewer_may_see(desk, backlog):
    start, end = queries.default_period()
    mine = queries.cockpit(desk.supervisor.user, start, end)["notifications"]
    everything = queries.cockpit(desk.manager.user, start, end)["notifications"]
    assert mine["backlog_total"] == 3
    assert everything["backlog_total"] == 4
    assert mine["inflow_total"] == 3 and sum(mine["inflow"]) == 3


def test_every_drill_down_lists_what_the_figure_counts(desk, backlog):
    start, end = queries.default_period()
    figures = queries.cockpit(desk.supervisor.user, start, end)["notifications"]
    rows = figures["by_status"] + figures["by_centre"] + figures["by_age"]
    assert rows
    for row in rows:
        parts = urlsplit(row["url"])
        assert parts.path == "/notifications/"
        params = QueryDict(parts.query)
        assert tickets.worklist(desk.supervisor.user, params).count() == row["value"], row
    day = figures["days"].index(timezone.localdate().strftime("%m-%d"))
    url = figures["flow_urls"][day]
    assert (
        tickets.worklist(desk.supervisor.user, QueryDict(urlsplit(url).query)).count()
        == figures["inflow"][day]
    )
    assert _client(desk.supervisor).get(rows[0]["url"]).status_code == 200


def test_on_time_and_outflow_in_the_cockpit(desk, backlog):
    made, _other = backlog
    today = timezone.localdate()
    Notification.objects.filter(pk=made[0].pk).update(
        stage=Stage.COMPLETED, completed_at=timezone.now(), required_end=today
    )
    start, end = queries.default_period()
    figures = queries.cockpit(desk.supervisor.user, start, end)["notifications"]
    assert figures["outflow_total"] == 1
    assert figures["on_time"] == "100.00"
    assert figures["backlog_total"] == 2


def test_cockpit_page_and_permission(desk, backlog):
    page = _client(desk.supervisor).get("/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "echarts.min.js" in text and "cockpit-data" in text and "管理驾驶舱" in text
    assert _client(desk.technician).get("/reports/").status_code == 403
    bad = _client(desk.supervisor).get("/reports/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert bad.status_code == 200 and "92" in bad.content.decode()  # too long a period: named


def test_cockpit_api_and_bad_period(desk, backlog):
    client = _client(desk.supervisor)
    data = client.get("/api/v1/reports/cockpit").json()
    assert data["notifications"]["backlog_total"] == 3
    bad = client.get("/api/v1/reports/cockpit", {"start": "2026-11-10", "end": "2026-11-01"})
    assert bad.status_code == 400 and "end" in bad.json()["error"]["fields"]


def test_scorecards_pages_export_and_sign_off(desk):
    desk.z1()
    period = date(2026, 11, 1)
    services.compute_period(period)
    card = Scorecard.objects.get(period_start=period, staff=desk.technician)
    supervisor = _client(desk.supervisor)
    listing = supervisor.get("/reports/scorecards/", {"period": "2026-11"})
    assert listing.status_code == 200 and desk.technician.name in listing.content.decode()
    rated = {
        f"item_{code}": "4"
        for code in (
            "att_responsibility",
            "att_initiative",
            "att_teamwork",
            "att_discipline",
            "abl_knowledge",
            "abl_communication",
            "abl_problem",
            "abl_adaptability",
        )
    }
    too_high = supervisor.post(
        f"/reports/scorecards/{card.pk}/rate/", {**rated, "item_att_teamwork": "9", "version": card.version}
    )
    assert too_high.status_code == 400
    card.refresh_from_db()
    assert card.status == "computed"
    done = supervisor.post(f"/reports/scorecards/{card.pk}/rate/", {**rated, "version": card.version})
    assert done.status_code == 302
    card.refresh_from_db()
    assert card.status == "rated"
    # the appraised sees their own card (and only theirs) and signs it off
    own = _client(desk.technician)
    mine = own.get(f"/reports/scorecards/{card.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert mine.status_code == 200
    # one catalogue for all apps: the indicator's value is 数值 (not customers' 价值), the status
    # 已评分 by the supervisor (not surveys' 已评价 by customers)
    assert "数值</th>" in mine.content.decode() and "价值" not in mine.content.decode()
    assert "已评分" in mine.content.decode()
    other = Scorecard.objects.get(period_start=period, staff=desk.assistant)
    assert own.get(f"/reports/scorecards/{other.pk}/").status_code == 404
    signed = own.post(f"/reports/scorecards/{card.pk}/sign/", {"comment": "同意", "version": card.version})
    assert signed.status_code == 302
    card.refresh_from_db()
    assert card.status == "signed" and card.staff_comment == "同意"
    export = supervisor.get("/reports/scorecards/export.xlsx", {"period": "2026-11"})
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    names = [row[3] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert desk.technician.name in names
    values = [row[4] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "—" in values  # no data shows as a dash in the export too


def test_scorecard_api_scope(desk):
    services.compute_period(date(2026, 11, 1))
    client = _client(desk.technician)
    data = client.get("/api/v1/reports/scorecards", {"period": "2026-11"}).json()
    assert [item["personnel_number"] for item in data["items"]] == [desk.technician.personnel_number]
    assert client.get("/api/v1/reports/scorecards", {"period": "2026-13"}).status_code == 400


def test_weekly_report_draft_and_submit(desk):
    desk.z1()
    client = _client(desk.technician)
    response = client.post("/reports/weekly/draft/")
    report = WeeklyReport.objects.get(staff=desk.technician)
    assert response.status_code == 302 and report.figures["received"] == 1
    empty = client.post(f"/reports/weekly/{report.pk}/", {"done": "", "version": report.version})
    assert empty.status_code == 400
    ok = client.post(
        f"/reports/weekly/{report.pk}/", {"done": "上门维修三单", "plan": "回访", "version": report.version}
    )
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.done == "上门维修三单"
    assert _client(desk.outsider).get(f"/reports/weekly/{report.pk}/").status_code in (403, 404)


def test_monthly_schedule_catches_up_once(desk, monkeypatch, mailoutbox):
    from kefu.channels.models import OutboundMail

    monkeypatch.setattr("kefu.core.pdf.html_to_pdf", lambda html: b"%PDF-1.4 " + html[:50].encode())
    ReportRecipient.objects.create(name="总经理", email="gm@example.com")
    services.run_monthly_report(date(2026, 12, 4))  # the 1st was missed: caught up on the 4th
    services.run_monthly_report(date(2026, 12, 5))
    assert SupervisionReport.objects.filter(period_start=date(2026, 11, 1)).count() == 1
    report = SupervisionReport.objects.get()
    assert report.mailed_at is not None and report.file.read().startswith(b"%PDF")
    assert OutboundMail.objects.filter(object_id=report.pk, to=["gm@example.com"]).count() == 1
    assert "/reports/archive/" in OutboundMail.objects.get(object_id=report.pk).body
    download = _client(desk.manager).get(f"/reports/archive/{report.pk}/report.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert _client(desk.technician).get(f"/reports/archive/{report.pk}/report.pdf").status_code == 403


def test_the_current_month_cannot_be_archived(desk):
    from kefu.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as error:
        services.generate_supervision_report(timezone.localdate().replace(day=1))
    assert "period" in error.value.fields


def test_supervision_report_pdf_from_chromium(desk, settings, tmp_path):
    """The real renderer: headless Debian chromium prints the report to a PDF."""
    from kefu.core.pdf import chromium_path

    if not chromium_path():
        pytest.skip("chromium is not installed")
    settings.MEDIA_ROOT = tmp_path
    desk.z1()
    report = services.generate_supervision_report(services.previous_month())
    content = report.file.read()
    assert content.startswith(b"%PDF") and report.size == len(content) > 10_000
    assert report.figures["received"] >= 0 and "centres" in report.figures


def test_the_swept_counts_equal_the_live_figures_in_every_scope(desk, backlog):
    made, _other = backlog
    Notification.objects.filter(pk=made[0].pk).update(stage=Stage.COMPLETED, completed_at=timezone.now())
    start, end = queries.default_period()
    live = {
        who: queries.cockpit(staff.user, start, end)["notifications"]
        for who, staff in (
            ("supervisor", desk.supervisor),
            ("manager", desk.manager),
            ("tech", desk.technician),
        )
    }
    assert services.refresh_cockpit() > 0
    keys = (
        "backlog_total",
        "by_status",
        "by_centre",
        "by_age",
        "inflow",
        "outflow",
        "on_time",
        "on_time_detail",
    )
    for who, staff in (("supervisor", desk.supervisor), ("manager", desk.manager), ("tech", desk.technician)):
        swept = queries.cockpit(staff.user, start, end)["notifications"]
        assert swept["snapshot_at"], who
        assert {k: swept[k] for k in keys} == {k: live[who][k] for k in keys}, who
    assert live["manager"]["backlog_total"] == 3 and live["supervisor"]["backlog_total"] == 2
