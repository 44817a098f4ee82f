import pytest

from kefu.core.concurrency import save_versioned
from kefu.core.errors import ConcurrentUpdate
from kefu.customers.models import Customer


@pytest.fixture
def customer(org):
    return Customer.objects.create(
        number="2110050007", name="申齐保健食品有限公司", sales_office=org.office_a
    )


def test_second_of_two_concurrent_saves_is_refused(customer):
    first = Customer.objects.get(pk=customer.pk)
    second = Customer.objects.get(pk=customer.pk)
    first.name = "申齐保健"
    save_versioned(first, expected_version=first.version, update_fields=["name"])
    second.phone = "13800000000"
    with pytest.raises(ConcurrentUpdate) as error:
        save_versioned(second, expected_version=second.version, update_fields=["phone"])
    stored = Customer.objects.get(pk=customer.pk)
    assert stored.name == "申齐保健"
    assert stored.phone == ""
    assert stored.version == 2
    assert error.value.status == 409


def test_save_with_current_version_bumps_it(customer):
    customer.name = "新名称"
    save_versioned(customer, expected_version=1, update_fields=["name"])
    assert customer.version == 2
    assert Customer.objects.get(pk=customer.pk).version == 2
