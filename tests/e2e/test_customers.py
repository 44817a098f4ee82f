"""Browser test: find a customer by a phone fragment and open it; the masked phone is all one sees."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_customers(db):
    from kefu.core.testing.factories import PASSWORD, make_org, make_staff
    from kefu.customers import services

    org = make_org()
    assistant = make_staff(
        roles=["assistant"], offices=[org.office_a], work_centres=[org.wc_a], username="e2e_asst"
    )
    services.create_customer(
        actor=None,
        number="2110050007",
        name="申齐保健食品有限公司",
        sales_office=org.office_a,
        mobile="13801015678",
        phone="010-65881234",
        contacts=[{"name": "张伟", "mobile": "13912345678"}],
    )
    services.create_customer(
        actor=None,
        number="2110050008",
        name="北京华盛科技有限公司",
        sales_office=org.office_a,
        mobile="13600002222",
    )
    return assistant, PASSWORD


def test_find_customer_by_phone_fragment_and_open_it(page, demo_customers):
    assistant, password = demo_customers
    login(page, assistant.user.username, password)
    page.goto(f"{page.base_url}/customers/")
    page.fill("#id_q", "5678")
    # A locator wait, not wait_for_function: the page's Content-Security-Policy forbids eval.
    row = page.locator("#customer-rows tbody tr")
    expect(row).to_have_count(1)
    assert "申齐保健食品有限公司" in row.inner_text()
    assert "010-******34" in row.inner_text() and "65881234" not in row.inner_text()
    row.get_by_role("link", name="2110050007").click()
    page.wait_for_url(re.compile(r"/customers/\d+/$"))
    assert page.locator("#customer-name").inner_text() == "申齐保健食品有限公司"
    assert page.locator("#customer-mobile").inner_text() == "138****5678"
    assert "13801015678" not in page.content()
