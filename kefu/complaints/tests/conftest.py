from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.worktime.testing import frozen_clock  # noqa: F401

SH = ZoneInfo("Asia/Shanghai")


def sh(y, m, d, hh=0, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=SH)


@pytest.fixture
def people(org, staff_factory):
    """The complaint desk of centre A (4002), a colleague of centre B, the manager and the director."""
    return {
        "specialist": staff_factory(roles=["complaint_specialist"], offices=[org.office_a], name="杨帆"),
        "supervisor": staff_factory(roles=["supervisor"], offices=[org.office_a], name="刘洋"),
        "assistant": staff_factory(roles=["assistant"], offices=[org.office_a], name="陈静"),
        "outsider": staff_factory(roles=["complaint_specialist"], offices=[org.office_b], name="吴倩"),
        "manager": staff_factory(roles=["manager"], name="李建国"),
        "director": staff_factory(roles=["marketing_director"], name="赵志强"),
        "technician": staff_factory(roles=["technician"], offices=[org.office_a], name="王敏"),
    }


@pytest.fixture
def customer(org):
    from kefu.customers.models import Customer

    return Customer.objects.create(
        number="2110050007", name="申齐保健食品有限公司", phone="13812345678", sales_office=org.office_a
    )


@pytest.fixture
def key_customer(org, people):
    from kefu.customers.models import Customer

    customer = Customer.objects.create(
        number="2110050008", name="北京大客户集团", phone="13900001111", sales_office=org.office_a
    )
    if hasattr(customer, "is_key_account"):
        Customer.objects.filter(pk=customer.pk).update(is_key_account=True)
        customer.refresh_from_db()
    return customer


@pytest.fixture
def make_complaint(people, customer):
    from kefu.complaints.services import create_complaint

    def make(actor=None, cust=None, **kwargs):
        kwargs.setdefault("subject", "活动柜锁坏")
        return create_complaint(
            actor=(actor or people["specialist"]).user, customer=cust or customer, **kwargs
        )

    return make


RECORD_INPUTS = {
    "content_class": "quality",
    "cause_class": "result",
    "description": "活动柜被反锁,抽屉打不开。",
}
