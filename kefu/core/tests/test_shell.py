"""The web shell: Chinese first, English switchable, log-in with lock-out, error pages, no CDN."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from kefu.core.testing.factories import PASSWORD
from kefu.core.testing.scope import client_for


def test_login_page_is_chinese_by_default(client):
    html = client.get("/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


def test_language_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html and "Log in" in html
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"}, follow=True)
    assert '<html lang="zh-hans">' in response.content.decode()


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_login_with_password_reaches_the_workbench(org, staff_factory, client):
    staff = staff_factory(roles=["assistant"], offices=[org.office_a], username="chenjing", name="陈静")
    response = client.post("/login/", {"username": "chenjing", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "陈静" in response.content.decode()
    assert staff.user.pk == int(client.session["_auth_user_id"])


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(org, staff_factory, client):
    staff_factory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "target", "password": "wrong-password"})
    locked = client.post("/login/", {"username": "target", "password": PASSWORD})
    assert locked.status_code in (403, 429)
    assert 'id="locked-out"' in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2_in_production():
    production = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    assert production[0].endswith("Argon2PasswordHasher")


def test_not_found_page_is_translated(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() or "不存在" in response.content.decode()


@pytest.mark.django_db
def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_navigation_lists_only_what_the_role_may_open(org, staff_factory):
    admin = staff_factory(roles=["administrator"])
    html = client_for(admin).get("/").content.decode()
    assert 'href="/admin/"' in html
    assistant = staff_factory(roles=["assistant"], offices=[org.office_a])
    assert 'href="/admin/"' not in client_for(assistant).get("/").content.decode()


@pytest.mark.django_db
def test_the_menu_groups_a_managers_pages_and_keeps_a_technicians_flat(org, staff_factory):
    from kefu.core.navigation import GROUPS, nav_items, nav_menu

    manager = staff_factory(roles=["manager"]).user
    menu = nav_menu(manager)
    assert len(menu) <= 8 < len(nav_items(manager))  # a navbar that fits, not 25 entries
    assert not [item["url"] for item in nav_items(manager) if item.get("group") not in GROUPS]  # no strays
    groups = {entry["key"]: entry for entry in menu if "items" in entry}
    assert {"service", "complaints", "relationship", "management"} <= set(groups)
    flat_urls = {item["href"] for item in nav_items(manager)}
    assert flat_urls == {sub["href"] for entry in menu for sub in entry.get("items", [entry])}  # nothing lost
    html = client_for(staff_factory(roles=["manager"])).get("/").content.decode()
    assert 'data-menu="management"' in html and "管理" in html

    technician = staff_factory(roles=["technician"], offices=[org.office_a], work_centres=[org.wc_a]).user
    for entry in nav_menu(technician):  # a group of one is a plain link
        assert "items" not in entry or len(entry["items"]) > 1


@pytest.mark.django_db
def test_the_cached_navbar_marks_this_page_and_carries_this_browsers_csrf_token(org, staff_factory):
    import re

    from django.test import Client

    staff = staff_factory(roles=["assistant"], offices=[org.office_a])
    browsers = []
    for _ in range(2):  # one user, two browsers: the navbar HTML is shared, the CSRF field is not
        browser = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
        browser.force_login(staff.user)
        browsers.append(browser)
    home = browsers[0].get("/").content.decode()
    assert re.search(r'class="nav-link active" href="/"', home)
    worklist = browsers[0].get("/notifications/").content.decode()
    assert 'class="dropdown-item active" href="/notifications/"' in worklist
    assert "<!--kefu:" not in worklist and not re.search(r'class="nav-link active" href="/"', worklist)
    for browser in browsers:
        page = browser.get("/notifications/").content.decode()
        field = r'action="/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"'
        token = re.search(field, page)
        assert token, "the logout form has a CSRF field"
        response = browser.post("/logout/", {"csrfmiddlewaretoken": token.group(1)})
        assert response.status_code == 302  # accepted: the token belongs to this browser


def test_templates_and_css_reference_no_external_host():
    root = Path(settings.BASE_DIR) / "kefu"
    offenders = []
    for path in list(root.rglob("*.html")) + list((root / "static" / "css").rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"(src|href)=[\"']https?://", text) or "cdn." in text:
            offenders.append(str(path))
    assert offenders == []


def test_htmx_and_bootstrap_are_vendored():
    vendor = Path(settings.BASE_DIR) / "kefu" / "static" / "vendor"
    for name in ("htmx/htmx.min.js", "bootstrap/bootstrap.min.css", "echarts/echarts.min.js"):
        assert (vendor / name).stat().st_size > 10_000, name


def test_anonymous_cannot_switch_to_unknown_language(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/login/"}, follow=True)
    assert '<html lang="zh-hans">' in response.content.decode()
