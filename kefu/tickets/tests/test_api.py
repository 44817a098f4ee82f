"""The API: create (idempotent), read, partial update with version, transitions, items, texts, list."""

from kefu.core.testing.scope import api_client_for
from kefu.tickets.models import Notification

SEED = {
    "customer": "2110050007",
    "description": "活动柜锁",
    "long_text": "活动柜被反锁,抽屉打不开。",
    "reference_document": "30000075",
    "reference_date": "2001-03-01",
    "required_start": "2001-03-07",
    "required_end": "2001-03-08",
    "work_centre": "S4002",
    "responsible": "202",
    "sales_organization": "F011",
    "distribution_channel": "10",
    "division": "02",
    "sales_office": "4002",
    "sales_group": "002",
    "business_area": "1002",
    "payment_status": "paid",
    "items": [
        {
            "product_type": "06",
            "colour": "A",
            "material": "100056",
            "quantity": 1,
            "reason": "1",
            "reason_text": "OEM 厂商",
        }
    ],
}


def test_create_is_idempotent_and_returns_the_seed_fields(desk):
    api = api_client_for(desk.assistant)
    first = api.post(
        "/api/v1/notifications/", SEED, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["type"] == "Z1" and body["status"] == "TZJL" and body["sales_area"] == "F011/10/02"
    assert body["items"][0]["material"] == "100056" and body["texts"][0]["text"].startswith("活动柜被反锁")
    again = api.post(
        "/api/v1/notifications/", SEED, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Notification.objects.count() == 1


def test_bad_codes_are_named(desk):
    api = api_client_for(desk.assistant)
    response = api.post(
        "/api/v1/notifications/",
        {**SEED, "work_centre": "S9999", "items": []},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "work_centre" in response.json()["error"]["fields"]
    response = api.post(
        "/api/v1/notifications/", {**SEED, "items": [{"product_type": "XX"}]}, content_type="application/json"
    )
    assert response.status_code == 400 and "items.1.product_type" in response.json()["error"]["fields"]
    assert Notification.objects.count() == 0


def test_patch_with_version_transitions_items_texts_and_list(desk):
    api = api_client_for(desk.assistant)
    n = api.post("/api/v1/notifications/", SEED, content_type="application/json").json()
    url = f"/api/v1/notifications/{n['id']}"
    patched = api.patch(
        url, {"version": n["version"], "priority": "1", "urgent": True}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["urgent"] is True
    stale = api.patch(url, {"version": n["version"], "priority": "4"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    tech = api_client_for(desk.technician)
    refused = tech.post(f"{url}/transitions", {"to": "KCJS"}, content_type="application/json")
    assert refused.status_code == 400 and "survey_result" in refused.json()["error"]["fields"]
    moved = tech.post(
        f"{url}/transitions",
        {"to": "KCWB", "inputs": {"survey_result": "抽屉锁缺货、请购。"}},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "KCJS"
    wrong_role = tech.post(f"{url}/transitions", {"to": "ZGPZ"}, content_type="application/json")
    assert wrong_role.status_code == 403
    item = api.post(
        f"{url}/items", {"product_type": "02", "quantity": 2, "reason": "2"}, content_type="application/json"
    )
    assert item.status_code == 201 and item.json()["position"] == 2
    text = api.post(f"{url}/texts", {"text": "已通知区物流"}, content_type="application/json")
    assert text.status_code == 201
    assert [t["text"] for t in api.get(f"{url}/texts").json()][-1] == "已通知区物流"
    listing = api.get("/api/v1/notifications/?stage=in_process&type=Z1&work_centre=S4002").json()
    assert [r["number"] for r in listing["items"]] == [n["number"]]
    assert api.get("/api/v1/notifications/?stage=completed").json()["items"] == []
    outsider = api_client_for(desk.outsider)
    assert outsider.get("/api/v1/notifications/").json()["items"] == []
    assert outsider.post(f"{url}/texts", {"text": "x"}, content_type="application/json").status_code == 404


def test_keyword_list_pages_in_worklist_order(desk):
    older = desk.z1(description="抽屉锁坏了")
    urgent = desk.z1(description="抽屉卡住", urgent=True)
    desk.z1(description="柜门松动")
    api = api_client_for(desk.assistant)
    first = api.get("/api/v1/notifications/", {"q": "抽屉", "limit": 1}).json()
    assert [row["number"] for row in first["items"]] == [urgent.number]
    assert first["count"] == 2
    second = api.get("/api/v1/notifications/", {"q": "抽屉", "limit": 1, "offset": 1}).json()
    assert [row["number"] for row in second["items"]] == [older.number]
    assert api_client_for(desk.outsider).get("/api/v1/notifications/", {"q": "抽屉"}).json()["items"] == []


def test_every_datetime_is_iso_8601_local_to_the_second(desk):
    """One datetime format: 2026-12-04T09:30:00+08:00 (database values are stored in UTC)."""
    import re

    from kefu.core.testing.scope import api_client_for

    n = desk.z1()
    body = api_client_for(desk.manager).get(f"/api/v1/notifications/{n.pk}").json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", body["created_at"]), body["created_at"]
    listed = api_client_for(desk.manager).get("/api/v1/notifications/").json()["items"][0]
    assert listed["created_at"] == body["created_at"]
