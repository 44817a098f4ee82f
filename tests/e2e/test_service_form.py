"""The printed service form 家具服务单 in a real browser: the technician opens it from his job page on
the phone, sees the customer's drawn signature and the rating QR code, and gets the PDF printed on
the server; the appointment form with its mail box still fits a 360 px screen."""

import pytest

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login
from tests.e2e.test_field import desk, no_horizontal_scroll  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def test_the_technician_opens_the_signed_service_form_and_its_pdf(small_phone, desk):  # noqa: F811
    from kefu.field.tests.test_field import png_data_url, step

    n = desk.z1(contact_phone="13812345678", object_address="北京市朝阳区建国路88号")
    step(desk, n, kind="report", client_id="r1", work_done="更换抽屉锁", materials_used="100056 ×1")
    n.refresh_from_db()
    step(desk, n, kind="sign", client_id="g1", signer="陈先生", image=png_data_url())
    page = small_phone
    login(page, desk.technician.user.username, PASSWORD)
    page.goto(f"{page.base_url}/field/jobs/{n.pk}/")
    assert page.locator("input[name=notify_customer]").is_visible()
    assert no_horizontal_scroll(page)
    pdf_link = page.locator("a[data-service-form-pdf]")
    response = page.request.get(page.base_url + pdf_link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    page.goto(f"{page.base_url}/field/jobs/{n.pk}/service-form/")
    assert n.number in page.inner_text("[data-number]")
    assert page.inner_text("[data-phone]") == "13812345678"
    assert page.locator("img[data-signature]").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("[data-qr] svg").count() == 1
    assert "陈先生" in page.inner_text("[data-signer]")
