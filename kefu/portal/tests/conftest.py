from __future__ import annotations

from dataclasses import dataclass

import pytest

from kefu.tickets.tests.factories import Desk, make_customer, make_desk

PORTAL_PASSWORD = "Kehu-pass-2026"


@dataclass
class Portal:
    desk: Desk
    account: object  # PortalAccount of desk.customer
    other_account: object  # PortalAccount of a customer of another centre
    address: object
    other_address: object

    @property
    def user(self):
        return self.account.user


def make_account(desk: Desk, customer, email: str, name: str = "张经理"):
    from kefu.customers.models import Contact
    from kefu.portal import services

    contact = Contact.objects.create(customer=customer, name=name, email=email, mobile="13900001111")
    _account, link = services.invite(
        actor=desk.manager.user, contact=contact, email=email, base_url="http://t"
    )
    token = link.rstrip("/").rsplit("/", 1)[-1]
    return services.accept_invitation(token=token, password=PORTAL_PASSWORD)


@pytest.fixture
def portal(org, staff_factory) -> Portal:
    from kefu.customers.models import ServiceAddress

    desk = make_desk(org, staff_factory)
    other_customer = make_customer(org.office_b, number="2110060001", name="天津某某家具城")
    address = ServiceAddress.objects.create(
        customer=desk.customer, code="FL-01", name="总部办公室", address="北京市朝阳区建国路88号3层"
    )
    other_address = ServiceAddress.objects.create(
        customer=other_customer, code="FL-01", name="门店", address="天津市和平区南京路1号"
    )
    return Portal(
        desk=desk,
        account=make_account(desk, desk.customer, "zhang@shenqi.example.cn"),
        other_account=make_account(desk, other_customer, "li@tianjin.example.cn", name="李女士"),
        address=address,
        other_address=other_address,
    )


@pytest.fixture
def customer_client(portal):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(portal.user)
    return client
