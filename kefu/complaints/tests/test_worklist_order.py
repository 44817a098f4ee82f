"""The complaint worklist read in its index order (issue 16): "overdue only" and a keyword found in
many complaints give the same rows in the same order as before, and on SQLite walk cmp_worklist
instead of sorting every match."""

import pytest
from django.db import connection

from kefu.complaints import queries
from kefu.complaints.filtersets import ComplaintFilterSet
from kefu.complaints.models import Complaint
from kefu.complaints.services import transition_complaint

from .conftest import RECORD_INPUTS, sh

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")


def listed(user, params: dict) -> list[int]:
    filterset = ComplaintFilterSet(params, queryset=queries.complaints_for(user))
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


def plan(user, params: dict) -> str:
    """SQLite's plan of the list's first page, as the page reads it."""
    filterset = ComplaintFilterSet(params, queryset=queries.complaints_for(user))
    sql, sql_params = filterset.qs[0:51].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", sql_params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def in_worklist_order(complaints) -> list[int]:
    """The worklist's order, computed here: open first, key accounts first, nearest deadline."""
    rows = [Complaint.objects.get(pk=c.pk) for c in complaints]
    far = sh(2100, 1, 1)
    rows.sort(key=lambda c: (not c.is_open, not c.is_key_account, c.step_deadline or far, c.pk))
    return [c.pk for c in rows]


@pytest.fixture
def desk_at_evening(frozen_clock, make_complaint, key_customer, people):
    """A Monday evening (the 10 recording minutes run in real time): two complaints overdue (one of
    a key account), one not yet, and one closed."""
    frozen_clock.set(sh(2026, 11, 23, 19, 20))
    key = make_complaint(cust=key_customer, received_at=sh(2026, 11, 23, 19, 0))  # due 19:10
    if not key.is_key_account:
        Complaint.objects.filter(pk=key.pk).update(is_key_account=True)
    late = make_complaint(received_at=sh(2026, 11, 23, 19, 5))  # due 19:15
    later = make_complaint(received_at=sh(2026, 11, 23, 18, 58))  # due 19:08
    in_time = make_complaint(received_at=sh(2026, 11, 23, 19, 20))  # due 19:30
    closed = make_complaint(received_at=sh(2026, 11, 23, 18, 50))
    specialist = people["specialist"].user
    for to, inputs in (("KSJL", RECORD_INPUTS), ("KSBC", {"validity_reason": "非我司产品"})):
        transition_complaint(closed, to, actor=specialist, inputs=inputs, expected_version=closed.version)
        closed.refresh_from_db()
    assert not closed.is_open
    frozen_clock.set(sh(2026, 11, 23, 19, 25))
    return {"key": key, "late": late, "later": later, "in_time": in_time, "closed": closed}


@pytest.mark.parametrize("status", ["open", "all"])
def test_overdue_only_lists_the_late_open_complaints_in_worklist_order(desk_at_evening, people, status):
    c = desk_at_evening
    user = people["specialist"].user
    found = listed(user, {"overdue": "true", "open": status})
    assert found == [c["key"].pk, c["later"].pk, c["late"].pk]  # key account first, then by deadline
    assert c["in_time"].pk not in found and c["closed"].pk not in found
    assert listed(user, {"overdue": "false", "open": status}) == in_worklist_order(
        c.values() if status == "all" else [v for v in c.values() if v.is_open]
    )


@pytest.mark.parametrize("status", ["open", "all"])
def test_a_common_term_finds_the_same_rows_in_the_same_order_as_a_rare_one(
    desk_at_evening, people, monkeypatch, status
):
    """A term in many complaints walks the worklist order; a rare one is driven by its matches.
    Both paths give the rows of the reference order."""
    c = desk_at_evening
    user = people["specialist"].user
    expected = in_worklist_order(c.values() if status == "all" else [v for v in c.values() if v.is_open])
    ordinary = in_worklist_order([v for k, v in c.items() if k != "key" and (status == "all" or v.is_open)])
    for common in (3000, 0):
        monkeypatch.setattr(queries, "COMMON_MATCHES", common)
        assert listed(user, {"q": "锁坏", "open": status}) == expected  # every complaint's subject
        assert listed(user, {"q": "保健食品", "open": status}) == ordinary  # one customer's name
        assert listed(user, {"q": c["late"].number, "open": status}) == [c["late"].pk]
        assert listed(user, {"q": "不存在的词", "open": status}) == []


@sqlite_only
def test_overdue_only_walks_the_worklist_index_without_sorting(desk_at_evening, people):
    text = plan(people["manager"].user, {"overdue": "true"})  # company-wide: the whole index
    assert "cmp_worklist" in text and "TEMP B-TREE" not in text, text


@sqlite_only
def test_a_common_term_walks_the_worklist_index_for_open_and_closed_alike(
    desk_at_evening, people, monkeypatch
):
    monkeypatch.setattr(queries, "COMMON_MATCHES", 0)
    for status in ("open", "all"):
        text = plan(people["manager"].user, {"q": "锁坏", "open": status})
        assert "cmp_worklist" in text and "TEMP B-TREE" not in text, text
