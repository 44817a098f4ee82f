"""The screen pop's server push over a real push server (uvicorn serving kefu.asgi, as `kefu serve`
starts it; the `push_server` fixture): a ring wakes the ringing agent's stream and nobody else's, a
page of another site may not read it, and a closed connection stops listening. Here beside the
browser tests for their database file: the server's connections and the test's write at once."""

import json
import socket
import time

import pytest
from django.conf import settings

from kefu.contacts import services
from kefu.contacts.views import POPS
from kefu.core.testing.factories import make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org(org):
    from kefu.org.roles import sync_roles

    sync_roles()  # the browser tests' database starts empty (transactional tests flush it)
    return org


def open_stream(
    port: int, user, origin: str = "http://127.0.0.1:8000", until: str = ": listening", language: str = ""
) -> tuple[socket.socket, str]:
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(
        (
            "GET /contacts/calls/stream/ HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\nOrigin: {origin}\r\nAccept: text/event-stream\r\n"
            f"Cookie: {settings.SESSION_COOKIE_NAME}={session.session_key}"
            + (f"; {settings.LANGUAGE_COOKIE_NAME}={language}" if language else "")
            + "\r\n\r\n"
        ).encode()
    )
    return sock, read_until(sock, until)


def wait_until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def read_until(sock: socket.socket, marker: str, seconds: float = 10, *, after: str = "") -> str:
    """The stream until `marker` (after `after`, when given) has come, or `seconds` have passed."""
    data, deadline = b"", time.monotonic() + seconds

    def arrived() -> bool:
        text = data.decode(errors="replace")
        if after:
            return after in text and marker in text.split(after, 1)[1]
        return marker in text

    while not arrived() and time.monotonic() < deadline:
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            break
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def read_event(sock: socket.socket) -> str:
    """The stream up to the end of its first `pop` event."""
    return read_until(sock, "\n\n", after="event: pop")


def test_a_ring_wakes_the_agents_stream_and_only_theirs(push_server, org):
    agent = make_staff(roles=["assistant"], offices=[org.office_a]).user
    colleague = make_staff(roles=["assistant"], offices=[org.office_a]).user
    mine, head = open_stream(push_server, agent)
    theirs, _ = open_stream(push_server, colleague)
    assert "200 OK" in head and "text/event-stream" in head
    assert "access-control-allow-origin: http://127.0.0.1:8000" in head.lower()

    call = services.simulate_ring(actor=agent, number="021-58881234")
    pop_id = call.pops.get(user=agent).pk
    text = read_event(mine)
    pop = json.loads(text.split("event: pop\ndata: ", 1)[1].split("\n", 1)[0])
    # the card comes with the event, made as the pop poll makes it: masked for an assistant, in Chinese
    assert pop["id"] == pop_id and pop["call"] == call.pk
    assert f'data-call-card="{call.pk}"' in pop["html"] and "来电" in pop["html"]
    assert "58881234" not in text and "****" in pop["html"]
    theirs.settimeout(0.5)
    with pytest.raises(TimeoutError):
        theirs.recv(4096)  # the colleague's stream stays quiet
    mine.close()
    theirs.close()
    assert wait_until(lambda: POPS.listeners() == 0)  # before the test's rows are flushed


def test_a_foreign_page_may_not_read_the_stream_and_a_closed_one_stops_listening(push_server, org):
    agent = make_staff(roles=["assistant"], offices=[org.office_a]).user
    sock, head = open_stream(push_server, agent, origin="http://evil.example")
    assert "200 OK" in head and "access-control-allow-origin" not in head.lower()
    assert POPS.listeners() == 1
    sock.close()
    assert wait_until(lambda: POPS.listeners() == 0)


def test_a_user_without_the_call_permission_gets_no_stream(push_server, org):
    technician = make_staff(roles=["technician"], offices=[org.office_a]).user
    sock, head = open_stream(push_server, technician, until="\r\n\r\n")
    assert head.startswith("HTTP/1.1 403")
    sock.close()


def test_the_card_on_the_stream_is_in_the_agents_language_and_for_their_eyes_only(push_server, org):
    from kefu.contacts.models import Call

    agent = make_staff(roles=["assistant"], offices=[org.office_a]).user
    sock, _ = open_stream(push_server, agent, language="en")
    call = services.simulate_ring(actor=agent, number="021-58881234")
    text = read_event(sock)
    assert "Incoming call" in text and "来电" not in text
    sock.close()
    # another agent's pop id renders nothing for this agent: the lookup is by pop *and* user
    from kefu.contacts import queries

    other = make_staff(roles=["assistant"], offices=[org.office_a]).user
    assert queries.popped_call(other, pop_id=call.pops.get(user=agent).pk) is None
    assert queries.popped_call(agent, pop_id=call.pops.get(user=agent).pk) == Call.objects.get(pk=call.pk)
    assert wait_until(lambda: POPS.listeners() == 0)
