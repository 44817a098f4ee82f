"""Pages and API of the complaint desk: same scope, same rules, clear errors, bounded queries."""

import pytest
from django.urls import reverse

from kefu.complaints.models import Complaint
from kefu.core.testing.queries import assert_max_queries
from kefu.core.testing.scope import api_client_for, client_for, probe_scoped_record

from .conftest import RECORD_INPUTS, sh

pytestmark = pytest.mark.django_db


def test_complaint_is_scoped_in_ui_and_api(make_complaint, people):
    c = make_complaint()
    probe_scoped_record(
        page_url=reverse("complaints:complaint_detail", args=[c.pk]),
        api_url=f"/api/v1/complaints/{c.pk}",
        insider=people["specialist"],
        outsider=people["outsider"],
        company_wide=people["manager"],
        missing_page_url=reverse("complaints:complaint_detail", args=[c.pk + 999]),
        missing_api_url=f"/api/v1/complaints/{c.pk + 999}",
    )


def test_receive_a_complaint_through_the_page_shows_the_10_minute_clock(frozen_clock, people, customer):
    frozen_clock.set(sh(2026, 11, 23, 9, 0))
    client = client_for(people["specialist"])
    response = client.post(
        reverse("complaints:complaint_create"),
        {
            "customer": customer.number,
            "received_via": "hotline",
            "subject": "送货延误",
            "severity": "normal",
            "received_at": "",
            "contact_name": "张先生",
            "contact_phone": "13812345678",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Complaint.objects.get().status.code == "KSSL"
    page = client.get(response["Location"]).content.decode()
    assert "剩余 10分钟" in page
    assert 'data-to="KSJL"' in page


def test_create_form_names_the_bad_field_and_saves_nothing(people):
    client = client_for(people["specialist"])
    response = client.post(
        reverse("complaints:complaint_create"),
        {"customer": "9999999999", "subject": "", "received_via": "hotline", "severity": "normal"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="customer"' in html and 'data-field="subject"' in html
    assert not Complaint.objects.exists()


def test_step_page_validates_and_moves(make_complaint, people):
    c = make_complaint()
    client = client_for(people["specialist"])
    url = reverse("complaints:complaint_transition", args=[c.pk, "KSJL"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"version": c.version, "content_class": "quality"})
    assert bad.status_code == 200 and 'data-field="cause_class"' in bad.content.decode()
    ok = client.post(url, {"version": c.version, **RECORD_INPUTS, "severity": "normal"})
    assert ok.status_code == 302
    c.refresh_from_db()
    assert c.status.code == "KSJL"
    stale = client.post(
        reverse("complaints:complaint_transition", args=[c.pk, "KSCL"]), {"version": c.version - 1}
    )
    # The form again with the message, answered 409 as the dispute step does (kefu.core.steps).
    assert stale.status_code == 409
    assert (
        "Someone else" in stale.content.decode()
        or "其他人" in stale.content.decode()
        or "别人" in stale.content.decode()
    )


def test_list_page_has_time_left_and_bounded_queries(make_complaint, people):
    for _ in range(5):
        make_complaint()
    client = client_for(people["specialist"])
    client.get(reverse("complaints:complaint_list"))
    with assert_max_queries(12):
        response = client.get(reverse("complaints:complaint_list"))
    assert response.status_code == 200
    assert response.content.decode().count('step-clock" data-deadline') == 5


def test_detail_page_query_count(make_complaint, people):
    c = make_complaint()
    client = client_for(people["specialist"])
    client.get(reverse("complaints:complaint_detail", args=[c.pk]))
    with assert_max_queries(25):
        assert client.get(reverse("complaints:complaint_detail", args=[c.pk])).status_code == 200


def test_contact_phone_is_masked_for_roles_without_the_right(make_complaint, people):
    c = make_complaint(contact_phone="13812345678")
    body = api_client_for(people["specialist"]).get(f"/api/v1/complaints/{c.pk}").json()
    assert body["contact_phone"] == "138****5678"


def test_api_flow_with_the_same_rules(frozen_clock, people, customer):
    frozen_clock.set(sh(2026, 11, 23, 9, 0))
    api = api_client_for(people["specialist"])
    created = api.post(
        "/api/v1/complaints/",
        {"customer_number": customer.number, "subject": "柜门变形"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["minutes_left"] == 10 and body["allowed"] == ["KSJL"]
    missing = api.post(
        f"/api/v1/complaints/{body['id']}/transitions",
        {"to": "KSJL", "version": body["version"], "inputs": {"content_class": "quality"}},
        content_type="application/json",
    )
    assert missing.status_code == 400
    assert {"cause_class", "description"} <= set(missing.json()["error"]["fields"])
    bad = api.post(
        f"/api/v1/complaints/{body['id']}/transitions",
        {"to": "KSJL", "version": body["version"], "inputs": {**RECORD_INPUTS, "content_class": "x"}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "content_class" in bad.json()["error"]["fields"]
    moved = api.post(
        f"/api/v1/complaints/{body['id']}/transitions",
        {"to": "KSJL", "version": body["version"], "inputs": RECORD_INPUTS},
        content_type="application/json",
    )
    assert (
        moved.status_code == 200
        and moved.json()["status"] == "KSJL"
        and moved.json()["status_label"] == "已记录"
    )
    conflict = api.post(
        f"/api/v1/complaints/{body['id']}/transitions",
        {"to": "KSCL", "version": body["version"], "inputs": {}},
        content_type="application/json",
    )
    assert conflict.status_code == 409
    listed = api.get("/api/v1/complaints/?overdue=false").json()
    assert listed["count"] == 1
    unknown_customer = api.post(
        "/api/v1/complaints/",
        {"customer_number": "0000000000", "subject": "x"},
        content_type="application/json",
    )
    assert (
        unknown_customer.status_code == 400
        and "customer_number" in unknown_customer.json()["error"]["fields"]
    )


def test_api_accidents(frozen_clock, people, org):
    frozen_clock.set(sh(2026, 11, 23, 10, 5))
    api = api_client_for(people["assistant"])
    created = api.post(
        "/api/v1/complaints/accidents/",
        {
            "kind": "loss",
            "occurred_at": "2026-11-23T10:00:00+08:00",
            "place": "天津港",
            "description": "整件丢失",
            "sales_office": org.office_a.code,
            "estimated_loss": "10000.01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["severity"] == "severe" and body["severity_label"] and body["minutes_left"] == 25
    outsider = api_client_for(people["outsider"]).get(f"/api/v1/complaints/accidents/{body['id']}")
    assert outsider.status_code == 404
    assert api.get("/api/v1/complaints/accidents/").json()["count"] == 1


@pytest.mark.parametrize(
    "name",
    [
        "complaint_list",
        "complaint_create",
        "quality",
        "summary",
        "accident_list",
        "accident_create",
        "accident_statistics",
        "carrier_list",
        "carrier_create",
    ],
)
def test_pages_render_for_the_manager(name, people, make_complaint):
    make_complaint()
    assert client_for(people["manager"]).get(reverse(f"complaints:{name}")).status_code == 200


def test_exports_are_xlsx(make_complaint, people):
    c = make_complaint()
    client = client_for(people["manager"])
    for url in [
        reverse("complaints:complaint_export"),
        reverse("complaints:summary") + "?format=xlsx",
        reverse("complaints:accident_statistics") + "?format=xlsx",
        reverse("complaints:accident_export"),
        reverse("complaints:complaint_report", args=[c.pk]) + "?format=xlsx",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.getvalue()[:2] == b"PK", url  # streamed or not
    assert client.get(reverse("complaints:complaint_report", args=[c.pk])).status_code == 200


def test_technician_without_rights_cannot_receive_complaints(people):
    assert client_for(people["technician"]).get(reverse("complaints:complaint_create")).status_code == 403
