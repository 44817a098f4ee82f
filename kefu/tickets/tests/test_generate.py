"""`manage.py generate --notifications`: generated notifications look like created ones."""

import random

from django.db import connection

from kefu.core.models import NumberRange
from kefu.core.testing.scope import client_for
from kefu.tickets import events, generate, queries
from kefu.tickets.models import Item, LongTextEntry, Notification, Partner
from kefu.tickets.tests.factories import create_z
from kefu.timeline.models import TimelineEvent
from kefu.workflow.events import TRANSITION


def _events(n: Notification) -> dict[str, dict]:
    return {
        e.event_type: e.data
        for e in TimelineEvent.objects.filter(object_id=n.pk, content_type__model="notification")
    }


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def test_generated_notifications_are_shaped_like_created_ones(desk):
    made = create_z(desk, "Z1", long_text="活动柜被反锁。")
    tables = ("tickets_notification", "tickets_item", "timeline_timelineevent")
    indexes = {table: _indexes(table) for table in tables}
    assert generate.run({"notifications": 30}, {"rng": random.Random(7), "batch": 7}) == 30
    assert {
        table: _indexes(table) for table in tables
    } == indexes  # the same indexes after the load (dropped and rebuilt outside a transaction)
    generated = list(Notification.objects.exclude(pk=made.pk).select_related("status", "type"))
    assert len(generated) == 30
    assert len({n.number for n in generated} | {made.number}) == 31
    for n in generated:
        assert Item.objects.filter(notification=n).count() == 1
        entry = LongTextEntry.objects.get(notification=n)
        assert entry.text in n.long_text and entry.author_name in n.long_text.splitlines()[0]
        assert {p.function for p in Partner.objects.filter(notification=n)} >= {"SH", "SP"}
        history = _events(n)
        assert set(history[events.CREATED.code]) == set(_events(made)[events.CREATED.code])
        assert history[events.CREATED.code]["number"] == n.number
        assert history[events.TEXT_ADDED.code]["entry"] == entry.pk
        assert (TRANSITION in history) == (n.status.code != "TZJL")
        assert n.created_at <= n.updated_at and n.stage == n.status.stage
    # the number ranges moved past the generated numbers: the next real one does not collide
    for code in ("Z1", "Z2"):
        top = (
            max(int(n.number) for n in generated if n.type.code == code)
            if any(n.type.code == code for n in generated)
            else 0
        )
        assert NumberRange.objects.get(code=f"tickets.{code}").next_value > top
    after = create_z(desk, "Z1")
    assert after.number not in {n.number for n in generated}


def test_generated_notifications_are_found_and_shown(desk):
    generate.run({"notifications": 12}, {"rng": random.Random(3), "batch": 5})
    n = Notification.objects.order_by("-id").first()
    client = client_for(desk.manager)
    page = client.get(f"/notifications/{n.pk}/")
    assert page.status_code == 200 and n.description in page.content.decode()
    found = queries.worklist(desk.manager.user, {"q": n.description})
    assert n.pk in set(found.values_list("pk", flat=True))
    fragment = n.long_text.splitlines()[1][2:6]  # from the long text, e.g. 抽屉锁卡
    assert n.pk in set(queries.worklist(desk.manager.user, {"q": fragment}).values_list("pk", flat=True))
