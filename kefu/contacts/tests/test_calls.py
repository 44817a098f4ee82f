"""Call centre: webhook signature and idempotency, out-of-order events, matching, screen pop,
first-contact responsibility, handover, sweep, wrap-up and outbound attempts."""

import json
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from kefu.contacts import cti, queries, services
from kefu.contacts.models import Call, CallEvent, Contact, ScreenPop

SH = ZoneInfo("Asia/Shanghai")
URL = "/api/v1/contacts/cti/events"


def post_event(client, body: dict, *, key="pbx1", secret="s3cret", signature=None):
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    return client.post(
        URL,
        data=raw,
        content_type="application/json",
        HTTP_X_KEFU_KEY=key,
        HTTP_X_KEFU_TIMESTAMP=stamp,
        HTTP_X_KEFU_SIGNATURE=signature or cti.sign(secret, stamp, raw),
    )


def event(n, kind, at, call="c1", number="+86 21 5888 1234", agent=""):
    return {"event_id": f"e{n}", "call_id": call, "kind": kind, "at": at, "number": number, "agent": agent}


def test_national_number_normalises_the_forms_pbxs_send():
    assert cti.national_number("+86 138-1234-5678") == "13812345678"
    assert cti.national_number("013812345678") == "13812345678"
    assert cti.national_number("021-5888 1234") == "2158881234"
    assert cti.national_number("008602158881234") == "2158881234"
    assert cti.national_number("") == ""


@pytest.mark.django_db
def test_match_by_customer_landline_and_contact_mobile(customer):
    assert cti.match_customers("+862158881234") == [{"customer": customer.pk, "person": None}]
    rows = cti.match_customers("13812345678")
    assert rows and rows[0]["customer"] == customer.pk and rows[0]["person"] is not None
    assert cti.match_customers("021-5888123") == []  # a prefix of the number is not the number


@pytest.mark.django_db
def test_several_customers_on_one_number_are_offered(org, customer, people):
    from kefu.customers.models import Customer
    from kefu.customers.services import reindex

    other = Customer.objects.create(
        number="2110050099", name="申齐分店", phone="02158881234", sales_office=org.office_a
    )
    reindex([other])
    assert {r["customer"] for r in cti.match_customers("02158881234")} == {customer.pk, other.pk}
    call = services.simulate_ring(actor=people["agent"].user, number="02158881234")
    assert call.contact.customer is None and len(call.candidates) == 2
    services.pick_customer(call, actor=people["agent"].user, customer=other)
    assert Contact.objects.get(pk=call.contact_id).customer == other


@pytest.mark.django_db
def test_bad_signature_and_unknown_key_change_nothing(source, customer):
    client = Client()
    body = event(1, "ring", "2026-12-01T10:00:00+08:00")
    assert post_event(client, body, signature="sha256=00").status_code == 401
    assert post_event(client, body, key="nobody").status_code == 401
    assert post_event(client, body, secret="wrong").status_code == 401
    assert Call.objects.count() == 0 and Contact.objects.count() == 0


@pytest.mark.django_db
def test_replayed_event_id_changes_nothing(source, customer, people):
    client = Client()
    body = event(1, "ring", "2026-12-01T10:00:00+08:00", agent=people["agent"].user.username)
    first = post_event(client, body)
    assert first.status_code == 200 and first.json()["new"] is True
    again = post_event(client, body)
    assert again.status_code == 200 and again.json()["new"] is False
    assert Call.objects.count() == 1 and CallEvent.objects.count() == 1
    assert ScreenPop.objects.filter(user=people["agent"].user).count() == 1


@pytest.mark.django_db
def test_hangup_before_answer_before_ring_still_makes_one_correct_call(source, customer, people):
    client = Client()
    agent = people["agent"].user.username
    for body in (
        event(3, "hangup", "2026-12-01T10:05:00+08:00", agent=agent),
        event(2, "answer", "2026-12-01T10:00:10+08:00", agent=agent),
        event(1, "ring", "2026-12-01T10:00:00+08:00", agent=agent),
    ):
        assert post_event(client, body).status_code == 200
    call = Call.objects.get()
    assert call.outcome == "answered"
    assert call.ring_at == datetime(2026, 12, 1, 10, 0, tzinfo=SH)
    assert call.talk_seconds == 290
    assert call.contact.customer == customer
    assert call.contact.first_responsible == people["agent"]  # 首问负责: the agent who picked up
    assert not ScreenPop.objects.exists()  # the ring came after the hang-up: nothing to pop


