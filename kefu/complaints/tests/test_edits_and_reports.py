"""Corrections keep old and new values; reports count what happened in the period."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kefu.complaints.queries import accident_statistics, exception_summary
from kefu.complaints.services import (
    create_accident,
    escalate_late,
    save_carrier,
    transition_complaint,
    update_complaint,
)
from kefu.core.errors import ConcurrentUpdate, ValidationFailed
from kefu.core.testing.scope import client_for
from kefu.timeline.models import TimelineEvent

from .conftest import RECORD_INPUTS, sh

pytestmark = pytest.mark.django_db


def test_correction_records_old_and_new_values_and_refuses_stale_versions(make_complaint, people):
    c = make_complaint()
    version = c.version
    update_complaint(c, actor=people["specialist"].user, expected_version=version, subject="柜门变形")
    event = TimelineEvent.objects.get(object_id=c.pk, event_type="complaints.updated")
    assert event.data["changes"]["subject"] == {"old": "活动柜锁坏", "new": "柜门变形"}
    with pytest.raises(ConcurrentUpdate):
        update_complaint(c, actor=people["specialist"].user, expected_version=version, subject="又改")
    with pytest.raises(ValidationFailed) as info:
        update_complaint(c, actor=people["specialist"].user, expected_version=c.version, severity="whatever")
    assert "severity" in info.value.fields


def test_edit_page_saves_with_the_version(make_complaint, people):
    c = make_complaint()
    client = client_for(people["specialist"])
    url = reverse("complaints:complaint_edit", args=[c.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": c.version,
            "subject": "新主题",
            "received_via": "email",
            "severity": "serious",
            "contact_name": "",
            "contact_phone": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    c.refresh_from_db()
    assert (c.subject, c.severity) == ("新主题", "serious")


def test_exception_summary_counts_by_class_and_late_steps(frozen_clock, make_complaint, people):
    frozen_clock.set(sh(2026, 11, 3, 9, 0))
    a = make_complaint()
    transition_complaint(a, "KSJL", actor=people["specialist"].user, inputs=RECORD_INPUTS)
    make_complaint()
    frozen_clock.set(sh(2026, 11, 4, 9, 0))
    escalate_late()
    data = exception_summary(people["manager"].user, date(2026, 11, 1), date(2026, 11, 30))
    assert data["totals"]["total"] == 2
    assert {g["label"]: g["count"] for g in data["by_content"]}["质量投诉"] == 1
    assert sum(g["count"] for g in data["late_by_step"]) == 2
    outside = exception_summary(people["manager"].user, date(2026, 10, 1), date(2026, 10, 31))
    assert outside["totals"]["total"] == 0


def test_accident_statistics_by_kind_carrier_and_responsibility(frozen_clock, org, people):
    frozen_clock.set(sh(2026, 11, 10, 12, 0))
    carrier = save_carrier(actor=people["manager"].user, code="CY9", name="测试承运商")
    for kind, loss in [("damage", "1000.00"), ("damage", "500.50"), ("loss", "12000.00")]:
        create_accident(
            actor=people["manager"].user,
            kind=kind,
            occurred_at=sh(2026, 11, 10, 11, 0),
            place="仓库",
            description="x",
            sales_office=org.office_a,
            estimated_loss=Decimal(loss),
            carrier=carrier,
        )
    data = accident_statistics(people["manager"].user, date(2026, 11, 1), date(2026, 11, 30))
    kinds = {g["kind"]: (g["count"], g["estimated"]) for g in data["by_kind"]}
    assert kinds == {"damage": (2, Decimal("1500.50")), "loss": (1, Decimal("12000.00"))}
    assert data["by_carrier"][0]["label"] == "测试承运商" and data["by_carrier"][0]["count"] == 3
    assert data["totals"]["count"] == 3
    client = client_for(people["manager"])
    page = client.get(reverse("complaints:accident_statistics"), {"start": "2026-11-01", "end": "2026-11-30"})
    assert page.status_code == 200 and "测试承运商" in page.content.decode()
    bad = client.get(reverse("complaints:accident_statistics"), {"start": "2026-11-30", "end": "2026-11-01"})
    assert bad.status_code == 200


def test_carrier_pages(people):
    client = client_for(people["manager"])
    response = client.post(
        reverse("complaints:carrier_create"), {"code": "CY7", "name": "安捷快运", "status": "active"}
    )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "安捷快运" in detail.content.decode()
    duplicate = client.post(
        reverse("complaints:carrier_create"), {"code": "CY7", "name": "重复", "status": "active"}
    )
    assert duplicate.status_code == 200 and 'data-field="code"' in duplicate.content.decode()
