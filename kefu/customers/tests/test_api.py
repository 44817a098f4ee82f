import pytest

from kefu.core.testing.scope import api_client_for
from kefu.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_create_read_patch_and_conflict(org, manager):
    api = api_client_for(manager)
    created = api.post(
        "/api/v1/customers/",
        {
            "name": "杭州明达贸易有限公司",
            "sales_office": org.office_a.code,
            "mobile": "13812345678",
            "contacts": [{"name": "李强", "mobile": "13900001111"}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert len(body["number"]) == 10 and body["contacts"][0]["is_primary"]
    url = f"/api/v1/customers/{body['id']}"
    patched = api.patch(
        url, {"version": body["version"], "region": "浙江省杭州市"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["region"] == "浙江省杭州市"
    stale = api.patch(url, {"version": body["version"], "region": "别处"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert Customer.objects.get(pk=body["id"]).region == "浙江省杭州市"


def test_invalid_fields_are_named(org, manager):
    api = api_client_for(manager)
    response = api.post(
        "/api/v1/customers/",
        {"name": "x", "sales_office": "9999", "mobile": "123"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "sales_office" in response.json()["error"]["fields"]
    response = api.post(
        "/api/v1/customers/",
        {"name": "x", "sales_office": org.office_a.code, "mobile": "123", "email": "bad"},
        content_type="application/json",
    )
    fields = response.json()["error"]["fields"]
    assert {"mobile", "email"} <= set(fields)
    assert Customer.objects.count() == 0


def test_list_filters_like_the_page(make_customer, manager):
    make_customer(name="甲公司", channel="dealer")
    make_customer(name="乙公司", channel="online")
    api = api_client_for(manager)
    items = api.get("/api/v1/customers/?channel=online").json()["items"]
    assert [i["name"] for i in items] == ["乙公司"]
    assert api.get("/api/v1/customers/?q=甲公").json()["count"] == 1
    bad = api.get("/api/v1/customers/?grade=Z")
    assert bad.status_code == 400 and "grade" in bad.json()["error"]["fields"]


def test_contacts_and_addresses_sub_resources(make_customer, manager):
    customer = make_customer()
    api = api_client_for(manager)
    base = f"/api/v1/customers/{customer.pk}"
    contact = api.post(
        f"{base}/contacts", {"name": "赵六", "mobile": "13600001111"}, content_type="application/json"
    )
    assert contact.status_code == 201
    cid = contact.json()["id"]
    assert (
        api.patch(f"{base}/contacts/{cid}", {"position": "经理"}, content_type="application/json").json()[
            "position"
        ]
        == "经理"
    )
    address = api.post(
        f"{base}/addresses", {"name": "仓库", "address": "北京市"}, content_type="application/json"
    )
    assert address.status_code == 201 and address.json()["code"] == "FL-01"
    assert len(api.get(f"{base}/addresses").json()) == 1
    assert api.delete(f"{base}/contacts/{cid}").status_code == 204
    assert api.get(f"{base}/contacts").json() == []


def test_region_and_number_prefix_filters(make_customer, manager):
    make_customer(number="2110050007", region="北京市朝阳区")
    make_customer(number="2120000001", name="上海客户", region="上海市浦东新区")
    api = api_client_for(manager)
    assert [i["number"] for i in api.get("/api/v1/customers/?region=北京市").json()["items"]] == [
        "2110050007"
    ]
    assert [i["number"] for i in api.get("/api/v1/customers/?number=212").json()["items"]] == ["2120000001"]


def test_an_address_created_not_default_stays_not_default(make_customer, manager):
    from kefu.core.testing.scope import api_client_for

    customer = make_customer(number="2110050099")
    api = api_client_for(manager)
    body = {"name": "仓库", "address": "北京市朝阳区酒仙桥路10号", "is_default": False}
    created = api.post(f"/api/v1/customers/{customer.pk}/addresses", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["is_default"] is False
    first_implicit = api.post(
        f"/api/v1/customers/{customer.pk}/addresses",
        {"name": "门店", "address": "北京市海淀区中关村大街1号"},
        content_type="application/json",
    )
    assert first_implicit.json()["is_default"] is False  # not the first any more


def test_customer_nature_reads_as_the_seeds_say():
    from django.utils import translation

    from kefu.customers.choices import Nature

    with translation.override("zh-hans"):
        assert str(Nature.ORGANISATION.label) == "单位客户"  # not 组织结构, the company structure


def test_an_untouched_yes_no_filter_reads_any_not_unknown(make_customer, manager):
    from django.utils import translation

    from kefu.customers.filtersets import CustomerFilterSet

    with translation.override("zh-hans"):
        html = str(CustomerFilterSet({}).form["key_account"])
    assert "全部" in html and "未知" not in html


def test_money_in_the_list_has_two_places(make_customer, manager):
    from decimal import Decimal

    from kefu.core.testing.scope import client_for
    from kefu.customers.services import add_value

    customer = make_customer(number="2110050098")
    add_value(customer, Decimal("13299.99"))
    page = client_for(manager).get("/customers/?q=2110050098").content.decode()
    assert "13,299.99" in page or "13299.99" in page
    assert "13299.9900" not in page


def test_patching_an_address_text_and_a_null_text_field_are_answers_not_500s(make_customer, manager):
    """A field called `address` (the text) once collided with the service's own argument, and a
    `null` in a text column was a database error."""
    from kefu.core.testing.scope import api_client_for

    customer = make_customer()
    api = api_client_for(manager)
    made = api.post(
        f"/api/v1/customers/{customer.pk}/addresses",
        {"name": "仓库", "address": "北京市朝阳区酒仙桥路10号"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    address_id = made.json()["id"]
    changed = api.patch(
        f"/api/v1/customers/{customer.pk}/addresses/{address_id}",
        {"address": "北京市朝阳区酒仙桥路12号", "region": None},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    contact = api.post(
        f"/api/v1/customers/{customer.pk}/contacts", {"name": "张伟"}, content_type="application/json"
    ).json()
    cleared = api.patch(
        f"/api/v1/customers/{customer.pk}/contacts/{contact['id']}",
        {"email": None, "position": None},
        content_type="application/json",
    )
    assert cleared.status_code == 200, cleared.content


def test_dates_far_outside_any_business_are_a_400(make_customer, manager):
    from kefu.core.testing.scope import api_client_for

    response = api_client_for(manager).post(
        "/api/v1/complaints/accidents/",
        {
            "kind": "damage",
            "occurred_at": "0068-06-15T16:16:43Z",
            "place": "仓库",
            "description": "x",
            "sales_office": "4002",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "occurred_at" in str(response.json()["error"]["fields"])
