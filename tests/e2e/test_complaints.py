"""Seed 001 through the browser: receive a complaint and see its 10-minute recording clock, then record it."""

import importlib

import pytest
from django.apps import apps

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(org, staff_factory):
    # Transactional tests flush the database between tests: put the default configuration back.
    from kefu.complaints.workflows import install
    from kefu.core import buffer
    from kefu.customers.models import Customer
    from kefu.org.roles import sync_roles

    sync_roles()
    install(apps)
    importlib.import_module("kefu.worktime.migrations.0002_default_calendar").create_default(apps, None)
    buffer.clear()  # configuration written through historical models sends no signals
    specialist = staff_factory(
        roles=["complaint_specialist"], offices=[org.office_a], username="yangfan", name="杨帆"
    )
    staff_factory(roles=["supervisor"], offices=[org.office_a], name="刘洋")
    customer = Customer.objects.create(
        number="2110050007", name="申齐保健食品有限公司", phone="13812345678", sales_office=org.office_a
    )
    from kefu.customers.services import reindex

    reindex([customer])  # written past the services: put it in the search index they keep
    return specialist


def test_record_a_complaint_and_see_its_10_minute_clock(page, desk):
    login(page, "yangfan", PASSWORD)
    page.goto(f"{page.base_url}/complaints/")
    page.click("#new-complaint")
    # The customer picker suggests customers in scope by name: no need to know the 10-digit number.
    page.locator("#id_customer").press_sequentially("申齐", delay=50)
    page.locator("#id_customer-choices option[value='2110050007']").wait_for(state="attached")
    page.fill("#id_customer", "2110050007")
    page.fill("#id_received_at", "")
    page.fill("#id_subject", "活动柜锁坏,抽屉打不开")
    page.fill("#id_contact_name", "张先生")
    page.click("#submit")
    page.wait_for_url(lambda url: "/complaints/new/" not in url)

    clock = page.locator("#step-clock")
    assert "剩余 10分钟" in clock.inner_text()
    assert page.locator("#status").inner_text() == "已受理"
    assert "138****5678" in page.locator("#contact-phone").inner_text()

    # The list shows the same clock.
    page.goto(f"{page.base_url}/complaints/")
    assert "剩余 10分钟" in page.locator("#complaint-table .step-clock").first.inner_text()

    # Record the complaint report form: the next step's clock (business time) replaces it.
    page.go_back()
    page.click("a[data-to='KSJL']")
    page.click("#submit")  # nothing filled: the required fields are named, nothing changes
    assert page.locator("[data-field='cause_class']").is_visible()
    page.select_option("#id_content_class", "quality")
    page.select_option("#id_cause_class", "result")
    page.fill("#id_description", "活动柜被反锁,抽屉打不开。")
    page.click("#submit")
    page.wait_for_url(lambda url: "/step/" not in url)
    assert page.locator("#status").inner_text() == "已记录"
    assert page.locator("#timeline [data-event='workflow.transition']").count() == 1
