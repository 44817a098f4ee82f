"""Redis down degrades, never fails a request: the customizing buffer reads the database."""

import socket

import pytest

from kefu.core import buffer
from kefu.core.testing.scope import client_for


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    buffer.clear()
    buffer._down_until[0] = 0.0
    yield
    buffer._down_until[0] = 0.0
    buffer.clear()


@pytest.mark.django_db
def test_buffer_reads_the_database_when_redis_is_down(redis_down):
    from kefu.workflow.models import Status

    loads = []

    def loader():
        loads.append(1)
        return Status.objects.count()

    assert buffer.get("test:redis-down", loader) == Status.objects.count()
    assert buffer.get("test:redis-down", loader) == Status.objects.count()
    assert len(loads) == 2  # nothing trusted while the shared generation is unknown
    buffer.invalidate()  # a write bumping the generation does not fail either


@pytest.mark.django_db
def test_notification_page_and_create_work_with_redis_down(redis_down, org, staff_factory):
    from kefu.tickets.tests.factories import make_desk

    desk = make_desk(org, staff_factory)
    n = desk.z1()
    assert client_for(desk.assistant).get(f"/notifications/{n.pk}/").status_code == 200


def test_a_task_queued_while_redis_is_down_is_left_for_its_sweep_not_raised(caplog):
    """A real RedisHuey against a closed port: the enqueue fails, the caller goes on."""
    from huey import RedisHuey

    from kefu.core import queue

    huey = RedisHuey("kefu-down-test", url=f"redis://127.0.0.1:{_closed_port()}/0", immediate=False)

    @huey.task()
    def remember(value):
        return value

    queue._last_warning = 0.0
    with caplog.at_level("WARNING", logger="kefu.core.queue"):
        assert queue.enqueue(remember, 1) is False
        assert queue.enqueue(remember, 2) is False
    warnings = [r for r in caplog.records if r.name == "kefu.core.queue"]
    assert len(warnings) == 1 and "remember" in warnings[0].getMessage()
