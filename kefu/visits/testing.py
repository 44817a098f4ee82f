"""Fixtures of the relationship apps' tests (visits, surveys): the relationship team and a customer."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.worktime.testing import frozen_clock  # noqa: F401

SH = ZoneInfo("Asia/Shanghai")


def sh(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def people(org, staff_factory):
    return {
        "relation": staff_factory(roles=["relationship_supervisor"], name="孙丽华"),
        "keyaccount": staff_factory(roles=["key_account"], offices=[org.office_a], name="黄磊"),
        "assistant": staff_factory(roles=["assistant"], offices=[org.office_a], name="陈静"),
        "outsider": staff_factory(roles=["key_account"], offices=[org.office_b], name="吴倩"),
        "technician": staff_factory(
            roles=["technician"], offices=[org.office_a], work_centres=[org.wc_a], name="王敏"
        ),
    }


@pytest.fixture
def make_customer(org, people):
    from kefu.customers.models import Customer

    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        fields.setdefault("sales_office", org.office_a)
        fields.setdefault("name", f"客户{n}")
        fields.setdefault("responsible", people["technician"])
        return Customer.objects.create(number=f"21100{n:05d}", **fields)

    return make


@pytest.fixture
def customer(make_customer):
    return make_customer(
        name="申齐保健食品有限公司", phone="13812345678", cooperation_since=date(2026, 6, 15)
    )
