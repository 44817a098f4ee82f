"""跨部门协作 (seed 004) in a real browser: the desk submits a disagreement between departments
from the notification's page; the office rules it, and the ruling is enforced on the notification."""

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
    from kefu.tickets.tests.factories import make_desk
    from kefu.tickets.workflows import install, install_dispute_profile

    sync_roles()
    install(apps)
    install_dispute_profile(apps)
    importlib.import_module("kefu.catalog.migrations.0002_default_catalogues").load(apps, None)
    buffer.clear()
    desk = make_desk(org, staff_factory)
    desk.office = staff_factory(roles=["office"], name="周敏", username="zhoumin")
    return desk


def test_the_desk_submits_a_disagreement_and_the_office_rules_it(page, desk):
    n = desk.z1()
    login(page, desk.assistant.user.username, PASSWORD)
    page.goto(f"{page.base_url}/notifications/{n.pk}/")
    page.click("#submit-dispute")
    page.wait_for_selector("#dispute-form")
    assert page.input_value("#id_notification") == n.number  # prefilled from the notification
    page.select_option("#id_requesting_department", "LG011")
    page.select_option("#id_other_departments", ["QA"])
    page.fill("#id_issue", "抽屉锁损坏责任归属不清：物流认为是质量问题，品管认为是运输损坏。")
    page.fill("#id_positions", "区物流：出厂即有缺陷。品管部：包装完好，运输中受损。")
    page.select_option("#id_supervising_department", "HQ")
    page.click("#submit")
    page.wait_for_selector("#status[data-status='TJBG']")
    assert page.inner_text("#status") == "提交办公室"
    assert page.locator("[data-to='YCJ']").count() == 0  # the desk does not rule

    page.context.clear_cookies()
    login(page, "zhoumin", PASSWORD)
    page.goto(f"{page.base_url}/notifications/disputes/")
    page.select_option("#id_status", "TJBG")
    page.click("#filters button[type='submit']")
    page.wait_for_url("**/disputes/?*status=TJBG*")
    row = page.locator("#dispute-table tr[data-status='TJBG']")
    assert row.count() == 1 and "品管" in row.inner_text()
    row.locator("a").first.click()
    page.click("[data-to='YCJ']")
    page.wait_for_selector("#dispute-form")
    page.fill("#id_ruling", "由区物流负责更换，品管部配合检验。")
    page.select_option("#id_responsible_department", "LG011")
    page.select_option("#id_responsible", desk.supervisor.personnel_number)
    page.click("#submit")
    page.wait_for_selector("#status[data-status='YCJ']")
    assert page.inner_text("#status") == "办公室已裁决"
    assert "由区物流负责更换" in page.inner_text("#ruling")
    assert page.inner_text("#ruled-person") == desk.supervisor.name
    assert page.locator("#timeline [data-event='ticket.dispute_ruled']").count() == 1

    # Enforced: the notification now has the ruled person responsible.
    page.click(f"h1 a:has-text('{n.number}')")
    page.wait_for_url(f"**/notifications/{n.pk}/")
    assert desk.supervisor.name in page.content()
    n.refresh_from_db()
    assert n.responsible == desk.supervisor
