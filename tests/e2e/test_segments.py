"""客户分类 (seed 004) in a real browser: the customer-service manager runs the segmentation, sees
each segment described in words with its chart, and filters the customer archive by a segment."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager():
    """Thirty-four customers in two clear groups: big and satisfied (graded A) and small and
    unhappy (graded C), four of them not graded yet; the manager may run the segmentation."""
    from kefu.core import buffer
    from kefu.core.testing.factories import make_org, make_staff
    from kefu.customers import services
    from kefu.customers.models import Customer
    from kefu.org.roles import sync_roles

    sync_roles()
    org = make_org()
    for i in range(34):
        big = i % 2 == 0
        c = services.create_customer(actor=None, name=f"客户{i:02d}", sales_office=org.office_a)
        Customer.objects.filter(pk=c.pk).update(
            value_amount=Decimal(500000 + i * 1000) if big else Decimal(1000 + i * 10),
            satisfaction=95 if big else 40,
            grade=("" if i >= 30 else ("A" if big else "C")),
        )
    buffer.clear()
    return make_staff(roles=["manager"], username="e2e_manager", name="李建国")


def test_the_manager_segments_customers_and_filters_the_archive_by_a_segment(page, manager):
    login(page, manager.user.username, PASSWORD)
    page.goto(f"{page.base_url}/customers/segments/")
    expect(page.locator("#no-segments")).to_be_visible()
    page.fill("#k_max", "4")
    page.click("#run-segmentation")
    page.wait_for_selector("#run-facts")
    # Two segments, each named in words from its centre, and the chart drawn.
    rows = page.locator("#segment-rows tbody tr")
    expect(rows).to_have_count(2)
    words = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(2)]
    big = next(w for w in words if "高价值" in w)
    small_id = rows.filter(has_not_text=big).get_attribute("data-segment")
    assert all(w.strip() for w in words) and words[0] != words[1]
    page.locator("#segment-chart canvas").wait_for(state="attached")
    assert "k=2" in page.inner_text("#run-facts")
    expect(page.locator("#classifier")).to_contain_text("1.000")  # held-out accuracy

    # The segment's link opens the archive filtered by it: the 17 big customers, no small one.
    rows.filter(has_text=big).locator("a").click()
    page.wait_for_url("**/customers/?segment=*")
    customers = page.locator("#customer-rows tbody tr")
    expect(customers).to_have_count(17)
    names = customers.all_inner_texts()
    assert any("客户00" in n for n in names) and not any("客户01" in n for n in names)
    # The archive's own segment filter: the other segment, the 17 small customers.
    page.select_option("#id_segment", value=small_id)
    expect(page.locator("#customer-rows tbody tr", has_text="客户01")).to_have_count(1)
    expect(customers).to_have_count(17)
    assert not any("客户00" in n for n in customers.all_inner_texts())
