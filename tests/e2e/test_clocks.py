"""Service clocks in the browser: the worklist's time left ticks without a reload and turns red
when the due time passes (the page's script counts working time from the calendar's periods)."""

import datetime as dt
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
    importlib.import_module("kefu.tickets.migrations.0007_service_clocks").seed_targets(apps, None)
    return make_desk(org, staff_factory)


def test_time_left_ticks_and_turns_red_when_late(page, desk):
    from kefu.worktime import clock

    n = desk.z1(priority="1")  # response due in 60 working minutes
    assert n.response_due is not None
    now = clock.now()
    first_working = max(now, clock.working_periods(now, 8)[0][0])
    login(page, desk.assistant.user.username, PASSWORD)
    page.clock.install(time=first_working)
    page.goto(f"{page.base_url}/notifications/")
    row = page.locator(f'tr[data-number="{n.number}"] time[data-clock]')
    row.wait_for()
    page.wait_for_function("document.querySelector('time[data-clock]').hasAttribute('data-seen')")
    assert "text-danger" not in (row.get_attribute("class") or "")
    assert "剩余" in row.inner_text()
    late_by = n.response_due - first_working + dt.timedelta(minutes=2)
    page.clock.fast_forward(int(late_by.total_seconds() * 1000))
    page.wait_for_function("document.querySelector('time[data-clock]').classList.contains('text-danger')")
    assert "已超时" in row.inner_text()
