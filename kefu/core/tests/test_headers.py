"""Headers and redirects at the edge: CSP, no-store on personal pages, no open redirect."""

import pytest

from kefu.core.testing.scope import client_for

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_csp_with_a_nonce_and_no_store(org, staff_factory):
    user = staff_factory(roles=["manager"])
    response = client_for(user).get("/customers/pyramid/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-eval" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    assert f'<script nonce="{nonce}">' in body
    assert " onclick=" not in body and " onchange=" not in body
    assert response["Cache-Control"] == "no-store"


def test_api_answers_are_not_stored(org, staff_factory):
    from kefu.core.testing.scope import api_client_for

    response = api_client_for(staff_factory(roles=["manager"])).get("/api/v1/me")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"


def test_next_only_leads_to_this_site(org, staff_factory):
    from kefu.tickets.tests.factories import make_desk

    desk = make_desk(org, staff_factory)
    n = desk.z1()
    client = client_for(desk.assistant)
    form = {"ids": [n.pk], "action": "assign", "responsible": desk.technician.pk}
    response = client.post("/notifications/bulk/", {**form, "next": "https://evil.example/phish"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    # The worklist's filter survives a bulk assign.
    response = client.post("/notifications/bulk/", {**form, "next": "/notifications/?stage=outstanding"})
    assert response["Location"] == "/notifications/?stage=outstanding"