@pytest.mark.django_db
def test_missed_call_is_missed_and_unowned(source, customer):
    client = Client()
    post_event(client, event(1, "ring", "2026-12-01T10:00:00+08:00"))
    post_event(client, event(2, "hangup", "2026-12-01T10:00:30+08:00"))
    call = Call.objects.get()
    assert call.outcome == "missed" and call.contact.first_responsible is None


@pytest.mark.django_db
def test_bad_event_body_names_the_field(source):
    response = post_event(Client(), {"event_id": "x", "call_id": "c", "kind": "explode", "at": "soon"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"kind", "at"}


@pytest.mark.django_db
def test_screen_pop_cursor_and_masked_card(customer, people):
    agent = people["agent"].user
    client = Client()
    client.force_login(agent)
    assert client.get("/contacts/calls/pops/?after=0").json()["pops"] == []
    call = services.simulate_ring(actor=agent, number="021-58881234")
    data = client.get("/contacts/calls/pops/?after=0").json()
    assert [p["call"] for p in data["pops"]] == [call.pk]
    inline = data["pops"][0]["html"]  # the card comes with the pop, masked like the card page
    assert "申齐保健食品有限公司" in inline and "58881234" not in inline
    # a reconnect with the last cursor gets nothing twice
    assert client.get(f"/contacts/calls/pops/?after={data['cursor']}").json()["pops"] == []
    # a pop whose card the push stream brought is listed (the cursor moves past it) without its card
    brought = client.get(f"/contacts/calls/pops/?after=0&seen={data['pops'][0]['id']},x").json()
    assert brought["cursor"] == data["cursor"] and "html" not in brought["pops"][0]
    card = client.get(f"/contacts/calls/{call.pk}/card/").content.decode()
    assert "申齐保健食品有限公司" in card and "pop-new-notification" in card
    assert "58881234" not in card  # the assistant sees phones masked
    assert "customer=2110050007" in card


@pytest.mark.django_db
def test_a_popped_call_is_found_for_the_agent_it_popped_on_only(customer, people):
    """The woken poll's prepared lookup (one SQL shape for every agent) keeps the user in its SQL."""
    call = services.simulate_ring(actor=people["agent"].user, number="021-58881234")
    assert queries.popped_call(people["agent"].user, call.pk) == call
    assert queries.popped_call(people["keyaccount"].user, call.pk) is None  # same centre, not popped
    assert queries.popped_call(people["outsider"].user, call.pk) is None
    assert queries.popped_call(people["agent"].user, call.pk + 1000) is None


@pytest.mark.django_db
def test_other_centre_agent_cannot_open_the_card(customer, people):
    call = services.simulate_ring(actor=people["agent"].user, number="021-58881234")
    client = Client()
    client.force_login(people["outsider"].user)
    assert client.get(f"/contacts/calls/{call.pk}/card/").status_code == 404
    client.force_login(people["technician"].user)
    assert client.get("/contacts/calls/pops/").status_code == 403


@pytest.mark.django_db
def test_handover_keeps_the_first_responsible_accountable(customer, people, frozen_clock):
    agent, tech = people["agent"], people["technician"]
    contact = services.record_contact(actor=agent.user, customer=customer, subject="锁坏")
    assert contact.first_responsible == agent
    services.hand_over(
        contact,
        actor=agent.user,
        to_staff=people["outsider"],
        reason="属上海责任中心",
        due_at=frozen_clock.now + timedelta(hours=4),
        expected_version=contact.version,
    )
    contact.refresh_from_db()
    assert contact.owner == people["outsider"] and contact.first_responsible == agent
    assert Contact.objects.visible_to(people["outsider"].user).filter(pk=contact.pk).exists()
    assert Contact.objects.visible_to(agent.user).filter(pk=contact.pk).exists()
    assert contact.handovers.get().reason == "属上海责任中心"
    from kefu.core.errors import ConcurrentUpdate

    with pytest.raises(ConcurrentUpdate):
        services.close_contact(contact, actor=agent.user, expected_version=contact.version - 1)
    assert tech  # technicians may hand over but not answer calls
    assert not tech.user.has_perm("contacts.answer_call")


@pytest.mark.django_db
def test_handover_needs_reason_and_future_time(customer, people, frozen_clock):
    from kefu.core.errors import ValidationFailed

    contact = services.record_contact(actor=people["agent"].user, customer=customer)
    with pytest.raises(ValidationFailed) as err:
        services.hand_over(
            contact,
            actor=people["agent"].user,
            to_staff=people["outsider"],
            reason=" ",
            due_at=frozen_clock.now,
        )
    assert set(err.value.fields) == {"reason", "due_at"}
    assert not contact.handovers.exists()


@pytest.mark.django_db
def test_sweep_flags_once_and_finds_repeats(customer, people, frozen_clock):
    unowned = services.record_contact(actor=None, channel="mail", customer=customer, subject="邮件咨询")
    first = services.record_contact(actor=people["agent"].user, customer=customer)
    again = services.record_contact(actor=people["agent"].user, customer=customer)
    assert again.repeat_of == first or again.repeat_of == unowned  # an open matter: a repeat
    frozen_clock.advance(hours=5)
    assert services.sweep() >= 2
    unowned.refresh_from_db()
    assert unowned.flag_unowned and unowned.flag_unanswered
    before = Contact.objects.filter(flag_unowned=True).count()
    services.sweep()
    assert Contact.objects.filter(flag_unowned=True).count() == before


@pytest.mark.django_db
def test_wrap_up_links_the_notification_created_during_the_call(customer, people):
    from kefu.tickets.models import Notification

    agent = people["agent"].user
    call = services.simulate_ring(actor=agent, number="021-58881234")
    client = Client()
    client.force_login(agent)
    page = client.get(f"/contacts/calls/{call.pk}/wrap-up/")
    assert page.status_code == 200 and "step_greeted" in page.content.decode()
    notification = Notification.objects.filter(customer=customer).first()
    response = client.post(
        f"/contacts/calls/{call.pk}/wrap-up/",
        {"classification": "service", "resolution": "resolved", "step_greeted": "on", "note": "已建通知单"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(pk=call.contact_id)
    assert not contact.is_open and contact.steps["greeted"] is True and contact.classification == "service"
    assert contact.notification == notification  # None when no notification was made meanwhile


@pytest.mark.django_db
def test_outbound_attempts_retry_then_give_up(org, customer, people, frozen_clock):
    from datetime import datetime
    from datetime import time as dtime

    from kefu.contacts.models import CallList, CallTask
    from kefu.org.models import Staff

    frozen_clock.set(datetime(2026, 12, 2, 10, 0))  # a Wednesday morning: a working day, whenever CI runs
    manager = Staff.objects.filter(user__groups__role__code="key_account").first() or people["keyaccount"]
    call_list = CallList.objects.create(
        name="回访",
        sales_office=org.office_a,
        calling_from=dtime(0, 0),
        calling_until=dtime(23, 59),
        max_attempts=2,
    )
    task = CallTask.objects.create(
        call_list=call_list, customer=customer, agent=manager.user, next_attempt_at=frozen_clock.now
    )
    assert services.next_task(manager.user) == task
    services.record_attempt(task, actor=manager.user, outcome="no_answer")
    task.refresh_from_db()
    assert task.status == "retry" and task.next_attempt_at > frozen_clock.now
    assert services.next_task(manager.user) is None  # not due yet
    frozen_clock.advance(hours=3)
    services.record_attempt(task, actor=manager.user, outcome="busy")
    task.refresh_from_db()
    assert task.status == "failed" and task.attempts == 2


@pytest.mark.django_db
def test_reference_pbx_script_is_accepted(source, customer, people, monkeypatch):
    """The script's request (URL, headers, signed body) replayed through the test client: no live
    server, so the database is not flushed for the tests after this one."""
    import io
    import runpy
    import urllib.request
    from pathlib import Path

    client = Client()

    def urlopen(request, timeout=None):
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.header_items()}
        headers.pop("HTTP_CONTENT_TYPE", None)
        response = client.post(
            request.full_url.replace("http://kefu.test", ""),
            data=request.data,
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 200, response.content
        stream = io.BytesIO(response.content)
        stream.__enter__ = lambda *a: stream  # type: ignore[method-assign]
        stream.__exit__ = lambda *a: None  # type: ignore[method-assign]
        return stream

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    script = runpy.run_path(str(Path(__file__).resolve().parents[3] / "scripts" / "pbx_post.py"))
    monkeypatch.setenv("KEFU_URL", "http://kefu.test")
    monkeypatch.setenv("KEFU_CTI_KEY", "pbx1")
    monkeypatch.setenv("KEFU_CTI_SECRET", "s3cret")
    answer = script["post"]("ring", "pbx-42", "+86 21 5888 1234", people["agent"].user.username)
    assert answer["new"] is True and answer["outcome"] == "ringing"
    assert script["post"]("ring", "pbx-42", "+86 21 5888 1234")["new"] is False
    assert Call.objects.get(external_id="pbx-42").contact.customer == customer


@pytest.mark.django_db
def test_pinyin_initials_find_the_customer(customer, people):
    from kefu.customers.models import Customer
    from kefu.customers.queries import search_customers

    found = search_customers(Customer.objects.all(), "sqbj", user=people["agent"].user)
    assert list(found) == [customer]
    assert not search_customers(Customer.objects.all(), "sqbx", user=people["agent"].user).exists()
    client = Client()
    client.force_login(people["agent"].user)
    assert "2110050007" in client.get("/customers/autocomplete/?q=sqbj").content.decode()


@pytest.mark.django_db
def test_similar_notification_hint_links_instead_of_duplicating(org, staff_factory):
    from kefu.tickets.tests.factories import create_z, make_desk

    desk = make_desk(org, staff_factory)
    existing = create_z(desk, "Z1", description="活动柜锁坏")
    create_z(desk, "Z1", description="办公桌面开裂")
    client = Client()
    client.force_login(desk.assistant.user)
    html = client.get(
        "/contacts/similar/", {"customer": "2110050007", "description": "活动柜的锁坏了"}
    ).content
    assert existing.number in html.decode() and "办公桌面开裂" not in html.decode()
    assert (
        client.get("/contacts/similar/", {"customer": "2110050007", "description": "发票"}).content.strip()
        == b""
    )
    client.force_login(desk.outsider.user)  # another centre: sees nothing of this customer
    html = client.get("/contacts/similar/", {"customer": "2110050007", "description": "活动柜锁坏"}).content
    assert existing.number not in html.decode()
    form = Client()
    form.force_login(desk.assistant.user)
    assert 'id="similar-hint"' in form.get("/notifications/new/").content.decode()


@pytest.mark.django_db
def test_a_page_without_a_cursor_gets_the_live_calls_only_and_a_cursor_past_all(customer, people):
    """A new tab or a new login: not every card of the last ten minutes again (the API keeps them)."""
    agent = people["agent"].user
    before = services.simulate_ring(actor=agent, number="021-58881233")
    Call.objects.filter(pk=before.pk).update(end_at=before.ring_at, outcome="missed")
    ended = services.simulate_ring(actor=agent, number="021-58881234")
    Call.objects.filter(pk=ended.pk).update(end_at=ended.ring_at, outcome="missed")
    taken = services.simulate_ring(actor=agent, number="021-58881235")
    Call.objects.filter(pk=taken.pk).update(agent=people["keyaccount"].user)
    ringing = services.simulate_ring(actor=agent, number="021-58881236")
    client = Client()
    client.force_login(agent)
    first = client.get("/contacts/calls/pops/?after=0").json()
    assert [p["call"] for p in first["pops"]] == [ringing.pk]
    assert first["cursor"] == ScreenPop.objects.filter(user=agent).latest("id").pk
    assert client.get(f"/contacts/calls/pops/?after={first['cursor']}").json()["pops"] == []
    # a page that has a cursor catches up on everything after it, ended or not
    older = ScreenPop.objects.get(user=agent, call=before).pk
    again = client.get(f"/contacts/calls/pops/?after={older}").json()["pops"]
    assert [p["call"] for p in again] == [ended.pk, taken.pk, ringing.pk]
    api = client.get("/api/v1/contacts/pops?after=0").json()["pops"]
    assert len(api) == 4
