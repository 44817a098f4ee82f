"""Defects found in the security/privacy review (h-sec2): each test failed on the code before its fix."""

import pytest

from kefu.core.testing.scope import api_client_for, client_for
from kefu.customers import services
from kefu.customers.models import Customer

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


def test_two_people_editing_one_contact_the_second_save_is_refused_not_lost(customer, manager):
    first, second = client_for(manager), client_for(manager)
    contact = customer.contacts.get(name="张伟")
    url = f"/customers/{customer.pk}/contacts/{contact.pk}/"
    form_a = first.get(url).context["form"]
    form_b = second.get(url).context["form"]

    def posted(form, **changes):
        data = {n: form.initial.get(n) for n in form.fields if form.initial.get(n) not in (None, "")}
        data["version"] = form.fields["version"].initial
        return {**data, **changes}

    assert first.post(url, posted(form_a, position="经理")).status_code == 302
    response = second.post(url, posted(form_b, mobile="13700009999"))
    assert response.status_code == 200  # the form again, with the reason
    assert "Someone else changed" in response.content.decode() or "其他人" in response.content.decode()
    contact.refresh_from_db()
    assert (contact.position, contact.mobile) == ("经理", CONTACT_MOBILE)


def test_two_people_editing_one_service_address_the_second_save_is_refused(customer, manager):
    address = customer.service_addresses.get(name="仓库")
    url = f"/customers/{customer.pk}/addresses/{address.pk}/"
    version = client_for(manager).get(url).context["form"].fields["version"].initial
    base = {"name": "仓库", "address": SITE_ADDRESS, "code": address.code, "version": version}
    assert client_for(manager).post(url, {**base, "postal_code": "100015"}).status_code == 302
    assert client_for(manager).post(url, {**base, "contact_name": "老王"}).status_code == 200
    address.refresh_from_db()
    assert (address.postal_code, address.contact_name) == ("100015", "")
    # A remove button rendered before the change is refused too; the address stays.
    client_for(manager).post(f"/customers/{customer.pk}/addresses/{address.pk}/delete/", {"version": version})
    assert customer.service_addresses.filter(pk=address.pk).exists()


def test_a_customer_form_posted_without_its_version_is_refused(customer, manager):
    response = client_for(manager).post(
        f"/customers/{customer.pk}/edit/",
        {"name": "别的名字", "nature": customer.nature, "sales_office": customer.sales_office_id},
    )
    assert response.status_code == 200 and "version" in response.context["form"].errors
    customer.refresh_from_db()
    assert customer.name == "申齐保健食品有限公司"


def test_api_patch_of_a_contact_with_a_stale_version_is_a_409(customer, manager):
    api = api_client_for(manager)
    contact = customer.contacts.get(name="张伟")
    version = Customer.objects.get(pk=customer.pk).version
    url = f"/api/v1/customers/{customer.pk}/contacts/{contact.pk}"
    ok = api.patch(url, {"position": "经理", "version": version}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    stale = api.patch(url, {"mobile": "13700009999", "version": version}, content_type="application/json")
    assert stale.status_code == 409
    contact.refresh_from_db()
    assert contact.mobile == CONTACT_MOBILE


def test_access_log_filtered_by_a_nul_answers_a_message_not_a_500(customer, manager):
    """The query-string middleware drops control characters before any view (kefu.core.middleware);
    the page's own check names the field should one get through."""
    response = client_for(manager).get("/customers/access-log/?customer=21%0010")
    assert response.status_code == 200
    assert response.context["request"].GET["customer"] == "2110"


@pytest.mark.parametrize("period", ["0000-01", "9999-12", "0001/03"])
def test_a_sales_month_with_an_impossible_year_is_a_row_error_not_a_500(customer, manager, period):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kefu.customers.models import MonthlySales

    content = f"客户编号,月份,金额\n{customer.number},{period},100\n".encode()
    response = client_for(manager).post(
        "/customers/import/",
        {"kind": "sales", "mode": "valid_only", "file": SimpleUploadedFile("sales.csv", content)},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.errors and "2026-11" in str(result.errors)  # names the month column's format
    assert not MonthlySales.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/customers/?page=²",
        "/customers/warnings/?page=①",
        "/customers/access-log/?page=²",
        "/knowledge/?category=²&page=²",
    ],
)
def test_a_unicode_digit_in_a_page_or_id_parameter_is_no_500(customer, manager, url):
    """'²'.isdigit() is True but int('²') fails: such values read as absent, as letters do."""
    assert client_for(manager).get(url).status_code == 200


def test_parse_id_takes_ascii_digits_only():
    from kefu.core.validation import parse_id

    assert [parse_id(v) for v in ("12", " 7 ", "²", "①", "١٢", "-1", "", None, "9" * 19)] == [
        12,
        7,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
