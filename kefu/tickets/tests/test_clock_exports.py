"""The service clock in the worklist .xlsx export and on the printed work plan (HTML and PDF):
the same words as the worklist column, for a late and an on-time notification, on a frozen clock."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from kefu.core.testing.scope import client_for
from kefu.tickets.models import Notification

SH = ZoneInfo("Asia/Shanghai")
MONDAY_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=SH)
MONDAY_11 = dt.datetime(2026, 11, 23, 11, 0, tzinfo=SH)
pytestmark = pytest.mark.django_db


def _made(desk, **kw) -> Notification:
    n = desk.z1(**kw)
    Notification.objects.filter(pk=n.pk).update(created_at=MONDAY_9)
    return n


def _pair(desk, frozen_clock):
    frozen_clock.set(MONDAY_9)
    late = _made(desk, priority="1", description="迟了")  # response due 10:00
    fine = _made(
        desk, priority="4", description="还早"
    )  # response due 14:00 (two working hours after 11:00, lunch off)
    frozen_clock.set(MONDAY_11)
    return late, fine


def test_export_has_the_clock_columns_for_late_and_on_time(desk, frozen_clock):
    late, fine = _pair(desk, frozen_clock)
    response = client_for(desk.assistant).get("/notifications/export/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    header = list(rows[0])
    kind, left = header.index("服务时钟"), header.index("剩余时间")
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[late.number][kind] == "响应"
    assert by_number[late.number][left] == "已超时 1小时"
    assert by_number[fine.number][kind] == "响应"
    assert by_number[fine.number][left] == "剩余 2小时"


def test_work_plan_page_and_pdf_show_the_clock(desk, frozen_clock, monkeypatch):
    late, fine = _pair(desk, frozen_clock)
    client = client_for(desk.assistant)
    query = f"?id={late.pk}&id={fine.pk}"
    page = client.get(f"/notifications/work-plan/{query}", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<th>服务时钟</th>" in page
    assert '<td class="text-nowrap" data-clock-state="late">响应 已超时 1小时</td>' in page
    assert '<td class="text-nowrap" data-clock-state="ok">响应 剩余 2小时</td>' in page

    printed: list[str] = []

    def fake_pdf(html: str) -> bytes:
        printed.append(html)
        return b"%PDF-1.4 test"

    monkeypatch.setattr("kefu.core.pdf.html_to_pdf", fake_pdf)
    response = client.get(f"/notifications/work-plan.pdf{query}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert '<td class="nw" data-clock-state="late">响应 已超时 1小时</td>' in printed[0]
    assert '<td class="nw" data-clock-state="ok">响应 剩余 2小时</td>' in printed[0]
