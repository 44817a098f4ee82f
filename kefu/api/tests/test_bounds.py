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
