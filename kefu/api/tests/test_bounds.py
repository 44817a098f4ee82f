"""Bounds in the OpenAPI document answer in the user's language, naming the field."""

import pytest

from kefu.core.testing.scope import api_client_for

pytestmark = pytest.mark.django_db


def test_a_bound_query_parameter_is_a_chinese_field_error(staff_factory):
    api = api_client_for(staff_factory(roles=["manager"]))
    body = api.get("/api/v1/notifications/?offset=-1", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["error"]["fields"]["offset"] == ["请输入不小于 0 的值。"]
    body = api.get("/api/v1/notifications/?limit=201", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["error"]["fields"]["limit"] == ["请输入不大于 200 的值。"]


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0", "1700000000", "2026-13-45", "0001-01-01", "2026-1-5"])
def test_a_date_query_parameter_is_yyyy_mm_dd_and_nothing_else(day, org, staff_factory):
    """pydantic alone read `?day=0` as the Unix epoch and answered 200 to a request the
    document (format: date) forbids (schemathesis negative_data_rejection)."""
    from django.test import Client

    technician = staff_factory(roles=["technician"], offices=[org.office_a], work_centres=[org.wc_a])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(technician.user)
    response = client.get("/api/v1/field/today", {"day": day})
    assert response.status_code == 400, response.content
    assert "day" in response.json()["error"]["fields"]
    assert client.get("/api/v1/field/today", {"day": "2026-12-04"}).status_code == 200


@pytest.mark.parametrize("value", [True, "5", 1700000000])
def test_a_body_takes_no_bool_or_text_for_a_number_and_no_number_for_a_date(value):
    """pydantic alone read `"year": false` as 0 (schemathesis negative_data_rejection: a body
    the document forbids answered 201) and a number as a Unix time for a date."""
    import datetime as dt

    from pydantic import ValidationError

    from kefu.api.schemas import InputSchema

    class Body(InputSchema):
        year: int | None = None
        day: dt.date | None = None

    field = "day" if value == 1700000000 else "year"
    with pytest.raises(ValidationError):
        Body(**{field: value})
    assert Body(year=2026, day="2026-12-04").year == 2026
