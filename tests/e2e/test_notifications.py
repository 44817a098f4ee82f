"""Seed 004 through the browser: 例1 create 活动柜锁 (IW51), 例2 survey, item and approval (IW52),
例3 the worklist (IW59) and 例4 mail to regional logistics (SBWP)."""

import importlib

import pytest
from django.apps import apps

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(org, staff_factory):
    # Transactional tests flush the database between tests: put the default configuration back.
    from kefu.tickets.tests.factories import make_desk
    from kefu.tickets.workflows import install

    install(apps)
    importlib.import_module("kefu.catalog.migrations.0002_default_catalogues").load(apps, None)
    return make_desk(org, staff_factory)


def relogin(page, staff):
    page.context.clear_cookies()
    login(page, staff.user.username, PASSWORD)


def test_seed_004_examples_1_and_2_through_the_ui(page, desk, smtp_server):
    # 例1: the assistant creates the notification; the rest comes from the customer and her org.
    login(page, desk.assistant.user.username, PASSWORD)
    page.goto(f"{page.base_url}/notifications/new/")
    page.fill("#id_customer", "2110050007")
    page.fill("#id_description", "活动柜锁")
    page.fill("#id_long_text", "客户叫修:活动柜锁坏。")
    page.fill("#id_reference_document", "30000075")
    page.fill("#id_reference_date", "2001-03-01")
    page.fill("#id_required_start", "2001-03-07")
    page.fill("#id_required_end", "2001-03-08")
    page.select_option("#id_work_centre", label="S4002 朝阳售后组")
    page.select_option("#id_responsible", label="202 王敏")
    page.select_option("#id_sales_group", label="002 朝阳联络处")
    page.select_option("#id_payment_status", value="paid")
    page.fill("#id_functional_location", "2110050027")
    page.click("#save-notification")
    page.wait_for_selector("#notification-number")
    number = page.inner_text("#notification-number")
    assert number == "1000001"
    assert "TZJL" in page.inner_text("#user-status")
    assert "申齐保健食品有限公司" in page.inner_text("#customer")
    assert "已完款" in page.inner_text("#payment-status")
    url = page.url

    # 例2: the technician finishes the survey (KCJS) with its result in the long text, adds the item.
    relogin(page, desk.technician)
    page.goto(url)
    form = page.locator('form[data-transition="KCJS"]')
    form.locator('input[name="survey_result"]').fill("活动柜被反锁,抽屉打不开。抽屉锁缺货、请购。")
    form.locator("button").click()
    page.wait_for_selector("#user-status:has-text('KCJS')")
    assert "抽屉锁缺货" in page.inner_text("#long-text")
    page.fill("#id_product_type", "06")
    page.fill("#id_colour", "A")
    page.fill("#id_material", "100056")
    page.fill("#id_quantity", "1")
    page.fill("#id_reason", "1")
    page.fill("#id_reason_text", "OEM 厂商")
    page.click("#add-item")
    row = page.locator('tr[data-item="1"]')
    row.wait_for()
    assert "100056" in row.inner_text() and "OEM 厂商" in row.inner_text()

    # The supervisor approves (ZGPZ): regional logistics is mailed with the payment status.
    relogin(page, desk.supervisor)
    page.goto(url)
    page.locator('form[data-transition="ZGPZ"] button').click()
    page.wait_for_selector("#user-status:has-text('ZGPZ')")
    assert "刘洋" in page.inner_text("#timeline")
    assert any("logistics.bj@example.com" in m["X-Envelope-To"] for m in smtp_server)
    assert any("已完款" in m.get_content() for m in smtp_server)

    # 例3: the worklist of open Z1 notifications shows it; 例4: mail it to a department (SBWP).
    relogin(page, desk.assistant)
    page.goto(f"{page.base_url}/notifications/?type=Z1&stage=outstanding&stage=in_process")
    assert page.locator(f'tr[data-number="{number}"]').count() == 1
    page.goto(url)
    page.select_option("#id_department", label="QA 品管部")
    page.fill("#id_note", "请品管跟进抽屉锁质量")
    page.click("#send-mail")
    page.wait_for_selector("#timeline")
    assert "邮件" in page.inner_text("#timeline")
    assert any("quality@example.com" in m["X-Envelope-To"] for m in smtp_server)
