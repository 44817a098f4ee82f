import pytest

from kefu.worktime.testing import frozen_clock  # noqa: F401


@pytest.fixture
def people(org, staff_factory):
    return {
        "agent": staff_factory(roles=["assistant"], offices=[org.office_a], name="陈静"),
        "keyaccount": staff_factory(roles=["key_account"], offices=[org.office_a], name="黄磊"),
        "outsider": staff_factory(roles=["assistant"], offices=[org.office_b], name="吴倩"),
        "technician": staff_factory(roles=["technician"], offices=[org.office_a], name="王敏"),
    }


@pytest.fixture
def customer(org):
    from kefu.customers.models import Contact, Customer
    from kefu.customers.services import reindex

    customer = Customer.objects.create(
        number="2110050007", name="申齐保健食品有限公司", phone="021-58881234", sales_office=org.office_a
    )
    Contact.objects.create(customer=customer, name="张经理", mobile="13812345678")
    reindex([customer])
    return customer


@pytest.fixture
def source():
    from kefu.contacts.models import CtiSource

    return CtiSource.objects.create(key="pbx1", name="PBX", secret="s3cret")
