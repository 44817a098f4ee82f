"""Login by a mailed one-time code 用邮件验证码登录: sent through the real SMTP sink, stored as a
hash, valid ten minutes and once, void after five wrong tries, never telling whether an address
has an account."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core.errors import ValidationFailed
from kefu.portal import services
from kefu.portal.models import LoginCode
from kefu.portal.tests.conftest import PORTAL_PASSWORD
from kefu.worktime import clock

pytestmark = pytest.mark.django_db

EMAIL = "zhang@shenqi.example.cn"  # the portal fixture's account


def _ask(client: Client, email: str, capture) -> str:
    with capture(execute=True):
        response = client.post(reverse("portal:login_code"), {"email": email})
    assert response.status_code == 302 and response["Location"] == reverse("portal:login_code_enter")
    return client.get(response["Location"]).content.decode()


def _code_in(message) -> str:
    found = re.search(r"\b(\d{6})\b", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def test_a_contact_logs_in_with_the_mailed_code(portal, smtp_server, django_capture_on_commit_callbacks):
    from kefu.channels.models import OutboundMail

    client = Client(HTTP_HOST="127.0.0.1")
    page = _ask(client, EMAIL.upper(), django_capture_on_commit_callbacks)
    assert "验证码已发送到该邮箱" in page
    assert len(smtp_server) == 1 and smtp_server[0]["X-Envelope-To"] == EMAIL
    assert "客户自助服务登录验证码" in smtp_server[0]["Subject"]
    code = _code_in(smtp_server[0])
    # Only a keyed hash is kept: neither the code table nor the sent mail in the outbox hold it.
    stored = LoginCode.objects.get(account=portal.account)
    assert code not in stored.code_hash
    sent = OutboundMail.objects.get(to=[EMAIL], redact_after_send=True)
    assert sent.status == "sent" and code not in sent.body and "一次性验证码" in sent.body
    assert EMAIL in client.get(reverse("portal:login_code_enter")).content.decode()  # filled in

    done = client.post(reverse("portal:login_code_enter"), {"email": EMAIL, "code": code})
    assert done.status_code == 302 and done["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.session["_auth_user_id"] == str(portal.user.pk)
    # Single use: the same code again (in another browser) is refused.
    again = Client(HTTP_HOST="127.0.0.1")
    refused = again.post(reverse("portal:login_code_enter"), {"email": EMAIL, "code": code})
    assert refused.status_code == 200 and "_auth_user_id" not in again.session
    assert "验证码不正确或已失效" in refused.content.decode()


def test_the_code_expires_after_ten_minutes(portal, smtp_server, django_capture_on_commit_callbacks):
    with clock.frozen() as frozen:
        with django_capture_on_commit_callbacks(execute=True):
            services.request_login_code(email=EMAIL)
        code = _code_in(smtp_server[-1])
        frozen.advance(minutes=10, seconds=1)
        with pytest.raises(ValidationFailed):
            services.login_with_code(email=EMAIL, code=code)
        frozen.advance(minutes=-2)  # the same code inside its ten minutes works
        assert services.login_with_code(email=EMAIL, code=code) == portal.account


def test_five_wrong_tries_void_the_code(portal, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_login_code(email=EMAIL)
    code = _code_in(smtp_server[-1])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _try in range(5):
        with pytest.raises(ValidationFailed):
            services.login_with_code(email=EMAIL, code=wrong)
    assert LoginCode.objects.get(account=portal.account).failures == 5
    with pytest.raises(ValidationFailed):  # the right code is void now
        services.login_with_code(email=EMAIL, code=code)


def test_four_wrong_tries_leave_the_code_usable(portal, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_login_code(email=EMAIL)
    code = _code_in(smtp_server[-1])
    for _try in range(4):
        with pytest.raises(ValidationFailed):
            services.login_with_code(email=EMAIL, code="000000" if code != "000000" else "111111")
    assert services.login_with_code(email=EMAIL, code=code) == portal.account


def test_a_new_code_voids_the_old_and_one_a_minute_at_most(
    portal, smtp_server, django_capture_on_commit_callbacks
):
    with clock.frozen() as frozen:
        with django_capture_on_commit_callbacks(execute=True):
            services.request_login_code(email=EMAIL)
            services.request_login_code(email=EMAIL)  # within the minute: nothing more is sent
        assert len(smtp_server) == 1
        first = _code_in(smtp_server[0])
        frozen.advance(seconds=61)
        with django_capture_on_commit_callbacks(execute=True):
            services.request_login_code(email=EMAIL)
        assert len(smtp_server) == 2
        second = _code_in(smtp_server[1])
        if first != second:
            with pytest.raises(ValidationFailed):
                services.login_with_code(email=EMAIL, code=first)
        assert services.login_with_code(email=EMAIL, code=second) == portal.account


def test_unknown_staff_and_closed_addresses_get_the_same_answer_and_no_mail(
    portal, smtp_server, django_capture_on_commit_callbacks
):
    from kefu.channels.models import OutboundMail

    staff_email = portal.desk.assistant.user.email
    assert staff_email
    _ask(Client(HTTP_HOST="127.0.0.1"), EMAIL, django_capture_on_commit_callbacks)
    services.close_account(actor=portal.desk.manager.user, account=portal.other_account)
    for email in ("nobody@nowhere.example.cn", staff_email, portal.other_account.email):
        answer = _ask(Client(HTTP_HOST="127.0.0.1"), email, django_capture_on_commit_callbacks)
        assert "验证码已发送到该邮箱" in answer
    assert [m["X-Envelope-To"] for m in smtp_server] == [EMAIL]
    assert OutboundMail.objects.filter(to=[staff_email]).count() == 0
    assert not LoginCode.objects.exclude(account=portal.account).exists()
    with pytest.raises(ValidationFailed):
        services.login_with_code(email=staff_email, code="123456")


def test_the_answer_page_is_the_same_for_an_unknown_address(
    portal, smtp_server, django_capture_on_commit_callbacks
):
    """The message after "send me a code" does not tell whether the address has an account."""

    def answer(email: str) -> str:
        client = Client(HTTP_HOST="127.0.0.1")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("portal:login_code"), {"email": email}, follow=True)
        text = response.content.decode().replace(email, "ADDRESS")
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", text)  # the CSRF tokens differ

    assert answer(EMAIL) == answer("nobody@nowhere.example.cn")
    assert len(smtp_server) == 1


def test_a_code_login_stays_on_the_portal(portal, smtp_server, django_capture_on_commit_callbacks):
    client = Client(HTTP_HOST="127.0.0.1")
    _ask(client, EMAIL, django_capture_on_commit_callbacks)
    client.post(reverse("portal:login_code_enter"), {"email": EMAIL, "code": _code_in(smtp_server[0])})
    assert client.get(reverse("portal:home")).status_code == 200
    for name in ("home", "tickets:worklist", "customers:list", "portal:accounts", "knowledge:list"):
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get("/api/v1/notifications/").status_code == 403


def test_after_a_code_login_the_contact_sets_a_new_password(
    portal, smtp_server, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST="127.0.0.1")
    _ask(client, EMAIL, django_capture_on_commit_callbacks)
    client.post(reverse("portal:login_code_enter"), {"email": EMAIL, "code": _code_in(smtp_server[0])})
    page = client.get(reverse("portal:password")).content.decode()
    assert 'name="current_password"' not in page  # the code has just proven who they are
    new = "Neues-pass-2027"
    saved = client.post(reverse("portal:password"), {"password": new, "password2": new})
    assert saved.status_code == 302 and client.get(reverse("portal:home")).status_code == 200
    fresh = Client(HTTP_HOST="127.0.0.1")
    assert fresh.post(reverse("portal:login"), {"username": EMAIL, "password": new}).status_code == 302
    # After a password login, the current password is asked for.
    page = fresh.get(reverse("portal:password")).content.decode()
    assert 'name="current_password"' in page
    wrong = fresh.post(
        reverse("portal:password"),
        {
            "current_password": PORTAL_PASSWORD,
            "password": "Drittes-pass-2028",
            "password2": "Drittes-pass-2028",
        },
    )
    assert wrong.status_code == 200 and "当前密码不正确" in wrong.content.decode()


def test_staff_cannot_use_the_password_page(portal):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(portal.desk.manager.user)
    assert client.get(reverse("portal:password")).status_code == 404
