"""Issue 14 through the browser: the PBX rings (a signed webhook), the agent's open Kefu pops the
caller's card, and the agent creates a notification from it with the keyboard."""

import importlib
import json
import time
import urllib.request

import pytest
from django.apps import apps

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(org, staff_factory):
    from kefu.contacts.models import CtiSource
    from kefu.customers.services import reindex
    from kefu.org.roles import sync_roles
    from kefu.tickets.tests.factories import make_desk
    from kefu.tickets.workflows import install

    sync_roles()
    install(apps)
    importlib.import_module("kefu.catalog.migrations.0002_default_catalogues").load(apps, None)
    desk = make_desk(org, staff_factory)
    reindex([desk.customer])  # written past the services: put it in the search index they keep
    CtiSource.objects.create(key="pbx", name="PBX", secret="e2e-secret")
    return desk


def ring(base_url: str, number: str, agent: str) -> dict:
    from kefu.contacts.cti import sign

    body = json.dumps(
        {
            "event_id": "e2e-1",
            "call_id": "e2e-call",
            "kind": "ring",
            "at": "2026-12-01T10:00:00+08:00",
            "number": number,
            "agent": agent,
        }
    ).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        f"{base_url}/api/v1/contacts/cti/events",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Kefu-Key": "pbx",
            "X-Kefu-Timestamp": stamp,
            "X-Kefu-Signature": sign("e2e-secret", stamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_ring_pops_the_card_and_the_agent_creates_a_notification_by_keyboard(page, desk):
    agent = desk.assistant.user
    login(page, agent.username, PASSWORD)
    page.goto(f"{page.base_url}/")
    page.locator("[data-screen-pop]").wait_for(state="attached")

    answer = ring(page.base_url, "+86 138 1234 5678", agent.username)
    assert answer["new"] is True

    card = page.locator(f"[data-call-card='{answer['call_id']}']")
    card.wait_for()
    assert "申齐保健食品有限公司" in card.inner_text()
    assert "138****5678" in card.locator("#pop-number").inner_text()  # masked for the assistant
    # The card takes the focus on "new notification": Enter opens it, prefilled with the customer.
    page.keyboard.press("Enter")
    page.wait_for_url("**/notifications/new/**")
    assert page.input_value("#id_customer") == "2110050007"
    page.locator("#id_description").focus()
    page.keyboard.type("来电报修:活动柜锁坏")
    for name, value in (
        ("#id_reference_document", "30000075"),
        ("#id_reference_date", "2026-11-20"),
        ("#id_required_start", "2026-12-02"),
        ("#id_required_end", "2026-12-05"),
    ):
        if name == "#id_reference_document":
            page.locator(name).focus()
            page.keyboard.type(value)
        else:  # a date input orders its digits by the browser's locale: set it whole
            page.fill(name, value)
    page.locator("#id_description").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#notification-number")
    assert "申齐保健食品有限公司" in page.inner_text("#customer")

    # The call's wrap-up links the notification the agent just made.
    from kefu.contacts.models import Call

    call = Call.objects.get(pk=answer["call_id"])
    page.goto(f"{page.base_url}/contacts/calls/{call.pk}/wrap-up/")
    assert "活动柜锁坏" in page.inner_text("main")
