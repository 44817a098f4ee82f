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
    # F4 on the person responsible: the picker finds the technician by the pinyin initials of his name.
    from kefu.core.pinyin import initials

    technician = desk.technician
    technician.name = "王敏"  # wm
    technician.save()
    page.locator("#id_responsible").focus()
    page.keyboard.press("F4")
    popup = page.locator("[data-picker-popup] input")
    popup.wait_for()
    page.keyboard.type(initials(technician.name))
    page.locator(f"[data-picker-popup] .active[data-value='{technician.pk}']").wait_for()
    page.keyboard.press("Enter")
    assert page.input_value("#id_responsible") == str(technician.pk)
    assert page.evaluate("document.activeElement.id") == "id_responsible"  # back where the agent was
    page.keyboard.press("Control+s")  # save by keyboard
    page.wait_for_selector("#notification-number")
    assert "申齐保健食品有限公司" in page.inner_text("#customer")
    assert technician.name in page.inner_text("#responsible")
    # "?" shows the shortcuts of the page, Esc closes them.
    page.locator("body").focus()
    page.keyboard.press("?")
    page.locator("#shortcut-help-overlay").wait_for()
    assert "Alt" in page.inner_text("#shortcut-help-overlay")
    page.keyboard.press("Escape")
    page.locator("#shortcut-help-overlay").wait_for(state="detached")

    # The call's wrap-up links the notification the agent just made.
    from kefu.contacts.models import Call

    call = Call.objects.get(pk=answer["call_id"])
    page.goto(f"{page.base_url}/contacts/calls/{call.pk}/wrap-up/")
    assert "活动柜锁坏" in page.inner_text("main")


def test_queue_ring_pops_on_available_agents_and_the_first_takes_it(
    browser, live_server, desk, staff_factory
):
    """A ring to the hotline (no agent) pops on both connected agents of the queue; the one who
    takes it by keyboard owns it, and the other's card goes away."""
    from django.core.cache import cache

    from kefu.contacts.models import AgentQueue, Call

    cache.clear()  # the presence write throttle of an earlier test's user ids
    other = staff_factory(roles=["assistant"], offices=[desk.org.office_a], name="赵敏")
    queue = AgentQueue.objects.create(
        code="HOT", name="热线", numbers="4008001234", sales_office=desk.org.office_a
    )
    queue.members.add(desk.assistant.user, other.user)
    pages = []
    for user in (desk.assistant.user, other.user):
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.base_url = live_server.url
        login(page, user.username, PASSWORD)
        page.goto(f"{page.base_url}/")
        page.locator("[data-screen-pop]").wait_for(state="attached")
        pages.append(page)
    for page in pages:  # both have polled: connected (the page's CSP forbids wait_for_function's eval)
        for _ in range(100):
            if page.evaluate("() => sessionStorage.getItem('kefu.pop.cursor')") is not None:
                break
            page.wait_for_timeout(100)
    answer = ring(live_server.url, "+86 138 1234 5678", "4008001234")
    first, second = pages
    for page in pages:
        page.locator(f"[data-call-card='{answer['call_id']}'] #pop-take").wait_for()
    # the take button has the focus: Enter takes the call
    assert first.evaluate("document.activeElement.id") == "pop-take"
    first.keyboard.press("Enter")
    first.locator(f"[data-call-card='{answer['call_id']}'] #pop-new-notification").wait_for()
    second.locator(f"[data-call-card='{answer['call_id']}']").wait_for(state="detached")
    assert Call.objects.get(pk=answer["call_id"]).agent == desk.assistant.user
    for page in pages:
        page.context.close()


def test_with_the_push_server_a_ring_wakes_the_page_instead_of_its_poll(page, desk, push_server):
    """`kefu serve`'s push server holds the page's event stream: the page stops polling every 0.7 s,
    and a ring's card reaches it on the stream, with no request from the page (kefu.core.push); a
    card the agent closed does not come back on the next poll."""
    agent = desk.assistant.user
    login(page, agent.username, PASSWORD)
    page.goto(f"{page.base_url}/")
    page.locator("[data-screen-pop][data-push='open']").wait_for(state="attached")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/calls/pops/" in request.url else None)
    page.wait_for_timeout(2500)
    assert len(asked) <= 1  # polling every 0.7 s would have asked 3 times: the stream is what it waits on

    asked.clear()
    answer = ring(page.base_url, "+86 138 1234 5678", agent.username)
    card = page.locator(f"[data-call-card='{answer['call_id']}']")
    card.wait_for()
    assert "申齐保健食品有限公司" in card.inner_text()
    assert "138****5678" in card.locator("#pop-number").inner_text()  # masked, as without push
    assert not any("woken=1" in url for url in asked)  # no wake-up ask: the card came on the stream
    assert page.evaluate("document.activeElement.id") == "pop-new-notification"  # N, by keyboard

    card.locator("[data-pop-close]").click()
    card.wait_for(state="detached")
    asked.clear()
    deadline = time.monotonic() + 8
    while not asked and time.monotonic() < deadline:  # the page's own poll, every 5 s beside a stream
        page.wait_for_timeout(200)
    assert asked, "the page never polled"
    page.wait_for_timeout(800)  # its answer has come (and holds the closed pop)
    assert card.count() == 0  # the closed card stays closed
