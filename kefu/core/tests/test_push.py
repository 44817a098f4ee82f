"""Server push (kefu.core.push): the hub wakes the right listeners, pages say where the stream is
and allow it in their CSP, and the thread-per-request web server never holds a stream."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client, RequestFactory, override_settings

from kefu.core import push


def run(coro):
    """On a loop of its own (a browser test's Playwright may hold this thread's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_the_hub_wakes_only_the_listeners_of_the_events_user():
    events = [(11, 1), (12, 2), (13, 1)]

    def tail(cursor):
        return [e for e in events if e[0] > cursor]

    async def scenario():
        hub = push.Hub(tail, lambda: 10, interval=0.01)
        first, second, other = hub.subscribe(1), hub.subscribe(1), hub.subscribe(3)
        got = [await asyncio.wait_for(first.get(), 1), await asyncio.wait_for(first.get(), 1)]
        also = [await asyncio.wait_for(second.get(), 1), await asyncio.wait_for(second.get(), 1)]
        await asyncio.sleep(0.05)
        assert other.empty()  # user 3 has no events
        for queue, user in ((first, 1), (second, 1), (other, 3)):
            hub.unsubscribe(user, queue)
        await asyncio.sleep(0.05)
        return got, also, hub.listeners(), hub._task

    got, also, listeners, task = run(scenario())
    assert got == also == [11, 13]
    assert listeners == 0 and task is None  # nobody listens: the hub stops tailing


def test_an_event_committed_late_with_a_lower_id_is_still_handed_out_once():
    """PostgreSQL: ring A takes id 31, ring B id 32 and commits first; the hub has read 32 when
    31 appears. 31 reaches its listener all the same, and nothing is handed out twice."""
    committed = [(32, 1)]

    def tail(cursor):
        return [e for e in sorted(committed) if e[0] > cursor]

    async def scenario():
        hub = push.Hub(tail, lambda: 30, interval=0.01, lookback=10)
        queue = hub.subscribe(1)
        got = [await asyncio.wait_for(queue.get(), 1)]
        committed.append((31, 1))  # the slower transaction commits
        got.append(await asyncio.wait_for(queue.get(), 1))
        await asyncio.sleep(0.1)  # many more reads of 31 and 32
        hub.unsubscribe(1, queue)
        return got, queue.empty()

    got, nothing_more = run(scenario())
    assert got == [32, 31] and nothing_more


def test_a_hub_that_starts_again_does_not_push_what_came_while_nobody_listened():
    events = [(41, 1)]
    newest = {"id": 41}

    def tail(cursor):
        return [e for e in events if e[0] > cursor]

    async def scenario():
        hub = push.Hub(tail, lambda: newest["id"], interval=0.01)
        queue = hub.subscribe(1)
        await asyncio.sleep(0.05)
        hub.unsubscribe(1, queue)
        await asyncio.sleep(0.05)  # nobody listens: the hub stops
        events.append((42, 1))  # a pop while the agent's page was closed
        newest["id"] = 42
        again = hub.subscribe(1)
        await asyncio.sleep(0.05)
        events.append((43, 1))
        got = await asyncio.wait_for(again.get(), 1)
        await asyncio.sleep(0.05)
        hub.unsubscribe(1, again)
        return got, again.empty()

    got, nothing_more = run(scenario())
    assert got == 43 and nothing_more  # 42 is the page's to catch up (its cursor), not a pushed card


def test_the_hub_starts_at_the_newest_event_and_survives_a_failed_read():
    calls = {"n": 0}

    def tail(cursor):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database restarting")
        return [(21, 5)] if cursor < 21 else []

    async def scenario():
        hub = push.Hub(tail, lambda: 20, interval=0.01)
        queue = hub.subscribe(5)
        event = await asyncio.wait_for(queue.get(), 3)
        hub.unsubscribe(5, queue)
        return event

    assert run(scenario()) == 21


def test_an_event_carries_what_the_view_renders_or_else_its_id():
    async def card(event_id):
        return json.dumps({"id": event_id, "html": "<div>卡片</div>"}, ensure_ascii=False)

    async def broken(event_id):
        raise RuntimeError("database restarting")

    async def two_lines(event_id):
        return "a\nevent: forged"  # a second line would be a second event

    async def nothing(event_id):
        return None

    assert run(push._data(card, 7)) == '{"id": 7, "html": "<div>卡片</div>"}'
    for render in (None, broken, two_lines, nothing):
        assert run(push._data(render, 7)) == "7"  # the page asks its endpoint, as without push


@pytest.mark.parametrize(
    ("setting", "url", "origin"),
    [
        ("", "", ""),
        (":8001", ":8001/contacts/calls/stream/", "http://127.0.0.1:8001"),
        (
            "https://push.example.com/",
            "https://push.example.com/contacts/calls/stream/",
            "https://push.example.com",
        ),
        ("/", "/contacts/calls/stream/", ""),
    ],
)
def test_where_pages_find_the_push_server(setting, url, origin):
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8000")
    with override_settings(KEFU_PUSH_URL=setting):
        assert push.push_url("/contacts/calls/stream/") == url
        assert push.push_origin(request) == origin


def test_only_a_page_of_this_host_may_read_a_stream():
    factory = RequestFactory()
    same = factory.get("/", HTTP_HOST="127.0.0.1:8001", HTTP_ORIGIN="http://127.0.0.1:8000")
    foreign = factory.get("/", HTTP_HOST="127.0.0.1:8001", HTTP_ORIGIN="http://evil.example:8000")
    odd = factory.get("/", HTTP_HOST="127.0.0.1:8001", HTTP_ORIGIN="null")
    assert push._allowed_origin(same) == "http://127.0.0.1:8000"
    assert push._allowed_origin(foreign) == "" and push._allowed_origin(odd) == ""


@pytest.mark.django_db
def test_the_web_server_answers_204_and_the_page_keeps_polling(org, staff_factory):
    agent = staff_factory(roles=["assistant"], offices=[org.office_a]).user
    client = Client()
    client.force_login(agent)
    response = client.get("/contacts/calls/stream/")
    assert response.status_code == 204  # EventSource stops reconnecting; kefu.js polls every 0.7 s
    assert not response.streaming


@pytest.mark.django_db
def test_pages_name_the_push_server_and_allow_it_in_their_csp(org, staff_factory):
    agent = staff_factory(roles=["assistant"], offices=[org.office_a]).user
    client = Client(HTTP_HOST="127.0.0.1:8000")
    client.force_login(agent)
    with override_settings(KEFU_PUSH_URL=":8001"):
        widget = client.get("/contacts/calls/pop-widget/")
        page = client.get("/")
    assert 'data-screen-push=":8001/contacts/calls/stream/"' in widget.content.decode()
    assert "connect-src 'self' http://127.0.0.1:8001;" in page["Content-Security-Policy"]
    with override_settings(KEFU_PUSH_URL=""):
        widget = client.get("/contacts/calls/pop-widget/")
        page = client.get("/")
    assert "data-screen-push" not in widget.content.decode()
    assert "connect-src 'self';" in page["Content-Security-Policy"]
