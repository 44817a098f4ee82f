"""Generators outside a transaction (as `manage.py generate` runs them): indexes and foreign keys
are dropped for the load and come back, search rows match the records, sequences continue."""

import random

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from kefu.core import bulkload, search
from kefu.customers import generate as customer_generate
from kefu.customers.models import Customer
from kefu.customers.services import SEARCH_INDEX as CUSTOMERS_INDEX
from kefu.customers.services import create_customer
from kefu.tickets import generate
from kefu.tickets.models import Item, LongTextEntry, Notification, Partner
from kefu.tickets.queries import SEARCH_INDEX as TICKETS_INDEX
from kefu.tickets.tests.factories import create_z
from kefu.timeline.models import TimelineEvent

TABLES = (
    "customers_customer",
    "tickets_notification",
    "tickets_item",
    "tickets_partner",
    "tickets_longtextentry",
    "timeline_timelineevent",
)


def _constraints(table: str) -> dict[str, tuple]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: (tuple(c["columns"] or ()), c["foreign_key"], c["index"], c["unique"])
        for name, c in found.items()
    }


def _foreign_keys(table: str) -> set[str]:
    return {name for name, c in _constraints(table).items() if c[1]}


def _search_rows(index: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM search_{index}")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_load_outside_a_transaction_keeps_indexes_keys_search_rows_and_sequences(desk):
    before = {table: _constraints(table) for table in TABLES}
    customers_before = set(Customer.objects.values_list("pk", flat=True))
    notifications_before = set(Notification.objects.values_list("pk", flat=True))
    docs_before = (_search_rows(CUSTOMERS_INDEX), _search_rows(TICKETS_INDEX))
    context = {"rng": random.Random(5), "batch": 15, "stdout": None}
    assert customer_generate.run({"customers": 40}, context) == 40
    context = {"rng": random.Random(5), "batch": 7, "stdout": None}
    assert generate.run({"notifications": 30}, context) == 30

    assert {table: _constraints(table) for table in TABLES} == before  # same indexes and keys
    if connection.vendor == "postgresql":  # the keys came back validated, not just NOT VALID
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
                " AND conrelid = ANY(%s::regclass[])",
                [list(TABLES)],
            )
            assert cursor.fetchone()[0] == 0
    assert Customer.objects.exclude(pk__in=customers_before).count() == 40
    generated = Notification.objects.exclude(pk__in=notifications_before)
    assert generated.count() == 30
    assert Item.objects.filter(notification__in=generated).count() == 30
    assert LongTextEntry.objects.filter(notification__in=generated).count() == 30
    assert Partner.objects.filter(notification__in=generated).count() >= 60
    # one search row per record, and they find the records
    assert (_search_rows(CUSTOMERS_INDEX), _search_rows(TICKETS_INDEX)) == (
        docs_before[0] + 40,
        docs_before[1] + 30,
    )
    one = Customer.objects.filter(number__gte=str(customer_generate.FIRST_NUMBER)).order_by("number")[17]
    for term in (one.name[2:5], one.mobile[-5:], one.number):
        assert one in search.substring_filter(Customer.objects.all(), term, index=CUSTOMERS_INDEX)
    n = generated.order_by("-pk").first()
    assert n in search.substring_filter(
        Notification.objects.all(), n.long_text.splitlines()[1][2:6], index=TICKETS_INDEX
    )
    # the sequences moved past the explicit ids: records made afterwards save
    later = create_customer(actor=None, name="后来的客户有限公司", sales_office=desk.org.office_a)
    assert later.pk > one.pk and TimelineEvent.objects.filter(object_id=later.pk).exists()
    assert create_z(desk, "Z1").pk > n.pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps its foreign keys through a load")
def test_foreign_keys_dropped_for_a_load_check_every_row_when_they_come_back(desk):
    keys = _foreign_keys("timeline_timelineevent")
    assert keys
    events = bulkload.Table(TimelineEvent, ["content_type", "object_id", "event_type", "occurred_at", "data"])
    with pytest.raises(IntegrityError), bulkload.deferred_indexes(TimelineEvent, rows=10**6):
        assert _foreign_keys("timeline_timelineevent") == set()  # no per-row check during the load
        bulkload.write(events, [(987_654, 1, "created", "2026-01-01 00:00:00", "{}")])  # no such type
    assert _foreign_keys("timeline_timelineevent") == keys  # back, and enforced for what comes next
    with pytest.raises(IntegrityError):
        TimelineEvent.objects.create(
            content_type_id=987_655, object_id=1, event_type="created", occurred_at=timezone.now()
        )
    TimelineEvent.objects.filter(content_type_id=987_654).delete()


@pytest.mark.django_db
def test_bulk_search_rows_are_the_rows_index_documents_writes():
    rng = random.Random(11)
    docs = [
        (1, ["活动柜损坏", "[2025-03-04 10:22 王小明]\n客户反映活动柜损坏,需上门处理。"]),
        (2, ["3000012345", "北京华盛科技有限公司", "010-23456789", "13812345678", "bjhskjyxgs"]),
        (3, ["12", "a", "", "1x2y", "AB-12 cd", "x"]),
        (4, ["2024", "2024abc"]),
    ]
    for pk in range(5, 400):
        docs.append(
            (pk, ["".join(rng.choice("12aB中文-[] \n") for _ in range(rng.randrange(12))) for _ in range(3)])
        )
    docs += [(pk + 400, fields) for pk, fields in docs]  # the same texts again: from the memo

    def rows() -> list[tuple]:
        with connection.cursor() as cursor:
            key = "rowid" if connection.vendor == "sqlite" else "id"
            columns = "body" if connection.vendor == "sqlite" else "grams, body"
            cursor.execute(
                f"SELECT {key}, {columns} FROM search_{CUSTOMERS_INDEX} WHERE {key} < 1000 ORDER BY {key}"
            )
            return [tuple(row) for row in cursor.fetchall()]

    search.index_documents(CUSTOMERS_INDEX, docs)
    expected = rows()
    search.remove_documents(CUSTOMERS_INDEX, [pk for pk, _f in docs])
    assert search.append_documents(CUSTOMERS_INDEX, docs) == len(docs)
    assert rows() == expected
