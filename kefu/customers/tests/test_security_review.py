"""Defects found in the security/privacy review (h-sec2): each test failed on the code before its fix."""

import pytest

from kefu.core.testing.scope import api_client_for, client_for
from kefu.customers import services

pytestmark = pytest.mark.django_db

CONTACT_MOBILE, CONTACT_EMAIL = "13912345678", "zw@shenqi.cn"
SITE_ADDRESS, SITE_PHONE = "北京市朝阳区酒仙桥路10号", "13700001111"


@pytest.fixture
def customer(make_customer):
    return make_customer(
        number="2110050007",
        contacts=[
            {"name": "张伟", "mobile": CONTACT_MOBILE, "email": CONTACT_EMAIL},
            {"name": "李娜", "mobile": "13600002222"},
        ],
        addresses=[
            {"name": "仓库", "address": SITE_ADDRESS, "contact_phone": SITE_PHONE},
            {"name": "门店", "address": "北京市朝阳区望京街1号"},
        ],
    )


def test_history_of_a_removed_contact_and_address_is_masked(customer, manager, assistant):
    services.remove_contact(customer.contacts.get(name="张伟"), actor=manager.user)
    services.remove_service_address(customer.service_addresses.get(name="仓库"), actor=manager.user)
    for client, url in [
        (client_for(assistant), f"/customers/{customer.pk}/"),
        (api_client_for(assistant), f"/api/v1/customers/{customer.pk}/timeline"),
    ]:
        body = client.get(url).content.decode()
        for secret in (CONTACT_MOBILE, CONTACT_EMAIL, SITE_ADDRESS, SITE_PHONE):
            assert secret not in body, (url, secret)


def test_mask_payload_masks_nested_snapshots_and_mail_addresses_only():
    from kefu.core.privacy import mask_payload

    masked = mask_payload(
        {
            "name": "张伟",
            "old": {"name": "张伟", "mobile": CONTACT_MOBILE, "email": CONTACT_EMAIL},
            "changes": {"phone": {"old": "13600002222", "new": ""}, "status": {"old": "A", "new": "B"}},
            "to": [CONTACT_EMAIL, "kefu.bj@example.com"],
            "from": "陈静",
        }
    )
    assert masked["old"] == {"name": "张伟", "mobile": "139****5678", "email": "z***@shenqi.cn"}
    assert masked["changes"] == {
        "phone": {"old": "136****2222", "new": ""},
        "status": {"old": "A", "new": "B"},
    }
    assert masked["to"] == ["z***@shenqi.cn", "k***@example.com"] and masked["from"] == "陈静"
