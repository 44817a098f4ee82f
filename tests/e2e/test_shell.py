"""Main journey of the shell: log in through the real page in Chromium, in Chinese, then switch to English."""

import pytest

from kefu.core.testing.factories import PASSWORD, make_org, make_staff
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_in_chinese_and_switch_to_english(page):
    org = make_org()
    make_staff(roles=["assistant"], offices=[org.office_a], username="chenjing", name="陈静")

    page.goto(f"{page.base_url}/")
    assert "/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#login-submit").inner_text().strip() == "登录"

    # A wrong password is refused with a message, in Chinese.
    page.fill("#id_username", "chenjing")
    page.fill("#id_password", "wrong-password")
    page.click("#login-submit")
    assert "用户名或密码不正确" in page.locator(".alert-danger").inner_text()

    login(page, "chenjing", PASSWORD)
    assert page.locator("h1").inner_text().startswith("您好")
    assert "陈静" in page.locator("#user-menu").inner_text()

    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Hello")
    assert page.get_by_role("link", name="Workbench").is_visible()

    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    assert page.locator("h1").inner_text().startswith("您好")

    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_url(lambda url: "/login/" in url)
