"""Two people on one record: concurrent status changes give one success and clean 409s, no 500.

Real threads against the real database (PostgreSQL in CI), each with its own connection."""

import threading

import pytest
from django.db import connection

from kefu.core.errors import KefuError
from kefu.tickets.models import Notification
from kefu.tickets.services import change_status

THREADS = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables; CI runs this on PostgreSQL",
)
def test_concurrent_transitions_of_one_notification_give_one_winner_and_409s(desk):
    n = desk.z1()
    version = n.version
    start = threading.Barrier(THREADS)
    outcomes: list[object] = []
    lock = threading.Lock()

    def attempt() -> None:
        from django.db import connections

        try:
            start.wait()
            fresh = Notification.objects.get(pk=n.pk)
            change_status(
                actor=desk.technician.user,
                notification=fresh,
                to="KCJS",
                inputs={"survey_result": "抽屉锁缺货"},
                expected_version=version,
            )
            result: object = "ok"
        except KefuError as exc:
            result = exc.status
        except Exception as exc:  # anything else would be a 500 for the user
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert sorted(o for o in outcomes if o != "ok") == [409] * (THREADS - 1), (connection.vendor, outcomes)
    n.refresh_from_db()
    assert n.status.code == "KCJS" and n.version == version + 1
