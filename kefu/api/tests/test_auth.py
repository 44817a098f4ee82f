"""The API refuses missing, invalid, revoked and expired tokens with one JSON error shape."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kefu.api.models import ApiToken
from kefu.api.services import create_token, revoke_token
from kefu.core.testing.scope import client_for


@pytest.fixture
def staff(org, staff_factory):
    return staff_factory(roles=["assistant"], offices=[org.office_a], name="陈静")


def api(headers=None, **extra):
    return Client(HTTP_HOST="127.0.0.1", **(headers or {}), **extra)


def assert_unauthenticated(response):
    assert response.status_code == 401
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "not_authenticated"


def test_missing_token_is_refused(db):
    assert_unauthenticated(api().get("/api/v1/me"))


def test_invalid_token_is_refused(staff):
    create_token(actor=staff.user, name="erp")
    assert_unauthenticated(api(HTTP_AUTHORIZATION="Bearer kefu_not-a-real-token").get("/api/v1/me"))
    assert_unauthenticated(api(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").get("/api/v1/me"))


def test_valid_token_authenticates_as_its_owner(staff):
    _token, key = create_token(actor=staff.user, name="erp")
    for headers in ({"HTTP_AUTHORIZATION": f"Bearer {key}"}, {"HTTP_X_API_KEY": key}):
        response = api(headers).get("/api/v1/me")
        assert response.status_code == 200
        assert response.json()["name"] == "陈静"
        assert response.json()["roles"] == ["assistant"]


def test_token_is_stored_hashed_only(staff):
    token, key = create_token(actor=staff.user, name="erp")
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert key.startswith(stored.prefix)


def test_revoked_and_expired_tokens_are_refused(staff):
    token, key = create_token(actor=staff.user, name="old")
    revoke_token(actor=staff.user, token_id=token.pk)
    assert_unauthenticated(api(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me"))
    token2, key2 = create_token(actor=staff.user, name="short", days_valid=1)
    ApiToken.objects.filter(pk=token2.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_unauthenticated(api(HTTP_AUTHORIZATION=f"Bearer {key2}").get("/api/v1/me"))


def test_token_of_deactivated_user_is_refused(staff):
    _token, key = create_token(actor=staff.user, name="erp")
    staff.user.is_active = False
    staff.user.save()
    assert_unauthenticated(api(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me"))


def test_error_message_follows_request_language(db):
    zh = api(HTTP_ACCEPT_LANGUAGE="zh-CN").get("/api/v1/me").json()["error"]["message"]
    en = api(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/me").json()["error"]["message"]
    assert en.startswith("Authentication is required")
    assert zh != en and "登录" in zh


def test_token_page_shows_key_once(staff):
    client = client_for(staff)
    response = client.post("/account/tokens/", {"name": "ERP 同步"})
    html = response.content.decode()
    token = ApiToken.objects.get(user=staff.user)
    assert 'id="new-token"' in html and token.prefix in html
    again = client.get("/account/tokens/").content.decode()
    assert 'id="new-token"' not in again and "ERP 同步" in again


def test_token_page_names_the_missing_field(staff):
    response = client_for(staff).post("/account/tokens/", {"name": ""})
    assert 'data-field="name"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_validation_errors_have_the_stable_shape(staff):
    response = client_for(staff).get("/api/v1/org/staff?limit=abc")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "limit" in error["fields"]


def test_openapi_and_docs_are_served_without_cdn(staff):
    client = client_for(staff)
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/me" in schema.json()["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger" in docs.lower()
    assert "cdn." not in docs and "https://" not in docs.split("<body")[0]
