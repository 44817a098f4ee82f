"""The technician app on a phone (390×844, Chromium's mobile emulation): today's jobs, the job
page without horizontal scrolling, a step recorded offline, queued, and synced when the network is
back; a step made on an old version shows a conflict and is applied only when he says so; the
customer's signature drawn on the screen becomes an attachment."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def desk(org, staff_factory):
    from kefu.tickets.tests.factories import make_desk
    from kefu.tickets.workflows import install

    install(apps)
    importlib.import_module("kefu.catalog.migrations.0002_default_catalogues").load(apps, None)
    return make_desk(org, staff_factory)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def wait_until(page, script: str, timeout_ms: int = 15_000) -> None:
    """Poll a page condition (wait_for_function would eval a string, which the CSP forbids)."""
    waited = 0
    while not page.evaluate(script):
        assert waited < timeout_ms, f"still false after {timeout_ms} ms: {script}"
        page.wait_for_timeout(100)
        waited += 100


EMPTY_QUEUE = "JSON.parse(localStorage.getItem('kefu.field.queue') || '[]').length === 0"


def queued(page) -> int:
    return page.evaluate("JSON.parse(localStorage.getItem('kefu.field.queue') || '[]').length")


def test_offline_step_is_queued_and_synced(phone, desk):
    from kefu.field.models import FieldStep
    from kefu.field.services import set_appointment

    n = desk.z1(contact_phone="13912345678", object_address="北京市朝阳区建国路88号3层")
    set_appointment(actor=desk.assistant.user, notification=n, date=timezone.localdate(), slot="am")
    page = phone
    login(page, desk.technician.user.username, PASSWORD)
    page.goto(f"{page.base_url}/field/")
    assert n.number in page.inner_text("#jobs")
    assert page.locator('a[href="tel:13912345678"]').count() == 1
    assert no_horizontal_scroll(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.click(".job-link")
    page.wait_for_selector("#job")
    assert no_horizontal_scroll(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # The day's pages are in the worker's cache, readable without network.
    wait_until(page, f"caches.match('/field/jobs/{n.pk}/').then(r => !!r)")

    page.context.set_offline(True)
    page.click('form[data-kind="arrive"] button')
    assert queued(page) == 1
    assert page.locator("#pending li").count() == 1
    page.click("details:has(form[data-kind=report]) summary")
    page.fill("#f-work", "更换抽屉锁")
    page.fill("#f-mat", "100056 ×1")
    page.click('form[data-kind="report"] button[type=submit]')
    assert queued(page) == 2
    assert not FieldStep.objects.filter(notification=n).exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, EMPTY_QUEUE)
    # The narrowest phones we support: 360 px wide, still no horizontal scrolling.
    page.set_viewport_size({"width": 360, "height": 740})
    for url in (f"{page.base_url}/field/jobs/{n.pk}/", f"{page.base_url}/field/"):
        page.goto(url)
        page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
        assert no_horizontal_scroll(page), url
    steps = list(FieldStep.objects.filter(notification=n).order_by("pk").values_list("kind", flat=True))
    assert steps == ["arrive", "report"]
    n.refresh_from_db()
    assert FieldStep.objects.get(kind="report", notification=n).version_after == n.version


def test_conflict_is_shown_and_applied_on_request_then_signature(phone, desk):
    from kefu.billing.models import ServiceReport
    from kefu.field.models import FieldStep
    from kefu.tickets.models import Attachment
    from kefu.tickets.services import update_notification

    n = desk.z1()
    page = phone
    login(page, desk.technician.user.username, PASSWORD)
    page.goto(f"{page.base_url}/field/jobs/{n.pk}/")
    # The assistant changes the notification after he opened it.
    update_notification(
        actor=desk.assistant.user, notification=n, expected_version=n.version, description="活动柜锁(加急)"
    )
    page.click('form[data-kind="arrive"] button')
    page.wait_for_selector("#conflicts:not([hidden]) .conflict-item")
    assert n.number in page.inner_text("#conflicts")
    assert queued(page) == 1
    assert not FieldStep.objects.filter(notification=n).exists()
    page.click("#conflicts button >> nth=0")
    wait_until(page, EMPTY_QUEUE)
    assert FieldStep.objects.filter(notification=n, kind="arrive").count() == 1

    # The customer signs on the screen.
    page.reload()
    page.click("details:has(form[data-kind=sign]) summary")
    page.fill("#f-signer", "陈先生")
    page.locator("#signature").scroll_into_view_if_needed()
    box = page.locator("#signature").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(box["x"] + 20 + i * 20, box["y"] + 30 + (i % 3) * 25)
    page.mouse.up()
    assert no_horizontal_scroll(page)
    page.click('form[data-kind="sign"] button[type=submit]')
    assert page.locator("#sign-empty").is_hidden(), "the drawn signature was not seen"
    assert queued(page) in (0, 1)
    wait_until(page, EMPTY_QUEUE)
    signed = FieldStep.objects.get(notification=n, kind="sign")
    assert Attachment.objects.get(pk=signed.attachment_id).content_type == "image/png"
    assert ServiceReport.objects.get(notification=n).accepted_by_customer == "陈先生"
