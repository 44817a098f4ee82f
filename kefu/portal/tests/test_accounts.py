"""Invitations and logins: a customer user is its own kind of account and stays on the portal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefu.core.errors import ValidationFailed
from kefu.portal import services
from kefu.portal.models import Invitation, PortalAccount
from kefu.portal.tests.conftest import PORTAL_PASSWORD

pytestmark = pytest.mark.django_db


def test_invitation_mails_a_one_time_link_that_works_once(org, staff_factory):
    from kefu.channels.models import OutboundMail
    from kefu.customers.models import Contact
    from kefu.tickets.tests.factories import make_desk

    desk = make_desk(org, staff_factory)
    contact = Contact.objects.create(customer=desk.customer, name="王主任", email="wang@x.example.cn")
    account, link = services.invite(actor=desk.assistant.user, contact=contact, base_url="http://kefu.test")
    mail = OutboundMail.objects.get(object_id=desk.customer.pk, to=["wang@x.example.cn"])
    assert link in mail.body and link.startswith("http://kefu.test/portal/invitation/")
    assert not account.user.has_usable_password()
    assert not Invitation.objects.filter(token_hash__contains=link.rsplit("/", 2)[-2]).exists()  # only a hash

    client = Client(HTTP_HOST="127.0.0.1")
    path = link.removeprefix("http://kefu.test")
    short = client.post(path, {"password": "123", "password2": "123"})
    assert short.status_code == 200 and 'data-field="password"' in short.content.decode()
    done = client.post(path, {"password": PORTAL_PASSWORD, "password2": PORTAL_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    with pytest.raises(ValidationFailed):
        services.accept_invitation(token=path.rstrip("/").rsplit("/", 1)[-1], password=PORTAL_PASSWORD)


def test_expired_or_replaced_links_are_refused(portal):
    contact = portal.account.contact
    _account, first = services.invite(actor=portal.desk.assistant.user, contact=contact, email=contact.email)
    _account, second = services.invite(actor=portal.desk.assistant.user, contact=contact, email=contact.email)
    with pytest.raises(ValidationFailed):  # the first link was voided by the second
        services.accept_invitation(token=first.rsplit("/", 2)[-2], password=PORTAL_PASSWORD)
    Invitation.objects.filter(account=portal.account).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(ValidationFailed):
        services.accept_invitation(token=second.rsplit("/", 2)[-2], password=PORTAL_PASSWORD)


def test_an_outsider_cannot_invite_another_centres_contact(portal):
    from kefu.core.errors import NotFound

    with pytest.raises(NotFound):
        services.invite(actor=portal.desk.outsider.user, contact=portal.account.contact, email="x@y.cn")


def test_portal_login_by_email_and_staff_login_refuses_customers(portal):
    client = Client(HTTP_HOST="127.0.0.1")
    staff_login = client.post(
        reverse("login"), {"username": portal.user.username, "password": PORTAL_PASSWORD}
    )
    assert staff_login.status_code == 200 and "_auth_user_id" not in client.session
    ok = client.post(
        reverse("portal:login"), {"username": "ZHANG@shenqi.example.cn", "password": PORTAL_PASSWORD}
    )
    assert ok.status_code == 302 and ok["Location"] == reverse("portal:home")
    staff = Client(HTTP_HOST="127.0.0.1")
    refused = staff.post(
        reverse("portal:login"), {"username": portal.desk.assistant.user.email, "password": "Test-pass-2026"}
    )
    assert refused.status_code == 200 and "_auth_user_id" not in staff.session


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("home", {}),
        ("tickets:worklist", {}),
        ("tickets:create", {}),
        ("customers:list", {}),
        ("org:structure", {}),
        ("api_tokens", {}),
        ("knowledge:list", {}),
        ("portal:accounts", {}),
        ("channels:notices", {}),
    ],
)
def test_customer_users_never_reach_staff_pages(customer_client, name, kwargs):
    assert customer_client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_customer_users_never_reach_the_staff_api(customer_client, portal):
    for url in ("/api/v1/me", "/api/v1/notifications/", f"/api/v1/customers/{portal.desk.customer.pk}"):
        response = customer_client.get(url)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert customer_client.get("/api/v1/portal/requests").status_code == 200


def test_customer_users_never_reach_the_staff_pages_of_their_own_records(customer_client, portal):
    n = portal.desk.z1()
    assert customer_client.get(reverse("tickets:detail", kwargs={"pk": n.pk})).status_code == 404
    assert customer_client.get(reverse("admin:index")).status_code == 404


def test_staff_do_not_use_the_portal(portal):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(portal.desk.manager.user)
    assert client.get(reverse("portal:home")).status_code == 404
    assert client.get("/api/v1/portal/requests").status_code == 403


def test_a_closed_account_logs_in_no_more(portal):
    services.close_account(actor=portal.desk.manager.user, account=portal.account)
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(
        reverse("portal:login"), {"username": portal.account.email, "password": PORTAL_PASSWORD}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert PortalAccount.objects.get(pk=portal.account.pk).is_active is False


def test_a_customer_users_token_opens_the_portal_api_only(portal):
    from kefu.api.services import create_token

    _token, key = create_token(actor=portal.user, name="erp")
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/notifications/types").status_code == 403
    assert client.get("/api/v1/me").status_code == 403
    assert client.get("/api/v1/portal/requests").status_code == 200


def test_the_portal_speaks_chinese_first(client, portal):
    page = client.get(reverse("portal:login")).content.decode()
    assert "请使用接收邀请的邮箱登录" in page and "客户自助服务" in page
    from django.utils import translation

    from kefu.workflow.models import Status

    status = Status(code="X", name="内部", stage="in_process")
    with translation.override("zh-hans"):
        assert status.customer_display == "处理中"
    with translation.override("en"):
        assert status.customer_display == "Being handled"
