"""The customizing buffer serves committed data only and forgets it when a watched table changes."""

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from kefu.catalog.models import ReasonCode
from kefu.core import buffer

pytestmark = pytest.mark.django_db


def _committed(code: str, name: str) -> None:
    """A row as if committed long ago: bulk_create sends no signal, so nothing is invalidated."""
    ReasonCode.objects.bulk_create([ReasonCode(code=code, name=name)])


def _lookup(code: str):
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        found = buffer.by_code(ReasonCode, code, is_active=True)
    return found, len(queries)


def test_a_second_lookup_costs_no_query_and_a_save_is_seen_at_once():
    _committed("B1", "锁坏")
    first, queries = _lookup("B1")
    assert (first.name, queries) == ("锁坏", 1)
    again, queries = _lookup("B1")
    assert (again.name, queries) == ("锁坏", 0)

    code = ReasonCode.objects.get(code="B1")
    code.name = "门锁损坏"
    code.save()
    renamed, queries = _lookup("B1")
    assert (renamed.name, queries) == ("门锁损坏", 1)
    code.is_active = False
    code.save()
    assert _lookup("B1") == (None, 1)


def test_rows_written_in_a_rolled_back_transaction_are_never_served():
    with pytest.raises(RuntimeError), transaction.atomic():
        ReasonCode.objects.create(code="B2", name="临时")
        found, _queries = _lookup("B2")
        assert found is not None  # the transaction sees its own row …
        raise RuntimeError("roll back")
    assert _lookup("B2") == (None, 1)  # … but the buffer did not keep it


def test_another_process_bumping_the_generation_makes_this_one_reload():
    _committed("B3", "抽屉")
    _lookup("B3")
    assert _lookup("B3")[1] == 0
    buffer._bump_generation()  # what another worker's write does: this process keeps its entries
    assert _lookup("B3")[1] == 1


def test_a_thread_reads_the_shared_generation_at_most_once_a_second(monkeypatch):
    reads = []
    monkeypatch.setattr(buffer, "_read_generation", lambda: reads.append(1) or 7)
    buffer._seen.until = 0.0
    for _ in range(5):
        buffer.get("test:constant", lambda: "value")
    assert reads == [1]


def test_iterated_rows_get_their_code_tables_without_a_query_each(org):
    """Exports read with `iterator()`, which skips the queryset's result cache: the code tables
    must still come from the buffer (before, each customer read its sales office by a query)."""
    from django.db import connection

    from kefu.customers.models import Customer

    Customer.objects.bulk_create(
        [Customer(number=f"21100{i:05d}", name=f"客户{i}", sales_office=org.office_a) for i in range(7)]
    )
    buffer.clear()
    qs = Customer.objects.filter(number__startswith="21100").with_code_tables("sales_office").order_by("pk")
    list(qs[:1])  # the buffer holds the sales offices now
    with CaptureQueriesContext(connection) as queries:
        offices = [c.sales_office.code for c in qs.iterator(chunk_size=3)]
    assert offices == [org.office_a.code] * 7
    assert len(queries) == 1  # the rows only
