"""Queue routing 坐席队列: a ring naming no agent (or a hunt-group number) pops on every available
agent of the queue (connected, not on a call); the first to take it owns the call."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from kefu.contacts import services
from kefu.contacts.models import AgentQueue, Call, ScreenPop
from kefu.contacts.tests.test_calls import event, post_event


@pytest.fixture
def queue(org, people, staff_factory):
    cache.clear()  # the presence write throttle lives in the cache
    q = AgentQueue.objects.create(
        code="HOT", name="400 热线", numbers="4008001234, 8001", sales_office=org.office_a
    )
    extra = staff_factory(roles=["assistant"], offices=[org.office_a], name="赵敏")
    q.members.add(people["agent"].user, people["keyaccount"].user, extra.user)
    people["third"] = extra
    return q


def connect(*users):
    for user in users:
        services.touch_presence(user)


@pytest.mark.django_db
def test_ring_to_the_hunt_group_number_pops_on_every_available_member(source, customer, people, queue):
    agent, keyaccount, third = people["agent"].user, people["keyaccount"].user, people["third"].user
    connect(agent, keyaccount)  # the third member has no Kefu open
    # keyaccount is on another call (answered, no hang-up yet): not available
    now = timezone.now()
    post_event(Client(), event(1, "ring", now.isoformat(), call="busy", agent=keyaccount.username))
    post_event(Client(), event(2, "answer", now.isoformat(), call="busy", agent=keyaccount.username))
    ScreenPop.objects.all().delete()

    response = post_event(Client(), event(3, "ring", "2026-12-01T10:00:00+08:00", call="q1", agent="8001"))
    assert response.status_code == 200
    call = Call.objects.get(external_id="q1")
    assert call.queue == queue and call.agent is None
    assert set(ScreenPop.objects.filter(call=call).values_list("user", flat=True)) == {agent.pk}
    assert third.pk not in set(ScreenPop.objects.values_list("user", flat=True))


@pytest.mark.django_db
def test_ring_without_agent_goes_to_the_default_queue_and_the_first_taker_owns_it(
    source, customer, people, queue
):
    queue.numbers = ""
    queue.is_default = True
    queue.save()
    agent, keyaccount = people["agent"].user, people["keyaccount"].user
    connect(agent, keyaccount)
    post_event(Client(), event(1, "ring", "2026-12-01T10:00:00+08:00", call="q2"))
    call = Call.objects.get(external_id="q2")
    assert set(ScreenPop.objects.filter(call=call).values_list("user", flat=True)) == {
        agent.pk,
        keyaccount.pk,
    }

    first, second = Client(), Client()
    first.force_login(keyaccount)
    second.force_login(agent)
    card = first.get(f"/contacts/calls/{call.pk}/card/").content.decode()
    assert 'id="pop-take"' in card
    assert first.post(f"/contacts/calls/{call.pk}/take/").status_code == 200
    late = second.post(f"/contacts/calls/{call.pk}/take/")
    assert late.status_code == 409 and "黄磊" in late.content.decode()
    call.refresh_from_db()
    assert call.agent == keyaccount
    assert call.contact.first_responsible == people["keyaccount"]  # 首问负责: the taker
    # the loser's screen is told to drop the card; the winner's is not
    assert second.get("/contacts/calls/pops/?after=0").json()["withdrawn"] == [call.pk]
    assert first.get("/contacts/calls/pops/?after=0").json()["withdrawn"] == []
    # a page that says which takeable cards it shows is told about those only
    assert second.get(f"/contacts/calls/pops/?after=0&open={call.pk}").json()["withdrawn"] == [call.pk]
    assert second.get(f"/contacts/calls/pops/?after=0&open={call.pk + 1},x").json()["withdrawn"] == []
    assert second.get("/contacts/calls/pops/?after=0&open=").json()["withdrawn"] == []
    # the API answers the same way
    api = Client()
    api.force_login(agent)
    assert api.post(f"/api/v1/contacts/calls/{call.pk}/take").json()["error"]["code"] == "call_taken"


@pytest.mark.django_db
def test_unknown_caller_on_a_queue_is_seen_by_the_popped_agents(source, people, queue):
    agent = people["agent"].user
    connect(agent)
    post_event(
        Client(), event(1, "ring", "2026-12-01T10:00:00+08:00", call="q3", number="13900000000", agent="HOT")
    )
    call = Call.objects.get(external_id="q3")
    assert call.contact.customer is None and call.contact.sales_office == queue.sales_office
    client = Client()
    client.force_login(agent)
    assert client.get(f"/contacts/calls/{call.pk}/card/").status_code == 200
    outsider = Client()
    outsider.force_login(people["outsider"].user)
    assert outsider.get(f"/contacts/calls/{call.pk}/card/").status_code == 404


@pytest.mark.django_db
def test_ring_to_a_named_agent_is_not_routed(source, customer, people, queue):
    connect(people["agent"].user, people["keyaccount"].user)
    post_event(
        Client(),
        event(1, "ring", "2026-12-01T10:00:00+08:00", call="q4", agent=people["agent"].user.username),
    )
    call = Call.objects.get(external_id="q4")
    assert call.queue is None
    assert list(ScreenPop.objects.filter(call=call).values_list("user", flat=True)) == [
        people["agent"].user.pk
    ]


@pytest.mark.django_db
def test_a_stale_connection_is_not_available(source, customer, people, queue):
    from datetime import timedelta

    from kefu.contacts.models import AgentPresence
    from kefu.worktime import clock

    connect(people["agent"].user)
    AgentPresence.objects.update(seen_at=clock.now() - timedelta(seconds=services.PRESENCE_SECONDS + 1))
    assert services.available_agents(queue) == []
