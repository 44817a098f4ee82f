"""A generic probe of a scoped record through the UI and the API.

Use it from any app's tests: give it a record in responsibility centre A, its page URL and its
API URL; it checks that an anonymous caller, a user of centre B, and a guessed id get nothing,
and that a user of centre A and a company-wide user do.
"""

from __future__ import annotations

from django.test import Client

from kefu.api.services import create_token


def client_for(staff) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff.user)
    return client


def api_client_for(staff) -> Client:
    _token, key = create_token(actor=staff.user, name="test")
    return Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")


def probe_scoped_record(
    *,
    page_url: str,
    api_url: str,
    insider,
    outsider,
    company_wide,
    missing_page_url: str,
    missing_api_url: str,
) -> None:
    anonymous = Client(HTTP_HOST="127.0.0.1")
    assert anonymous.get(page_url).status_code == 302, "anonymous UI must be sent to log in"
    assert anonymous.get(api_url).status_code == 401, "anonymous API must be refused"

    for who, expected in ((insider, 200), (company_wide, 200), (outsider, 404)):
        assert client_for(who).get(page_url).status_code == expected, f"UI {page_url} for {who}"
        response = api_client_for(who).get(api_url)
        assert response.status_code == expected, f"API {api_url} for {who}: {response.content[:200]!r}"
        if expected == 404:
            assert response.json()["error"]["code"] == "not_found"

    # A guessed id looks exactly like a forbidden one.
    assert client_for(company_wide).get(missing_page_url).status_code == 404
    assert api_client_for(company_wide).get(missing_api_url).status_code == 404
