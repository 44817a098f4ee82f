"""The sales-value feed 销售额 and the warnings 异样客户预警 in a real browser: the manager imports a
year of monthly sales; the recompute after the import sees the last quarter fall by 90 % and
warns; the manager acknowledges the warning with a note and it leaves the open list."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = dt.date(2026, 12, 4)  # the value window: 2025-12 … 2026-11


@pytest.fixture
def manager():
    from kefu.core import buffer
    from kefu.core.testing.factories import make_org, make_staff
    from kefu.customers import services
    from kefu.customers.models import AnomalyRule
    from kefu.org.roles import sync_roles
    from kefu.worktime import clock

    sync_roles()
    # Transactional tests flush the migrations' default rules: the value-drop rule (30 %), back if gone.
    AnomalyRule.objects.update_or_create(
        kind="value_drop", defaults={"threshold": Decimal("30"), "is_active": True}
    )
    org = make_org()
    manager = make_staff(roles=["manager"], username="e2e_manager", name="李建国")
    services.create_customer(
        actor=None,
        number="2110050007",
        name="申齐保健食品有限公司",
        sales_office=org.office_a,
        responsible=manager,
    )
    buffer.clear()
    # The value window is counted in whole months before today: the project clock fixes today
    # (its override is process-wide, so the live server's thread sees it too).
    with clock.frozen(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0)):
        yield manager


def _sales_csv() -> bytes:
    """2025-12 … 2026-05 nothing, 2026-06 … 08 1,000 a month, 2026-09 … 11 100 a month (−90 %)."""
    rows = ["客户编号,月份,销售额"]
    for i in range(12):
        year, month = divmod(2025 * 12 + 11 + i, 12)
        amount = 0 if i < 6 else (1000 if i < 9 else 100)
        rows.append(f"2110050007,{year}-{month + 1:02d},{amount}")
    return ("\n".join(rows) + "\n").encode("gbk")


def test_import_the_sales_feed_then_acknowledge_the_value_drop_warning(page, manager):
    from kefu.customers.models import CustomerWarning, MonthlySales

    login(page, manager.user.username, PASSWORD)
    page.goto(f"{page.base_url}/customers/import/")
    page.select_option("#id_kind", "sales")
    page.select_option("#id_mode", "all_or_nothing")
    page.set_input_files("#id_file", {"name": "销售额.csv", "mimeType": "text/csv", "buffer": _sales_csv()})
    page.click("#import-form button[type='submit']")
    expect(page.locator("#import-result")).to_contain_text("12")
    assert page.locator("#import-errors").count() == 0
    assert MonthlySales.objects.count() == 12

    page.goto(f"{page.base_url}/customers/warnings/")
    row = page.locator("#open-warnings tbody tr", has_text="2110050007")
    expect(row).to_have_count(1)
    assert "李建国" in row.inner_text()  # the person responsible must act
    warning = CustomerWarning.objects.get(kind="value_drop")
    assert warning.is_open and warning.assignee == manager
    row.locator("input[name='note']").fill("已致电客户，采购转往分公司，安排季度回访")
    row.get_by_role("button").click()
    expect(page.locator("#open-warnings tbody tr", has_text="2110050007")).to_have_count(0)
    warning.refresh_from_db()
    assert not warning.is_open and warning.acknowledged_by == manager.user
    assert "季度回访" in warning.note
