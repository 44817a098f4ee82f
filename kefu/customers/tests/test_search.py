import pytest
from django.db.models import Q

from kefu.core import search
from kefu.customers import services
from kefu.customers.models import Customer
from kefu.customers.queries import customer_choices, search_customers

pytestmark = pytest.mark.django_db


def numbers(term):
    return set(search_customers(Customer.objects.all(), term).values_list("number", flat=True))


def test_grams_cover_every_start():
    assert search.grams("申齐保健") == ["申齐保", "齐保健", "保健", "健"]
    assert search.normalize("010-6588 ABC") == "0106588abc"


def test_find_by_number_name_phone_and_contact(make_customer):
    make_customer(
        number="2110050007", phone="010-65881234", contacts=[{"name": "欧阳娜娜", "mobile": "13912345678"}]
    )
    make_customer(number="2110050008", name="王敏", nature="individual", mobile="13800005678")
    assert numbers("申齐") == {"2110050007"}  # 2-character Chinese fragment
    assert numbers("保健食品") == {"2110050007"}
    assert numbers("王敏") == {"2110050008"}
    assert numbers("敏") == {"2110050008"}
    assert numbers("5678") == {"2110050007", "2110050008"}
    assert numbers("6588-12") == {"2110050007"}  # separators are ignored
    assert numbers("欧阳") == {"2110050007"}
    assert numbers("2110050008") == {"2110050008"}
    assert numbers("食品王") == set()  # no match across fields


def test_index_follows_changes(make_customer):
    customer = make_customer()
    services.update_customer(
        customer, actor=None, expected_version=customer.version, name="上海鑫源贸易有限公司"
    )
    assert numbers("鑫源") == {customer.number}
    assert numbers("申齐") == set()


def test_autocomplete_is_scoped(make_customer, org, assistant, outsider):
    make_customer(name="朝阳客户")
    make_customer(name="天津客户", sales_office=org.office_b)
    assert [c["name"] for c in customer_choices(assistant.user, "客户")] == ["朝阳客户"]
    assert [c["name"] for c in customer_choices(outsider.user, "客户")] == ["天津客户"]


def test_prefix_q_holds_exactly_the_strings_that_start_with_the_prefix():
    """The range form (SQLite) against the plain meaning, at the edges of the last character."""
    strings = ["2110", "21100500", "2110050007", "21100501", "2110060001", "211", "2111", "3000", ""]
    strings += ["ab\ud7ffz", "ab\ue000", "x\U0010ffff", "x\U0010ffffy", "y"]
    for prefix in ("2110", "21100500", "211", "ab\ud7ff", "x\U0010ffff", "9"):
        q = search.prefix_q("number", prefix, vendor="sqlite")
        found = {s for s in strings if _holds(q, s)}
        assert found == {s for s in strings if s.startswith(prefix)}, prefix
    assert search.prefix_q("number", "21", vendor="postgresql") == Q(number__startswith="21")


def _holds(q, value: str) -> bool:
    """Evaluate a Q of (field__gte, field__lt) or (field__startswith) on a plain string."""
    conditions = dict(q.children)
    if "number__startswith" in conditions:
        return value.startswith(conditions["number__startswith"])
    return conditions["number__gte"] <= value < conditions["number__lt"]


def test_a_masked_readers_number_prefix_reads_the_number_index(make_customer, assistant):
    """21100500 typed in the picker by a reader who sees phones masked: a range on the unique
    index of the number, not a LIKE that walks the whole index (90 ms at a million customers)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kefu.customers.queries import customer_picks

    for n in (5, 7, 9):
        make_customer(number=f"211005000{n}", name=f"客户{n}")
    make_customer(number="2110060001", name="别的客户")
    with CaptureQueriesContext(connection) as ctx:
        rows = customer_picks(assistant.user, "21100500", 20)
    assert [r["value"] for r in rows] == ["2110050005", "2110050007", "2110050009"]
    if connection.vendor != "sqlite":
        return
    (select,) = [q["sql"] for q in ctx.captured_queries if "customers_customer" in q["sql"]]
    assert "LIKE" not in select
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {select}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SEARCH customers_customer USING INDEX" in plan and "number>? AND number<?" in plan, plan
