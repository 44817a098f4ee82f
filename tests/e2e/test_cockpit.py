"""The manager's cockpit in a real browser: the charts draw, the figures are the viewer's scope,
and a figure opens the worklist with its filter applied, listing exactly what it counted."""

import importlib

import pytest
from django.apps import apps

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(org, staff_factory):
    # Transactional tests flush the database between tests: put the default configuration back.
    from kefu.core import buffer
    from kefu.org.roles import sync_roles
    from kefu.tickets.tests.factories import make_customer, make_desk
    from kefu.tickets.workflows import install

    sync_roles()
    install(apps)
    importlib.import_module("kefu.catalog.migrations.0002_default_catalogues").load(apps, None)
    buffer.clear()
    desk = make_desk(org, staff_factory)
    for _ in range(3):
        desk.z1()
    desk.z1(  # another centre's: not in the supervisor's cockpit
        actor=desk.outsider.user,
        customer=make_customer(desk.org.office_b),
        work_centre=desk.org.wc_b,
        responsible=desk.outsider_tech,
        sales_group=None,
    )
    return desk


def test_cockpit_draws_its_charts_and_drills_down_into_the_worklist(page, desk):
    login(page, desk.supervisor.user.username, PASSWORD)
    page.goto(f"{page.base_url}/reports/")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert "管理驾驶舱" in page.inner_text("h1")
    assert page.inner_text("[data-kpi='backlog'] .h3").strip() == "3"  # not the other centre's 4th
    for chart in ("#chart-flow", "#chart-status", "#chart-centre", "#chart-age"):
        assert page.locator(f"{chart} canvas").count() == 1, chart
    link = page.locator("table[data-figure='status'] a").first
    counted = int(link.locator("xpath=../following-sibling::td").inner_text())
    link.click()
    page.wait_for_url("**/notifications/?*status=*")
    page.wait_for_selector("#worklist")
    assert page.locator("#worklist tr[data-number]").count() == counted == 3
