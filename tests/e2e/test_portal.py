"""The customer portal through a phone-sized browser: an invited contact sets a password with the
one-time link, submits a service request with a photo while help articles are suggested, and
follows it by its customer-facing status (never the internal code)."""

import importlib
import struct
import zlib

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Kehu-pass-2026"


def _png(path) -> str:
    """A real 1×1 PNG (the upload check reads the signature)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    raw += chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")
    path.write_bytes(raw)
    return str(path)


@pytest.fixture
def invited(org, staff_factory, live_server):
    # Transactional tests flush the database between tests: put the default configuration back.
    from kefu.customers.models import Contact, ServiceAddress
    from kefu.knowledge import services as kb
    from kefu.knowledge.models import Category
    from kefu.org.roles import sync_roles
    from kefu.portal import services
    from kefu.tickets.tests.factories import make_desk
    from kefu.tickets.workflows import install

    sync_roles()
    install(apps)
    importlib.import_module("kefu.portal.migrations.0002_customer_status_labels").set_labels(apps, None)
    from kefu.core import buffer

    buffer.clear()
    desk = make_desk(org, staff_factory)
    ServiceAddress.objects.create(
        customer=desk.customer,
        code="FL-01",
        name="总部办公室",
        address="北京市朝阳区建国路88号3层",
        is_default=True,
    )
    care, _ = Category.objects.get_or_create(code="care", defaults={"name": "使用与保养", "order": 20})
    kb.create_article(
        actor=desk.assistant.user,
        title="办公椅气杆下沉的原因",
        body="气杆下沉多因密封件老化，质保期内免费更换。",
        category=care,
        visibility="public",
        keywords="气杆 椅子 下沉",
    )
    contact = Contact.objects.create(customer=desk.customer, name="张经理", email="zhang@shenqi.example.cn")
    _account, link = services.invite(actor=desk.assistant.user, contact=contact, base_url=live_server.url)
    return desk, link


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def test_a_customer_submits_a_request_on_a_phone_and_follows_its_status(phone, invited, tmp_path):
    from kefu.tickets.models import Notification
    from kefu.tickets.services import change_status

    desk, link = invited
    page = phone
    # The one-time link from the invitation mail: set a password, and the portal opens.
    page.goto(link)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("#accept-submit")
    page.wait_for_url(f"{page.base_url}/portal/")
    assert "您还没有提交过请求" in page.content()

    # A new request: what, where, a photo; help articles are suggested while typing.
    page.goto(f"{page.base_url}/portal/requests/new/")
    page.select_option("#id_kind", value="repair")
    page.locator("#id_description").press_sequentially("会议室的椅子气杆下沉了", delay=20)
    page.locator("#suggestions a", has_text="办公椅气杆下沉的原因").wait_for()
    page.set_input_files("#id_photos", _png(tmp_path / "chair.png"))
    page.click("#request-submit")
    page.wait_for_url(lambda url: "/portal/requests/new/" not in url)

    n = Notification.objects.get(customer=desk.customer)
    assert page.locator("#customer-status").inner_text() == "已受理"
    assert "TZJL" not in page.content() and "通知建立" not in page.content()
    assert n.attachments.count() == 1

    # The desk moves it on; the customer reads the status the profile gives its customers.
    change_status(
        actor=desk.technician.user, notification=n, to="KCJS", inputs={"survey_result": "气杆漏气，需更换"}
    )
    page.goto(f"{page.base_url}/portal/")
    row = page.locator(f"#my-requests [data-number='{n.number}']")
    assert row.locator(".customer-status").inner_text() == "已上门勘察"
    assert "KCJS" not in page.content() and "勘察结束" not in page.content()
    row.click()
    page.fill("#id_body", "请问哪天上门更换？")
    page.click("#message-submit")
    page.locator("#messages [data-kind='customer']", has_text="请问哪天上门更换").wait_for()

    # Staff pages stay closed to the customer, even for their own notification.
    response = page.goto(f"{page.base_url}/notifications/{n.pk}/")
    assert response.status == 404


def test_a_contact_without_a_password_logs_in_with_a_mailed_code_and_sets_one(phone, invited, smtp_server):
    """用邮件验证码登录: the invitation link was lost; the contact asks for a code on the login page,
    reads it in the mail (the real SMTP sink), logs in, and sets a password for next time."""
    import re

    page = phone
    page.goto(f"{page.base_url}/portal/login/")
    page.click("#login-by-code")
    page.fill("#id_email", "zhang@shenqi.example.cn")
    page.click("#code-send")
    page.wait_for_url(f"{page.base_url}/portal/login/code/enter/")
    assert "验证码已发送到该邮箱" in page.content()
    assert page.input_value("#id_email") == "zhang@shenqi.example.cn"
    mails = [m for m in smtp_server if "验证码" in m["Subject"]]
    assert len(mails) == 1
    code = re.search(r"\b(\d{6})\b", mails[0].get_content()).group(1)

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page.fill("#id_code", wrong)
    page.click("#code-login")
    page.locator("[data-field='code']", has_text="验证码不正确或已失效").wait_for()
    page.fill("#id_code", code)
    page.click("#code-login")
    page.wait_for_url(f"{page.base_url}/portal/")
    assert "修改密码" in page.content()

    # Staff pages stay closed after a code login too.
    assert page.goto(f"{page.base_url}/notifications/").status == 404
    page.goto(f"{page.base_url}/portal/password/")
    assert page.locator("#id_current_password").count() == 0
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("#password-save")
    page.wait_for_url(f"{page.base_url}/portal/")
    assert "新密码已保存" in page.content()

    # The next time, the password works.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/portal/login/")
    page.fill("#id_username", "zhang@shenqi.example.cn")
    page.fill("#id_password", PASSWORD)
    page.click("#portal-login")
    page.wait_for_url(f"{page.base_url}/portal/")
