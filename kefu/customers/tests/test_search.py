import pytest

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
