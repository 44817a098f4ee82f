"""The visits and surveys API: same services, scope and errors as the pages."""

import pytest

from kefu.api.services import create_token
from kefu.visits import services
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db


def _api(client, staff):
    _token, key = create_token(actor=staff.user, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.fixture
def visit(frozen_clock, customer, people):
    frozen_clock.set(sh(2026, 12, 2, 10))
    return services.plan_visit(
        actor=people["relation"].user,
        customer=customer,
        due_at=sh(2026, 12, 4, 17),
        owner=people["keyaccount"],
    )


def test_my_visits_and_record_with_a_follow_up(client, visit, people):
    api = _api(client, people["keyaccount"])
    mine = api.get("/api/v1/visits/mine").json()
    assert [v["id"] for v in mine["items"]] == [visit.pk]
    body = {
        "version": visit.version,
        "summary": "客户反映椅子气杆下沉",
        "satisfaction": 3,
        "card": {"volume_outlook": "增长"},
        "follow_ups": [
            {
                "kind": "notification",
                "description": "椅子气杆下沉",
                "owner": people["technician"].personnel_number,
            }
        ],
    }
    response = api.post(f"/api/v1/visits/{visit.pk}/record", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "done" and data["follow_ups"][0]["number"]
    again = api.post(f"/api/v1/visits/{visit.pk}/record", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "visit_not_planned"


def test_bad_input_is_400_naming_the_field(client, visit, people):
    api = _api(client, people["keyaccount"])
    response = api.post(
        f"/api/v1/visits/{visit.pk}/record",
        {"version": visit.version, "summary": "x", "satisfaction": 9},
        content_type="application/json",
    )
    assert response.status_code == 400 and "satisfaction" in response.json()["error"]["fields"]
    response = api.get("/api/v1/visits/report?start=2026-12-10&end=2026-12-01")
    assert response.status_code == 400 and "end" in response.json()["error"]["fields"]


def test_out_of_scope_is_404(client, visit, people):
    api = _api(client, people["outsider"])
    assert api.get(f"/api/v1/visits/{visit.pk}").status_code == 404


def test_reception_api_and_review(client, frozen_clock, customer, people):
    frozen_clock.set(sh(2026, 12, 2, 10))
    api = _api(client, people["keyaccount"])
    response = api.post(
        "/api/v1/visits/receptions/",
        {
            "customer_number": customer.number,
            "purpose": "goods",
            "started_at": "2026-12-02T09:00:00+08:00",
            "visitors": "张总",
            "conversation": "了解货物情况",
            "questions": [{"question": "何时到货?", "deadline": "2026-12-05"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    reception = response.json()
    assert reception["status"] == "JDCG" and reception["allowed"] == ["JDTJ"]
    moved = api.post(
        f"/api/v1/visits/receptions/{reception['id']}/transitions",
        {"to": "JDTJ", "version": reception["version"]},
        content_type="application/json",
    ).json()
    refused = api.post(
        f"/api/v1/visits/receptions/{reception['id']}/transitions",
        {"to": "JDSH", "version": moved["version"]},
        content_type="application/json",
    )
    assert refused.status_code == 403
