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
